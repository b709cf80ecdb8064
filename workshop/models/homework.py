"""Exercises (with immutable versions), assignments to couples, and partners' submissions."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.crypto import EncryptedJSON
from workshop.extensions import db
from workshop.models.curriculum import Stage
from workshop.models.people import Couple, User
from workshop.models.types import UTCDateTime, utcnow
from workshop.models.workshops import Workshop, WorkshopSession


class AnswerMode(StrEnum):
    INDIVIDUAL = "individual"  # each partner answers on their own
    JOINT = "joint"  # the couple answers once, together


class Visibility(StrEnum):
    """Who besides the counselor may read an individual answer."""

    PRIVATE = "private"  # never the other partner
    AFTER_BOTH = "after_both"  # the other partner, once both have submitted


class SubmissionStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    REVIEWED = "reviewed"


JOINT_RESPONDENT = "joint"


class Exercise(db.Model):
    """A homework exercise. Its working copy is edited freely; assigning freezes a version."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # Built-in exercises belong to no practice and have a stable key; counselors' own do.
    practice_id: Mapped[int | None] = mapped_column(ForeignKey("practice.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    key: Mapped[str | None] = mapped_column(String(60), unique=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    instructions: Mapped[str] = mapped_column(Text, default="")
    mode: Mapped[str] = mapped_column(String(20), default=AnswerMode.INDIVIDUAL)
    visibility: Mapped[str] = mapped_column(String(20), default=Visibility.PRIVATE)
    is_safety_check: Mapped[bool] = mapped_column(default=False)
    fields: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    stage: Mapped[Stage] = relationship()
    versions: Mapped[list["ExerciseVersion"]] = relationship(
        back_populates="exercise", order_by="ExerciseVersion.number"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_builtin(self) -> bool:
        return self.owner_id is None


class ExerciseVersion(db.Model):
    """A frozen copy of an exercise as it was assigned; never changed afterwards."""

    __table_args__ = (UniqueConstraint("exercise_id", "number", name="uq_exercise_version_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercise.id"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(120))
    instructions: Mapped[str] = mapped_column(Text, default="")
    mode: Mapped[str] = mapped_column(String(20))
    visibility: Mapped[str] = mapped_column(String(20))
    is_safety_check: Mapped[bool] = mapped_column(default=False)
    fields: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    exercise: Mapped[Exercise] = relationship(back_populates="versions")

    @hybrid_property
    def is_joint(self) -> bool:  # a hybrid: list queries read it as a column too
        return self.mode == AnswerMode.JOINT


# A submission's assignment by id alone: the key that holds them together also holds the
# workshop (Submission.workshop_id), which loading them by id need not compare.
_BY_ASSIGNMENT_ID = "Assignment.id == foreign(Submission.assignment_id)"


class Assignment(db.Model):
    """One exercise version given to one couple, with its open and due times."""

    # The homework grid reads the assignments of one workshop due within its column window: a
    # range of this index (which serves every lookup by workshop alone too).
    __table_args__ = (
        CheckConstraint("due_at > opens_at", name="due_after_open"),
        db.Index("ix_assignment_workshop_id_due_at", "workshop_id", "due_at"),
        # What a submission's (assignment_id, workshop_id) refers to: see Submission.workshop_id.
        UniqueConstraint("id", "workshop_id", name="uq_assignment_id_workshop_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"))
    couple_id: Mapped[int] = mapped_column(ForeignKey("couple.id"), index=True)
    exercise_version_id: Mapped[int] = mapped_column(ForeignKey("exercise_version.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("workshop_session.id"), index=True)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    extra_instructions: Mapped[str] = mapped_column(Text, default="")
    assigned_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    workshop: Mapped[Workshop] = relationship()
    couple: Mapped[Couple] = relationship()
    exercise_version: Mapped[ExerciseVersion] = relationship()
    session: Mapped[WorkshopSession | None] = relationship()
    submissions: Mapped[list["Submission"]] = relationship(
        back_populates="assignment", primaryjoin=_BY_ASSIGNMENT_ID
    )


class Submission(db.Model):
    """A partner's (or the couple's joint) answers to an assignment: draft, then submitted."""

    __table_args__ = (
        # respondent: "p<partner id>" or "joint"; one submission each, however often it is sent.
        UniqueConstraint("assignment_id", "respondent", name="uq_submission_respondent"),
        CheckConstraint("status IN ('draft', 'submitted', 'reviewed')", name="status_known"),
        # The copy of the assignment's workshop is the assignment's, whatever writes it.
        ForeignKeyConstraint(
            ["assignment_id", "workshop_id"],
            ["assignment.id", "assignment.workshop_id"],
            name="fk_submission_assignment_workshop",
        ),
        # A workshop's answers waiting for review, in the queue's order: the grid and the
        # review queue count them and show the oldest, reading only these entries (not
        # every assignment of the workshop, which grows with every week it runs).
        Index(
            "ix_submission_waiting_workshop_id",
            "workshop_id",
            "submitted_at",
            "id",
            postgresql_where=text("status = 'submitted'"),
            sqlite_where=text("status = 'submitted'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Refers to its assignment through the composite key above (no key of its own: it would
    # check the same row twice on every insert).
    assignment_id: Mapped[int] = mapped_column(index=True)
    # The assignment's workshop, copied (it never changes, and the composite key keeps the copy
    # true): the answers waiting in a workshop are then found without its assignments. Set
    # from the assignment when inserted (_copy_workshop).
    workshop_id: Mapped[int]
    respondent: Mapped[str] = mapped_column(String(20))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=SubmissionStatus.DRAFT, index=True)
    # Encrypted: private answers and safety check-ins are among the most sensitive data here.
    answers: Mapped[dict] = mapped_column(EncryptedJSON, default=dict)
    last_edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    feedback: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    # Raised on every save; a save made on an older version is refused (two tabs, one draft).
    version: Mapped[int] = mapped_column(default=1)

    assignment: Mapped[Assignment] = relationship(
        back_populates="submissions", primaryjoin=_BY_ASSIGNMENT_ID
    )
    partner: Mapped[User | None] = relationship(foreign_keys=[partner_id])

    # The services raise `version` themselves; the mapper adds "WHERE version = <as read>" to
    # every UPDATE, so of two saves of one version that race, the later fails (StaleDataError)
    # instead of overwriting the first or submitting twice.
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


@event.listens_for(Submission, "before_insert")
def _copy_workshop(_mapper, _connection, submission: Submission) -> None:
    """A new submission takes its assignment's workshop (inserted before it, so known by now),
    whoever made it: the answer form, the demo, a test."""
    if submission.workshop_id is None:
        submission.workshop_id = submission.assignment.workshop_id


class MeasurePoint(db.Model):
    """A tagged scale answer (trust, hope, ...) as progress data, written when submitted."""

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id"), index=True)
    couple_id: Mapped[int] = mapped_column(ForeignKey("couple.id"), index=True)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    measure: Mapped[str] = mapped_column(String(30))
    value: Mapped[int]
    scale_min: Mapped[int]
    scale_max: Mapped[int]
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    submission: Mapped[Submission] = relationship()


class SafetyFlag(db.Model):
    """A safety check-in answer that signals risk: the counselor must review it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    couple_id: Mapped[int] = mapped_column(ForeignKey("couple.id"), index=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id"), index=True)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)

    submission: Mapped[Submission] = relationship()


class AssignmentReminder(db.Model):
    """A "due tomorrow" email already sent: once per partner per due time."""

    __table_args__ = (
        UniqueConstraint(
            "assignment_id", "partner_id", "due_at", name="uq_assignment_reminder_once"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
