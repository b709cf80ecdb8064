"""Scoped reads for assigning and reviewing homework: a counselor reaches the assignments of the
workshops they lead or co-lead, and assigns only built-in exercises or their own."""

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from flask import abort
from sqlalchemy import (
    DateTime,
    String,
    bindparam,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    true,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import joinedload, selectinload

from workshop.exercises.queries import built_in, written_by
from workshop.extensions import db
from workshop.homework.services import couple_locked
from workshop.models import (
    Assignment,
    Couple,
    Enrollment,
    EnrollmentStatus,
    Exercise,
    ExerciseVersion,
    Stage,
    Submission,
    SubmissionStatus,
    User,
    Workshop,
    WorkshopSession,
)
from workshop.paging import ReadPage
from workshop.scheduling.queries import enrolled_couples
from workshop.statements import COUNSELOR_AS_PARAMETERS, counselor_parameters, plain_rows
from workshop.workshops.queries import led_by, sessions_of

QUEUE_PAGE_SIZE = 20
# The grid page shows the oldest answers waiting for review; the queue's own page, all of them.
QUEUE_PREVIEW = 5


def usable_exercises(counselor: User) -> list[Exercise]:
    """Built-in exercises and the counselor's own that ask something, in curriculum order."""
    query = (
        select(Exercise)
        .join(Exercise.stage)
        .where(or_(built_in(), written_by(counselor)))
        .options(joinedload(Exercise.stage))
        .order_by(Stage.position, Exercise.owner_id.is_not(None), Exercise.title, Exercise.id)
    )
    return [exercise for exercise in db.session.scalars(query) if exercise.fields]


@dataclass
class AssignOptions:
    """What the assign form may offer: usable exercises, enrolled couples, the sessions."""

    exercises: list[Exercise]
    couples: list[Couple]
    sessions: list[WorkshopSession]

    def exercise(self, exercise_id: int) -> Exercise:
        return next(e for e in self.exercises if e.id == exercise_id)

    def chosen_couples(self, couple_ids: list[int]) -> list[Couple]:
        return [c for c in self.couples if c.id in set(couple_ids)]

    def session(self, session_id: int | None) -> WorkshopSession | None:
        return next((s for s in self.sessions if s.id == session_id), None)


def assign_options(workshop: Workshop, counselor: User) -> AssignOptions:
    """Usable exercises, the couples enrolled now, and the sessions not cancelled."""
    sessions = [s for s in sessions_of(workshop.id) if not s.is_cancelled]
    return AssignOptions(usable_exercises(counselor), enrolled_couples(workshop.id), sessions)


# --- one assignment ----------------------------------------------------------------------------


def get_assignment_or_404(assignment_id: int, counselor: User) -> Assignment:
    """An assignment of a workshop the counselor leads or co-leads, with what its page shows."""
    query = (
        select(Assignment)
        .join(Assignment.workshop)
        .where(Assignment.id == assignment_id, led_by(counselor))
        .options(
            joinedload(Assignment.exercise_version),
            joinedload(Assignment.workshop),
            selectinload(Assignment.submissions),
            selectinload(Assignment.couple).selectinload(Couple.partners),
            selectinload(Assignment.session).selectinload(WorkshopSession.stages),
        )
    )
    return db.session.scalar(query) or abort(404)


def submission_of_or_404(assignment: Assignment, submission_id: int) -> Submission:
    found = [s for s in assignment.submissions if s.id == submission_id]
    return found[0] if found else abort(404)


# --- the workshop's grid and review queue ------------------------------------------------------


class GridWorkshop(NamedTuple):
    """What the grid page shows of the workshop itself."""

    id: int
    title: str
    timezone: str


def grid_workshop_and_columns_or_404(
    workshop_id: int, counselor: User
) -> tuple[GridWorkshop, list[tuple]]:
    """The workshop (reached as workshops.queries.get_workshop_or_404 reaches it: led or
    co-led by the counselor) and its homework columns, in the order of their first assignment
    (see _GRID_WORKSHOP_AND_COLUMNS), in one light statement; the grid then picks the columns
    it shows before reading their assignments (grid_data)."""
    parameters = {"workshop_id": workshop_id, **counselor_parameters(counselor)}
    rows = plain_rows(_GRID_WORKSHOP_AND_COLUMNS, parameters) or abort(404)
    workshop = GridWorkshop(*rows[0][:_COLUMNS_START])
    # A workshop without homework has one row, without a column (no version).
    columns = [row[_COLUMNS_START:] for row in rows if row[_COLUMNS_START] is not None]
    return workshop, columns


@dataclass
class GridData:
    """What the grid and the review queue's preview show, read as plain rows (see grid_data).
    Times are as stored: naive UTC (see _as_stored)."""

    # Partners (couple_id, id, name, enrolled_at, locked, first_due, first_id), in partner
    # order; the last two: the first homework's, of couples no longer enrolled.
    couples: list
    # The assignments due within the shown columns' times, a row per answer, or one with no
    # answer (its last five None): (assignment id, couple_id, the four parts of its column,
    # answer id, respondent, partner_id, status, submitted_at).
    answers: list
    # The oldest answers waiting for review (at most QUEUE_PREVIEW), oldest first, in rows
    # of the same form; and how many are waiting in all.
    oldest_waiting: list
    waiting_count: int


def grid_data(
    workshop_id: int, couple_ids: list[int], due_between: tuple[datetime, datetime] | None
) -> GridData:
    """The partners of the couples enrolled and of the others of `couple_ids` (those with
    homework here); the homework due `due_between` (the first and last due times, as stored,
    of the columns the grid shows; None: none) with its answers; and the oldest answers
    waiting for review with their number: as plain rows, in two statements whatever the
    workshop's size.

    A workshop has hundreds of assignments and answers, and the grid shows a few of its
    columns and a few of the answers waiting: it reads the rows of those only, and of them
    only what it shows (states and names, not the encrypted answers nor the versions' field
    lists)."""
    workshop = {"workshop_id": workshop_id}
    partners = plain_rows(_GRID_PARTNERS, workshop | {"couple_ids": couple_ids})
    first_due, last_due = due_between or (None, None)  # None: only the waiting answers
    rows = plain_rows(_GRID_ANSWERS, workshop | {"first_due": first_due, "last_due": last_due})
    # Read by position (`waiting`, last): a row's attribute costs ten times as much, and a
    # workshop has hundreds of answers.
    answers = [row for row in rows if row[-1] is None]
    oldest = sorted((row for row in rows if row[-1] is not None), key=_in_queue_order)
    return GridData(partners, answers, oldest, oldest[0][-1] if oldest else 0)


def _in_queue_order(row) -> tuple:
    """_QUEUE_ORDER of a row of _GRID_ANSWERS: submitted first (no time first), then id."""
    submitted_at, answer_id = row[10], row[6]
    return (submitted_at is not None, submitted_at or datetime.min, answer_id)


# --- the review queue page ----------------------------------------------------------------


class QueueWorkshop(NamedTuple):
    """What the review queue's page shows of the workshop itself."""

    id: int
    title: str


def review_queue_or_404(
    workshop_id: int, counselor: User, page: int
) -> tuple[QueueWorkshop, ReadPage]:
    """The workshop (under the access rule of workshops.queries.get_workshop_or_404) and a
    page of the answers waiting for review in it, with their number, in one statement
    (_QUEUE_PAGE). A page past the end (emptied by reviewing, say) is shown empty, not as a
    404; it has no answer to carry the number, which is then 0 (the page says "nothing on
    this page", and the first page tells whether anything is waiting)."""
    page = max(page, 1)
    parameters = {
        "workshop_id": workshop_id,
        "page_size": QUEUE_PAGE_SIZE,
        "page_offset": (page - 1) * QUEUE_PAGE_SIZE,
        **counselor_parameters(counselor),
    }
    rows = plain_rows(_QUEUE_PAGE, parameters) or abort(404)
    workshop = QueueWorkshop(*rows[0][:2])
    answers = queue_answers([row[2:-1] for row in rows if row[2] is not None])
    queue = ReadPage(
        page=page,
        per_page=QUEUE_PAGE_SIZE,
        error_out=False,
        items=answers,
        total=rows[0][-1] or 0,
    )
    return workshop, queue


class QueueAnswer(NamedTuple):
    """An answer waiting for review, with what the queue shows of it."""

    submission_id: int
    assignment_id: int
    partner_id: int | None  # None: answered together
    submitted_at: datetime | None  # as stored (naive UTC)
    title: str
    is_safety_check: bool
    partners: list[tuple[int, str]]  # the couple's (id, name), in partner order


def queue_answers(rows: list) -> list[QueueAnswer]:
    """_QUEUE_PAGE's answer columns (a row per answer and partner of its couple) as
    QueueAnswers."""
    answers: dict[int, QueueAnswer] = {}
    for *answer, partner_id, partner_name in rows:  # in queue order, then partner order
        found = answers.get(answer[0])
        if found is None:
            found = answers[answer[0]] = QueueAnswer(*answer, partners=[])
        found.partners.append((partner_id, partner_name))
    return list(answers.values())


# The grid's statements are built once per process (building one, with its cache key, costs
# about as much Python as running it); the workshop is bound when they run.
_WORKSHOP_ID = bindparam("workshop_id")


def _as_stored(column):
    """A UTC time column as the database holds it (naive), without UTCDateTime's conversion:
    the grid reads hundreds of times only to compare them, which naive UTC times do as well,
    and makes aware just the few it shows."""
    return type_coerce(column, DateTime()).label(column.key)


# The homework columns of the workshop: a row per exercise version, open and due times and
# session given in it, with the ids of the couples given it ("12,15,…": the grid's rows include
# couples no longer enrolled who have homework here, found by id, see _GRID_PARTNERS) and its
# first assignment's id (the columns' order). Grouped before anything is joined to them: a
# workshop has hundreds of assignments and a few dozen columns, and joining the versions to
# each assignment first made the database look a version up per assignment.
_COLUMNS = (
    select(
        Assignment.exercise_version_id,
        _as_stored(Assignment.opens_at),
        _as_stored(Assignment.due_at),
        Assignment.session_id,
        func.aggregate_strings(cast(Assignment.couple_id, String), ",").label("couple_ids"),
        func.min(Assignment.id).label("first_id"),
    )
    .where(Assignment.workshop_id == _WORKSHOP_ID)
    .group_by(
        Assignment.exercise_version_id,
        Assignment.opens_at,
        Assignment.due_at,
        Assignment.session_id,
    )
    .subquery("grid_column")
)
# The workshop (under the access rule of workshops.queries.get_workshop_or_404), then its
# columns in the order of their first assignment (by due time, then id), each with its
# version's title and kinds; a row per column, each with the workshop, or one with the
# workshop and None for a workshop without homework. One statement: the page needs both, and
# another round trip costs more than the workshop's three columns on each row. build_grid
# unpacks the columns in this order: the four that make a column first.
_GRID_WORKSHOP_AND_COLUMNS = (
    select(
        Workshop.id,
        Workshop.title,
        Workshop.timezone,
        _COLUMNS.c.exercise_version_id,
        _COLUMNS.c.opens_at,
        _COLUMNS.c.due_at,
        _COLUMNS.c.session_id,
        ExerciseVersion.title.label("column_title"),
        ExerciseVersion.is_joint.label("is_joint"),
        ExerciseVersion.is_safety_check,
        _COLUMNS.c.couple_ids,
    )
    .select_from(Workshop)
    .outerjoin(_COLUMNS, true())
    .outerjoin(ExerciseVersion, ExerciseVersion.id == _COLUMNS.c.exercise_version_id)
    .where(led_by(COUNSELOR_AS_PARAMETERS), Workshop.id == _WORKSHOP_ID)
    .order_by(_COLUMNS.c.due_at, _COLUMNS.c.first_id)
)
_COLUMNS_START = len(GridWorkshop._fields)  # where a row's column starts

# A couple's first homework here (by due time, then id), asked only of couples no longer
# enrolled: the grid shows their rows in that order.
_THEIR_HOMEWORK = (
    Assignment.workshop_id == _WORKSHOP_ID,
    Assignment.couple_id == User.couple_id,
)
_FIRST_HOMEWORK_DUE = select(func.min(Assignment.due_at)).where(*_THEIR_HOMEWORK).scalar_subquery()
_FIRST_HOMEWORK_ID = (
    select(Assignment.id)
    .where(*_THEIR_HOMEWORK)
    .order_by(Assignment.due_at, Assignment.id)
    .limit(1)
    .scalar_subquery()
)

# Partners of the couples enrolled now (with when), then of the other couples with homework
# here (`couple_ids`; withdrawn since; enrolled_at None; with when their first homework is
# due and its id); `locked`: the couple has an unreviewed safety flag. Two parts, each found
# through an index from a few couples: one condition "enrolled or with homework" (or a join
# with the couples of the workshop's assignments, however few) would make the database read
# every user of every practice.
_ENROLLED_NOW = (
    Enrollment.workshop_id == _WORKSHOP_ID,
    Enrollment.status == EnrollmentStatus.ENROLLED,
)
_GRID_PARTNERS = union_all(
    select(
        User.couple_id,
        User.id,
        User.name,
        Enrollment.enrolled_at,
        couple_locked(User.couple_id).label("locked"),
        null().label("first_due"),
        null().label("first_id"),
    )
    .join(Enrollment, Enrollment.couple_id == User.couple_id)
    .where(*_ENROLLED_NOW),
    select(
        User.couple_id,
        User.id,
        User.name,
        null().label("enrolled_at"),
        couple_locked(User.couple_id).label("locked"),
        _FIRST_HOMEWORK_DUE.label("first_due"),
        _FIRST_HOMEWORK_ID.label("first_id"),
    ).where(
        User.couple_id.in_(bindparam("couple_ids", expanding=True)),
        ~exists().where(Enrollment.couple_id == User.couple_id, *_ENROLLED_NOW),
    ),
).order_by("couple_id", "id")

# The answers waiting for review in a workshop, in the queue's order (the same on the grid's
# preview and on the queue's page): oldest first; submitting sets the time, and an answer
# without one (never expected) comes first, not a 500. Read from the submissions alone (their
# copy of the workshop, its partial index of the waiting ones), counted before the LIMIT; the
# assignments are joined to the few shown. The status is written into the SQL, not bound:
# PostgreSQL plans a prepared statement once for any values of its parameters, and with the
# status a parameter that plan could not use the partial index of the answers waiting.
_QUEUE_ORDER = (Submission.submitted_at.asc().nulls_first(), Submission.id)


def _waiting_here(limit, offset=None):
    """A subquery: the workshop's answers waiting for review, `limit` of them from `offset` in
    the queue's order, each with the number waiting in all (`waiting`)."""
    query = (
        select(
            Submission.id,
            Submission.assignment_id,
            Submission.respondent,
            Submission.partner_id,
            Submission.status,
            _as_stored(Submission.submitted_at),
            func.count().over().label("waiting"),  # counted before the LIMIT
        )
        .where(
            Submission.workshop_id == _WORKSHOP_ID,
            Submission.status == literal(SubmissionStatus.SUBMITTED, String, literal_execute=True),
        )
        .order_by(*_QUEUE_ORDER)
        .limit(limit)
    )
    return (query if offset is None else query.offset(offset)).subquery("waiting_answer")


_ANSWER_COLUMNS = (
    Assignment.id,
    Assignment.couple_id,
    Assignment.exercise_version_id,
    _as_stored(Assignment.opens_at),
    _as_stored(Assignment.due_at),
    Assignment.session_id,
)
# The grid's answers, in one statement of two parts:
# - the assignments due within the shown columns' times (bound as stored: first_due,
#   last_due), a row per answer, without the answers (columns due at the window's edge times
#   but not shown are read too; build_grid leaves them out), `waiting` None;
# - the QUEUE_PREVIEW oldest answers waiting for review, each with the number waiting in all
#   (`waiting`), in no particular order (grid_data puts them in the queue's). Only these: a
#   workshop whose counselors fall behind has hundreds waiting, and the page shows a few and
#   the number. They are a subquery: SQLite takes no LIMIT in a branch of a UNION.
_DUE_AT = type_coerce(Assignment.due_at, DateTime())
_OLDEST_WAITING = _waiting_here(QUEUE_PREVIEW)
_OLDEST = _OLDEST_WAITING.c
_GRID_ANSWERS = union_all(
    select(
        *_ANSWER_COLUMNS,
        Submission.id.label("answer_id"),
        Submission.respondent,
        Submission.partner_id,
        Submission.status,
        _as_stored(Submission.submitted_at),
        null().label("waiting"),
    )
    .outerjoin(Submission, Submission.assignment_id == Assignment.id)
    .where(
        Assignment.workshop_id == _WORKSHOP_ID,
        _DUE_AT.between(
            bindparam("first_due", type_=DateTime()), bindparam("last_due", type_=DateTime())
        ),
    ),
    select(
        *_ANSWER_COLUMNS,
        _OLDEST.id,
        _OLDEST.respondent,
        _OLDEST.partner_id,
        _OLDEST.status,
        _OLDEST.submitted_at,
        _OLDEST.waiting,
    )
    .select_from(_OLDEST_WAITING)
    .join(Assignment, Assignment.id == _OLDEST.assignment_id),
)

# The review queue page's statements. A page of the answers waiting for review in a workshop,
# in the queue's order (as the grid's preview), with their homework's title and kind and their
# couple.
_WAITING_PAGE = _waiting_here(bindparam("page_size"), bindparam("page_offset"))
_WAITING_ON_PAGE = _WAITING_PAGE.c
_ANSWERS_ON_PAGE = (
    select(
        _WAITING_ON_PAGE.id,
        _WAITING_ON_PAGE.assignment_id,
        _WAITING_ON_PAGE.partner_id,
        _WAITING_ON_PAGE.submitted_at,
        ExerciseVersion.title,
        ExerciseVersion.is_safety_check,
        Assignment.couple_id,
        _WAITING_ON_PAGE.waiting,
    )
    .select_from(_WAITING_PAGE)
    .join(Assignment, Assignment.id == _WAITING_ON_PAGE.assignment_id)
    .join(ExerciseVersion, ExerciseVersion.id == Assignment.exercise_version_id)
    .subquery("queue_answer")
)
# The workshop (under led_by), then a row per answer on the page and partner of its couple, in
# queue order (queue_answers reads them so), each with the number of answers waiting; one row
# with the workshop and None (no number either) for a page without answers. One statement: the
# page needs both, and a round trip costs more than the workshop's two columns on each row.
_PAGE = _ANSWERS_ON_PAGE.c
_QUEUE_PAGE = (
    select(
        Workshop.id,
        Workshop.title,
        _PAGE.id,
        _PAGE.assignment_id,
        _PAGE.partner_id,
        _PAGE.submitted_at,
        _PAGE.title,
        _PAGE.is_safety_check,
        User.id,
        User.name,
        _PAGE.waiting,
    )
    .select_from(Workshop)
    .outerjoin(_ANSWERS_ON_PAGE, true())
    .outerjoin(User, User.couple_id == _PAGE.couple_id)
    .where(led_by(COUNSELOR_AS_PARAMETERS), Workshop.id == _WORKSHOP_ID)
    .order_by(_PAGE.submitted_at.asc().nulls_first(), _PAGE.id, User.id)
)
