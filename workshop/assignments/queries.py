"""Scoped reads for assigning and reviewing homework: a counselor reaches the assignments of the
workshops they lead or co-lead, and assigns only built-in exercises or their own."""

from dataclasses import dataclass

from flask import abort
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import bindparam, case, exists, null, or_, select, union_all
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
    SafetyFlag,
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
    """What the grid shows, read as plain rows (see grid_data)."""

    couples: list  # partners (couple_id, id, name, enrolled_at, locked), in partner order
    assignments: list  # (id, couple_id, the four parts of its column, title, is_joint)
    submissions: list  # (assignment_id, respondent, status)

    @property
    def waiting(self) -> int:
        """How many answers wait for review (are submitted): the review queue's length."""
        return [status for _, _, status in self.submissions].count(SubmissionStatus.SUBMITTED)


def grid_data(workshop_id: int) -> GridData:
    """The workshop's homework as plain rows, in three statements whatever its size.

    Hundreds of assignments and their answers make an ORM object each; the grid only shows
    states and names, so it reads just those columns. The encrypted answers (a decryption
    each) and the versions' field lists are never read."""
    workshop = {"workshop_id": workshop_id}
    assignments = list(db.session.execute(_GRID_ASSIGNMENTS, workshop))
    with_homework = list({a.couple_id for a in assignments})
    partners = db.session.execute(_GRID_PARTNERS, workshop | {"couple_ids": with_homework})
    statuses = db.session.execute(_GRID_STATUSES, workshop)
    return GridData(list(partners), assignments, list(statuses))


class QueuePage(Pagination):
    """One page of the review queue: submitted answers not yet reviewed, oldest first, as
    plain rows (submission id, assignment id, partner_id, submitted_at, couple_id, title,
    is_safety_check); Flask-SQLAlchemy's pager logic. The total is counted by the caller
    from the statuses it read for the grid (GridData.waiting), so a page costs one statement."""

    def _query_items(self) -> list:
        params = {
            "workshop_id": self._query_args["workshop_id"],
            "limit": self.per_page,
            "offset": self._query_offset,
        }
        return list(db.session.execute(_REVIEW_QUEUE, params))

    def _query_count(self) -> int:
        return self._query_args["total"]


def review_queue(workshop_id: int, page: int, total: int) -> QueuePage:
    """A page emptied by reviewing is shown as empty, not as a 404."""
    return QueuePage(
        page=page, per_page=QUEUE_PAGE_SIZE, error_out=False, workshop_id=workshop_id, total=total
    )


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

# The assignments in due order, with their exercise version's title and kind. build_grid
# unpacks these columns in this order: id, couple, the four that make a column, the rest.
_GRID_ASSIGNMENTS = (
    select(
        Assignment.id,
        Assignment.couple_id,
        Assignment.exercise_version_id,
        Assignment.opens_at,
        Assignment.due_at,
        Assignment.session_id,
        ExerciseVersion.title,
        ExerciseVersion.is_joint.label("is_joint"),
    )
    .join(ExerciseVersion, ExerciseVersion.id == Assignment.exercise_version_id)
    .where(Assignment.workshop_id == _WORKSHOP_ID)
    .order_by(Assignment.due_at, Assignment.id)
)

# Every answer's state, without the answers.
_GRID_STATUSES = (
    select(Submission.assignment_id, Submission.respondent, Submission.status)
    .join(Assignment, Assignment.id == Submission.assignment_id)
    .where(Assignment.workshop_id == _WORKSHOP_ID)
)

_REVIEW_QUEUE = (
    select(
        Submission.id,
        Submission.assignment_id,
        Submission.partner_id,
        Submission.submitted_at,
        Assignment.couple_id,
        ExerciseVersion.title,
        ExerciseVersion.is_safety_check,
    )
    .join(Assignment, Assignment.id == Submission.assignment_id)
    .join(ExerciseVersion, ExerciseVersion.id == Assignment.exercise_version_id)
    .where(Assignment.workshop_id == _WORKSHOP_ID, Submission.status == SubmissionStatus.SUBMITTED)
    .order_by(Submission.submitted_at, Submission.id)
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)


def open_safety_flags(couple_id: int, counselor: User) -> list[tuple[SafetyFlag, int | None]]:
    """The couple's unreviewed safety flags, each with its check-in's assignment id when this
    counselor may read it (None: raised in a colleague's workshop)."""
    # Joined row by row (not `IN (every check-in this counselor may read)`), so the database
    # reads this couple's few flags instead of scanning all submissions.
    readable = case((led_by(counselor), Submission.assignment_id), else_=None)
    query = (
        select(SafetyFlag, readable)
        .join(Submission, Submission.id == SafetyFlag.submission_id)
        .join(Assignment, Assignment.id == Submission.assignment_id)
        .join(Workshop, Workshop.id == Assignment.workshop_id)
        .where(SafetyFlag.couple_id == couple_id, SafetyFlag.reviewed_at.is_(None))
        .order_by(SafetyFlag.raised_at, SafetyFlag.id)
    )
    return [(flag, assignment_id) for flag, assignment_id in db.session.execute(query)]
