"""Scoped reads for assigning and reviewing homework: a counselor reaches the assignments of the
workshops they lead or co-lead, and assigns only built-in exercises or their own."""

from dataclasses import dataclass

from flask import abort
from sqlalchemy import case, or_, select
from sqlalchemy.orm import joinedload, selectinload

from workshop.exercises.queries import built_in, written_by
from workshop.extensions import db
from workshop.models import (
    Assignment,
    Couple,
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


def assignments_of(workshop_id: int) -> list[Assignment]:
    """Every assignment of the workshop, with versions, submissions and couples loaded.

    The grid shows states, never answers or questions: the encrypted answers (a decryption
    each) and the versions' field lists stay unloaded; a few versions are shared by hundreds
    of assignments, so they load once each (selectin), not once per row (joined)."""
    query = (
        select(Assignment)
        .where(Assignment.workshop_id == workshop_id)
        .options(
            selectinload(Assignment.exercise_version).defer(ExerciseVersion.fields),
            selectinload(Assignment.submissions).defer(Submission.answers),
            selectinload(Assignment.couple).selectinload(Couple.partners),
        )
        .order_by(Assignment.due_at, Assignment.id)
    )
    return list(db.session.scalars(query))


def review_queue(workshop_id: int, page: int):
    """Submitted answers not yet reviewed, oldest first, one page of them.

    Call it after assignments_of(workshop_id), as the grid does: each answer's assignment,
    couple and partner are then already in the session, and reading them costs no statement
    (many-to-one by primary key), so the page needs no eager loading of its own."""
    query = (
        select(Submission)
        .join(Submission.assignment)
        .where(
            Assignment.workshop_id == workshop_id, Submission.status == SubmissionStatus.SUBMITTED
        )
        .order_by(Submission.submitted_at, Submission.id)
    )
    # A page emptied by reviewing is shown as empty, not as a 404.
    return db.paginate(query, page=page, per_page=QUEUE_PAGE_SIZE, error_out=False)


def flagged_couple_ids(couple_ids) -> set[int]:
    """Which of these couples have a safety flag the counselor has not reviewed yet."""
    ids = list(couple_ids)
    if not ids:
        return set()
    query = select(SafetyFlag.couple_id).where(
        SafetyFlag.couple_id.in_(ids), SafetyFlag.reviewed_at.is_(None)
    )
    return set(db.session.scalars(query))


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
