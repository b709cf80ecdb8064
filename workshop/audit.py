"""The audit trail: who viewed or changed sensitive records, and when, and from where.

Events are only ever added (there is no route or service that edits or deletes one). The event
joins the caller's transaction, so it is saved with the action it describes; for views (no
other write), the view commits after recording.
"""

from flask import has_request_context, request
from sqlalchemy import Integer, bindparam, func, insert, select
from sqlalchemy.dialects.postgresql import ARRAY

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
    event = _columns(actor, action, object_type, None, None) | {"at": utcnow()}
    if db.session.get_bind().dialect.name == "postgresql":
        object_ids, couple_ids = ([*column] for column in zip(*objects, strict=True))
        db.session.execute(_EVENTS_FROM_ARRAYS, event | {"ids": object_ids, "couples": couple_ids})
        return
    rows = [
        event | {"object_id": object_id, "couple_id": couple_id} for object_id, couple_id in objects
    ]
    db.session.execute(insert(AuditEvent), rows)


def _events_from_arrays():
    """INSERT ... SELECT from unnest(:ids, :couples) (PostgreSQL): one statement that adds one
    row per object, the other columns the same for all. About a third less work (Python and
    database) than the same INSERT once per row, which psycopg's executemany sends as that
    many statements."""
    table = AuditEvent.__table__
    objects = (
        func.unnest(
            bindparam("ids", type_=ARRAY(Integer)), bindparam("couples", type_=ARRAY(Integer))
        )
        .table_valued("object_id", "couple_id")
        .render_derived()
    )
    shared = ["practice_id", "actor_id", "action", "object_type", "at", "ip_address"]
    values = [bindparam(name, type_=table.c[name].type) for name in shared]
    return insert(table).from_select(
        [*shared, "object_id", "couple_id"],
        select(*values, objects.c.object_id, objects.c.couple_id),
    )


# Built once per process (see workshop.statements).
_EVENTS_FROM_ARRAYS = _events_from_arrays()


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
