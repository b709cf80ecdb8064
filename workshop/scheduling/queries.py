"""Scoped reads of sessions: counselors through their workshops, partners through their couple."""

from datetime import datetime

from flask import abort
from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload

from workshop.extensions import db
from workshop.models import (
    Couple,
    Enrollment,
    EnrollmentStatus,
    Role,
    User,
    WorkshopSession,
)
from workshop.workshops.queries import led_by

AGENDA_LENGTH = 50


def _with_details(query):
    return query.options(
        selectinload(WorkshopSession.stages),
        selectinload(WorkshopSession.workshop),
    )


def sessions_led_by(counselor: User):
    """Sessions of the workshops this counselor leads or co-leads."""
    return select(WorkshopSession).join(WorkshopSession.workshop).where(led_by(counselor))


def sessions_of_couple(couple_id: int):
    """Sessions of the workshops this couple is enrolled in now."""
    enrolled = exists().where(
        Enrollment.workshop_id == WorkshopSession.workshop_id,
        Enrollment.couple_id == couple_id,
        Enrollment.status == EnrollmentStatus.ENROLLED,
    )
    return select(WorkshopSession).where(enrolled)


def sessions_visible_to(user: User):
    if user.role == Role.COUNSELOR:
        return sessions_led_by(user)
    if user.role == Role.PARTNER and user.couple_id is not None:
        return sessions_of_couple(user.couple_id)
    return select(WorkshopSession).where(False)


def get_session_or_404(session_id: int, user: User) -> WorkshopSession:
    """A session the user may see: in a workshop they lead, or their couple is enrolled in."""
    query = _with_details(sessions_visible_to(user).where(WorkshopSession.id == session_id))
    return db.session.scalar(query) or abort(404)


def sessions_between(user: User, start: datetime, end: datetime, limit: int | None = None):
    """The user's sessions starting in [start, end), in time order."""
    query = _with_details(
        sessions_visible_to(user)
        .where(WorkshopSession.starts_at >= start, WorkshopSession.starts_at < end)
        .order_by(WorkshopSession.starts_at, WorkshopSession.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def upcoming_sessions(user: User, now: datetime, limit: int = AGENDA_LENGTH):
    """Sessions not yet over, soonest first (cancelled ones included, marked as such)."""
    query = _with_details(
        sessions_visible_to(user)
        .where(WorkshopSession.ends_at > now)
        .order_by(WorkshopSession.starts_at, WorkshopSession.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def enrolled_couples(workshop_id: int) -> list[Couple]:
    """Couples on the workshop's roster now, with their partners."""
    query = (
        select(Couple)
        .join(Enrollment, Enrollment.couple_id == Couple.id)
        .where(
            Enrollment.workshop_id == workshop_id,
            Enrollment.status == EnrollmentStatus.ENROLLED,
        )
        .options(selectinload(Couple.partners))
        .order_by(Enrollment.enrolled_at, Couple.id)
    )
    return list(db.session.scalars(query))
