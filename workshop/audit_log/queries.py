"""Reads of the audit log, always within the admin's own practice."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from itertools import groupby
from operator import attrgetter
from typing import NamedTuple

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Integer, and_, bindparam, func, select
from sqlalchemy.orm import aliased

from workshop.audit import Action
from workshop.extensions import db
from workshop.models import STAFF_ROLES, AuditEvent, Practice, User
from workshop.models.people import couple_name_of
from workshop.statements import LIKE_ESCAPE, like_as_typed, plain_rows
from workshop.templating import localtime

PAGE_SIZE = 25
LOCAL_AT_FORMAT = "%d %b %Y, %H:%M:%S"
# Counting every matching event would read the whole log, which only grows, on each view;
# the pager counts at most this many pages past the one shown ("of 21 or more" beyond).
PAGES_COUNTED_AHEAD = 20
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


# Partners, as a second name for the user table: event queries join it as the actor. Made once:
# each new alias copies every column of the table, which costs more than the query it is for.
Partner = aliased(User, name="partner")


@dataclass(frozen=True)
class EventFilters:
    actor_id: int | None = None
    partner_name: str | None = None  # part of a partner's name: events of their couple
    action: str | None = None
    start: datetime | None = None  # UTC, included
    end: datetime | None = None  # UTC, excluded

    def parameters(self, practice_id: int) -> dict:
        """The values of the filters in use (and the practice), named as the queries' bound
        parameters; its keys are the filters' "shape" that picks a prepared statement."""
        values = {
            "actor_id": self.actor_id,
            "partner_name": like_as_typed(self.partner_name) if self.partner_name else None,
            "action": self.action or None,
            "start": self.start,
            "end": self.end,
        }
        return {"practice_id": practice_id} | {k: v for k, v in values.items() if v is not None}


class EventLine(NamedTuple):
    """One event as the page and the CSV show it (actor_* are None when the actor is gone)."""

    at: datetime
    actor_name: str | None
    actor_email: str | None
    actor_role: str | None
    action: str
    object_type: str
    object_id: int | None
    couple_name: str
    ip_address: str | None


# The statements below are built once per combination of filters in use ("shape"), with the
# values as bound parameters: building and keying a statement of this size anew on each view
# costs more CPU than running it.


def _conditions(shape: frozenset[str]) -> list:
    """WHERE conditions for the practice's events, for the filters named in `shape`."""
    conditions = [AuditEvent.practice_id == bindparam("practice_id")]
    if "actor_id" in shape:
        conditions.append(AuditEvent.actor_id == bindparam("actor_id"))
    if "partner_name" in shape:
        conditions.append(AuditEvent.couple_id.in_(_couples_named()))
    if "action" in shape:
        conditions.append(AuditEvent.action == bindparam("action"))
    if "start" in shape:
        conditions.append(AuditEvent.at >= bindparam("start", type_=AuditEvent.at.type))
    if "end" in shape:
        conditions.append(AuditEvent.at < bindparam("end", type_=AuditEvent.at.type))
    return conditions


def _couples_named():
    """The ids of the practice's couples with a partner whose name contains the text, in any
    case (the text comes with its wildcards escaped)."""
    return (
        select(Partner.couple_id)
        .where(
            Partner.practice_id == bindparam("practice_id"),
            Partner.couple_id.is_not(None),
            Partner.name.icontains(bindparam("partner_name"), escape=LIKE_ESCAPE),
        )
        .correlate(None)  # a list of its own, even inside a query that joins partners
    )


def _events_query(shape: frozenset[str]):
    """Plain rows of the matching events, newest first, with who acted: a page of ORM events
    (with their actors, couples and partners) costs several times more to build."""
    return (
        select(
            AuditEvent.id,
            AuditEvent.at,
            User.name.label("actor_name"),
            User.email.label("actor_email"),
            User.role.label("actor_role"),
            AuditEvent.action,
            AuditEvent.object_type,
            AuditEvent.object_id,
            AuditEvent.couple_id,
            AuditEvent.ip_address,
        )
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(*_conditions(shape))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )


def _with_partner_names(events):
    """The events' rows, each once per partner of its couple (once with no name when it has
    none) in partner order: the couples' names come with the events, in the same statement."""
    event = events.subquery()
    return (
        select(event, Partner.name.label("partner_name"))
        .outerjoin(Partner, Partner.couple_id == event.c.couple_id)
        .order_by(event.c.at.desc(), event.c.id.desc(), Partner.id)
    )


@cache
def _page_statement(shape: frozenset[str]):
    """One page of events (bound parameters `limit` and `offset`), each row also carrying the
    count of matching events up to `up_to` (the pager's, without a statement of its own)."""
    # The window is written into the SQL (literal_execute): with only the filters as
    # parameters, PostgreSQL keeps one plan for the prepared statement of page 1 instead of
    # planning anew on each view (unknown LIMIT and OFFSET make its generic plan look dear).
    limit = bindparam("limit", type_=Integer, literal_execute=True)
    offset = bindparam("offset", type_=Integer, literal_execute=True)
    events = _events_query(shape).limit(limit).offset(offset)
    counted = _count_statement(shape).scalar_subquery().label("counted")
    return _with_partner_names(events).add_columns(counted)


@cache
def _all_statement(shape: frozenset[str]):
    return _with_partner_names(_events_query(shape))


@cache
def _count_statement(shape: frozenset[str]):
    """How many events match, counting no further than the bound parameter `up_to`."""
    up_to = bindparam(
        "up_to", type_=Integer, literal_execute=True
    )  # as the window (see _page_statement)
    matching = select(AuditEvent.id).where(*_conditions(shape)).limit(up_to)
    return select(func.count()).select_from(matching.subquery())


def _lines(rows) -> Iterator[EventLine]:
    """EventLines from the rows of _with_partner_names (an event's rows are consecutive)."""
    for _, group in groupby(rows, key=attrgetter("id")):
        rows_of_event = list(group)
        row = rows_of_event[0]
        partner_names = (r.partner_name for r in rows_of_event if r.partner_name is not None)
        yield EventLine(
            row.at,
            row.actor_name,
            row.actor_email,
            row.actor_role,
            row.action,
            row.object_type,
            row.object_id,
            couple_name_of(partner_names),
            row.ip_address,
        )


class EventPage(Pagination):
    """One page of event lines (Flask-SQLAlchemy's pager logic over plain rows). The total
    is counted up to PAGES_COUNTED_AHEAD pages past this one: when there are more,
    `more_than_counted` is set and `pages` is the least number there can be."""

    more_than_counted = False

    def _query_items(self) -> list[EventLine]:
        parameters, shape = self._query_args["parameters"], self._query_args["shape"]
        window = {"limit": self.per_page, "offset": self._query_offset, "up_to": self._up_to}
        rows = plain_rows(_page_statement(shape), parameters | window)
        self._counted = rows[0].counted if rows else None
        return list(_lines(rows))

    def _query_count(self) -> int:
        counted = self._counted
        if counted is None:  # an empty page: beyond the last, or no events at all
            parameters, shape = self._query_args["parameters"], self._query_args["shape"]
            statement = _count_statement(shape)
            counted = db.session.scalar(statement, parameters | {"up_to": self._up_to})
        self.more_than_counted = counted == self._up_to
        return counted

    @property
    def _up_to(self) -> int:
        """One past the events of this page and the PAGES_COUNTED_AHEAD pages after it."""
        return self._query_offset + PAGE_SIZE * PAGES_COUNTED_AHEAD + 1


def paginate_events(practice_id: int, filters: EventFilters, page: int) -> EventPage:
    parameters = filters.parameters(practice_id)
    shape = frozenset(parameters)
    return EventPage(
        page=page, per_page=PAGE_SIZE, error_out=False, parameters=parameters, shape=shape
    )


def all_event_lines(practice_id: int, filters: EventFilters, batch: int) -> Iterator[EventLine]:
    """Every matching event, newest first, read from the database `batch` rows at a time
    (for the CSV: a practice's whole log does not fit in memory at once)."""
    parameters = filters.parameters(practice_id)
    statement = _all_statement(frozenset(parameters)).execution_options(yield_per=batch)
    return _lines(db.session.execute(statement, parameters))


class StaffChoice(NamedTuple):
    id: int
    name: str
    role: str


# The user filter's choices: the practice's staff, admins first (partners are not listed one by
# one: a practice has thousands, and the couple filter finds them by name). With the practice's
# name in the same statement, the page has it without one of its own.
# Staff never have a couple (a constraint of the user table): saying so lets PostgreSQL find
# them through the couple index instead of reading every partner of the practice.
_no_couple = User.couple_id.is_(None)
_PRACTICE_AND_STAFF = (
    select(Practice.name.label("practice_name"), User.id, User.name, User.role)
    .outerjoin(User, and_(User.practice_id == Practice.id, User.role.in_(STAFF_ROLES), _no_couple))
    .where(Practice.id == bindparam("practice_id"))
    .order_by(User.role, User.name)
)


def practice_and_staff(practice_id: int) -> tuple[str, list[StaffChoice]]:
    """The practice's name (the page names it) and its staff, admins first."""
    rows = plain_rows(_PRACTICE_AND_STAFF, {"practice_id": practice_id})
    choices = [StaffChoice(row.id, row.name, row.role) for row in rows if row.id is not None]
    return rows[0].practice_name, choices


class ShownEvent(NamedTuple):
    """One event as the page shows it, every cell written out: formatting 25 rows here costs
    a fraction of the template calls (filters and functions) it replaces."""

    at: str  # ISO 8601, UTC
    local_at: str  # on the viewer's clock
    actor_name: str | None  # None when the actor is gone
    actor_role: str | None
    action: str
    object: str
    couple_name: str
    ip_address: str


def shown_events(lines: list[EventLine], zone: str) -> list[ShownEvent]:
    """The page's events with their cells as shown to a viewer whose clock is in `zone`."""
    return [
        ShownEvent(
            line.at.isoformat(timespec="seconds"),
            localtime(line.at, LOCAL_AT_FORMAT, zone),
            line.actor_name,
            line.actor_role,
            action_label(line.action),
            object_label(line),
            line.couple_name,
            line.ip_address or "",
        )
        for line in lines
    ]


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def object_label(event: EventLine) -> str:
    name = OBJECT_LABELS.get(event.object_type, event.object_type)
    return f"{name} #{event.object_id}" if event.object_id is not None else name
