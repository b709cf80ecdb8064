"""Scoped reads for assigning and reviewing homework: a counselor reaches the assignments of the
workshops they lead or co-lead, and assigns only built-in exercises or their own."""

from dataclasses import dataclass
from datetime import datetime

from flask import abort
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import DateTime, bindparam, exists, null, or_, select, type_coerce, union_all
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
from workshop.scheduling.queries import enrolled_couples
from workshop.workshops.queries import led_by, sessions_of

QUEUE_PAGE_SIZE = 20


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


@dataclass
class GridData:
    """What the grid and the review queue show, read as plain rows (see grid_data). Times are
    as stored: naive UTC (see _as_stored)."""

    couples: list  # partners (couple_id, id, name, enrolled_at, locked), in partner order
    assignments: list  # (id, couple_id, the four parts of its column, title, is_joint, ...)
    submissions: list  # (id, assignment_id, respondent, partner_id, status, submitted_at)

    def waiting(self) -> list:
        """The answers waiting for review (submitted), oldest first: the review queue."""
        # Read by position (status, then submitted_at and id): a row's attribute costs ten
        # times as much, and a workshop has hundreds of answers.
        submitted = [s for s in self.submissions if s[4] == SubmissionStatus.SUBMITTED]
        # Submitting sets the time; a row without one (never expected) comes first, not a 500.
        return sorted(submitted, key=lambda s: (s[5] or datetime.min, s[0]))


def grid_data(workshop_id: int) -> GridData:
    """The workshop's homework as plain rows, in three statements whatever its size.

    Hundreds of assignments and their answers make an ORM object each; the grid only shows
    states and names, so it reads just those columns. The encrypted answers (a decryption
    each) and the versions' field lists are never read. The review queue is made from the
    same answers' states (GridData.waiting): a statement of its own would read them again."""
    workshop = {"workshop_id": workshop_id}
    assignments = list(db.session.execute(_GRID_ASSIGNMENTS, workshop))
    with_homework = list({a[1] for a in assignments})  # couple_id; by position, as above
    partners = db.session.execute(_GRID_PARTNERS, workshop | {"couple_ids": with_homework})
    submissions = db.session.execute(_GRID_SUBMISSIONS, workshop)
    return GridData(list(partners), assignments, list(submissions))


class QueuePage(Pagination):
    """One page of the review queue (GridData.waiting, rows of GridData.submissions), with
    Flask-SQLAlchemy's pager logic: no statement of its own."""

    def _query_items(self) -> list:
        start = self._query_offset
        return self._query_args["waiting"][start : start + self.per_page]

    def _query_count(self) -> int:
        return len(self._query_args["waiting"])


def review_queue(data: GridData, page: int) -> QueuePage:
    """A page emptied by reviewing is shown as empty, not as a 404."""
    return QueuePage(page=page, per_page=QUEUE_PAGE_SIZE, error_out=False, waiting=data.waiting())


# The grid's statements are built once per process (building one, with its cache key, costs
# about as much Python as running it); the workshop is bound when they run.
_WORKSHOP_ID = bindparam("workshop_id")

# Partners of the couples enrolled now (with when), then of the other couples with homework
# here (withdrawn since; enrolled_at None); `locked`: the couple has an unreviewed safety flag.
# Two parts, each found through an index from a few couples: one condition "enrolled or with
# homework" would make the database read every user of every practice.
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
    )
    .join(Enrollment, Enrollment.couple_id == User.couple_id)
    .where(*_ENROLLED_NOW),
    select(
        User.couple_id,
        User.id,
        User.name,
        null().label("enrolled_at"),
        couple_locked(User.couple_id).label("locked"),
    ).where(
        User.couple_id.in_(bindparam("couple_ids", expanding=True)),
        ~exists().where(Enrollment.couple_id == User.couple_id, *_ENROLLED_NOW),
    ),
).order_by("couple_id", "id")


def _as_stored(column):
    """A UTC time column as the database holds it (naive), without UTCDateTime's conversion:
    the grid reads hundreds of times only to compare them, which naive UTC times do as well,
    and makes aware just the few it shows."""
    return type_coerce(column, DateTime()).label(column.key)


# The assignments in due order, with their exercise version's title and kinds. build_grid
# unpacks these columns in this order: id, couple, the four that make a column, the rest.
_GRID_ASSIGNMENTS = (
    select(
        Assignment.id,
        Assignment.couple_id,
        Assignment.exercise_version_id,
        _as_stored(Assignment.opens_at),
        _as_stored(Assignment.due_at),
        Assignment.session_id,
        ExerciseVersion.title,
        ExerciseVersion.is_joint.label("is_joint"),
        ExerciseVersion.is_safety_check,
    )
    .join(ExerciseVersion, ExerciseVersion.id == Assignment.exercise_version_id)
    .where(Assignment.workshop_id == _WORKSHOP_ID)
    .order_by(Assignment.due_at, Assignment.id)
)

# Every answer's state and what the review queue shows of it, without the answers.
_GRID_SUBMISSIONS = (
    select(
        Submission.id,
        Submission.assignment_id,
        Submission.respondent,
        Submission.partner_id,
        Submission.status,
        _as_stored(Submission.submitted_at),
    )
    .join(Assignment, Assignment.id == Submission.assignment_id)
    .where(Assignment.workshop_id == _WORKSHOP_ID)
)
