"""A couple with a workshop behind them (sessions held, attendance, homework, a note, a summary)
for the report tests, and the helpers to read a PDF. Methods return plain ids."""

import io
from dataclasses import dataclass
from datetime import timedelta

from pypdf import PdfReader
from sqlalchemy import select

from tests.assignments.builders import (
    RISKY_CHECK_IN,
    SAFE_CHECK_IN,
    SAFETY_CHECK_IN,
    STAND_ANSWERS,
    WHERE_I_STAND,
)
from tests.notes.builders import NotesBuilder
from tests.workshops.builders import in_days, user_id
from workshop.extensions import db
from workshop.models import Couple, ProgressSummary, Report, ReportKind, User, Workshop

NOTE_MARKER = "NOTEMARKER-private-clinical-text"
PRIVATE_MARKER = "PRIVATEMARKER-only-my-counselor"
SAFETY_MARKER = "SAFETYMARKER-shouts-when-drinking"
SUMMARY_TEXT = "You have both shown up and listened with care."
TRUST_CAUSES = "trust-understanding-causes"


@dataclass
class Story:
    workshop_id: int
    couple_id: int
    partner_ids: list[int]
    session_ids: list[int]


class ReportBuilder(NotesBuilder):
    """NotesBuilder plus a whole workshop story for one couple."""

    def story(self, couple_id: int | None = None, sessions: int = 4) -> Story:
        couple_id = couple_id or self.world.couple_id
        self.library()
        built = self.workshop(couples=(couple_id,), sessions=sessions, first=in_days(-30))
        partners = self.partner_ids(couple_id)
        for index, session_id in enumerate(built.session_ids):
            self.attend(session_id, partners[0], "present")
            self.attend(session_id, partners[1], "absent" if index == 1 else "present")
        [stand] = self.give(built.id, [couple_id], WHERE_I_STAND)
        self.answer(stand, partners[0], STAND_ANSWERS)
        self.answer(stand, partners[1], STAND_ANSWERS | {"willing": "3"})
        [safety] = self.give(built.id, [couple_id], SAFETY_CHECK_IN)
        self.answer(safety, partners[0], RISKY_CHECK_IN | {"private_note": SAFETY_MARKER})
        self.answer(safety, partners[1], SAFE_CHECK_IN)
        [trust] = self.give(built.id, [couple_id], TRUST_CAUSES)
        private = {"factors": ["Distance"], "my_part": PRIVATE_MARKER, "trust_now": "4"}
        self.answer(trust, partners[0], private)
        self.note(built.session_ids[0], couple_id, sections={"subjective": NOTE_MARKER})
        self.summary(couple_id, SUMMARY_TEXT, "Keep the evening check-in going.")
        return Story(built.id, couple_id, partners, built.session_ids)

    def summary(self, couple_id: int, text: str, next_steps: str) -> None:
        with self.database():
            db.session.add(
                ProgressSummary(couple_id=couple_id, summary=text, next_steps=next_steps)
            )

    def versions(self, story: Story, count: int, workshop_summaries: bool = False) -> list[int]:
        """`count` archived counselor editions of the story's couple (or summaries of its
        workshop), an hour apart, oldest first, as if generated (no PDF behind them: for the
        lists); their ids."""
        kind = ReportKind.WORKSHOP if workshop_summaries else ReportKind.COUNSELOR
        with self.database():
            counselor_id = user_id(self.world.counselor)
            reports = [
                Report(
                    practice_id=self.world.practice_id,
                    kind=kind,
                    workshop_id=story.workshop_id,
                    couple_id=None if workshop_summaries else story.couple_id,
                    number=number,
                    file_path=f"listed-only-{number}.pdf",
                    sha256="0" * 64,
                    size=1,
                    generated_by_id=counselor_id,
                    generated_at=in_days(-10) + timedelta(hours=number),
                )
                for number in range(1, count + 1)
            ]
            db.session.add_all(reports)
            db.session.flush()
            return [report.id for report in reports]

    def loaded(self, workshop_id: int, couple_id: int, counselor: str | None = None):
        """(workshop, couple, counselor) loaded in the current app context."""
        return (
            db.session.get(Workshop, workshop_id),
            db.session.scalar(select(Couple).where(Couple.id == couple_id)),
            db.session.get(User, user_id(counselor or self.world.counselor)),
        )


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def walk_reports(app, world, workshop_id: int) -> dict[str, int]:
    """For the access walk: a couple edition of the world's couple, released to them. URL value
    report_id (the counselor's object, and the partner's to download)."""
    from workshop.reporting import services

    with app.app_context():
        workshop, couple, counselor = ReportBuilder(app, world).loaded(workshop_id, world.couple_id)
        report = services.generate_couple_report(workshop, couple, counselor)
        services.release_report(report, counselor)
        db.session.commit()
        return {"report_id": report.id}
