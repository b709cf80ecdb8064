"""Scoped reads of homework for partners: only their own couple's assignments, ever."""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from flask import abort
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Integer, and_, bindparam, false, func, literal, or_, select, true, union_all
from sqlalchemy.orm import joinedload, selectinload

from workshop.extensions import db
from workshop.homework import services
from workshop.models import (
    Assignment,
    Couple,
    ExerciseVersion,
    Submission,
    SubmissionStatus,
    User,
)
from workshop.statements import plain_rows

DONE_STATES = frozenset({SubmissionStatus.SUBMITTED, SubmissionStatus.REVIEWED})
DONE_PAGE_SIZE = 20


def assignments_of(partner: User):
    """Assignments given to the partner's own couple (none for anyone else)."""
    if partner.couple_id is None:
        return select(Assignment).where(false())
    return select(Assignment).where(Assignment.couple_id == partner.couple_id)


def _with_details(query):
    return query.options(
        joinedload(Assignment.exercise_version),
        selectinload(Assignment.submissions),
    )


def get_assignment_or_404(assignment_id: int, partner: User) -> Assignment:
    """One of the partner's couple's assignments; anyone else's answers 404, like a missing one."""
    query = _with_details(assignments_of(partner).where(Assignment.id == assignment_id))
    query = query.options(
        selectinload(Assignment.submissions).joinedload(Submission.partner),
        joinedload(Assignment.couple).selectinload(Couple.partners),
    )
    return db.session.scalar(query) or abort(404)


@dataclass(slots=True)
class HomeworkItem:
    """One assignment as a partner's list shows it: plain values read in one query, so a list
    never loads (or decrypts) anyone's answers."""

    id: int
    title: str
    is_joint: bool
    opens_at: datetime
    due_at: datetime
    state: str  # not_started, draft, submitted, reviewed, overdue
    paused: bool = False


@dataclass
class HomeworkList:
    """A partner's assignments: to do (soonest due first), opening later, and done (the most
    recently due first, one page of them: years of finished homework is a long list)."""

    to_do: list[HomeworkItem] = field(default_factory=list)
    opens_later: list[HomeworkItem] = field(default_factory=list)
    done: list[HomeworkItem] = field(default_factory=list)
    done_page: Pagination | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.to_do or self.opens_later or self.done)


# The list statements below are built once and take the partner's values as bound parameters
# (_list_parameters): building a statement costs more Python than running it.


@cache
def _item_rows():
    """The assignments of the couple `couple_id` (a partner's own couple only: assignments_of's
    scope) with what a list shows of each, and the status of the partner's own part (their
    submission, or the couple's joint one; None when nothing is saved yet)."""
    own_part = and_(
        Submission.assignment_id == Assignment.id,
        Submission.respondent == services.respondent_column(bindparam("own_respondent")),
    )
    return (
        select(
            Assignment.id,
            ExerciseVersion.title,
            ExerciseVersion.is_joint.label("is_joint"),
            Assignment.opens_at,
            Assignment.due_at,
            Submission.status,
            services.couple_locked(bindparam("couple_id")).label("locked"),
        )
        .join(Assignment.exercise_version)
        .outerjoin(Submission, own_part)
        .where(Assignment.couple_id == bindparam("couple_id"))
    )


def _list_parameters(partner: User, now: datetime) -> dict:
    # A partner without a couple matches no assignment (couple_id = NULL is never true).
    return {
        "couple_id": partner.couple_id,
        "own_respondent": services.respondent_of(False, partner.id),
        "now": now,
    }


def _done():
    """Whether the partner's part is submitted (on _item_rows): the rule of
    services.partner_state (state_from), in SQL."""
    return Submission.status.in_(_done_states())


def _not_done():
    return or_(Submission.status.is_(None), Submission.status.not_in(_done_states()))


def _done_states() -> list:
    # As values bound in the statement: IN over a plain list has SQLAlchemy rewrite the SQL
    # text on every run (an "expanding" parameter), in statements built once to run as is.
    return [literal(state, Submission.status.type) for state in sorted(DONE_STATES)]


@cache
def _to_do_rows():
    """Open assignments whose partner's part is not submitted yet, soonest due first."""
    return (
        _item_rows()
        .where(Assignment.opens_at <= bindparam("now"), _not_done())
        .order_by(Assignment.due_at, Assignment.id)
        .limit(bindparam("limit"))
    )


@cache
def _done_rows():
    """Assignments whose partner's part is submitted, unordered."""
    return _item_rows().where(_done())


@cache
def _pending_and_done_page_rows():
    """All pending assignments (soonest due first) and one page of the done ones (bound `limit`
    and `offset`; the most recently due first), in one statement. Each row says which list it
    belongs to and its place there; done rows carry the number of done assignments."""
    pending = _item_rows().where(_not_done())
    pending = pending.add_columns(
        false().label("done"),
        func.row_number().over(order_by=(Assignment.due_at, Assignment.id)).label("place"),
        literal(None, Integer).label("done_total"),
    )
    latest_first = (Assignment.due_at.desc(), Assignment.id.desc())
    done_page = (
        _done_rows()
        .add_columns(
            true().label("done"),
            func.row_number().over(order_by=latest_first).label("place"),
            func.count().over().label("done_total"),  # counted before the limit
        )
        .order_by(*latest_first)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
        .subquery()
    )
    listed = union_all(pending, select(done_page)).subquery()
    return select(listed).order_by(listed.c.done, listed.c.place)


@cache
def _done_count():
    return _done_rows().with_only_columns(func.count())


class _DonePage(Pagination):
    """db.paginate's page object for the done list; the pending list is read with it (`pending`)
    in the same statement."""

    def _query_items(self) -> list:
        parameters = {"limit": self.per_page, "offset": self._query_offset}
        statement = _pending_and_done_page_rows()
        rows = plain_rows(statement, self._query_args["parameters"] | parameters)
        self.pending = [row for row in rows if not row.done]
        return [row for row in rows if row.done]

    def _query_count(self) -> int:
        if self.items:  # read with the page: no counting statement
            return self.items[0].done_total
        if self.page == 1:
            return 0
        # A page past the end (an old link, a typed URL): count to show how many pages there are.
        return db.session.scalar(_done_count(), self._query_args["parameters"])


def _items(rows, now: datetime) -> list[HomeworkItem]:
    return [
        HomeworkItem(
            id=row.id,
            title=row.title,
            is_joint=bool(row.is_joint),
            opens_at=row.opens_at,
            due_at=row.due_at,
            state=services.state_from(row.status, row.due_at, now),
            # A joint exercise waits while a safety check-in is unreviewed (services.Locked).
            paused=bool(row.is_joint and row.locked),
        )
        for row in rows
    ]


def homework_to_do(partner: User, now: datetime, limit: int) -> list[HomeworkItem]:
    """The first `limit` open assignments the partner has not submitted, soonest due first."""
    parameters = _list_parameters(partner, now) | {"limit": limit}
    return _items(plain_rows(_to_do_rows(), parameters), now)


def homework_of(partner: User, now: datetime, done_page: int = 1) -> HomeworkList:
    """The partner's homework in three groups, in a fixed number of queries."""
    parameters = _list_parameters(partner, now)
    page = _DonePage(
        page=done_page, per_page=DONE_PAGE_SIZE, error_out=False, parameters=parameters
    )
    homework = HomeworkList(done=_items(page.items, now), done_page=page)
    for item in _items(page.pending, now):
        if item.opens_at > now:
            homework.opens_later.append(item)
        else:
            homework.to_do.append(item)
    homework.opens_later.sort(key=lambda item: (item.opens_at, item.id))
    return homework
