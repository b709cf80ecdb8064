"""Rules for homework: versions, assignments, drafts, submissions, review, safety flags."""

import copy
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, exists, select
from sqlalchemy.orm.exc import StaleDataError

from workshop.extensions import db
from workshop.homework.fields import MEASURES, check_answers, signals_risk
from workshop.models import (
    JOINT_RESPONDENT,
    AnswerMode,
    Assignment,
    Couple,
    Exercise,
    ExerciseVersion,
    MeasurePoint,
    SafetyFlag,
    Stage,
    SubmissionStatus,
    User,
    Workshop,
    WorkshopSession,
    utcnow,
)
from workshop.models import Submission as SubmissionModel
from workshop.workshops.queries import led_by

VERSIONED_COLUMNS = ("title", "instructions", "mode", "visibility", "is_safety_check", "fields")


class StaleDraft(Exception):
    """The draft was saved elsewhere (another tab) after this form was opened."""


class InvalidAnswers(Exception):
    """Some answers do not fit their fields; `errors` maps field keys to messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


class NotEditable(Exception):
    """The submission is submitted or reviewed: it is read-only until reopened."""


class Locked(Exception):
    """A joint exercise waits until the counselor has reviewed a safety check-in."""


class NotOpenYet(Exception):
    """The assignment opens later."""


# --- the library and versions ----------------------------------------------------------------


def sync_library() -> int:
    """Insert or refresh the built-in exercises from workshop/homework/library.py."""
    from workshop.homework.library import LIBRARY

    stages = {stage.key: stage.id for stage in db.session.scalars(select(Stage))}
    built_ins = select(Exercise).where(Exercise.key.isnot(None))
    existing = {exercise.key: exercise for exercise in db.session.scalars(built_ins)}
    changed = 0
    for data in LIBRARY:
        exercise = existing.get(data["key"]) or Exercise(key=data["key"])
        wanted = {
            "stage_id": stages[data["stage"]],
            "title": data["title"],
            "instructions": data["instructions"],
            "mode": data["mode"],
            "visibility": data["visibility"],
            "is_safety_check": data.get("safety", False),
            # A copy: the exercise must never share (and so mutate) the module's own lists.
            "fields": copy.deepcopy(data["fields"]),
        }
        if exercise.id is None or any(getattr(exercise, k) != v for k, v in wanted.items()):
            for name, value in wanted.items():
                setattr(exercise, name, value)
            exercise.updated_at = utcnow()
            db.session.add(exercise)
            changed += 1
    return changed


def current_version(exercise: Exercise) -> ExerciseVersion:
    """The frozen version matching the exercise's working copy, made if there is none yet."""
    latest = exercise.versions[-1] if exercise.versions else None
    if latest is not None and all(
        getattr(latest, name) == getattr(exercise, name) for name in VERSIONED_COLUMNS
    ):
        return latest
    version = ExerciseVersion(
        exercise=exercise,
        number=(latest.number + 1) if latest else 1,
        # A deep copy: the frozen version shares nothing with the working copy.
        **{name: copy.deepcopy(getattr(exercise, name)) for name in VERSIONED_COLUMNS},
    )
    db.session.add(version)
    return version


# --- assigning ---------------------------------------------------------------------------------


@dataclass
class AssignmentRequest:
    exercise: Exercise
    workshop: Workshop
    couples: list[Couple]
    session: WorkshopSession | None
    opens_at: datetime
    due_at: datetime
    extra_instructions: str


def assign(request: AssignmentRequest, counselor: User) -> list[Assignment]:
    """Give the exercise (its current version) to each couple; partners are emailed. A couple
    that already has this very assignment (a resent form) is skipped: only new ones return."""
    from workshop.homework import notifications

    version = current_version(request.exercise)
    given = _already_given(request, version)
    assignments = []
    for couple in request.couples:
        if couple.id in given:
            continue
        assignment = Assignment(
            workshop_id=request.workshop.id,
            couple_id=couple.id,
            exercise_version=version,
            session_id=request.session.id if request.session else None,
            opens_at=request.opens_at,
            due_at=request.due_at,
            extra_instructions=request.extra_instructions,
            assigned_by_id=counselor.id,
        )
        db.session.add(assignment)
        assignments.append(assignment)
    db.session.flush()
    for assignment in assignments:
        notifications.assignment_given(assignment)
    return assignments


def _already_given(request: AssignmentRequest, version: ExerciseVersion) -> set[int]:
    """Couples of the workshop holding this version with the same times and session."""
    if version.id is None:
        return set()  # a version made just now was given to nobody yet
    query = select(Assignment.couple_id).where(
        Assignment.workshop_id == request.workshop.id,
        Assignment.exercise_version_id == version.id,
        Assignment.opens_at == request.opens_at,
        Assignment.due_at == request.due_at,
        Assignment.session_id == (request.session.id if request.session else None),
    )
    return set(db.session.scalars(query))


# --- partners' answers -------------------------------------------------------------------------


def respondent_for(assignment: Assignment, partner: User) -> str:
    """Whose submission a partner writes: their own, or the couple's joint one."""
    return respondent_of(assignment.exercise_version.is_joint, partner.id)


def respondent_of(is_joint: bool, partner_id: int) -> str:
    """respondent_for from plain values, for lists that read rows."""
    return JOINT_RESPONDENT if is_joint else f"p{partner_id}"


def respondent_column(own):
    """respondent_for in SQL, for a query that joins the assignment's ExerciseVersion. `own` is
    the partner's own respondent, respondent_of(False, partner id): a value or a bound parameter
    (so that a statement built once serves every partner)."""
    return case((ExerciseVersion.is_joint, JOINT_RESPONDENT), else_=own)


def submission_for(assignment: Assignment, partner: User) -> SubmissionModel | None:
    respondent = respondent_for(assignment, partner)
    return next((s for s in assignment.submissions if s.respondent == respondent), None)


def couple_is_locked(couple_id: int) -> bool:
    """Whether a safety check-in flagged this couple and the counselor has not reviewed it."""
    return bool(db.session.scalar(select(couple_locked(couple_id))))


def couple_locked(couple_id):
    """couple_is_locked as a SQL expression, for a list query that reads it as a column."""
    return exists().where(SafetyFlag.couple_id == couple_id, SafetyFlag.reviewed_at.is_(None))


def check_can_answer(assignment: Assignment, now: datetime) -> None:
    if assignment.opens_at > now:
        raise NotOpenYet
    if assignment.exercise_version.is_joint and couple_is_locked(assignment.couple_id):
        raise Locked


def save_answers(
    assignment: Assignment, partner: User, raw: dict, seen_version: int | None, submit: bool
) -> SubmissionModel:
    """Save a draft (submit=False) or submit. The same submission row is reused, so a double
    click or a resent POST never makes a second one; a save based on an older version of the
    draft is refused (StaleDraft) so two tabs cannot overwrite each other."""
    if partner.couple_id != assignment.couple_id:
        # Views load assignments through the partner's scoped query; this is the second lock.
        raise PermissionError("a partner answers only their own couple's homework")
    now = utcnow()
    check_can_answer(assignment, now)
    submission = submission_for(assignment, partner)
    if submission is not None and submission.status != SubmissionStatus.DRAFT:
        raise NotEditable
    if submission is not None and seen_version is not None and seen_version != submission.version:
        raise StaleDraft
    answers, errors = check_answers(assignment.exercise_version.fields, raw, require=submit)
    if errors:
        raise InvalidAnswers(errors)
    if submission is None:
        submission = SubmissionModel(
            assignment=assignment,
            respondent=respondent_for(assignment, partner),
            partner_id=None if assignment.exercise_version.is_joint else partner.id,
            version=0,
        )
        db.session.add(submission)
    submission.answers = answers
    submission.version += 1
    submission.updated_at = now
    submission.last_edited_by_id = partner.id
    if submit:
        _mark_submitted(submission, now)
    try:
        db.session.flush()
    except StaleDataError as raced:
        # Another save of this very version (another tab, the other partner on a joint
        # exercise) was written first: refuse this one like any stale save.
        raise StaleDraft from raced
    return submission


def _mark_submitted(submission: SubmissionModel, now: datetime) -> None:
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = now
    assignment = submission.assignment
    version = assignment.exercise_version
    for field in version.fields:
        value = submission.answers.get(field["key"])
        if field["type"] == "scale" and field.get("measure") in MEASURES and value is not None:
            db.session.add(
                MeasurePoint(
                    submission=submission,
                    couple_id=assignment.couple_id,
                    partner_id=submission.partner_id,
                    measure=field["measure"],
                    value=value,
                    scale_min=field["min"],
                    scale_max=field["max"],
                    recorded_at=now,
                )
            )
    if version.is_safety_check and any(
        signals_risk(field, submission.answers.get(field["key"])) for field in version.fields
    ):
        db.session.add(SafetyFlag(couple_id=assignment.couple_id, submission=submission))


# --- the counselor's review --------------------------------------------------------------------


def review(submission: SubmissionModel, counselor: User, feedback: str) -> bool:
    """Write feedback and mark the submission reviewed; False when that was already so (a
    resent form keeps the first review's time)."""
    if submission.status == SubmissionStatus.DRAFT:
        raise NotEditable
    if submission.status == SubmissionStatus.REVIEWED and submission.feedback == feedback:
        return False
    submission.feedback = feedback
    submission.status = SubmissionStatus.REVIEWED
    submission.reviewed_at = utcnow()
    submission.reviewed_by_id = counselor.id
    return True


def reopen(submission: SubmissionModel) -> bool:
    """Give a submitted answer back to the partner as a draft; its progress data goes too.
    False when it already is a draft (a resent form changes nothing)."""
    if submission.status == SubmissionStatus.DRAFT:
        return False
    submission.status = SubmissionStatus.DRAFT
    submission.submitted_at = None
    submission.version += 1
    for point in db.session.scalars(
        select(MeasurePoint).where(MeasurePoint.submission_id == submission.id)
    ):
        db.session.delete(point)
    return True


def mark_safety_reviewed(couple: Couple, counselor: User) -> int:
    """Clear the couple's open safety flags that this counselor can read (check-ins given in
    a workshop they lead or co-lead), unlocking joint exercises; returns how many. A flag
    raised in a colleague's workshop waits for that colleague: nobody clears what they have
    not read."""
    query = select(SafetyFlag).where(
        SafetyFlag.couple_id == couple.id,
        SafetyFlag.reviewed_at.is_(None),
        SafetyFlag.submission_id.in_(checkins_readable_by(counselor)),
    )
    flags = list(db.session.scalars(query))
    now = utcnow()
    for flag in flags:
        flag.reviewed_at, flag.reviewed_by_id = now, counselor.id
    return len(flags)


def checkins_readable_by(counselor: User):
    """Subquery: ids of submissions to assignments of workshops the counselor leads."""
    return (
        select(SubmissionModel.id)
        .join(Assignment, Assignment.id == SubmissionModel.assignment_id)
        .join(Workshop, Workshop.id == Assignment.workshop_id)
        .where(led_by(counselor))
    )


# --- what a partner may read -------------------------------------------------------------------


def readable_other_answers(assignment: Assignment, partner: User) -> SubmissionModel | None:
    """The other partner's submission, when the exercise lets this partner read it: individual,
    not a safety check-in, visibility "after both", and both have submitted."""
    version = assignment.exercise_version
    if version.is_joint or version.is_safety_check or version.visibility != "after_both":
        return None
    mine = submission_for(assignment, partner)
    others = [
        s
        for s in assignment.submissions
        if s.respondent != f"p{partner.id}" and s.respondent != JOINT_RESPONDENT
    ]
    if mine is None or mine.status == SubmissionStatus.DRAFT or not others:
        return None
    other = others[0]
    return None if other.status == SubmissionStatus.DRAFT else other


def partner_state(assignment: Assignment, partner: User, now: datetime) -> str:
    """not_started, draft, submitted, reviewed or overdue, for one partner's part."""
    submission = submission_for(assignment, partner)
    return state_from(submission.status if submission else None, assignment.due_at, now)


def state_from(status: str | None, due_at: datetime, now: datetime) -> str:
    """partner_state from plain values, for lists that read rows: the status of the partner's
    part (None when nothing is saved yet) and the assignment's due time."""
    if status in (SubmissionStatus.SUBMITTED, SubmissionStatus.REVIEWED):
        return status
    if due_at < now:
        return "overdue"
    return status or "not_started"


__all__ = ["AnswerMode"]
