"""The review queue's own page: every answer waiting for review in a workshop, oldest first, a
page at a time (the grid page shows the oldest few and links here)."""

import re
from datetime import timedelta

import pytest

from tests.assignments.builders import (
    GOAL_ANSWERS,
    RISKY_CHECK_IN,
    SAFETY_CHECK_IN,
    SHARED_GOAL,
    STAND_ANSWERS,
)
from tests.assignments.test_grid import link_to, queue_section
from tests.helpers import counting_queries, text_of
from workshop.assignments.queries import QUEUE_PAGE_SIZE, QUEUE_PREVIEW, grid_data
from workshop.extensions import db
from workshop.models import Submission, utcnow


def queue_url(workshop_id: int, **args) -> str:
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/workshops/{workshop_id}/review" + (f"?{query}" if query else "")


def queue_links(page: str) -> list[str]:
    """The answers listed, top to bottom, as their links."""
    return re.findall(r'<a href="(/assignments/\d+#submission-\d+)">', page)


def answer_everything(hw, group, rounds: int) -> None:
    """`rounds` exercises given to both couples, each answered by all four partners."""
    for days in range(1, rounds + 1):
        given = hw.give(group.workshop_id, group.couple_ids, due_in=timedelta(days=days))
        for assignment_id, couple_id in zip(given, group.couple_ids, strict=True):
            for partner in group.partner_ids[couple_id]:
                hw.answer(assignment_id, partner, STAND_ANSWERS)


def test_the_queue_lists_submitted_answers_oldest_first(counselor, group, hw):
    first, second = hw.give(group.workshop_id, group.couple_ids)
    alex, sam = group.partners
    robin, _ = group.partner_ids[group.couple_ids[1]]
    newest = hw.answer(first, alex, STAND_ANSWERS)
    oldest = hw.answer(second, robin, STAND_ANSWERS)
    hw.answer(first, sam, {"willing": "4"}, submit=False)  # a draft waits for nobody
    hw.submit_at(oldest, utcnow() - timedelta(days=2))
    hw.submit_at(newest, utcnow() - timedelta(hours=1))

    page = text_of(counselor.get(queue_url(group.workshop_id)))

    assert "Waiting for your review (2)" in page
    assert queue_links(page) == [
        f"/assignments/{second}#submission-{oldest}",
        f"/assignments/{first}#submission-{newest}",
    ]
    assert "Robin & Casey (Robin)" in page
    assert "(Alex)" in page
    assert "(Sam)" not in page
    assert "Where I stand" in page


def test_a_joint_answer_and_a_safety_check_in_say_so(counselor, group, hw):
    [joint] = hw.give(group.workshop_id, [group.couple], key=SHARED_GOAL)
    [check_in] = hw.give(group.workshop_id, [group.couple], key=SAFETY_CHECK_IN)
    hw.answer(joint, group.partners[1], GOAL_ANSWERS)
    hw.answer(check_in, group.partners[0], RISKY_CHECK_IN)

    page = text_of(counselor.get(queue_url(group.workshop_id)))

    assert "(together)" in page
    assert page.count("Safety check-in</span>") == 1


def test_the_queue_is_paginated_and_keeps_the_grids_order(counselor, group, hw):
    rounds = QUEUE_PAGE_SIZE // 2 + 1  # four answers a round: a little over two pages
    answer_everything(hw, group, rounds)

    first = text_of(counselor.get(queue_url(group.workshop_id)))
    assert "Page 1 of 3" in first
    assert f"Waiting for your review ({4 * rounds})" in first
    assert len(queue_links(first)) == QUEUE_PAGE_SIZE
    later = link_to(first, "Later")
    assert later == queue_url(group.workshop_id, page=2)

    second = text_of(counselor.get(later))
    last = text_of(counselor.get(queue_url(group.workshop_id, page=3)))
    assert "Page 3 of 3" in last
    assert len(queue_links(last)) == 4 * rounds - 2 * QUEUE_PAGE_SIZE
    listed = queue_links(first) + queue_links(second) + queue_links(last)
    assert len(set(listed)) == 4 * rounds  # every answer once

    grid = text_of(counselor.get(f"/workshops/{group.workshop_id}/homework"))
    grid_queue = grid.split('id="queue-heading"')[1].split('id="grid-heading"')[0]
    assert queue_links(grid_queue) == listed[: len(queue_links(grid_queue))]  # the same order


def test_the_grid_reads_only_the_oldest_answers_waiting_and_their_number(counselor, group, hw):
    """A workshop whose counselors fall behind has hundreds of answers waiting: the grid page
    reads the few it shows and how many there are, not every one of them."""
    answer_everything(hw, group, 3)  # 12 answers waiting, in 3 columns
    with hw.database():
        data = grid_data(group.workshop_id, group.couple_ids, None)  # no column in view
    assert data.waiting_count == 12
    assert len(data.oldest_waiting) == QUEUE_PREVIEW
    assert data.answers == []  # none of the other waiting answers

    grid = text_of(counselor.get(f"/workshops/{group.workshop_id}/homework"))
    queue = text_of(counselor.get(queue_url(group.workshop_id)))
    preview = grid.split('id="queue-heading"')[1].split('id="grid-heading"')[0]
    assert "Waiting for your review (12)" in preview
    assert "All 12 answers waiting for review, oldest first" in preview
    assert queue_links(preview) == queue_links(queue)[:QUEUE_PREVIEW]


def test_a_page_past_the_end_is_empty_not_an_error(counselor, group, hw):
    answer_everything(hw, group, 1)
    response = counselor.get(queue_url(group.workshop_id, page=9))
    assert response.status_code == 200
    page = text_of(response)
    assert "Nothing on this page" in page
    assert link_to(page, "Back to the first page") == queue_url(group.workshop_id)


@pytest.mark.parametrize(
    ("asked", "shown"),
    [
        ("abc", "Waiting for your review (4)"),  # not a number: the first page
        ("-1", "Waiting for your review (4)"),
        ("0", "Waiting for your review (4)"),
        ("1e3", "Waiting for your review (4)"),
        ("", "Waiting for your review (4)"),
        ("99999999999999999999999", "Nothing on this page"),  # past the end, not a 500
    ],
)
def test_a_wrong_page_number_is_a_page_not_an_error(counselor, group, hw, asked, shown):
    answer_everything(hw, group, 1)
    response = counselor.get(queue_url(group.workshop_id, page=asked))
    assert response.status_code == 200, asked
    assert shown in text_of(response)


def test_an_empty_queue_says_nothing_is_waiting(counselor, group, hw):
    [given] = hw.give(group.workshop_id, [group.couple])
    hw.answer(given, group.partners[0], {"willing": "4"}, submit=False)

    page = text_of(counselor.get(queue_url(group.workshop_id)))
    assert "Nothing is waiting" in page
    assert "Page 1 of" not in page


def test_reviewed_answers_leave_the_queue(counselor, group, hw):
    [given] = hw.give(group.workshop_id, [group.couple])
    first = hw.answer(given, group.partners[0], STAND_ANSWERS)
    second = hw.answer(given, group.partners[1], STAND_ANSWERS)
    counselor.post(f"/assignments/{given}/submissions/{first}/review", {"feedback": "Thank you."})

    page = text_of(counselor.get(queue_url(group.workshop_id)))
    assert queue_links(page) == [f"/assignments/{given}#submission-{second}"]
    assert "Waiting for your review (1)" in page


def test_an_answer_without_a_submission_time_comes_first(counselor, group, hw):
    """Submitting always sets the time; a row without one (never expected) is listed first,
    as on the grid, not a 500."""
    [given] = hw.give(group.workshop_id, [group.couple])
    timed = hw.answer(given, group.partners[0], STAND_ANSWERS)
    untimed = hw.answer(given, group.partners[1], STAND_ANSWERS)
    with hw.database():
        db.session.get(Submission, untimed).submitted_at = None

    in_order = [
        f"/assignments/{given}#submission-{untimed}",
        f"/assignments/{given}#submission-{timed}",
    ]
    assert queue_links(text_of(counselor.get(queue_url(group.workshop_id)))) == in_order
    grid = text_of(counselor.get(f"/workshops/{group.workshop_id}/homework"))
    assert queue_links(queue_section(grid)) == in_order


def test_names_in_the_queue_are_text_not_markup(counselor, hw):
    hw.library()
    tricky = hw.couple(names=("<b>Bo</b> Smith", "Al & Co"))
    workshop = hw.workshop(title="<i>Names</i>", couples=(tricky,))
    [given] = hw.give(workshop.id, [tricky])
    hw.answer(given, hw.partner_ids(tricky)[0], STAND_ANSWERS)

    page = counselor.get(queue_url(workshop.id)).get_data(as_text=True)

    assert "<b>Bo</b>" not in page
    assert "<i>Names</i>" not in page
    assert "(&lt;b&gt;Bo&lt;/b&gt; Smith)" in page


def test_a_co_counselor_reaches_the_queue_and_a_colleague_gets_404(
    counselor, group, hw, colleagues
):
    [given] = hw.give(group.workshop_id, [group.couple])
    hw.answer(given, group.partners[0], STAND_ANSWERS)
    shared, refused = (browser.get(queue_url(group.workshop_id)) for browser in colleagues)

    assert shared.status_code == 200
    assert f"/assignments/{given}#submission-" in text_of(shared)
    assert refused.status_code == 404
    assert f"/assignments/{given}" not in text_of(refused)
    assert counselor.get(queue_url(group.workshop_id + 1000)).status_code == 404


def test_the_queue_costs_the_same_statements_however_long(app, counselor, group, hw):
    answer_everything(hw, group, 1)
    with counting_queries(app) as few:
        counselor.get(queue_url(group.workshop_id))
    answer_everything(hw, group, QUEUE_PAGE_SIZE // 2)
    with counting_queries(app) as many:
        counselor.get(queue_url(group.workshop_id, page=2))
    assert len(many) == len(few) == 2, "\n\n".join(many)  # the login, then the page


def test_answers_waiting_in_another_workshop_are_neither_counted_nor_listed_here(
    counselor, group, hw
):
    """The queue finds a workshop's waiting answers by the workshop each answer holds (a copy
    of its assignment's): another workshop's, of the same counselor, stay in that one."""
    elsewhere_couple = hw.couple(names=("Jordan", "Kai"))
    elsewhere = hw.workshop(title="Autumn group", couples=(elsewhere_couple,)).id
    [theirs] = hw.give(elsewhere, [elsewhere_couple])
    their_answer = hw.answer(theirs, hw.partner_ids(elsewhere_couple)[0], STAND_ANSWERS)
    [ours] = hw.give(group.workshop_id, [group.couple])
    our_answer = hw.answer(ours, group.partners[0], STAND_ANSWERS)

    for url in (queue_url(group.workshop_id), f"/workshops/{group.workshop_id}/homework"):
        page = text_of(counselor.get(url))
        assert "Waiting for your review (1)" in page
        assert f"#submission-{our_answer}" in page
        assert f"#submission-{their_answer}" not in page
        assert "Jordan" not in page

    page = text_of(counselor.get(queue_url(elsewhere)))
    assert queue_links(page) == [f"/assignments/{theirs}#submission-{their_answer}"]


def test_an_answer_holds_its_assignments_workshop_and_the_database_keeps_it_so(app, group, hw):
    from sqlalchemy.exc import IntegrityError

    [given] = hw.give(group.workshop_id, [group.couple])
    answer_id = hw.answer(given, group.partners[0], STAND_ANSWERS)
    other_workshop = hw.workshop(title="Autumn group").id

    with app.app_context():
        answer = db.session.get(Submission, answer_id)
        assert answer.workshop_id == group.workshop_id == answer.assignment.workshop_id

        answer.workshop_id = other_workshop  # out of step with its assignment: refused
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
