"""Generated PDF reports, archived: every generation is a new version, released ones reach the
couple."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.extensions import db
from workshop.models.people import Couple, User
from workshop.models.types import UTCDateTime, utcnow
from workshop.models.workshops import Workshop


class ReportKind(StrEnum):
    COUPLE = "couple"  # the edition a couple receives
    COUNSELOR = "counselor"  # the same report with answers side by side (and notes if asked)
    WORKSHOP = "workshop"  # every couple of a workshop, for the counselor


class Report(db.Model):
    __table_args__ = (
        CheckConstraint("kind IN ('couple', 'counselor', 'workshop')", name="kind_known"),
        CheckConstraint(
            "kind = 'workshop' OR couple_id IS NOT NULL", name="couple_reports_name_couple"
        ),
        CheckConstraint(
            "kind = 'couple' OR released_at IS NULL", name="only_couple_edition_released"
        ),
        UniqueConstraint("kind", "workshop_id", "couple_id", "number", name="uq_report_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), index=True)
    couple_id: Mapped[int | None] = mapped_column(ForeignKey("couple.id"), index=True)
    # Version number within (kind, workshop, couple): 1, 2, ... as the report is regenerated.
    number: Mapped[int]
    includes_notes: Mapped[bool] = mapped_column(default=False)
    # Relative to REPORTS_DIR, so the archive can move with its folder.
    file_path: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    # sha256 of the data (and report templates) the PDF was rendered from: the same digest
    # again means nothing changed, and the archived file is served instead of a new render.
    data_sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int]
    generated_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)

    workshop: Mapped[Workshop] = relationship()
    couple: Mapped[Couple | None] = relationship()
    generated_by: Mapped[User] = relationship(foreign_keys=[generated_by_id])

    @property
    def is_released(self) -> bool:
        return self.released_at is not None

    def can_release(self) -> bool:
        """Only the couple edition ever goes to the couple."""
        return self.kind == ReportKind.COUPLE and not self.is_released
