"""Email reminders before sessions: `flask --app wsgi send-reminders`, run from cron.

Each partner gets one reminder per session start time, however often the command runs: a
SessionReminder row records what was sent, and its unique constraint settles a race between
two runs. A rescheduled session has a new start time, so it is reminded again.
"""

from datetime import datetime, timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from workshop.assignments.reminders import send_due_homework_reminders
from workshop.extensions import db
from workshop.mail_outbox import public_url, queue_email
from workshop.models import (
    SessionReminder,
    SessionStatus,
    User,
    Workshop,
    WorkshopSession,
    WorkshopStatus,
    utcnow,
)
from workshop.scheduling.notifications import reachable_partners, when_for

REMIND_AHEAD = timedelta(hours=24)


@click.command("send-reminders")
@with_appcontext
def send_reminders_command() -> None:
    """Email partners about their sessions and homework of the next 24 hours (never twice)."""
    now = utcnow()
    sent = send_due_reminders(now) + send_due_homework_reminders(now)
    click.echo(f"{sent} reminder{'' if sent == 1 else 's'} sent.")


def send_due_reminders(now: datetime) -> int:
    """Remind partners of every session due soon, one transaction per session."""
    sent = 0
    for session_id in due_session_ids(now):
        try:
            queued = queue_reminders(session_id)
            db.session.commit()  # the emails leave only now
        except IntegrityError:
            # Another run reminded this session at the same moment; its emails stand.
            db.session.rollback()
        else:
            sent += queued
    return sent


def due_session_ids(now: datetime) -> list[int]:
    """Scheduled sessions of running workshops that start within the next 24 hours."""
    query = (
        select(WorkshopSession.id)
        .join(WorkshopSession.workshop)
        .where(
            WorkshopSession.status == SessionStatus.SCHEDULED,
            Workshop.status != WorkshopStatus.CANCELLED,
            WorkshopSession.starts_at > now,
            WorkshopSession.starts_at <= now + REMIND_AHEAD,
        )
        .order_by(WorkshopSession.starts_at, WorkshopSession.id)
    )
    return list(db.session.scalars(query))


def queue_reminders(session_id: int) -> int:
    """Queue a reminder to each reachable partner not yet reminded of this start time."""
    session = db.session.scalar(
        select(WorkshopSession)
        .where(WorkshopSession.id == session_id)
        .options(selectinload(WorkshopSession.stages), selectinload(WorkshopSession.workshop))
    )
    if session is None:
        return 0  # removed from the plan since the list was read
    reminded = already_reminded(session)
    partners = [p for p in reachable_partners(session) if p.id not in reminded]
    for partner in partners:
        db.session.add(
            SessionReminder(
                session_id=session.id, partner_id=partner.id, starts_at=session.starts_at
            )
        )
        _queue_reminder(session, partner)
    db.session.flush()  # a clash with another run surfaces here, before any email leaves
    return len(partners)


def already_reminded(session: WorkshopSession) -> set[int]:
    """Partners reminded of the session at its current start time."""
    query = select(SessionReminder.partner_id).where(
        SessionReminder.session_id == session.id,
        SessionReminder.starts_at == session.starts_at,
    )
    return set(db.session.scalars(query))


def _queue_reminder(session: WorkshopSession, partner: User) -> None:
    queue_email(
        partner.email,
        f"Reminder: {session.title}, {when_for(partner, session.starts_at)}",
        "session_reminder",
        partner=partner,
        session=session,
        when=when_for(partner, session.starts_at),
        minutes=int(session.duration.total_seconds() // 60),
        link=public_url("main.home"),
        calendar_link=public_url("feeds.download_session", session_id=session.id),
    )
