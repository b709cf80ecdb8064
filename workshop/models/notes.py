"""Counselors' private session notes, their addenda, client-facing summaries, and the audit log."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DDL, CheckConstraint, ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.dml import Delete, Update

from workshop.crypto import EncryptedJSON, EncryptedText
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
    # The format's sections by key (e.g. {"subjective": "...", "plan": "..."}), encrypted.
    sections: Mapped[dict] = mapped_column(EncryptedJSON, default=dict)
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

    # The services raise `version`; every UPDATE also checks it is still the version read, so a
    # save racing a signature (or another save) fails instead of changing a signed note.
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    @property
    def is_signed(self) -> bool:
        return self.status == NoteStatus.SIGNED


class NoteAddendum(db.Model):
    """A dated, signed correction or addition under a signed note; never edited afterwards."""

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("session_note.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    text: Mapped[str] = mapped_column(EncryptedText)
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
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    # Raised by the service; checked by every UPDATE (two saves of one version cannot both win).
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class AuditEvent(db.Model):
    """Who did what to which object, when, from where. Only ever inserted."""

    # The audit log shows one practice's events newest first, a page at a time, or one
    # person's: each has its range of an index by time, then id (the log's order: events of
    # one statement share their time, and without the id the database sorted every event of
    # the newest times to find a page's 25). These indexes also serve every lookup by practice
    # or by actor alone: neither column has an index of its own, nor has the time (each one
    # more to update on every event added).
    __table_args__ = (
        db.Index("ix_audit_event_practice_id_at_id", "practice_id", "at", "id"),
        db.Index("ix_audit_event_actor_id_at_id", "actor_id", "at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(40), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    couple_id: Mapped[int | None] = mapped_column(ForeignKey("couple.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ip_address: Mapped[str | None] = mapped_column(String(45))

    actor: Mapped[User | None] = relationship()
    couple: Mapped[Couple | None] = relationship()


# On PostgreSQL the database itself keeps the audit log append-only: a trigger refuses UPDATE,
# DELETE and TRUNCATE, whoever sends them. The migration creates the same trigger; this builds
# it for schemas made by create_all (the test suite). The trigger is an ordinary one, so a
# superuser's session_replication_role = replica (the test suite's table emptying) or the
# table's owner can still get past it: run the app as a role that does not own the table.
APPEND_ONLY_FUNCTION = DDL(
    "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger"
    " LANGUAGE plpgsql AS $$ BEGIN"
    " RAISE EXCEPTION USING MESSAGE = 'audit_event is append-only: ' || TG_OP || ' refused',"
    " ERRCODE = 'insufficient_privilege';"
    " END $$"
)
APPEND_ONLY_TRIGGERS = (
    DDL(
        "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event"
        " FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()"
    ),
    DDL(
        "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event"
        " FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()"
    ),
)
for _ddl in (APPEND_ONLY_FUNCTION, *APPEND_ONLY_TRIGGERS):
    event.listen(AuditEvent.__table__, "after_create", _ddl.execute_if(dialect="postgresql"))


class AuditLogIsAppendOnly(RuntimeError):
    """Something tried to change or remove an audit event."""


@event.listens_for(Engine, "before_execute")
def _refuse_changing_audit_events(connection, statement, multiparams, params, execution_options):
    """On every database (SQLite has no trigger), the app refuses to UPDATE or DELETE audit
    events, whether through the ORM (changed objects, bulk statements) or Core."""
    if isinstance(statement, Update | Delete) and statement.table.name == AuditEvent.__tablename__:
        raise AuditLogIsAppendOnly("The audit log is append-only: events are never changed.")
