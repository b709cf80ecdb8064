"""The private safety check-in: an answer that signals risk flags the couple for the counselor,
and the couple's joint exercises stay locked until the counselor marks it reviewed."""

import pytest
from sqlalchemy import select

from tests.assignments.builders import (
    GOAL_ANSWERS,
    RISKY_CHECK_IN,
    SAFE_CHECK_IN,
    SAFETY_CHECK_IN,
    SHARED_GOAL,
)
from tests.helpers import text_of
from workshop.extensions import db
from workshop.homework.services import Locked
from workshop.models import SafetyFlag


def reviewed_url(couple_id: int) -> str:
    return f"/couples/{couple_id}/safety/reviewed"


@pytest.fixture
def flagged(group, hw):
    """The world's couple: Alex's check-in signals risk; a joint exercise waits."""
    [check_in] = hw.give(group.workshop_id, [group.couple], key=SAFETY_CHECK_IN)
    [joint] = hw.give(group.workshop_id, [group.couple], key=SHARED_GOAL)
    submission = hw.answer(check_in, group.partners[0], RISKY_CHECK_IN)
    return {"check_in": check_in, "joint": joint, "submission": submission}


def open_flags(app, couple_id: int) -> int:
    with app.app_context():
        return len(
            db.session.scalars(
                select(SafetyFlag.id).where(
                    SafetyFlag.couple_id == couple_id, SafetyFlag.reviewed_at.is_(None)
                )
            ).all()
        )


def test_the_counselor_reads_the_check_in_with_the_risky_answers_marked(counselor, group, flagged):
    page = text_of(counselor.get(f"/assignments/{flagged['check_in']}"))
    assert "Private safety check-in." in page
    assert "Safety flag." in page
    assert page.count("Signals risk") == 2  # afraid: yes; safe at home: 3
    assert "He shouts when he drinks." in page
    assert "Mark the check-in reviewed" in page


def test_joint_exercises_stay_locked_until_the_counselor_marks_the_check_in_reviewed(
    app, counselor, group, hw, flagged
):
    with pytest.raises(Locked):
        hw.answer(flagged["joint"], group.partners[1], GOAL_ANSWERS)

    response = counselor.post(reviewed_url(group.couple), token_from=f"/couples/{group.couple}")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/couples/{group.couple}"
    assert open_flags(app, group.couple) == 0
    hw.answer(flagged["joint"], group.partners[1], GOAL_ANSWERS)
    assert hw.statuses(flagged["joint"]) == {"joint": "submitted"}


def test_the_couple_page_shows_the_flag_with_a_link_to_the_check_in(counselor, group, flagged):
    page = text_of(counselor.get(f"/couples/{group.couple}"))
    assert "Safety flag." in page
    assert f'href="/assignments/{flagged["check_in"]}"' in page
    assert "He shouts" not in page  # the answers themselves only on the check-in's page
    counselor.post(reviewed_url(group.couple), token_from=f"/couples/{group.couple}")
    assert "Safety flag." not in text_of(counselor.get(f"/couples/{group.couple}"))


def test_a_safe_check_in_flags_nobody_and_locks_nothing(app, counselor, group, hw):
    [check_in] = hw.give(group.workshop_id, [group.couple], key=SAFETY_CHECK_IN)
    [joint] = hw.give(group.workshop_id, [group.couple], key=SHARED_GOAL)
    hw.answer(check_in, group.partners[0], SAFE_CHECK_IN)
    assert open_flags(app, group.couple) == 0
    assert "Signals risk" not in text_of(counselor.get(f"/assignments/{check_in}"))
    hw.answer(joint, group.partners[0], GOAL_ANSWERS)


def test_marking_twice_is_harmless(app, counselor, group, flagged):
    counselor.post(reviewed_url(group.couple), token_from="/")
    second = counselor.post(reviewed_url(group.couple), token_from="/", follow_redirects=True)
    assert second.status_code == 200
    assert "already reviewed" in text_of(second)
    assert open_flags(app, group.couple) == 0


@pytest.mark.parametrize("actor", ["other_counselor", "other_practice_counselor"])
def test_only_a_counselor_who_works_with_the_couple_may_mark_it(
    app, make_browser, world, group, flagged, actor
):
    browser = make_browser()
    browser.login(getattr(world, actor))
    assert browser.post(reviewed_url(group.couple), token_from="/").status_code == 404
    assert open_flags(app, group.couple) == 1


def test_a_partner_cannot_mark_their_own_check_in_reviewed(
    app, make_browser, world, flagged, group
):
    browser = make_browser()
    browser.login(world.partner)
    assert browser.post(reviewed_url(group.couple), token_from="/").status_code == 403
    assert open_flags(app, group.couple) == 1


@pytest.mark.parametrize(
    "target", ["https://evil.example.org/", "//evil.example.org/x", "/\\evil.example.org"]
)
def test_the_way_back_stays_inside_the_app(counselor, group, flagged, target):
    response = counselor.post(reviewed_url(group.couple), {"next": target}, token_from="/")
    assert response.headers["Location"] == f"/couples/{group.couple}"


def test_a_new_risky_answer_after_the_review_locks_again(app, counselor, group, hw, flagged):
    counselor.post(reviewed_url(group.couple), token_from="/")
    [again] = hw.give(group.workshop_id, [group.couple], key=SAFETY_CHECK_IN)
    hw.answer(again, group.partners[1], RISKY_CHECK_IN)
    with pytest.raises(Locked):
        hw.answer(flagged["joint"], group.partners[0], GOAL_ANSWERS)
