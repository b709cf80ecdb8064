"""Scoped reads of sessions: counselors through their workshops, partners through their couple."""

from datetime import datetime
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

from flask import abort
from sqlalchemy import bindparam, exists, select, true
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
from workshop.statements import COUNSELOR_AS_PARAMETERS, counselor_parameters, plain_rows
from workshop.workshops.queries import led_by

AGENDA_LENGTH = 50


class SessionSummary(NamedTuple):
    """A session as lists show it (the agenda, the homes, the workshop page), read as plain
    values rather than ORM objects: lists only display it, and its stages and workshop would
    cost two more statements. Its stages are known by their title and summary alone."""

    id: int
    starts_at: datetime
    ends_at: datetime
    location: str
    video_url: str
    is_cancelled: bool
    workshop_title: str
    title: str
    stage_summaries: tuple[str, ...]


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


def start_bounds(now: datetime) -> tuple[datetime, datetime]:
    """Bounds of the start of every session not over at `now`: after (now - MAX_DURATION), and
    no later than (now + HORIZON). scheduling.services.check_times refuses any session longer
    than MAX_DURATION, or starting more than HORIZON after the time it is saved; on
    PostgreSQL the table's CHECK lasts_at_most_8_hours refuses a longer one too."""
    # Imported here: the services module imports this one (through notifications).
    from workshop.scheduling.services import HORIZON, MAX_DURATION

    return now - MAX_DURATION, now + HORIZON


def _upcoming(sessions, now, limit, first_start, last_start):
    """Of `sessions`, the first `limit` not over at `now`, which all start between
    `first_start` (excluded) and `last_start` (see start_bounds); values or bound parameters."""
    # The start bounds say nothing new, but PostgreSQL's plans need them. Once a prepared
    # statement has run a few times, it settles on a plan for any `now`: without them it reads
    # the start index from the first session ever, through every session held, to find those
    # not over; with a start range, it reads the index from first_start and plans no more.
    return (
        sessions.where(
            WorkshopSession.ends_at > now,
            WorkshopSession.starts_at > first_start,
            WorkshopSession.starts_at <= last_start,
        )
        .order_by(WorkshopSession.starts_at, WorkshopSession.id)
        .limit(limit)
    )


def _summary_rows(sessions):
    """The rows of a SessionSummary of each session `sessions` selects (a query, maybe ordered
    and limited), in no order: a row per session and stage, for summaries_of_rows to group."""
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
            Stage.summary.label("stage_summary"),
            Stage.position.label("stage_position"),
        )
        .join(Workshop, Workshop.id == listed.workshop_id)
        .outerjoin(SessionStage, SessionStage.session_id == listed.id)
        .outerjoin(Stage, Stage.id == SessionStage.stage_id)
    )


def _summaries_of(sessions):
    """_summary_rows in the order of `sessions` (by start), each session's stages in
    curriculum order, as WorkshopSession.stages has them."""
    # The subquery's order does not survive the joins: the same order again.
    rows = _summary_rows(sessions)
    column = rows.selected_columns
    return rows.order_by(column.starts_at, column.id, column.stage_position)


# The statements of the session lists, built once with bound parameters: building a statement
# like these anew costs more Python than running it.
_LED = sessions_led_by(COUNSELOR_AS_PARAMETERS)
_UPCOMING = (
    bindparam("now"),
    bindparam("limit"),
    bindparam("first_start"),
    bindparam("last_start"),
)
_UPCOMING_SUMMARIES = _summaries_of(_upcoming(_LED, *_UPCOMING))
_SUMMARIES_BETWEEN = _summaries_of(
    _LED.where(
        WorkshopSession.starts_at >= bindparam("start"),
        WorkshopSession.starts_at < bindparam("end"),
    )
)
_WORKSHOP_SUMMARIES = _summaries_of(
    select(WorkshopSession).where(WorkshopSession.workshop_id == bindparam("workshop_id"))
)
# A couple's upcoming sessions with the couple's partners' names (a round trip less than
# reading the names apart): _summary_rows once per partner, in partner order, each with the
# partner's name; one row with no session per partner when nothing is coming.
_COUPLE_UPCOMING = _summary_rows(
    _upcoming(sessions_of_couple(bindparam("couple_id")), *_UPCOMING)
).subquery()
_PARTNERS_AND_UPCOMING = (
    select(_COUPLE_UPCOMING, User.id.label("partner_id"), User.name.label("partner_name"))
    .select_from(User)
    .outerjoin(_COUPLE_UPCOMING, true())
    .where(User.couple_id == bindparam("couple_id"))
    .order_by(
        User.id,
        _COUPLE_UPCOMING.c.starts_at,
        _COUPLE_UPCOMING.c.id,
        _COUPLE_UPCOMING.c.stage_position,
    )
)


def upcoming_summaries(
    counselor: User, now: datetime, limit: int = AGENDA_LENGTH
) -> list[SessionSummary]:
    """The counselor's sessions not yet over, soonest first (cancelled ones included, marked
    as such), read in one statement."""
    parameters = counselor_parameters(counselor) | _upcoming_parameters(now, limit)
    return summaries_of_rows(plain_rows(_UPCOMING_SUMMARIES, parameters))


def summaries_between(counselor: User, start: datetime, end: datetime) -> list[SessionSummary]:
    """The counselor's sessions starting in [start, end), in time order, read in one
    statement."""
    parameters = counselor_parameters(counselor) | {"start": start, "end": end}
    return summaries_of_rows(plain_rows(_SUMMARIES_BETWEEN, parameters))


def summaries_of_workshop(workshop_id: int) -> list[SessionSummary]:
    """The workshop's sessions in time order, read in one statement (no access check: for a
    workshop the caller has reached)."""
    rows = plain_rows(_WORKSHOP_SUMMARIES, {"workshop_id": workshop_id})
    return summaries_of_rows(rows)


def partners_and_upcoming(
    couple_id: int, now: datetime, limit: int = AGENDA_LENGTH
) -> tuple[list[str], list[SessionSummary]]:
    """The couple's partners' names in partner order (for its name: couple_name_of), and its
    sessions not yet over, soonest first (cancelled ones included), in one statement."""
    parameters = {"couple_id": couple_id} | _upcoming_parameters(now, limit)
    rows = plain_rows(_PARTNERS_AND_UPCOMING, parameters)
    by_partner = [list(group) for _, group in groupby(rows, key=itemgetter(_PARTNER_ID))]
    names = [partner_rows[0][_PARTNER_NAME] for partner_rows in by_partner]
    # Every partner's rows carry the same sessions: the first partner's are read.
    sessions = [row for row in by_partner[0] if row[0] is not None] if by_partner else []
    return names, summaries_of_rows(sessions)


def _upcoming_parameters(now: datetime, limit: int) -> dict:
    first_start, last_start = start_bounds(now)
    return {"now": now, "limit": limit, "first_start": first_start, "last_start": last_start}


# The places of the columns of _summary_rows, read by place: a list's rows are many.
_SESSION_COLUMNS = slice(0, 7)  # id to workshop_title, as in SessionSummary
_STAGE_TITLE, _STAGE_SUMMARY = 7, 8
_PARTNER_ID, _PARTNER_NAME = 10, 11  # _PARTNERS_AND_UPCOMING's own


def summaries_of_rows(rows) -> list[SessionSummary]:
    """Rows of _summary_rows (a session's rows together, one per stage, in stage order; one
    with no stage when it has none) as a SessionSummary per session."""
    summaries = []
    for _, group in groupby(rows, key=itemgetter(0)):
        session_rows = list(group)
        staged = [row for row in session_rows if row[_STAGE_TITLE] is not None]
        summaries.append(
            SessionSummary(
                *session_rows[0][_SESSION_COLUMNS],
                title=session_title_of([row[_STAGE_TITLE] for row in staged]),
                stage_summaries=tuple(row[_STAGE_SUMMARY] for row in staged),
            )
        )
    return summaries


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
