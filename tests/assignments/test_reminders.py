"""`flask send-reminders` also reminds partners of homework due within 24 hours: once per
partner per due time, never for a part already submitted, never without an email address."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.assignments.builders import (
    GOAL_ANSWERS,
    RISKY_CHECK_IN,
    SAFETY_CHECK_IN,
    SHARED_GOAL,
    STAND_ANSWERS,
    hours,
)
from workshop.assignments import reminders
from workshop.extensions import db
from workshop.models import Assignment, AssignmentReminder, Enrollment, User, Workshop


def recipients(outbox) -> list[str]:
    return sorted(address for message in outbox for address in message.to)


def emails_of(app, partner_ids) -> list[str]:
    with app.app_context():
        return sorted(db.session.get(User, pid).email for pid in partner_ids)


def homework_mail(outbox) -> list:
    return [message for message in outbox if message.subject.startswith("Homework due soon")]


@pytest.fixture
def due_soon(group, hw):
    """Where I stand, due in 5 hours, for the world's couple."""
    [given] = hw.give(group.workshop_id, [group.couple], due_in=hours(5))
    return given


def test_each_partner_is_reminded_once_however_often_it_runs(app, runner, outbox, group, due_soon):
    first = runner.invoke(args=["send-reminders"])
    assert first.exit_code == 0, first.output
    assert "2 reminders sent." in first.output
    assert recipients(homework_mail(outbox)) == emails_of(app, group.partners)

    second = runner.invoke(args=["send-reminders"])
    assert "0 reminders sent." in second.output
    assert len(homework_mail(outbox)) == 2


def test_the_reminder_names_the_homework_its_due_time_and_link(
    app, runner, outbox, group, due_soon
):
    from workshop.scheduling.notifications import when_for

    runner.invoke(args=["send-reminders"])
    with app.app_context():
        alex = db.session.get(User, group.partners[0])
        due = when_for(alex, db.session.get(Assignment, due_soon).due_at)
        email = alex.email
    [to_alex] = [m for m in homework_mail(outbox) if m.to == [email]]
    assert "Where I stand" in to_alex.subject
    assert due in to_alex.body
    assert f"/homework/{due_soon}" in to_alex.body


def test_a_submitted_part_is_not_reminded(app, runner, outbox, group, hw, due_soon):
    alex, sam = group.partners
    hw.answer(due_soon, alex, STAND_ANSWERS)
    hw.answer(due_soon, sam, {"willing": "3"}, submit=False)  # a draft still needs finishing
    runner.invoke(args=["send-reminders"])
    assert recipients(homework_mail(outbox)) == emails_of(app, [sam])


def test_a_joint_exercise_done_together_is_not_reminded(app, runner, outbox, group, hw):
    [joint] = hw.give(group.workshop_id, [group.couple], key=SHARED_GOAL, due_in=hours(3))
    hw.answer(joint, group.partners[1], GOAL_ANSWERS)
    runner.invoke(args=["send-reminders"])
    assert homework_mail(outbox) == []


def test_a_locked_joint_exercise_is_not_reminded(app, runner, outbox, group, hw):
    [check_in] = hw.give(
        group.workshop_id, [group.couple], key=SAFETY_CHECK_IN, due_in=timedelta(days=5)
    )
    hw.answer(check_in, group.partners[0], RISKY_CHECK_IN)
    hw.give(group.workshop_id, [group.couple], key=SHARED_GOAL, due_in=hours(3))
    runner.invoke(args=["send-reminders"])
    assert homework_mail(outbox) == []


def test_homework_due_later_or_already_past_waits(app, runner, outbox, group, hw):
    hw.give(group.workshop_id, [group.couple], due_in=hours(30))
    hw.give(group.workshop_id, [group.couple], due_in=-hours(1), opened=timedelta(days=2))
    hw.give(group.workshop_id, [group.couple], due_in=hours(10), opened=-hours(2))  # not open
    runner.invoke(args=["send-reminders"])
    assert homework_mail(outbox) == []


def test_a_partner_without_email_is_skipped(app, runner, outbox, group, hw):
    quiet = hw.couple(names=("Noor", "Lee"), emails=("noor@example.org", None))
    with hw.database():
        db.session.add(Enrollment(workshop_id=group.workshop_id, couple_id=quiet))
    hw.give(group.workshop_id, [quiet], due_in=hours(4))
    result = runner.invoke(args=["send-reminders"])
    assert "1 reminder sent." in result.output
    assert recipients(homework_mail(outbox)) == ["noor@example.org"]


def test_withdrawn_couples_and_cancelled_workshops_are_not_reminded(
    app, runner, outbox, group, hw, due_soon
):
    with hw.database():
        enrollment = db.session.scalar(
            select(Enrollment).where(Enrollment.couple_id == group.couple_ids[1])
        )
        enrollment.status = "withdrawn"
    hw.give(group.workshop_id, [group.couple_ids[1]], due_in=hours(4))
    cancelled = hw.workshop(title="Cancelled group", couples=(group.couple,))
    with hw.database():
        db.session.get(Workshop, cancelled.id).status = "cancelled"
    hw.give(cancelled.id, [group.couple], due_in=hours(4))

    runner.invoke(args=["send-reminders"])

    assert recipients(homework_mail(outbox)) == emails_of(app, group.partners)  # due_soon only


def test_a_due_time_moved_later_is_reminded_again(app, runner, outbox, group, hw, due_soon):
    runner.invoke(args=["send-reminders"])
    with hw.database():
        db.session.get(Assignment, due_soon).due_at += hours(6)
    result = runner.invoke(args=["send-reminders"])
    assert "2 reminders sent." in result.output
    assert len(homework_mail(outbox)) == 4


def test_a_clash_with_another_run_rolls_back_only_that_assignment(
    app, runner, outbox, group, hw, due_soon, monkeypatch
):
    runner.invoke(args=["send-reminders"])
    hw.give(group.workshop_id, [group.couple], key=SHARED_GOAL, due_in=hours(8))
    # As if another run had not yet committed when this one looked: its insert then clashes.
    monkeypatch.setattr(reminders, "already_reminded", lambda assignment: set())

    result = runner.invoke(args=["send-reminders"])

    assert result.exit_code == 0, result.output
    assert "2 reminders sent." in result.output  # the joint exercise; due_soon rolled back
    assert len(homework_mail(outbox)) == 4
    with app.app_context():
        assert db.session.scalar(select(func.count(AssignmentReminder.id))) == 4
