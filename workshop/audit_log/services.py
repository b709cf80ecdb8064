"""The audit log as CSV: written row by row, with cells made safe for spreadsheets."""

import csv
import io
from collections.abc import Iterator

from workshop import audit
from workshop.audit import Action
from workshop.audit_log.queries import (
    EventFilters,
    EventLine,
    action_label,
    all_event_lines,
    object_label,
)
from workshop.models import User

HEADER = [
    "When (UTC)",
    "User",
    "User email",
    "Role",
    "Action",
    "Action code",
    "Object",
    "Couple",
    "IP address",
]
# A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BATCH = 500


def safe_cell(value) -> str:
    """The value as text; one a spreadsheet would run as a formula is quoted with a '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def record_export(admin: User) -> None:
    audit.record(admin, Action.AUDIT_EXPORTED, "audit_log")


def csv_rows(practice_id: int, filters: EventFilters) -> Iterator[str]:
    """The CSV text in chunks: a header, then one line per event, newest first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # a byte-order mark, so spreadsheet programs read the names as UTF-8
    writer.writerow(HEADER)
    lines = all_event_lines(practice_id, filters, BATCH)
    for count, event in enumerate(lines, start=1):
        writer.writerow([safe_cell(cell) for cell in _row(event)])
        if count % BATCH == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def _row(event: EventLine) -> list:
    return [
        event.at.strftime("%Y-%m-%d %H:%M:%S"),
        event.actor_name or "",
        event.actor_email or "",
        event.actor_role or "",
        action_label(event.action),
        event.action,
        object_label(event),
        event.couple_name,
        event.ip_address or "",
    ]


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate(0)
    return text
