"""Workshops, their counselors, enrolled couples and scheduled sessions."""

from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.extensions import db
from workshop.models.curriculum import Stage
from workshop.models.people import Couple, User
from workshop.models.types import UTCDateTime, utcnow


class WorkshopFormat(StrEnum):
    GROUP = "group"
    COUPLE = "couple"


class WorkshopStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class EnrollmentStatus(StrEnum):
    ENROLLED = "enrolled"
    WITHDRAWN = "withdrawn"


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"


def session_title_of(stage_titles) -> str:
    """A session's title from its stages' titles in stage order (WorkshopSession.title, for
    plain rows): "Rebuilding trust" or "Keeping positive + Don't rush"."""
    return " + ".join(stage_titles) or "Session"


class Workshop(db.Model):
    __table_args__ = (
        CheckConstraint("format IN ('group', 'couple')", name="format_known"),
        CheckConstraint("capacity >= 1", name="capacity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    format: Mapped[str] = mapped_column(String(20), default=WorkshopFormat.GROUP)
    location: Mapped[str] = mapped_column(String(200), default="")
    video_url: Mapped[str] = mapped_column(String(500), default="")
    timezone: Mapped[str] = mapped_column(String(64))
    capacity: Mapped[int] = mapped_column(default=8)
    status: Mapped[str] = mapped_column(String(20), default=WorkshopStatus.ACTIVE, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    lead: Mapped[User] = relationship(foreign_keys=[lead_id])
    co_counselors: Mapped[list[User]] = relationship(
        secondary="workshop_counselor", order_by=User.name
    )
    enrollments: Mapped[list["Enrollment"]] = relationship(back_populates="workshop")
    sessions: Mapped[list["WorkshopSession"]] = relationship(
        back_populates="workshop", order_by="WorkshopSession.starts_at"
    )

    __mapper_args__ = {"version_id_col": version}

    def is_led_by(self, user: User) -> bool:
        """Whether the user leads or co-leads this workshop."""
        return user.id == self.lead_id or any(c.id == user.id for c in self.co_counselors)


class WorkshopCounselor(db.Model):
    """A co-counselor of a workshop (the lead is on the workshop itself)."""

    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), primary_key=True)
    counselor_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True, index=True)


class Enrollment(db.Model):
    __table_args__ = (
        UniqueConstraint("workshop_id", "couple_id", name="uq_enrollment_workshop_couple"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), index=True)
    couple_id: Mapped[int] = mapped_column(ForeignKey("couple.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=EnrollmentStatus.ENROLLED)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    workshop: Mapped[Workshop] = relationship(back_populates="enrollments")
    couple: Mapped[Couple] = relationship()


class WorkshopSession(db.Model):
    """One meeting of a workshop. Called WorkshopSession to stay clear of web and DB sessions."""

    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        # scheduling.services.MAX_DURATION, held by the database too: the pages find the
        # sessions under way by their start (scheduling.queries.start_bounds), which misses a
        # longer one. PostgreSQL only, where production runs: SQLite has no interval type and
        # compares its stored times as text.
        CheckConstraint(
            "ends_at <= starts_at + interval '8 hours'", name="lasts_at_most_8_hours"
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # Stored, not derived from a duration, so overlap checks are one plain query on any database.
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    location: Mapped[str] = mapped_column(String(200), default="")
    video_url: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(20), default=SessionStatus.SCHEDULED)
    # RFC 5545 SEQUENCE: raised on every change a calendar client must notice.
    ics_sequence: Mapped[int] = mapped_column(default=0)
    overlap_confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    workshop: Mapped[Workshop] = relationship(back_populates="sessions")
    stages: Mapped[list[Stage]] = relationship(secondary="session_stage", order_by=Stage.position)
    attendance: Mapped[list["Attendance"]] = relationship(back_populates="session")

    __mapper_args__ = {"version_id_col": version}

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    @hybrid_property
    def is_cancelled(self) -> bool:  # a hybrid: list queries read it as a column too
        return self.status == SessionStatus.CANCELLED

    @property
    def title(self) -> str:
        """The stages it covers, e.g. "Rebuilding trust" or "Keeping positive + Don't rush"."""
        return session_title_of(stage.title for stage in self.stages)


class SessionStage(db.Model):
    """The stages a session covers: usually one, two when stages are merged."""

    session_id: Mapped[int] = mapped_column(ForeignKey("workshop_session.id"), primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id"), primary_key=True, index=True)


class Attendance(db.Model):
    __table_args__ = (
        UniqueConstraint("session_id", "partner_id", name="uq_attendance_partner"),
        CheckConstraint("status IN ('present', 'absent', 'excused')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("workshop_session.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[WorkshopSession] = relationship(back_populates="attendance")
    partner: Mapped[User] = relationship(foreign_keys=[partner_id])


class SessionReminder(db.Model):
    """A reminder already sent: one per partner per session start time, however often cron runs.

    Keyed by the start time too, so a rescheduled session is reminded again at its new time.
    """

    __table_args__ = (
        UniqueConstraint("session_id", "partner_id", "starts_at", name="uq_session_reminder_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("workshop_session.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
