"""The audit trail: who viewed or changed sensitive records, and when, and from where.

Events are only ever added (there is no route or service that edits or deletes one). The event
joins the caller's transaction, so it is saved with the action it describes; for views (no
other write), the view commits after recording.
"""

from flask import has_request_context, request
from sqlalchemy import insert

from workshop.extensions import db
from workshop.models import AuditEvent, User, utcnow


class Action:
    """The actions recorded, as stored in AuditEvent.action."""

    NOTE_VIEWED = "note.viewed"
    NOTE_CREATED = "note.created"
    NOTE_EDITED = "note.edited"
    NOTE_SIGNED = "note.signed"
    NOTE_DELETED = "note.deleted"
    ADDENDUM_ADDED = "note.addendum_added"
    NOTES_SEARCHED = "note.searched"
    SUMMARY_EDITED = "summary.edited"
    REPORT_GENERATED = "report.generated"
    REPORT_DOWNLOADED = "report.downloaded"
    AUDIT_EXPORTED = "audit.exported"
    TWO_FACTOR_ENABLED = "two_factor.enabled"
    TWO_FACTOR_DISABLED = "two_factor.disabled"
    RECOVERY_CODE_USED = "two_factor.recovery_code_used"
    RECOVERY_CODES_REPLACED = "two_factor.recovery_codes_replaced"
    ACCOUNT_DISABLED = "account.disabled"
    ACCOUNT_ENABLED = "account.enabled"


def record(
    actor: User,
    action: str,
    object_type: str,
    object_id: int | None = None,
    couple_id: int | None = None,
) -> AuditEvent:
    """Add an audit event for this action by `actor` (the client address comes from the
    request, already resolved through ProxyFix where configured)."""
    event = AuditEvent(**_columns(actor, action, object_type, object_id, couple_id))
    db.session.add(event)
    return event


def record_many(
    actor: User, action: str, object_type: str, objects: list[tuple[int, int | None]]
) -> None:
    """One event per (object id, couple id), in a single INSERT: a page listing many records
    costs the same number of statements however many it shows."""
    if not objects:
        return
    now = utcnow()
    rows = [
        _columns(actor, action, object_type, object_id, couple_id) | {"at": now}
        for object_id, couple_id in objects
    ]
    db.session.execute(insert(AuditEvent), rows)


def _columns(actor, action, object_type, object_id, couple_id) -> dict:
    return {
        "practice_id": actor.practice_id,
        "actor_id": actor.id,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "couple_id": couple_id,
        "ip_address": request.remote_addr if has_request_context() else None,
    }
