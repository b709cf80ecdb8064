"""Scoped reads for calendar feeds: whose feed a secret token opens, and which sessions it shows."""

from datetime import timedelta

from flask import abort
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from workshop.extensions import db
from workshop.models import Couple, Role, User, WorkshopSession, utcnow
from workshop.scheduling.queries import sessions_led_by, sessions_of_couple


def counselor_by_token_or_404(token: str) -> User:
    """The active counselor whose current feed token this is; a rotated token is a 404."""
    query = select(User).where(
        User.calendar_token == token, User.role == Role.COUNSELOR, User.is_active
    )
    return db.session.scalar(query) or abort(404)


def couple_by_token_or_404(token: str) -> Couple:
    """The couple whose current feed token this is; a rotated token is a 404."""
    query = select(Couple).where(Couple.calendar_token == token)
    return db.session.scalar(query) or abort(404)


# A feed shows the sessions of the past year and every later one: a counselor's workshops
# add up over the years, and calendar apps fetch the whole feed every hour. A session older
# than this leaves the feed, and so the subscribed calendar.
FEED_HISTORY = timedelta(days=365)


def counselor_feed_sessions(counselor: User) -> list[WorkshopSession]:
    """The sessions of the workshops the counselor leads or co-leads, cancelled ones too,
    from the past FEED_HISTORY on."""
    return _in_feed_order(sessions_led_by(counselor))


def couple_feed_sessions(couple_id: int) -> list[WorkshopSession]:
    """The sessions of the workshops the couple is enrolled in now, cancelled ones too, from
    the past FEED_HISTORY on."""
    return _in_feed_order(sessions_of_couple(couple_id))


def _in_feed_order(query: Select) -> list[WorkshopSession]:
    query = (
        query.where(WorkshopSession.starts_at >= utcnow() - FEED_HISTORY)
        .options(selectinload(WorkshopSession.stages), selectinload(WorkshopSession.workshop))
        .order_by(WorkshopSession.starts_at, WorkshopSession.id)
    )
    return list(db.session.scalars(query))
