"""Counselors' private session notes, their addenda, client-facing summaries, and the audit log."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.extensions import db
from workshop.models.people import Couple, User
from workshop.models.types import UTCDateTime, utcnow
from workshop.models.workshops import WorkshopSession


class NoteFormat(StrEnum):
    SOAP = "soap"
    DAP = "dap"
    BIRP = "birp"
    FREE = "free"


class NoteStatus(StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"


class SessionNote(db.Model):
    """A counselor's private note about one couple in one session. Signed notes are locked."""

    __table_args__ = (
        CheckConstraint("status IN ('draft', 'signed')", name="status_known"),
        CheckConstraint("format IN ('soap', 'dap', 'birp', 'free')", name="format_known"),
        # One note per counselor per couple per session, even if two first saves race.
        UniqueConstraint("session_id", "couple_id", "author_id", name="uq_session_note_author"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("workshop_session.id"), index=True)
    couple_id: Mapped[int] = mapped_column(ForeignKey("couple.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    format: Mapped[str] = mapped_column(String(10))
    # The format's sections by key (e.g. {"subjective": "...", "plan": "..."}).
    sections: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default=NoteStatus.DRAFT, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Raised on every save; a save based on an older version is refused (two tabs).
    version: Mapped[int] = mapped_column(default=1)

    session: Mapped[WorkshopSession] = relationship()
    couple: Mapped[Couple] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    addenda: Mapped[list["NoteAddendum"]] = relationship(
        back_populates="note", order_by="NoteAddendum.signed_at"
    )

    @property
    def is_signed(self) -> bool:
        return self.status == NoteStatus.SIGNED


class NoteAddendum(db.Model):
    """A dated, signed correction or addition under a signed note; never edited afterwards."""

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("session_note.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    text: Mapped[str] = mapped_column(Text)
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    note: Mapped[SessionNote] = relationship(back_populates="addenda")
    author: Mapped[User] = relationship()


class ProgressSummary(db.Model):
    """What the counselor writes FOR the couple (it may appear in their report), per couple."""

    __table_args__ = (UniqueConstraint("couple_id", name="uq_progress_summary_couple"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    couple_id: Mapped[int] = mapped_column(ForeignKey("couple.id"))
    summary: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)


class AuditEvent(db.Model):
    """Who did what to which object, when, from where. Only ever inserted."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    couple_id: Mapped[int | None] = mapped_column(ForeignKey("couple.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    ip_address: Mapped[str | None] = mapped_column(String(45))

    actor: Mapped[User | None] = relationship()
    couple: Mapped[Couple | None] = relationship()
