"""Emails to enrolled partners when a session moves, changes place or is cancelled."""

from datetime import datetime
from zoneinfo import ZoneInfo

from workshop.mail_outbox import public_url, queue_email
from workshop.models import User, WorkshopSession
from workshop.scheduling.queries import enrolled_couples

WHEN_FORMAT = "%A %d %B %Y, %H:%M"


def snapshot(session: WorkshopSession) -> tuple:
    """What partners are told about when it changes."""
    return (session.starts_at, session.ends_at, session.location, session.video_url, session.status)


def when_for(user: User, moment: datetime) -> str:
    """A time on the partner's own clock, with the zone named so nobody guesses."""
    local = moment.astimezone(ZoneInfo(user.timezone))
    return f"{local.strftime(WHEN_FORMAT)} ({user.timezone.replace('_', ' ')})"


def session_changed(session: WorkshopSession, before: tuple) -> None:
    """Tell every enrolled partner with an email what changed about the session."""
    old_start, _, old_location, old_video, _ = before
    for partner in reachable_partners(session):
        queue_email(
            partner.email,
            f"Session changed: {session.title}",
            "session_changed",
            partner=partner,
            session=session,
            old_when=when_for(partner, old_start),
            new_when=when_for(partner, session.starts_at),
            moved=old_start != session.starts_at,
            old_location=old_location,
            old_video=old_video,
            link=public_url("main.home"),
        )


def session_cancelled(session: WorkshopSession, reason: str) -> None:
    """Tell every enrolled partner with an email that the session will not take place."""
    for partner in reachable_partners(session):
        queue_email(
            partner.email,
            f"Session cancelled: {session.title}",
            "session_cancelled",
            partner=partner,
            session=session,
            when=when_for(partner, session.starts_at),
            reason=reason,
            link=public_url("main.home"),
        )


def reachable_partners(session: WorkshopSession) -> list[User]:
    """Partners of the couples enrolled now who have an email and an active account."""
    return [
        partner
        for couple in enrolled_couples(session.workshop_id)
        for partner in couple.partners
        if partner.email and partner.is_active
    ]
