"""Rules for sessions: planning from the curriculum, overlaps, changes, attendance."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from workshop.extensions import db
from workshop.models import (
    Attendance,
    AttendanceStatus,
    Enrollment,
    EnrollmentStatus,
    SessionNote,
    SessionReminder,
    SessionStatus,
    Stage,
    User,
    Workshop,
    WorkshopCounselor,
    WorkshopSession,
    utcnow,
)
from workshop.scheduling import notifications
from workshop.scheduling.plan import series_starts
from workshop.workshops.services import StaleEdit, check_version

__all__ = ["StaleEdit"]

# Sessions are planned at most this far ahead; a year 2206 typo is not a plan.
HORIZON = timedelta(days=5 * 365)
MAX_DURATION = timedelta(hours=8)


class ScheduleError(Exception):
    """A time that cannot be scheduled; `field` names the form field to blame."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.message = message
        self.field = field


class Overlaps(Exception):
    """The new time clashes with these sessions of the same counselors or couples."""

    def __init__(self, clashes: list[WorkshopSession]):
        super().__init__(clashes)
        self.clashes = clashes


class SessionLocked(Exception):
    """The session was held or has attendance recorded: it can be cancelled, not moved away."""


class SessionCancelled(Exception):
    """The session is cancelled: its stages stay with it, nothing is merged or swapped in."""


class NoNeighbour(Exception):
    """There is no session on that side to merge or swap with."""


@dataclass
class PlanRequest:
    stage_keys: list[str]
    first_date: date
    weekday: int
    local_time: time
    every_weeks: int
    duration_minutes: int


def stages_by_keys(keys: list[str]) -> list[Stage]:
    """The stages named by key, in curriculum order; an unknown key is a ScheduleError."""
    stages = list(db.session.scalars(select(Stage).where(Stage.key.in_(keys))))
    if len(stages) != len(set(keys)) or not keys:
        raise ScheduleError("Choose stages from the curriculum.", "stages")
    return sorted(stages, key=lambda stage: stage.position)


def check_times(starts_at: datetime, ends_at: datetime, now: datetime) -> None:
    """Refuse an end before the start, a start in the past, overlong or far-off sessions."""
    if ends_at <= starts_at:
        raise ScheduleError("The session must end after it starts.", "end_time")
    if ends_at - starts_at > MAX_DURATION:
        raise ScheduleError("A session lasts at most 8 hours.", "end_time")
    if starts_at <= now:
        raise ScheduleError("This time has already passed. Choose a time in the future.", "date")
    if starts_at > now + HORIZON:
        raise ScheduleError("Choose a date within the next five years.", "date")


def find_overlaps(
    workshop: Workshop, starts_at: datetime, ends_at: datetime, exclude_id: int | None = None
) -> list[WorkshopSession]:
    """Scheduled sessions at that time of the workshop's counselors or enrolled couples."""
    counselor_ids = [workshop.lead_id, *(c.id for c in workshop.co_counselors)]
    couple_ids = select(Enrollment.couple_id).where(
        Enrollment.workshop_id == workshop.id, Enrollment.status == EnrollmentStatus.ENROLLED
    )
    shares_counselor = or_(
        Workshop.lead_id.in_(counselor_ids),
        exists().where(
            WorkshopCounselor.workshop_id == Workshop.id,
            WorkshopCounselor.counselor_id.in_(counselor_ids),
        ),
    )
    shares_couple = exists().where(
        Enrollment.workshop_id == Workshop.id,
        Enrollment.status == EnrollmentStatus.ENROLLED,
        Enrollment.couple_id.in_(couple_ids),
    )
    query = (
        select(WorkshopSession)
        .join(WorkshopSession.workshop)
        .where(
            or_(shares_counselor, shares_couple),
            WorkshopSession.status == SessionStatus.SCHEDULED,
            WorkshopSession.starts_at < ends_at,
            WorkshopSession.ends_at > starts_at,
            WorkshopSession.id != (exclude_id or 0),
        )
        .order_by(WorkshopSession.starts_at)
    )
    return list(db.session.scalars(query))


def plan_sessions(
    workshop: Workshop, plan: PlanRequest, user: User, overlap_confirmed: bool = False
) -> list[WorkshopSession]:
    """One session per chosen stage, every N weeks on the local wall clock."""
    stages = stages_by_keys(plan.stage_keys)
    now = utcnow()
    if not now.date() <= plan.first_date <= (now + HORIZON).date():
        raise ScheduleError("Choose a first date between today and five years from now.", "date")
    starts = series_starts(
        plan.first_date,
        plan.weekday,
        plan.local_time,
        plan.every_weeks,
        len(stages),
        workshop.timezone,
    )
    length = timedelta(minutes=plan.duration_minutes)
    clashes_at = {}
    for start in starts:
        check_times(start, start + length, now)
        clashes_at[start] = find_overlaps(workshop, start, start + length)
    clashes = [clash for found in clashes_at.values() for clash in found]
    if clashes and not overlap_confirmed:
        raise Overlaps(clashes)
    # The confirmation is recorded on the sessions that overlap, not on the whole series.
    sessions = [
        _new_session(workshop, [stage], start, start + length, user if clashes_at[start] else None)
        for stage, start in zip(stages, starts, strict=True)
    ]
    db.session.flush()
    return sessions


def add_session(
    workshop: Workshop,
    stage_keys: list[str],
    starts_at: datetime,
    ends_at: datetime,
    user: User,
    overlap_confirmed: bool = False,
    location: str | None = None,
    video_url: str | None = None,
) -> WorkshopSession:
    """Add one session to the workshop."""
    stages = stages_by_keys(stage_keys)
    check_times(starts_at, ends_at, utcnow())
    clashes = find_overlaps(workshop, starts_at, ends_at)
    if clashes and not overlap_confirmed:
        raise Overlaps(clashes)
    session = _new_session(workshop, stages, starts_at, ends_at, user if clashes else None)
    if location is not None:
        session.location = location
    if video_url is not None:
        session.video_url = video_url
    db.session.flush()
    return session


@dataclass
class SessionChange:
    starts_at: datetime
    ends_at: datetime
    location: str
    video_url: str
    seen_version: int


def reschedule_session(
    session: WorkshopSession, change: SessionChange, user: User, overlap_confirmed: bool = False
) -> bool:
    """Move or relocate a session; tell enrolled partners. True when anything changed."""
    if session.is_cancelled:
        raise SessionCancelled  # partners were told it is off; a new session says it is on
    check_version(session.version, change.seen_version)
    before = notifications.snapshot(session)
    if change.starts_at != session.starts_at or change.ends_at != session.ends_at:
        check_times(change.starts_at, change.ends_at, utcnow())
        clashes = find_overlaps(session.workshop, change.starts_at, change.ends_at, session.id)
        if clashes and not overlap_confirmed:
            raise Overlaps(clashes)
        session.overlap_confirmed_by_id = user.id if clashes else None
    session.starts_at, session.ends_at = change.starts_at, change.ends_at
    session.location, session.video_url = change.location, change.video_url
    if notifications.snapshot(session) == before:
        return False
    session.ics_sequence += 1
    _flush_or_stale()
    notifications.session_changed(session, before)
    return True


def cancel_session(session: WorkshopSession, reason: str) -> None:
    """Cancel the session; it stays in calendars as cancelled, and partners are told."""
    session.status = SessionStatus.CANCELLED
    session.ics_sequence += 1
    notifications.session_cancelled(session, reason)


def remove_session(session: WorkshopSession) -> None:
    """Delete a session from the plan; only while nothing has been recorded for it."""
    _refuse_if_recorded(session)
    if session.status == SessionStatus.SCHEDULED and session.starts_at > utcnow():
        notifications.session_cancelled(session, "It was removed from the workshop's plan.")
    session.stages = []
    # Reminders already sent for it are no history worth a foreign key that blocks the delete.
    db.session.execute(delete(SessionReminder).where(SessionReminder.session_id == session.id))
    db.session.delete(session)
    try:
        db.session.flush()
    except IntegrityError as raced:
        # Another request recorded attendance or a note between the check above and this
        # delete: the session is part of the record now, so it stays (the view rolls back).
        raise SessionLocked from raced


def merge_with_next(session: WorkshopSession) -> WorkshopSession:
    """Fold the next session's stages into this one and remove the next session."""
    _refuse_if_held(session)
    following = _neighbour(session, later=True)
    _refuse_if_recorded(following)
    session.stages = sorted({*session.stages, *following.stages}, key=lambda s: s.position)
    session.ics_sequence += 1
    remove_session(following)
    return session


def move_session(session: WorkshopSession, later: bool) -> WorkshopSession:
    """Swap this session's stages with its neighbour's: the times stay, the order changes."""
    _refuse_if_held(session)
    other = _neighbour(session, later=later)
    session.stages, other.stages = list(other.stages), list(session.stages)
    session.ics_sequence += 1
    other.ics_sequence += 1
    return other


def record_attendance(session: WorkshopSession, statuses: dict[int, str], user: User) -> None:
    """Save present/absent/excused per partner (partners of enrolled couples only)."""
    existing = {a.partner_id: a for a in session.attendance}
    for partner_id, status in statuses.items():
        if status not in set(AttendanceStatus):
            continue
        record = existing.get(partner_id)
        if record is None:
            record = Attendance(session_id=session.id, partner_id=partner_id)
            db.session.add(record)
        record.status, record.recorded_by_id, record.recorded_at = status, user.id, utcnow()
    _flush_or_stale()  # two first recordings of one partner at once: the later is refused


def _flush_or_stale() -> None:
    """Write now; a lost race (the row changed since it was read, or its twin was inserted
    first) is refused like an out-of-date form (StaleEdit), never a 500. The view rolls back."""
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError) as raced:
        raise StaleEdit from raced


def _new_session(workshop, stages, starts_at, ends_at, confirmed_by) -> WorkshopSession:
    session = WorkshopSession(
        workshop=workshop,
        starts_at=starts_at,
        ends_at=ends_at,
        location=workshop.location,
        video_url=workshop.video_url,
        overlap_confirmed_by_id=confirmed_by.id if confirmed_by else None,
    )
    session.stages = list(stages)
    db.session.add(session)
    return session


def _neighbour(session: WorkshopSession, later: bool) -> WorkshopSession:
    order = WorkshopSession.starts_at.asc() if later else WorkshopSession.starts_at.desc()
    side = (
        WorkshopSession.starts_at > session.starts_at
        if later
        else WorkshopSession.starts_at < session.starts_at
    )
    query = (
        select(WorkshopSession)
        .where(
            WorkshopSession.workshop_id == session.workshop_id,
            WorkshopSession.status == SessionStatus.SCHEDULED,
            # Held sessions are history: nothing is swapped or merged into them.
            WorkshopSession.starts_at > utcnow(),
            side,
        )
        .order_by(order)
        .limit(1)
    )
    return db.session.scalar(query) or _raise(NoNeighbour())


def _refuse_if_held(session: WorkshopSession) -> None:
    if session.is_cancelled:
        raise SessionCancelled
    if session.starts_at <= utcnow():
        raise SessionLocked


def _refuse_if_recorded(session: WorkshopSession) -> None:
    """Attendance or notes make a session part of the record: it may be cancelled, not deleted."""
    attendance = select(Attendance.id).where(Attendance.session_id == session.id)
    notes = select(SessionNote.id).where(SessionNote.session_id == session.id)
    if db.session.scalar(attendance.union_all(notes).limit(1)) is not None:
        raise SessionLocked


def _raise(error: Exception):
    raise error
