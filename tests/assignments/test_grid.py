"""The workshop's homework grid: couples × assignments with each partner's state, safety flags,
and the queue of answers waiting for review (oldest first)."""

import re
from datetime import timedelta

from tests.assignments.builders import (
    GOAL_ANSWERS,
    RISKY_CHECK_IN,
    SAFE_CHECK_IN,
    SAFETY_CHECK_IN,
    SHARED_GOAL,
    STAND_ANSWERS,
)
from tests.helpers import counting_queries, text_of
from workshop.models import utcnow


def grid_url(workshop_id: int, **args) -> str:
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/workshops/{workshop_id}/homework" + (f"?{query}" if query else "")


def cell_states(page: str, assignment_id: int) -> list[str]:
    """The state badges inside one cell of the grid, e.g. ["Alex Draft", "Sam Not started"]."""
    found = re.search(
        rf'<a class="hw-cell" href="/assignments/{assignment_id}">(.*?)</a>', page, re.DOTALL
    )
    assert found, f"no cell for assignment {assignment_id}"
    parts = re.findall(
        r'<span class="hw-cell__part">(.*?)</span></span>', found.group(1), re.DOTALL
    )
    return [re.sub(r"<[^>]+>", "", part).split() for part in parts]


def queue_section(page: str) -> str:
    return page.split('id="queue-heading"')[1].split('id="grid-heading"')[0]


def test_each_partners_state_is_shown(counselor, group, hw):
    first, second = hw.give(group.workshop_id, group.couple_ids)
    alex, sam = group.partners
    hw.answer(first, alex, {"willing": "5"}, submit=False)
    hw.answer(first, sam, STAND_ANSWERS)
    robin, casey = group.partner_ids[group.couple_ids[1]]
    reviewed = hw.answer(second, robin, STAND_ANSWERS)
    with hw.database():
        from workshop.extensions import db
        from workshop.models import Submission

        db.session.get(Submission, reviewed).status = "reviewed"

    page = counselor.get(grid_url(group.workshop_id)).get_data(as_text=True)

    assert cell_states(page, first) == [["Alex", "Draft"], ["Sam", "Submitted"]]
    assert cell_states(page, second) == [["Robin", "Reviewed"], ["Casey", "Not", "started"]]


def test_unfinished_parts_past_the_due_time_are_overdue(counselor, group, hw):
    [late] = hw.give(
        group.workshop_id, [group.couple], due_in=-timedelta(hours=2), opened=timedelta(days=3)
    )
    sam = group.partners[1]
    hw.answer(late, sam, STAND_ANSWERS)  # late answers are accepted; Sam's part is done

    page = counselor.get(grid_url(group.workshop_id)).get_data(as_text=True)
    assert cell_states(page, late) == [["Alex", "Overdue"], ["Sam", "Submitted"]]


def test_homework_not_open_yet_says_so(counselor, group, hw):
    [later] = hw.give(
        group.workshop_id, [group.couple], opened=-timedelta(days=2), due_in=timedelta(days=9)
    )
    page = counselor.get(grid_url(group.workshop_id)).get_data(as_text=True)
    assert cell_states(page, later) == [["Alex", "Opens", "later"], ["Sam", "Opens", "later"]]


def test_a_joint_exercise_has_one_state_for_the_couple(counselor, group, hw):
    [joint] = hw.give(group.workshop_id, [group.couple], key=SHARED_GOAL)
    hw.answer(joint, group.partners[1], GOAL_ANSWERS)
    page = counselor.get(grid_url(group.workshop_id)).get_data(as_text=True)
    assert cell_states(page, joint) == [["Together", "Submitted"]]


def test_one_exercise_given_to_the_whole_workshop_is_one_column(counselor, group, hw):
    hw.give(group.workshop_id, group.couple_ids)
    hw.give(group.workshop_id, group.couple_ids, key=SHARED_GOAL, due_in=timedelta(days=9))
    page = counselor.get(grid_url(group.workshop_id)).get_data(as_text=True)
    headers = re.findall(r'<th scope="col" class="hw-grid__col">(.*?)<br>', page, re.DOTALL)
    assert [re.sub(r"<[^>]+>", "", h).strip() for h in headers] == [
        "Where I stand",
        "Our shared goal (together)",
    ]


def test_review_queue_lists_submitted_answers_oldest_first(counselor, group, hw):
    first, second = hw.give(group.workshop_id, group.couple_ids)
    alex, sam = group.partners
    robin, _ = group.partner_ids[group.couple_ids[1]]
    newest = hw.answer(first, alex, STAND_ANSWERS)
    oldest = hw.answer(second, robin, STAND_ANSWERS)
    hw.answer(first, sam, {"willing": "4"}, submit=False)  # a draft waits for nobody
    hw.submit_at(oldest, utcnow() - timedelta(days=2))
    hw.submit_at(newest, utcnow() - timedelta(hours=1))

    queue = queue_section(text_of(counselor.get(grid_url(group.workshop_id))))
    assert "(2)" in queue
    assert queue.index(f"#submission-{oldest}") < queue.index(f"#submission-{newest}")
    assert "(Robin)" in queue
    assert "(Alex)" in queue
    assert "(Sam)" not in queue


def test_reviewed_answers_leave_the_queue(counselor, group, hw):
    [first] = hw.give(group.workshop_id, [group.couple])
    submission = hw.answer(first, group.partners[0], STAND_ANSWERS)
    counselor.post(
        f"/assignments/{first}/submissions/{submission}/review", {"feedback": "Thank you."}
    )
    queue = queue_section(text_of(counselor.get(grid_url(group.workshop_id))))
    assert "Nothing is waiting" in queue


def test_the_grid_shows_the_oldest_answers_and_leads_to_the_whole_queue(counselor, group, hw):
    from workshop.assignments.queries import QUEUE_PREVIEW

    rounds = QUEUE_PREVIEW // 4 + 1  # four answers a round: more than the grid shows
    for days in range(1, rounds + 1):
        given = hw.give(group.workshop_id, group.couple_ids, due_in=timedelta(days=days))
        for assignment_id, couple_id in zip(given, group.couple_ids, strict=True):
            for partner in group.partner_ids[couple_id]:
                hw.answer(assignment_id, partner, STAND_ANSWERS)

    page = text_of(counselor.get(grid_url(group.workshop_id)))
    queue = queue_section(page)
    assert f"Waiting for your review ({4 * rounds})" in queue
    assert queue.count('<li class="list__item">') == QUEUE_PREVIEW
    assert link_to(queue, f"All {4 * rounds} answers waiting for review, oldest first") == (
        f"/workshops/{group.workshop_id}/review"
    )
    assert "Page 1 of" not in queue  # the queue's pages are on its own page


def test_a_short_queue_is_whole_on_the_grid(counselor, group, hw):
    [first] = hw.give(group.workshop_id, [group.couple])
    hw.answer(first, group.partners[0], STAND_ANSWERS)

    queue = queue_section(text_of(counselor.get(grid_url(group.workshop_id))))
    assert queue.count('<li class="list__item">') == 1
    assert "answers waiting for review, oldest first" not in queue


def test_a_flagged_couple_is_marked_and_can_be_marked_reviewed_from_the_grid(counselor, group, hw):
    check_ins = hw.give(group.workshop_id, group.couple_ids, key=SAFETY_CHECK_IN)
    hw.answer(check_ins[0], group.partners[0], RISKY_CHECK_IN)
    robin = group.partner_ids[group.couple_ids[1]][0]
    hw.answer(check_ins[1], robin, SAFE_CHECK_IN)

    page = text_of(counselor.get(grid_url(group.workshop_id)))
    assert page.count("Safety flag") == 1
    assert f"/couples/{group.couple}/safety/reviewed" in page
    assert "He shouts when he drinks" not in page  # the answers stay on the review page

    response = counselor.post(
        f"/couples/{group.couple}/safety/reviewed",
        {"next": grid_url(group.workshop_id)},
        token_from=grid_url(group.workshop_id),
    )
    assert response.headers["Location"] == grid_url(group.workshop_id)
    assert "Safety flag" not in text_of(counselor.get(grid_url(group.workshop_id)))


def test_a_withdrawn_couples_homework_stays_on_the_grid(app, counselor, group, hw):
    from sqlalchemy import select

    from workshop.extensions import db
    from workshop.models import Enrollment

    [theirs] = hw.give(group.workshop_id, [group.couple_ids[1]])
    with app.app_context():
        enrollment = db.session.scalar(
            select(Enrollment).where(Enrollment.couple_id == group.couple_ids[1])
        )
        enrollment.status = "withdrawn"
        db.session.commit()
    page = text_of(counselor.get(grid_url(group.workshop_id)))
    assert "No longer enrolled" in page
    assert f'href="/assignments/{theirs}"' in page


def test_an_empty_workshop_invites_to_assign(counselor, group):
    page = text_of(counselor.get(grid_url(group.workshop_id)))
    assert "No homework assigned yet" in page
    assert "Nothing is waiting" in page


# A grid with more assignments than fit shows a window of them, with a pager


def column_titles(page: str) -> list[str]:
    headers = re.findall(r'<th scope="col" class="hw-grid__col">(.*?)<br>', page, re.DOTALL)
    return [re.sub(r"<[^>]+>", "", h).strip() for h in headers]


def column_pager(page: str) -> str:
    """The grid's column pager: its text and links ("" when there is none)."""
    found = re.search(r'<nav [^>]*aria-label="Assignment columns">(.*?)</nav>', page, re.DOTALL)
    return found.group(1) if found else ""


def link_to(page: str, text: str) -> str | None:
    """Where the link saying `text` goes (the first one), None when there is none."""
    found = re.search(rf'<a href="([^"]+)">{text}</a>', page)
    return found.group(1) if found else None


def weekly_homework(hw, world, group, weeks: int, opened: int, answered: bool = False) -> None:
    """Exercises "Week 1" … "Week <weeks>" given to both couples, due a week apart: the first
    `opened` open since yesterday, the others opening later. `answered`: all partners submit."""
    for week in range(weeks):
        exercise = hw.own_exercise(world.counselor, title=f"Week {week + 1}")
        opened_since = timedelta(days=1) if week < opened else -timedelta(days=week + 1)
        given = hw.give(
            group.workshop_id,
            group.couple_ids,
            exercise_id=exercise,
            opened=opened_since,
            due_in=timedelta(days=7 * (week + 1)),
        )
        for assignment_id, couple_id in zip(given, group.couple_ids, strict=True):
            for partner in group.partner_ids[couple_id] if answered else []:
                hw.answer(assignment_id, partner, {"line": "Done."})


def week_titles(first: int, last: int) -> list[str]:
    return [f"Week {n}" for n in range(first, last + 1)]


def test_a_long_grid_shows_the_latest_open_homework_first(counselor, world, group, hw):
    weekly_homework(hw, world, group, weeks=12, opened=10)

    page = text_of(counselor.get(grid_url(group.workshop_id)))

    assert column_titles(page) == week_titles(3, 10)  # ends with the last open one
    assert "Assignments 3–10 of 12" in column_pager(page)
    assert link_to(page, "Earlier assignments")
    assert link_to(page, "Later assignments")
    assert page.count('<th scope="row">') == 2  # every couple still has a row
    assert page.count('class="hw-cell"') == 2 * 8  # and cells for the shown homework only
    assert "Each partner's state per assignment" in page  # the table keeps its caption


def test_a_long_grid_with_nothing_open_yet_shows_the_first_homework(counselor, world, group, hw):
    weekly_homework(hw, world, group, weeks=12, opened=0)

    page = text_of(counselor.get(grid_url(group.workshop_id)))

    assert column_titles(page) == week_titles(1, 8)
    assert "Assignments 1–8 of 12" in column_pager(page)
    assert link_to(page, "Earlier assignments") is None
    assert link_to(page, "Later assignments")


def test_earlier_and_later_links_move_along_the_homework(counselor, world, group, hw):
    weekly_homework(hw, world, group, weeks=12, opened=10)
    first = text_of(counselor.get(grid_url(group.workshop_id)))

    later = text_of(counselor.get(link_to(first, "Later assignments")))
    assert column_titles(later) == week_titles(5, 12)  # a full window, up to the last
    assert "Assignments 5–12 of 12" in column_pager(later)
    assert link_to(later, "Later assignments") is None

    earlier = text_of(counselor.get(link_to(later, "Earlier assignments")))
    assert column_titles(earlier) == week_titles(1, 8)
    assert "Assignments 1–8 of 12" in column_pager(earlier)
    assert link_to(earlier, "Earlier assignments") is None


def test_a_wrong_window_asked_for_shows_a_whole_valid_one(counselor, world, group, hw):
    weekly_homework(hw, world, group, weeks=12, opened=10)
    expected = {
        "abc": week_titles(3, 10),  # not a number: the default
        "1e3": week_titles(3, 10),
        "-3": week_titles(1, 8),
        "11": week_titles(5, 12),  # too far: the last whole window
        "99999999999999999999999": week_titles(5, 12),
    }
    for asked, titles in expected.items():
        response = counselor.get(grid_url(group.workshop_id, columns=asked))
        assert response.status_code == 200, asked
        assert column_titles(text_of(response)) == titles, asked
    far_queue_page = counselor.get(grid_url(group.workshop_id, columns="x", page=10**20))
    assert far_queue_page.status_code == 200
    assert column_titles(text_of(far_queue_page)) == week_titles(3, 10)


def test_a_grid_that_fits_has_no_column_pager(counselor, world, group, hw):
    weekly_homework(hw, world, group, weeks=8, opened=8)
    page = text_of(counselor.get(grid_url(group.workshop_id)))
    assert column_titles(page) == week_titles(1, 8)
    assert column_pager(page) == ""


# A fixed number of SQL statements, whatever the number of couples and assignments


def busy_grid(hw, world, couples: int, exercises: int, title: str) -> int:
    """A workshop of `couples` couples, each given `exercises` exercises, half answered."""
    hw.library()
    couple_ids = [hw.couple(names=(f"Ann{n:02}", f"Ben{n:02}")) for n in range(couples)]
    workshop = hw.workshop(title=title, capacity=50, couples=tuple(couple_ids))
    for number in range(exercises):
        ids = hw.give(workshop.id, couple_ids, due_in=timedelta(days=number + 1))
        for assignment_id, couple_id in zip(ids, couple_ids, strict=True):
            hw.answer(
                assignment_id, hw.partner_ids(couple_id)[0], STAND_ANSWERS, submit=bool(number % 2)
            )
    check_ins = hw.give(workshop.id, couple_ids, key=SAFETY_CHECK_IN)
    hw.answer(check_ins[0], hw.partner_ids(couple_ids[0])[0], RISKY_CHECK_IN)
    return workshop.id


def statements_for(app, browser, url: str) -> int:
    browser.get(url)  # warm up: a first visit may refresh the login's last-seen time
    with counting_queries(app) as statements:
        assert browser.get(url).status_code == 200
    assert statements
    return len(statements)


def test_the_grid_costs_the_same_for_2_or_10_couples_and_assignments(app, counselor, hw, world):
    small = busy_grid(hw, world, 2, 2, "Small group")
    large = busy_grid(hw, world, 10, 10, "Large group")  # 11 columns: a window of them
    few = statements_for(app, counselor, grid_url(small))
    assert statements_for(app, counselor, grid_url(large)) == few
    assert statements_for(app, counselor, grid_url(large, columns=3, page=2)) == few


def test_the_review_page_costs_the_same_unanswered_or_flagged(app, counselor, hw, world):
    small = busy_grid(hw, world, 2, 2, "Small group")
    with app.app_context():
        from sqlalchemy import select

        from workshop.extensions import db
        from workshop.models import Assignment

        first = db.session.scalar(
            select(Assignment.id).where(Assignment.workshop_id == small).order_by(Assignment.id)
        )
        flagged = db.session.scalar(
            select(Assignment.id)
            .where(Assignment.workshop_id == small)
            .order_by(Assignment.id.desc())
            .limit(1)
        )
    assert statements_for(app, counselor, f"/assignments/{first}") == statements_for(
        app, counselor, f"/assignments/{flagged}"
    )


def test_names_on_the_grid_and_in_the_queue_are_text_not_markup(counselor, hw, world):
    hw.library()
    tricky = hw.couple(names=("<b>Bo</b> Smith", "Al & Co"))
    workshop = hw.workshop(title="Names", couples=(tricky,))
    [given] = hw.give(workshop.id, [tricky])
    hw.answer(given, hw.partner_ids(tricky)[0], STAND_ANSWERS)

    page = counselor.get(grid_url(workshop.id)).get_data(as_text=True)

    assert "<b>Bo</b>" not in page
    assert cell_states(page, given) == [
        ["&lt;b&gt;Bo&lt;/b&gt;", "Submitted"],
        ["Al", "Not", "started"],
    ]
    assert "Where I stand, &lt;b&gt;Bo&lt;/b&gt; &amp; Al: </span>" in page  # the cell's label
    assert "(&lt;b&gt;Bo&lt;/b&gt; Smith)" in queue_section(page)
