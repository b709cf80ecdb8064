"""Reads of the audit log, always within the admin's own practice."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workshop.audit import Action
from workshop.extensions import db
from workshop.models import AuditEvent, Couple, User

PAGE_SIZE = 50
ACTION_LABELS = {
    Action.NOTE_VIEWED: "Read a session note",
    Action.NOTE_CREATED: "Started a session note",
    Action.NOTE_EDITED: "Edited a draft note",
    Action.NOTE_SIGNED: "Signed a session note",
    Action.NOTE_DELETED: "Deleted a draft note",
    Action.ADDENDUM_ADDED: "Added an addendum to a note",
    Action.NOTES_SEARCHED: "Searched their own notes",
    Action.SUMMARY_EDITED: "Edited a progress summary",
    Action.REPORT_GENERATED: "Generated a report",
    Action.REPORT_DOWNLOADED: "Downloaded a report",
    Action.AUDIT_EXPORTED: "Exported the audit log",
}
OBJECT_LABELS = {
    "session_note": "Session note",
    "progress_summary": "Progress summary",
    "audit_log": "Audit log",
    "report": "Report",
}


@dataclass(frozen=True)
class EventFilters:
    actor_id: int | None = None
    couple_id: int | None = None
    action: str | None = None
    start: datetime | None = None  # UTC, included
    end: datetime | None = None  # UTC, excluded


def events_query(practice_id: int, filters: EventFilters):
    """The practice's events matching the filters, newest first, with who and which couple."""
    query = select(AuditEvent).where(AuditEvent.practice_id == practice_id)
    if filters.actor_id is not None:
        query = query.where(AuditEvent.actor_id == filters.actor_id)
    if filters.couple_id is not None:
        query = query.where(AuditEvent.couple_id == filters.couple_id)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.start is not None:
        query = query.where(AuditEvent.at >= filters.start)
    if filters.end is not None:
        query = query.where(AuditEvent.at < filters.end)
    return query.options(
        selectinload(AuditEvent.actor),
        selectinload(AuditEvent.couple).selectinload(Couple.partners),
    ).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def paginate_events(practice_id: int, filters: EventFilters, page: int):
    query = events_query(practice_id, filters)
    return db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)


def practice_users(practice_id: int) -> list[User]:
    """Everyone of the practice, staff first (the user filter's choices)."""
    query = select(User).where(User.practice_id == practice_id).order_by(User.role, User.name)
    return list(db.session.scalars(query))


def practice_couples(practice_id: int) -> list[Couple]:
    query = (
        select(Couple)
        .where(Couple.practice_id == practice_id)
        .options(selectinload(Couple.partners))
        .order_by(Couple.id)
    )
    return list(db.session.scalars(query))


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def object_label(event: AuditEvent) -> str:
    name = OBJECT_LABELS.get(event.object_type, event.object_type)
    return f"{name} #{event.object_id}" if event.object_id is not None else name
