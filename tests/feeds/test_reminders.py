"""`flask send-reminders`: each partner hears once about each session of the next 24 hours."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import make_couple, make_practice, make_user
from tests.feeds.builders import add_sessions, enroll, make_workshop
from workshop.extensions import db
from workshop.feeds import reminders
from workshop.models import (
    EnrollmentStatus,
    Role,
    SessionReminder,
    SessionStatus,
    User,
    Workshop,
    WorkshopSession,
    utcnow,
)
from workshop.scheduling.notifications import when_for


@pytest.fixture
def soon(app):
    """A workshop with a session in 3 hours, one in 30 hours and a cancelled one in 5 hours;
    couple Alex & Sam enrolled (Sam in New York), and a withdrawn couple."""
    with app.app_context():
        practice = make_practice()
        counselor = make_user(practice, Role.COUNSELOR)
        couple = make_couple(counselor, ("Alex", "Sam"))
        couple.partners[1].timezone = "America/New_York"
        withdrawn = make_couple(counselor, ("Wren", "Quinn"))
        workshop = make_workshop(counselor)
        now = utcnow().replace(microsecond=0)
        in_3h, in_30h, cancelled = add_sessions(
            workshop,
            [now + timedelta(hours=3), now + timedelta(hours=30), now + timedelta(hours=5)],
        )
        cancelled.status = SessionStatus.CANCELLED
        enroll(workshop, couple)
        enroll(workshop, withdrawn, EnrollmentStatus.WITHDRAWN)
        db.session.commit()
        return {
            "session_id": in_3h.id,
            "later_id": in_30h.id,
            "partners": [p.email for p in couple.partners],
            "workshop_id": workshop.id,
            "counselor_id": counselor.id,
        }


def recipients(outbox) -> list[str]:
    return sorted(address for message in outbox for address in message.to)


def test_each_partner_gets_one_reminder_however_often_it_runs(runner, outbox, soon):
    first = runner.invoke(args=["send-reminders"])
    assert first.exit_code == 0, first.output
    assert "2 reminders sent." in first.output
    assert recipients(outbox) == sorted(soon["partners"])
    second = runner.invoke(args=["send-reminders"])
    assert "0 reminders sent." in second.output
    assert len(outbox) == 2


def test_reminder_shows_the_time_on_the_partners_own_clock(app, runner, outbox, soon):
    runner.invoke(args=["send-reminders"])
    with app.app_context():
        session = db.session.get(WorkshopSession, soon["session_id"])
        sam = db.session.scalar(select(User).where(User.email == soon["partners"][1]))
        new_york_time = when_for(sam, session.starts_at)
    [to_sam] = [message for message in outbox if message.to == [soon["partners"][1]]]
    assert "(America/New York)" in new_york_time
    assert new_york_time in to_sam.body
    assert "Can this even work?" in to_sam.subject
    assert "Garden Room, 5 Linden Street" in to_sam.body
    assert f"/sessions/{soon['session_id']}/calendar.ics" in to_sam.body


def test_sessions_more_than_a_day_away_or_cancelled_wait(app, runner, outbox, soon):
    runner.invoke(args=["send-reminders"])
    with app.app_context():
        reminded = set(db.session.scalars(select(SessionReminder.session_id)))
    assert reminded == {soon["session_id"]}


def test_withdrawn_couples_get_no_reminder(runner, outbox, soon):
    runner.invoke(args=["send-reminders"])
    assert not any(address.startswith(("wren", "quinn")) for address in recipients(outbox))


def test_a_partner_without_email_is_skipped(app, runner, outbox, soon):
    with app.app_context():
        counselor = db.session.get(User, soon["counselor_id"])
        no_email = make_couple(counselor, ("Robin", "Kai"), emails=("robin@example.org", None))
        enroll(db.session.get(Workshop, soon["workshop_id"]), no_email)
        db.session.commit()
    result = runner.invoke(args=["send-reminders"])
    assert "3 reminders sent." in result.output
    assert "robin@example.org" in recipients(outbox)


def test_a_couple_enrolled_after_a_run_is_reminded_and_the_others_not_again(
    app, runner, outbox, soon
):
    runner.invoke(args=["send-reminders"])
    with app.app_context():
        counselor = db.session.get(User, soon["counselor_id"])
        late = make_couple(counselor, ("Robin", "Kai"))
        late_emails = sorted(partner.email for partner in late.partners)
        enroll(db.session.get(Workshop, soon["workshop_id"]), late)
        db.session.commit()
    outbox.clear()
    result = runner.invoke(args=["send-reminders"])
    assert "2 reminders sent." in result.output
    assert recipients(outbox) == late_emails


def test_a_rescheduled_session_is_reminded_again_at_its_new_time(app, runner, outbox, soon):
    runner.invoke(args=["send-reminders"])
    with app.app_context():
        session = db.session.get(WorkshopSession, soon["session_id"])
        session.starts_at += timedelta(hours=2)
        session.ends_at += timedelta(hours=2)
        db.session.commit()
    result = runner.invoke(args=["send-reminders"])
    assert "2 reminders sent." in result.output
    assert len(outbox) == 4


def test_a_session_moved_into_the_next_day_is_reminded(app, runner, outbox, soon):
    with app.app_context():
        later = db.session.get(WorkshopSession, soon["later_id"])
        later.starts_at -= timedelta(hours=10)
        later.ends_at -= timedelta(hours=10)
        db.session.commit()
    assert "4 reminders sent." in runner.invoke(args=["send-reminders"]).output


def test_a_clash_with_another_run_rolls_back_only_that_session(
    app, runner, outbox, soon, monkeypatch
):
    runner.invoke(args=["send-reminders"])
    with app.app_context():
        later = db.session.get(WorkshopSession, soon["later_id"])
        later.starts_at -= timedelta(hours=10)
        later.ends_at -= timedelta(hours=10)
        db.session.commit()
    # As if another run had not yet committed when this one looked: the insert then clashes.
    monkeypatch.setattr(reminders, "already_reminded", lambda session: set())
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert "2 reminders sent." in result.output
    assert len(outbox) == 4  # two earlier, two for the later session, none again for the first
    with app.app_context():
        count = db.session.scalar(select(func.count(SessionReminder.id)))
    assert count == 4
