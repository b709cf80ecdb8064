"""The rules of session notes: drafts, signing, addenda, the progress summary, and search.

Only the author changes a draft; a signed note never changes again (corrections are addenda).
Every view and change of a note is recorded in the audit trail in the same transaction.
Services add and flush; the view commits.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from workshop import audit
from workshop.audit import Action
from workshop.extensions import db
from workshop.models import (
    AuditEvent,
    Couple,
    NoteAddendum,
    NoteStatus,
    ProgressSummary,
    SessionNote,
    User,
    WorkshopSession,
    utcnow,
)
from workshop.notes import formats, queries
from workshop.notes.formats import Format

NOTE = "session_note"
SUMMARY = "progress_summary"
# Autosaves while typing would flood the audit log; one "edited" event per stretch of typing.
AUTOSAVE_AUDIT_GAP = timedelta(minutes=10)


class NoteError(Exception):
    """Base of the refusals below."""


class NotAuthor(NoteError):
    """Only the author of a draft edits, signs or deletes it."""


class NoteLocked(NoteError):
    """The note is signed: it is never edited or deleted again."""


class NotSigned(NoteError):
    """Addenda go under signed notes only."""


class EmptyNote(NoteError):
    """Nothing written: not worth saving, and never signed."""


class InvalidSections(NoteError):
    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


class StaleNote(NoteError):
    """The draft changed (another tab) since the page was opened; `latest` is what is saved."""

    def __init__(self, latest: SessionNote | None):
        super().__init__()
        self.latest = latest


class StaleSummary(NoteError):
    def __init__(self, latest: ProgressSummary | None):
        super().__init__()
        self.latest = latest


# --- notes ---------------------------------------------------------------------------------------


def check_editable(note: SessionNote, user: User) -> None:
    """Refuse a change of this note by this user (not the author, or signed)."""
    if note.author_id != user.id:
        raise NotAuthor
    if note.is_signed:
        raise NoteLocked


def save_draft(
    author: User,
    session: WorkshopSession,
    couple: Couple,
    fmt: Format,
    sections: dict,
    seen_version: int,
    autosave: bool = False,
) -> SessionNote:
    """Create or update the author's draft on this couple's session (version-checked)."""
    errors = formats.check_sections(fmt, _texts(sections))
    if errors:
        raise InvalidSections(errors)
    cleaned = formats.clean_sections(fmt, sections)
    note = queries.note_for(session.id, couple.id, author.id)
    if note is None:
        return _create(author, session, couple, fmt, cleaned, seen_version)
    check_editable(note, author)
    if note.version != seen_version:
        raise StaleNote(note)
    note.format = fmt.key
    note.sections = dict(cleaned)  # a new dict: JSON columns do not see changes made in place
    note.version += 1
    note.updated_at = utcnow()
    _flush_or_stale(StaleNote(None))
    if not autosave or not _edit_recorded_lately(note, author):
        audit.record(author, Action.NOTE_EDITED, NOTE, note.id, couple.id)
    return note


def _create(author, session, couple, fmt: Format, sections: dict, seen_version: int):
    if seen_version != 0:
        raise StaleNote(None)  # the draft this page was editing was deleted elsewhere
    if formats.is_empty(sections):
        raise EmptyNote
    now = utcnow()
    note = SessionNote(
        session_id=session.id,
        couple_id=couple.id,
        author_id=author.id,
        format=fmt.key,
        sections=dict(sections),
        status=NoteStatus.DRAFT,
        created_at=now,
        updated_at=now,
        version=1,
    )
    db.session.add(note)
    _flush_or_stale(StaleNote(None))  # two first saves at once: one note, the other refused
    audit.record(author, Action.NOTE_CREATED, NOTE, note.id, couple.id)
    return note


def _flush_or_stale(stale: NoteError) -> None:
    """Write now; a lost race (the row changed since it was read, or a twin row was inserted
    first) becomes the same refusal as an out-of-date form. The view rolls back."""
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError) as raced:
        raise stale from raced


def _texts(sections: dict) -> dict[str, str]:
    return {key: value for key, value in sections.items() if isinstance(value, str)}


def _edit_recorded_lately(note: SessionNote, author: User) -> bool:
    """Whether the author's start or edit of the note was recorded in the last
    AUTOSAVE_AUDIT_GAP: a read of the author's latest events only (ix_audit_event_actor_id_at_id),
    not of every edit they ever recorded."""
    recorded = db.session.scalar(
        select(AuditEvent.id)
        .where(
            AuditEvent.actor_id == author.id,
            AuditEvent.at > utcnow() - AUTOSAVE_AUDIT_GAP,
            AuditEvent.object_type == NOTE,
            AuditEvent.object_id == note.id,
            AuditEvent.action.in_([Action.NOTE_CREATED, Action.NOTE_EDITED]),
        )
        .limit(1)
    )
    return recorded is not None


def sign_note(note: SessionNote, author: User) -> SessionNote:
    """Sign and lock the author's draft; an empty note is refused."""
    check_editable(note, author)
    if formats.is_empty(note.sections):
        raise EmptyNote
    now = utcnow()
    note.status = NoteStatus.SIGNED
    note.signed_at = now
    note.updated_at = now
    note.version += 1
    audit.record(author, Action.NOTE_SIGNED, NOTE, note.id, note.couple_id)
    return note


def delete_draft(note: SessionNote, user: User) -> None:
    """Delete the author's draft; a signed note is part of the record and stays."""
    check_editable(note, user)
    audit.record(user, Action.NOTE_DELETED, NOTE, note.id, note.couple_id)
    db.session.delete(note)


def add_addendum(note: SessionNote, author: User, text: str) -> NoteAddendum:
    """A dated, signed addendum under a signed note (by a counselor who can read it)."""
    if not note.is_signed:
        raise NotSigned
    if not (text or "").strip():
        raise EmptyNote
    addendum = NoteAddendum(note=note, author=author, text=text.strip(), signed_at=utcnow())
    db.session.add(addendum)
    db.session.flush()
    audit.record(author, Action.ADDENDUM_ADDED, NOTE, note.id, note.couple_id)
    return addendum


def record_views(notes: list[SessionNote], viewer: User) -> None:
    """One "viewed" audit event per note shown to the viewer, in a single INSERT."""
    audit.record_many(viewer, Action.NOTE_VIEWED, NOTE, [(n.id, n.couple_id) for n in notes])


def read_couple_timeline(couple_id: int, counselor: User, page: int) -> queries.RowsPagination:
    """A page of the couple's timeline (queries.couple_timeline), each note on it recorded as
    read, as record_views does: by the statement that reads the notes where the database can
    (PostgreSQL), which saves a statement."""
    if audit.adds_events_in_statements():
        reads = audit.shared_columns(counselor, Action.NOTE_VIEWED, NOTE)
        return queries.couple_timeline(couple_id, counselor, page, reads)
    timeline = queries.couple_timeline(couple_id, counselor, page)
    record_views(timeline.items, counselor)
    return timeline


def record_search(counselor: User) -> None:
    """A search of one's own notes shows snippets of them: recorded (without the words)."""
    audit.record(counselor, Action.NOTES_SEARCHED, NOTE)


# --- the client-facing progress summary ----------------------------------------------------------


def save_summary(
    couple: Couple, counselor: User, summary: str, next_steps: str, seen_version: int
) -> ProgressSummary:
    """Write the couple's progress summary (what their reports may show); version-checked."""
    saved = queries.summary_of(couple.id)
    if saved is None:
        if seen_version != 0:
            raise StaleSummary(None)
        saved = ProgressSummary(couple_id=couple.id, version=0)
        db.session.add(saved)
    elif saved.version != seen_version:
        raise StaleSummary(saved)
    saved.summary = summary or ""
    saved.next_steps = next_steps or ""
    saved.updated_by_id = counselor.id
    saved.updated_at = utcnow()
    saved.version += 1
    _flush_or_stale(StaleSummary(None))
    audit.record(counselor, Action.SUMMARY_EDITED, SUMMARY, saved.id, couple.id)
    return saved


# --- search (in Python: note text will be encrypted at rest, so SQL cannot match it) -------------

SNIPPET_RADIUS = 80


@dataclass
class Hit:
    note: queries.SearchedNote
    # The snippet in pieces: (text, is_match), for the page to highlight the matches.
    snippet: list[tuple[str, bool]]


def search_terms(text: str) -> list[str]:
    return [term for term in _fold(text).split() if term]


def search_notes(counselor: User, text: str) -> list[Hit]:
    """The counselor's own notes containing every word of `text` (any case), latest first."""
    terms = search_terms(text)
    if not terms:
        return []
    hits = []
    for note in queries.own_notes(counselor):
        body = _searchable_text(note)
        folded = _fold(body)
        if all(term in folded for term in terms):
            hits.append(Hit(note, _snippet(body, folded, terms)))
    return hits


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _searchable_text(note: queries.SearchedNote) -> str:
    fmt = formats.get_format(note.format)
    addenda = [f"Addendum: {text}" for text in note.addenda]
    about = f"{note.couple_name} · {note.session_title}"
    return "\n".join([formats.plain_text(fmt, note.sections), *addenda, about])


def _snippet(body: str, folded: str, terms: list[str]) -> list[tuple[str, bool]]:
    """Text around the first match, with every match marked. Folding keeps lengths for almost
    all text; where it does not, the snippet falls back to the start of the note."""
    if len(folded) != len(body):
        return [(body[: 2 * SNIPPET_RADIUS], False)]
    first = min(folded.find(term) for term in terms)
    start, end = max(0, first - SNIPPET_RADIUS), min(len(body), first + SNIPPET_RADIUS)
    pattern = re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)))
    pieces, cursor = [], start
    for match in pattern.finditer(folded, start, end):
        pieces += [(body[cursor : match.start()], False), (body[match.start() : match.end()], True)]
        cursor = match.end()
    pieces.append((body[cursor:end], False))
    if start > 0:
        pieces.insert(0, ("…", False))
    if end < len(body):
        pieces.append(("…", False))
    return [piece for piece in pieces if piece[0]]
