"""Scoped reads of sessions: counselors through their workshops, partners through their couple."""

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from flask import abort
from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import aliased, selectinload

from workshop.extensions import db
from workshop.models import (
    Couple,
    Enrollment,
    EnrollmentStatus,
    Role,
    SessionStage,
    Stage,
    User,
    Workshop,
    WorkshopSession,
)
from workshop.models.workshops import session_title_of
from workshop.statements import COUNSELOR_AS_PARAMETERS, counselor_parameters
from workshop.workshops.queries import led_by

AGENDA_LENGTH = 50


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """A session as the agenda lists show it, read as plain values rather than ORM objects:
    lists only display it, and its stages and workshop would cost two more statements."""

    id: int
    starts_at: datetime
    ends_at: datetime
    location: str
    video_url: str
    is_cancelled: bool
    title: str
    workshop_title: str


def _with_details(query):
    return query.options(
        selectinload(WorkshopSession.stages),
        selectinload(WorkshopSession.workshop),
    )


def sessions_led_by(counselor: User):
    """Sessions of the workshops this counselor leads or co-leads (a user, or
    COUNSELOR_AS_PARAMETERS in a statement built once)."""
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


def upcoming_sessions(user: User, now: datetime, limit: int = AGENDA_LENGTH):
    """Sessions not yet over, soonest first (cancelled ones included, marked as such)."""
    query = _with_details(_upcoming(sessions_visible_to(user), now, limit))
    return list(db.session.scalars(query))


def _upcoming(sessions, now, limit):
    """Of `sessions`, the first `limit` not over at `now` (values or bound parameters)."""
    return (
        sessions.where(WorkshopSession.ends_at > now)
        .order_by(WorkshopSession.starts_at, WorkshopSession.id)
        .limit(limit)
    )


def _summaries_of(sessions):
    """The statement reading a SessionSummary of each session `sessions` (an ordered, maybe
    limited query) selects: a row per session and stage, for _summaries to group."""
    listed = aliased(WorkshopSession, sessions.subquery())
    return (
        select(
            listed.id,
            listed.starts_at,
            listed.ends_at,
            listed.location,
            listed.video_url,
            listed.is_cancelled.label("is_cancelled"),
            Workshop.title.label("workshop_title"),
            Stage.title.label("stage_title"),
        )
        .join(Workshop, Workshop.id == listed.workshop_id)
        .outerjoin(SessionStage, SessionStage.session_id == listed.id)
        .outerjoin(Stage, Stage.id == SessionStage.stage_id)
        # The subquery's order does not survive the joins: the same order again, then the
        # stages' order within a session, as WorkshopSession.stages has it.
        .order_by(listed.starts_at, listed.id, Stage.position)
    )


# The agenda's statements, built once with bound parameters: building a statement like these
# anew costs more Python than running it. Both read a counselor's sessions.
_LED = sessions_led_by(COUNSELOR_AS_PARAMETERS)
_UPCOMING_SUMMARIES = _summaries_of(_upcoming(_LED, bindparam("now"), bindparam("limit")))
_SUMMARIES_BETWEEN = _summaries_of(
    _LED.where(
        WorkshopSession.starts_at >= bindparam("start"),
        WorkshopSession.starts_at < bindparam("end"),
    ).order_by(WorkshopSession.starts_at, WorkshopSession.id)
)


def upcoming_summaries(
    counselor: User, now: datetime, limit: int = AGENDA_LENGTH
) -> list[SessionSummary]:
    """upcoming_sessions of a counselor, as SessionSummary values read in one statement."""
    return _summaries(_UPCOMING_SUMMARIES, counselor, now=now, limit=limit)


def summaries_between(counselor: User, start: datetime, end: datetime) -> list[SessionSummary]:
    """The counselor's sessions starting in [start, end), in time order, as SessionSummary
    values read in one statement."""
    return _summaries(_SUMMARIES_BETWEEN, counselor, start=start, end=end)


def _summaries(statement, counselor: User, **params) -> list[SessionSummary]:
    scope = counselor_parameters(counselor)
    rows = db.session.execute(statement, scope | params)
    return [_summary(list(group)) for _, group in groupby(rows, key=lambda row: row.id)]


def _summary(rows) -> SessionSummary:
    """One session's rows (one per stage; one with no stage if it has none) as a summary."""
    first = rows[0]
    return SessionSummary(
        id=first.id,
        starts_at=first.starts_at,
        ends_at=first.ends_at,
        location=first.location,
        video_url=first.video_url,
        is_cancelled=first.is_cancelled,
        title=session_title_of(row.stage_title for row in rows if row.stage_title is not None),
        workshop_title=first.workshop_title,
    )


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
