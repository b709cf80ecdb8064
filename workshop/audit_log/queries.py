"""Reads of the audit log, always within the admin's own practice."""

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workshop.audit import Action
from workshop.extensions import db
from workshop.models import STAFF_ROLES, AuditEvent, Couple, User

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
    Action.TWO_FACTOR_ENABLED: "Turned on two-factor sign-in",
    Action.TWO_FACTOR_DISABLED: "Turned off two-factor sign-in",
    Action.RECOVERY_CODE_USED: "Signed in with a recovery code",
    Action.RECOVERY_CODES_REPLACED: "Made new recovery codes",
    Action.ACCOUNT_DISABLED: "Disabled an account",
    Action.ACCOUNT_ENABLED: "Enabled an account again",
}
OBJECT_LABELS = {
    "session_note": "Session note",
    "progress_summary": "Progress summary",
    "audit_log": "Audit log",
    "report": "Report",
    "user": "Account",
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
    """The practice's staff, admins first (the user filter's choices). Partners are not
    listed one by one (a practice has thousands): their couple's filter finds their events."""
    query = (
        select(User)
        .where(User.practice_id == practice_id, User.role.in_(STAFF_ROLES))
        .order_by(User.role, User.name)
    )
    return list(db.session.scalars(query))


class CoupleChoice(NamedTuple):
    id: int
    name: str


def practice_couples(practice_id: int) -> list[CoupleChoice]:
    """Every couple of the practice by id, named as Couple.name does, from plain rows: the
    couple filter lists thousands, which as ORM objects would cost more than the page."""
    query = (
        select(Couple.id, User.name)
        .outerjoin(User, User.couple_id == Couple.id)
        .where(Couple.practice_id == practice_id)
        .order_by(Couple.id, User.id)
    )
    first_names: dict[int, list[str]] = {}
    for couple_id, partner_name in db.session.execute(query):
        names = first_names.setdefault(couple_id, [])
        if partner_name is not None:
            names.append(
                partner_name.split()[0] if partner_name.strip() else partner_name
            )  # = User.first_name
    return [CoupleChoice(couple_id, " & ".join(names)) for couple_id, names in first_names.items()]


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def object_label(event: AuditEvent) -> str:
    name = OBJECT_LABELS.get(event.object_type, event.object_type)
    return f"{name} #{event.object_id}" if event.object_id is not None else name
