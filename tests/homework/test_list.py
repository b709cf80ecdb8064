"""The partner's homework list: to do (soonest due first, overdue marked), opens later, done."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from tests.assignments.builders import (
    GOAL_ANSWERS,
    RISKY_CHECK_IN,
    SAFETY_CHECK_IN,
    SHARED_GOAL,
    STAND_ANSWERS,
    HomeworkBuilder,
)
from tests.helpers import counting_queries, text_of
from workshop.models import Assignment

DAY = timedelta(days=1)


def section(page: str, heading: str) -> str:
    """The text of the list section under `heading` (up to the next section)."""
    found = re.search(rf">{heading}</h2>(.*?)</section>", page, re.DOTALL)
    assert found, f"no section {heading!r}"
    return found.group(1)


def titles_in(html: str) -> list[str]:
    return re.findall(r'<h3 class="h3 homework__title"><a [^>]*>([^<]*)</a>', html)


def test_homework_is_grouped_to_do_opens_later_and_done(alex, couple, hw):
    hw.give(couple.workshop_id, [couple.couple_id], "pace-what-slow-means", due_in=5 * DAY)
    hw.give(couple.workshop_id, [couple.couple_id], "timing-what-heals-first", due_in=2 * DAY)
    hw.give(
        couple.workshop_id,
        [couple.couple_id],
        "trust-understanding-causes",
        due_in=-DAY,
        opened=3 * DAY,
    )
    hw.give(
        couple.workshop_id,
        [couple.couple_id],
        "positivity-good-moments",
        due_in=9 * DAY,
        opened=-2 * DAY,
    )
    [done] = hw.give(couple.workshop_id, [couple.couple_id])
    hw.answer(done, couple.partner_ids[0], STAND_ANSWERS)

    page = alex.get("/homework").get_data(as_text=True)

    assert titles_in(section(page, "To do")) == [
        "Understanding what went wrong",
        "What needs to heal first",
        "What “slow” means to me",
    ]
    assert "Overdue" in section(page, "To do").split("What needs to heal first")[0]
    assert titles_in(section(page, "Opens later")) == ["Three good moments this week"]
    assert titles_in(section(page, "Done")) == ["Where I stand"]
    assert "Submitted" in section(page, "Done")


def test_each_item_shows_this_partners_own_state(alex, sam, couple, hw):
    [stand] = hw.give(couple.workshop_id, [couple.couple_id])
    hw.answer(stand, couple.partner_ids[1], STAND_ANSWERS)  # Sam submitted, Alex did not

    assert titles_in(section(alex.get("/homework").get_data(as_text=True), "To do")) == [
        "Where I stand"
    ]
    assert "Not started" in alex.get("/homework").get_data(as_text=True)
    assert titles_in(section(sam.get("/homework").get_data(as_text=True), "Done")) == [
        "Where I stand"
    ]


def test_a_draft_and_a_reviewed_answer_are_labelled(alex, couple, hw):
    [draft] = hw.give(couple.workshop_id, [couple.couple_id])
    [reviewed] = hw.give(couple.workshop_id, [couple.couple_id], "pace-what-slow-means")
    hw.answer(draft, couple.partner_ids[0], {"hope": "half written"}, submit=False)
    submission_id = hw.answer(
        reviewed,
        couple.partner_ids[0],
        {"pace": "Keep the current pace", "rushing_signs": ["Skipping talks"], "patience": "Walks"},
    )
    hw.review(submission_id, "Thank you.")

    page = alex.get("/homework").get_data(as_text=True)

    assert "Draft saved" in section(page, "To do")
    assert "Reviewed" in section(page, "Done")


def test_joint_exercises_say_together(alex, couple, hw):
    hw.give(couple.workshop_id, [couple.couple_id], SHARED_GOAL)
    page = text_of(alex.get("/homework"))
    assert "Our shared goal" in page
    assert "Together" in section(page, "To do")


def item_of(html: str, title: str) -> str:
    """The list item of the homework titled `title`."""
    found = re.search(
        rf'<li class="homework[^"]*">((?:(?!</li>).)*>{title}</a>.*?)</li>', html, re.DOTALL
    )
    assert found, f"no item {title!r}"
    return found.group(1)


def test_an_answer_given_together_is_done_for_both_partners(alex, sam, couple, hw):
    [joint] = hw.give(couple.workshop_id, [couple.couple_id], SHARED_GOAL)
    hw.answer(joint, couple.partner_ids[1], GOAL_ANSWERS)  # Sam sends the couple's answer

    for browser in (alex, sam):
        page = browser.get("/homework").get_data(as_text=True)
        assert titles_in(section(page, "Done")) == ["Our shared goal"]
        assert "Nothing to do right now" in section(page, "To do")


def test_joint_homework_is_marked_paused_while_a_check_in_is_unreviewed(alex, couple, hw):
    [check_in] = hw.give(couple.workshop_id, [couple.couple_id], SAFETY_CHECK_IN)
    hw.answer(check_in, couple.partner_ids[1], RISKY_CHECK_IN)  # Sam's answer raises a flag
    hw.give(couple.workshop_id, [couple.couple_id], SHARED_GOAL)
    hw.give(couple.workshop_id, [couple.couple_id])

    page = alex.get("/homework").get_data(as_text=True)

    assert "Paused for now" in item_of(page, "Our shared goal")
    assert "Not started" in item_of(page, "Where I stand")  # individual work goes on
    assert "safety" not in item_of(page, "Our shared goal").lower()  # never says why
    hw.mark_safety_reviewed(couple.couple_id)
    assert "Paused for now" not in alex.get("/homework").get_data(as_text=True)


def test_done_homework_is_listed_twenty_at_a_time_the_latest_due_first(alex, couple, hw, world):
    hw.set_timezone(world.partner, "UTC")
    for number in range(21):
        [assignment_id] = hw.give(couple.workshop_id, [couple.couple_id], due_in=(number + 1) * DAY)
        hw.answer(assignment_id, couple.partner_ids[0], STAND_ANSWERS)
    due = hw.read(Assignment, assignment_id, "due_at")["due_at"]  # the latest due

    first = alex.get("/homework").get_data(as_text=True)
    second = alex.get("/homework?page=2").get_data(as_text=True)

    assert len(titles_in(section(first, "Done"))) == 20
    assert f"Due {due:%a %d %b %Y, %H:%M}" in section(first, "Done").split("</li>")[0]
    assert "Page 1 of 2" in section(first, "Done")
    assert len(titles_in(section(second, "Done"))) == 1
    assert "Page 2 of 2" in section(second, "Done")


def test_due_times_are_on_the_partners_own_clock(alex, couple, hw, world):
    hw.set_timezone(world.partner, "Pacific/Auckland")
    [assignment_id] = hw.give(couple.workshop_id, [couple.couple_id])
    due_at = hw.read(Assignment, assignment_id, "due_at")["due_at"]

    page = alex.get("/homework").get_data(as_text=True)

    local = due_at.astimezone(ZoneInfo("Pacific/Auckland"))
    assert f"Due {local:%a %d %b %Y, %H:%M}" in page
    assert "Pacific/Auckland" in page


def test_a_partner_without_homework_is_told_what_to_expect(alex, couple):
    page = text_of(alex.get("/homework"))
    assert "No homework yet" in page


def test_the_menu_offers_homework_to_partners_only(alex, counselor_browser):
    assert 'href="/homework"' in alex.get("/").get_data(as_text=True)
    assert 'href="/homework"' not in counselor_browser.get("/").get_data(as_text=True)


def give_mixed(hw: HomeworkBuilder, couple, count: int) -> None:
    """`count` assignments of several kinds, half of them answered by Alex."""
    keys = [
        "readiness-where-we-stand",
        SHARED_GOAL,
        "pace-what-slow-means",
        "positivity-good-moments",
    ]
    for number in range(count):
        [assignment_id] = hw.give(
            couple.workshop_id, [couple.couple_id], keys[number % 4], due_in=(number + 1) * DAY
        )
        if number % 2 == 0:
            hw.answer(assignment_id, couple.partner_ids[0], {}, submit=False)


def test_the_list_costs_the_same_for_2_or_12_assignments(app, alex, couple, hw):
    give_mixed(hw, couple, 2)
    alex.get("/homework")  # warm up: the first visit may refresh the login's last-seen time
    with counting_queries(app) as few:
        assert alex.get("/homework").status_code == 200
    give_mixed(hw, couple, 10)
    with counting_queries(app) as many:
        page = alex.get("/homework").get_data(as_text=True)

    assert len(titles_in(page)) == 12
    assert few, "the listener saw no SQL: the count would prove nothing"
    assert len(many) == len(few), "\n".join(many)
