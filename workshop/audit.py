"""The audit trail: who viewed or changed sensitive records, and when, and from where.

Events are only ever added (there is no route or service that edits or deletes one). The event
joins the caller's transaction, so it is saved with the action it describes; for views (no
other write), the view commits after recording.
"""

from flask import has_request_context, request
from sqlalchemy import Insert, Integer, bindparam, func, insert, select
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
    columns = shared_columns(actor, action, object_type)
    event = AuditEvent(**columns, object_id=object_id, couple_id=couple_id)
    db.session.add(event)
    return event


def record_many(
    actor: User, action: str, object_type: str, objects: list[tuple[int, int | None]]
) -> None:
    """One event per (object id, couple id), in a single INSERT: a page listing many records
    costs the same number of statements however many it shows."""
    if not objects:
        return
    event = shared_columns(actor, action, object_type)
    if adds_events_in_statements():
        object_ids, couple_ids = ([*column] for column in zip(*objects, strict=True))
        db.session.execute(_EVENTS_FROM_ARRAYS, event | {"ids": object_ids, "couples": couple_ids})
        return
    rows = [
        event | {"object_id": object_id, "couple_id": couple_id} for object_id, couple_id in objects
    ]
    db.session.execute(insert(AuditEvent), rows)


def shared_columns(actor: User, action: str, object_type: str) -> dict:
    """The columns of an event but its object's (object_id, couple_id): those the events of
    one action on many objects share, and the values of events_for's bound parameters."""
    return {
        "practice_id": actor.practice_id,
        "actor_id": actor.id,
        "action": action,
        "object_type": object_type,
        "at": utcnow(),
        "ip_address": request.remote_addr if has_request_context() else None,
    }


def adds_events_in_statements() -> bool:
    """Whether the database runs events_for's INSERT inside another statement (PostgreSQL:
    an INSERT in a WITH clause, and unnest for arrays; not SQLite)."""
    return db.session.get_bind().dialect.name == "postgresql"


def events_for(object_id, couple_id) -> Insert:
    """INSERT ... SELECT of one event per row of the FROM of these two columns (of a CTE, a
    table-valued function...), the other columns bound parameters for shared_columns() (the
    columns record_many sets). As a CTE (PostgreSQL), it lets the statement that reads
    records add the events of those reads: one statement, and no reading without them."""
    table = AuditEvent.__table__
    shared = ["practice_id", "actor_id", "action", "object_type", "at", "ip_address"]
    values = [bindparam(name, type_=table.c[name].type) for name in shared]
    return insert(table).from_select(
        [*shared, "object_id", "couple_id"],
        select(*values, object_id, couple_id),
    )


def _events_from_arrays():
    """INSERT ... SELECT from unnest(:ids, :couples) (PostgreSQL): one statement that adds one
    row per object, the other columns the same for all. About a third less work (Python and
    database) than the same INSERT once per row, which psycopg's executemany sends as that
    many statements."""
    objects = (
        func.unnest(
            bindparam("ids", type_=ARRAY(Integer)), bindparam("couples", type_=ARRAY(Integer))
        )
        .table_valued("object_id", "couple_id")
        .render_derived()
    )
    return events_for(objects.c.object_id, objects.c.couple_id)


# Built once per process (see workshop.statements).
_EVENTS_FROM_ARRAYS = _events_from_arrays()
