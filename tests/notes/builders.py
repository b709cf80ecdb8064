"""Notes, addenda, summaries and audit events straight in the database, and the note pages
as a browser reads and sends them. Every method opens its own app context and returns plain
values."""

import json
import re
from datetime import timedelta
from html import unescape

from sqlalchemy import select

from tests.assignments.builders import HomeworkBuilder
from tests.workshops.builders import user_id
from workshop.extensions import db
from workshop.models import (
    AuditEvent,
    NoteAddendum,
    NoteStatus,
    ProgressSummary,
    SessionNote,
    User,
    utcnow,
)

SOAP_TEXT = {
    "subjective": "Both say the week was calmer.",
    "objective": "They sat close and took turns.",
    "assessment": "Steady progress on listening.",
    "plan": "Try the evening check-in twice.",
}


class NotesBuilder(HomeworkBuilder):
    """Builder (workshops, couples, sessions, homework) plus notes and their audit events."""

    def note(
        self,
        session_id: int,
        couple_id: int,
        author: str | None = None,
        fmt: str = "soap",
        sections: dict | None = None,
        signed: bool = False,
        addenda: tuple[str, ...] = (),
        days_ago: float = 0,
    ) -> int:
        """A note (a draft unless `signed`), optionally with addenda by its author."""
        when = utcnow() - timedelta(days=days_ago)
        with self.database():
            author_id = user_id(author or self.world.counselor)
            note = SessionNote(
                session_id=session_id,
                couple_id=couple_id,
                author_id=author_id,
                format=fmt,
                sections=dict(SOAP_TEXT if sections is None else sections),
                status=NoteStatus.SIGNED if signed or addenda else NoteStatus.DRAFT,
                signed_at=when if signed or addenda else None,
                created_at=when,
                updated_at=when,
            )
            db.session.add(note)
            db.session.flush()
            for text in addenda:
                db.session.add(NoteAddendum(note_id=note.id, author_id=author_id, text=text))
            return note.id

    def user_id(self, email: str) -> int:
        with self.app.app_context():
            return user_id(email)

    def note_row(self, note_id: int) -> dict | None:
        return self.read(
            SessionNote,
            note_id,
            "status",
            "sections",
            "format",
            "version",
            "signed_at",
            "author_id",
        )

    def addenda_of(self, note_id: int) -> list[dict]:
        with self.app.app_context():
            rows = db.session.scalars(
                select(NoteAddendum)
                .where(NoteAddendum.note_id == note_id)
                .order_by(NoteAddendum.id)
            )
            return [
                {"text": a.text, "author_id": a.author_id, "signed_at": a.signed_at} for a in rows
            ]

    def notes_of(self, couple_id: int) -> list[dict]:
        with self.app.app_context():
            notes = db.session.scalars(
                select(SessionNote)
                .where(SessionNote.couple_id == couple_id)
                .order_by(SessionNote.id)
            )
            return [
                {
                    "id": n.id,
                    "status": n.status,
                    "sections": n.sections,
                    "author_id": n.author_id,
                    "session_id": n.session_id,
                }
                for n in notes
            ]

    def summary_of(self, couple_id: int) -> dict | None:
        with self.app.app_context():
            found = db.session.scalar(
                select(ProgressSummary).where(ProgressSummary.couple_id == couple_id)
            )
            if found is None:
                return None
            return {
                "summary": found.summary,
                "next_steps": found.next_steps,
                "version": found.version,
                "updated_by_id": found.updated_by_id,
            }

    def events(self, action: str | None = None) -> list[dict]:
        """Audit events, oldest first."""
        with self.app.app_context():
            query = select(AuditEvent).order_by(AuditEvent.id)
            if action:
                query = query.where(AuditEvent.action == action)
            return [
                {
                    "actor_id": e.actor_id,
                    "action": e.action,
                    "object_type": e.object_type,
                    "object_id": e.object_id,
                    "couple_id": e.couple_id,
                    "at": e.at,
                    "ip_address": e.ip_address,
                    "practice_id": e.practice_id,
                }
                for e in db.session.scalars(query)
            ]

    def event(
        self,
        actor: str,
        action: str = "note.viewed",
        at=None,
        couple_id=None,
        object_id: int | None = 1,
        ip: str = "192.0.2.1",
    ) -> int:
        """An audit event as audit.record makes them, at a chosen time."""
        with self.database():
            author = db.session.get(User, user_id(actor))
            event = AuditEvent(
                practice_id=author.practice_id,
                actor_id=author.id,
                action=action,
                object_type="session_note",
                object_id=object_id,
                couple_id=couple_id,
                at=at or utcnow(),
                ip_address=ip,
            )
            db.session.add(event)
            db.session.flush()
            return event.id


def walk_notes(app, world, session_id: int) -> dict[str, int]:
    """For the access walk: a draft note by the world's counselor on the world's couple, in a
    session of the counselor's workshop. URL value note_id."""
    return {"note_id": NotesBuilder(app, world).note(session_id, world.couple_id)}


# --- the pages, as a browser sends and reads them ------------------------------------------------


def note_url(session_id: int, couple_id: int, suffix: str = "") -> str:
    return f"/sessions/{session_id}/couples/{couple_id}/note{suffix}"


def note_form(sections: dict, fmt: str = "soap", version: int = 0, sign: bool = False) -> dict:
    data = {f"s_{key}": text for key, text in sections.items()}
    data |= {"format": fmt, "version": str(version)}
    data["sign" if sign else "save"] = "Sign note" if sign else "Save draft"
    return data


def autosave(browser, session_id: int, couple_id: int, payload, token_from: str | None = None):
    """The note page's script: JSON with the page's CSRF token in the X-CSRFToken header."""
    page_url = note_url(session_id, couple_id)
    token = browser.csrf_token(token_from or page_url)
    return browser.client.post(
        note_url(session_id, couple_id, "/autosave"),
        data=json.dumps(payload),
        content_type="application/json",
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )


def version_on(page: str) -> str | None:
    found = re.search(r'<input[^>]*name="version"[^>]*value="([^"]*)"', page)
    return found.group(1) if found else None


def form_error_text(page: str) -> str:
    """The form-level errors shown above a form."""
    found = re.findall(r'<div class="notice notice--error" role="alert">(.*?)</div>', page, re.S)
    return unescape(" ".join(re.sub(r"<[^>]+>", " ", block) for block in found))
