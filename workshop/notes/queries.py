"""Scoped reads of notes: a counselor reads the notes of the workshops they lead or co-lead (and
the notes they wrote); nobody else reaches a note at all."""

from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

from flask import abort
from sqlalchemy import bindparam, exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from workshop import audit
from workshop.couples.queries import couples_query_for, get_couple_or_404
from workshop.extensions import db
from workshop.models import (
    Assignment,
    Couple,
    Enrollment,
    NoteAddendum,
    NoteStatus,
    ProgressSummary,
    SessionNote,
    SessionStage,
    Stage,
    User,
    Workshop,
    WorkshopSession,
)
from workshop.models.people import couple_name_of
from workshop.models.workshops import session_title_of
from workshop.paging import RowsPagination
from workshop.scheduling.queries import get_session_or_404
from workshop.statements import COUNSELOR_AS_PARAMETERS, counselor_parameters, plain_rows
from workshop.workshops.queries import led_by

TIMELINE_PAGE_SIZE = 10
RECENT_HOMEWORK = 6


class NotEnrolled(Exception):
    """The couple is one the counselor works with, but not on that session's workshop."""

    def __init__(self, session: WorkshopSession, couple: Couple):
        super().__init__(couple.id)
        self.session = session
        self.couple = couple


def readable_notes(counselor: User):
    """Notes of the workshops this counselor leads or co-leads, and those they wrote."""
    return (
        select(SessionNote)
        .join(SessionNote.session)
        .join(WorkshopSession.workshop)
        .where(
            Workshop.practice_id == counselor.practice_id,
            or_(led_by(counselor), SessionNote.author_id == counselor.id),
        )
    )


def _with_details(query):
    """Everything a note's page shows, in a fixed number of queries."""
    return query.options(
        joinedload(SessionNote.session).options(
            selectinload(WorkshopSession.stages), joinedload(WorkshopSession.workshop)
        ),
        joinedload(SessionNote.author),
        selectinload(SessionNote.couple).selectinload(Couple.partners),
        selectinload(SessionNote.addenda).joinedload(NoteAddendum.author),
    )


def get_note_or_404(note_id: int, counselor: User) -> SessionNote:
    query = _with_details(readable_notes(counselor).where(SessionNote.id == note_id))
    return db.session.scalar(query) or abort(404)


def get_session_and_couple_or_404(session_id: int, couple_id: int, counselor: User):
    """The session (of a workshop the counselor leads) and a couple enrolled in its workshop.

    Raises NotEnrolled when the counselor works with the couple but the couple was never
    enrolled in that workshop, so the page can say so; anything else out of reach is a 404."""
    session = get_session_or_404(session_id, counselor)
    couple = get_couple_or_404(couple_id, counselor)
    # A withdrawn couple keeps the history of the sessions they had: any enrollment counts.
    enrolled = db.session.scalar(
        select(Enrollment.id).where(
            Enrollment.workshop_id == session.workshop_id, Enrollment.couple_id == couple.id
        )
    )
    if enrolled is None:
        raise NotEnrolled(session, couple)
    return session, couple


def note_for(session_id: int, couple_id: int, author_id: int) -> SessionNote | None:
    """The author's note on this couple in this session (one each), if any."""
    query = (
        select(SessionNote)
        .where(
            SessionNote.session_id == session_id,
            SessionNote.couple_id == couple_id,
            SessionNote.author_id == author_id,
        )
        .order_by(SessionNote.id)
        .limit(1)
    )
    return db.session.scalar(query)


def other_notes_for(session_id: int, couple_id: int, counselor: User) -> list[SessionNote]:
    """Colleagues' notes on this couple in this session that the counselor may read."""
    query = (
        readable_notes(counselor)
        .where(
            SessionNote.session_id == session_id,
            SessionNote.couple_id == couple_id,
            SessionNote.author_id != counselor.id,
        )
        .options(joinedload(SessionNote.author))
        .order_by(SessionNote.created_at)
    )
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class Author:
    name: str


@dataclass(frozen=True)
class TimelineAddendum:
    author: Author
    signed_at: datetime
    text: str


@dataclass
class TimelineNote:
    """A note as the couple's timeline shows it, from plain rows: what the note partials
    (_note_status, _note_body, _addenda) read of a SessionNote, and its session's heading."""

    id: int
    couple_id: int
    format: str
    sections: dict
    status: str
    signed_at: datetime | None
    updated_at: datetime
    author: Author
    session_starts_at: datetime
    workshop_title: str
    session_id: int
    session_title: str = ""
    addenda: list[TimelineAddendum] = field(default_factory=list)

    is_signed = property(vars(SessionNote)["is_signed"].fget)  # the note's own rule


# The timeline's statements are built once (see workshop.statements).
_COUPLE_HEADING = (
    couples_query_for(COUNSELOR_AS_PARAMETERS)
    .where(Couple.id == bindparam("couple_id"))
    .outerjoin(User, User.couple_id == Couple.id)
    .with_only_columns(Couple.id, User.name)
    .order_by(User.id)
)
_COUPLE_NOTES = readable_notes(COUNSELOR_AS_PARAMETERS).where(
    SessionNote.couple_id == bindparam("couple_id")
)
_TIMELINE_PAGE = (
    _COUPLE_NOTES.join(User, User.id == SessionNote.author_id)
    .with_only_columns(
        SessionNote.id,
        SessionNote.couple_id,
        SessionNote.format,
        SessionNote.sections,
        SessionNote.status,
        SessionNote.signed_at,
        SessionNote.updated_at,
        User.name.label("author"),
        WorkshopSession.starts_at,
        Workshop.title.label("workshop_title"),
        WorkshopSession.id.label("session_id"),
        func.count().over().label("total"),  # for the pager, without a statement of its own
    )
    .order_by(WorkshopSession.starts_at.desc(), SessionNote.id.desc())
    # The page bound too: a statement built per request costs its cache key and more.
    .limit(bindparam("page_size"))
    .offset(bindparam("page_offset"))
    .cte("page")
)
_PAGE = _TIMELINE_PAGE.c
# The page's notes with their sessions' stage titles (a row per stage, in stage order; one
# row with none for a session without stages) and whether each note has addenda, so that
# the addenda take a statement only on a page that shows some.
_TIMELINE = (
    select(
        *[column for column in _PAGE if column.key != "total"],
        exists().where(NoteAddendum.note_id == _PAGE.id).label("has_addenda"),
        Stage.title.label("stage_title"),
        _PAGE.total,
    )
    .select_from(_TIMELINE_PAGE)
    .outerjoin(SessionStage, SessionStage.session_id == _PAGE.session_id)
    .outerjoin(Stage, Stage.id == SessionStage.stage_id)
    .order_by(_PAGE.starts_at.desc(), _PAGE.id.desc(), Stage.position)
)
# The same, adding an audit event for each note of the page (PostgreSQL: an INSERT in a WITH
# clause). A CTE used twice is computed once, so the events are those of the notes returned.
# The events' practice_id is the counselor's: the same parameter as the page's.
_TIMELINE_RECORDING_READS = _TIMELINE.add_cte(
    audit.events_for(_PAGE.id, _PAGE.couple_id).cte("reads")
)
_ADDENDA = (
    select(NoteAddendum.note_id, User.name, NoteAddendum.signed_at, NoteAddendum.text)
    .join(User, User.id == NoteAddendum.author_id)
    .where(NoteAddendum.note_id.in_(bindparam("note_ids", expanding=True)))
    .order_by(NoteAddendum.signed_at, NoteAddendum.id)
)


class CoupleHeading(NamedTuple):
    id: int
    name: str


def couple_heading_or_404(couple_id: int, counselor: User) -> CoupleHeading:
    """The couple (its id and name) if the counselor works with it (get_couple_or_404's reach),
    in one statement."""
    params = {"couple_id": couple_id, **counselor_parameters(counselor)}
    rows = plain_rows(_COUPLE_HEADING, params)
    if not rows:
        abort(404)
    return CoupleHeading(couple_id, couple_name_of(name for _, name in rows if name is not None))


def couple_timeline(
    couple_id: int, counselor: User, page: int, reads: dict | None = None
) -> RowsPagination:
    """One page of the couple's notes the counselor may read, latest session first, as
    TimelineNotes. Plain rows: only this page's notes are decrypted, in one statement (the
    notes with their sessions' stages and the total), and one more for the addenda on a page
    that has some. With `reads` (audit.shared_columns, where audit.adds_events_in_statements),
    the same statement adds the audit event of each note's read."""
    statement = _TIMELINE if reads is None else _TIMELINE_RECORDING_READS
    pages = RowsPagination(
        select=statement,
        params={**(reads or {}), "couple_id": couple_id, **counselor_parameters(counselor)},
        page=page,
        per_page=TIMELINE_PAGE_SIZE,
        max_per_page=None,
        error_out=True,
    )
    notes, with_addenda = [], []
    for _, rows in groupby(pages.items, key=itemgetter(0)):
        note, has_addenda = _timeline_note(list(rows))
        notes.append(note)
        if has_addenda:
            with_addenda.append(note)
    pages.items = notes
    _add_addenda(with_addenda)
    return pages


def _timeline_note(rows: list[tuple]) -> tuple[TimelineNote, bool]:
    """A note's rows in _TIMELINE (one per stage of its session) as a TimelineNote, and
    whether it has addenda."""
    note_id, couple_id, fmt, sections, status, signed_at, updated_at, author, *rest = rows[0]
    starts_at, workshop_title, session_id, has_addenda, _ = rest
    stage_titles = [row[-1] for row in rows if row[-1] is not None]
    note = TimelineNote(
        note_id,
        couple_id,
        fmt,
        sections,
        status,
        signed_at,
        updated_at,
        Author(author),
        starts_at,
        workshop_title,
        session_id,
        session_title_of(stage_titles),
    )
    return note, has_addenda


def _add_addenda(notes: list[TimelineNote]) -> None:
    """The addenda of these notes (those that have some), oldest first under each."""
    by_note = {note.id: note for note in notes}
    if not by_note:
        return
    rows = plain_rows(_ADDENDA, {"note_ids": list(by_note)})
    for note_id, author, signed_at, text in rows:
        by_note[note_id].addenda.append(TimelineAddendum(Author(author), signed_at, text))


@dataclass
class SearchedNote:
    """A note the counselor wrote, as the search reads and shows it, from plain rows: a search
    reads every note its counselor ever wrote (hundreds), too many to build ORM objects (and
    their sessions, couples and addenda) for each."""

    id: int
    format: str
    sections: dict
    status: str
    session_starts_at: datetime
    workshop_title: str
    session_id: int
    couple_id: int
    session_title: str = ""
    couple_name: str = ""
    addenda: list[str] = field(default_factory=list)  # their texts, oldest first

    is_signed = property(vars(SessionNote)["is_signed"].fget)  # the note's own rule


# The search's statements (built once: see workshop.statements): the counselor's notes, latest
# session first, then what their results show and their text holds besides the sections (the
# sessions' stage titles, the couples' partners, the addenda), each in one statement.
_WRITTEN_BY_COUNSELOR = SessionNote.author_id == bindparam("counselor_id")
_OWN_NOTES = (
    select(
        SessionNote.id,
        SessionNote.format,
        SessionNote.sections,
        SessionNote.status,
        WorkshopSession.starts_at,
        Workshop.title,
        WorkshopSession.id,
        SessionNote.couple_id,
    )
    .join(WorkshopSession, WorkshopSession.id == SessionNote.session_id)
    .join(Workshop, Workshop.id == WorkshopSession.workshop_id)
    .where(_WRITTEN_BY_COUNSELOR)
    .order_by(WorkshopSession.starts_at.desc(), SessionNote.id.desc())
)
_OWN_NOTES_STAGES = (
    select(SessionStage.session_id, Stage.title)
    .join(Stage, Stage.id == SessionStage.stage_id)
    .where(SessionStage.session_id.in_(select(SessionNote.session_id).where(_WRITTEN_BY_COUNSELOR)))
    .order_by(SessionStage.session_id, Stage.position)
)
_OWN_NOTES_PARTNERS = (
    select(User.couple_id, User.name)
    .where(User.couple_id.in_(select(SessionNote.couple_id).where(_WRITTEN_BY_COUNSELOR)))
    .order_by(User.id)  # partner order (Couple.partners)
)
_OWN_NOTES_ADDENDA = (
    select(NoteAddendum.note_id, NoteAddendum.text)
    .join(SessionNote, SessionNote.id == NoteAddendum.note_id)
    .where(_WRITTEN_BY_COUNSELOR)
    .order_by(NoteAddendum.signed_at, NoteAddendum.id)  # as SessionNote.addenda
)


def own_notes(counselor: User) -> list[SearchedNote]:
    """Every note this counselor wrote, latest session first, with what the results show."""
    parameters = {"counselor_id": counselor.id}
    notes = [SearchedNote(*row) for row in plain_rows(_OWN_NOTES, parameters)]
    stage_titles = _grouped(plain_rows(_OWN_NOTES_STAGES, parameters))
    partner_names = _grouped(plain_rows(_OWN_NOTES_PARTNERS, parameters))
    addenda = _grouped(plain_rows(_OWN_NOTES_ADDENDA, parameters))
    couple_names = {key: couple_name_of(names) for key, names in partner_names.items()}
    for note in notes:
        note.session_title = session_title_of(stage_titles.get(note.session_id, []))
        note.couple_name = couple_names.get(note.couple_id, "")
        note.addenda = addenda.get(note.id, [])
    return notes


def _grouped(rows) -> dict[int, list]:
    """Rows of (key, value) as the values of each key, in the rows' order."""
    grouped: dict[int, list] = {}
    for key, value in rows:
        grouped.setdefault(key, []).append(value)
    return grouped


# The drafts to finish, a page at a time: nothing signs or removes a draft left behind.
DRAFTS_PAGE_SIZE = 20


def own_drafts(counselor: User, page: int = 1):
    """A page of the counselor's unsigned notes, oldest session first (the ones to finish)."""
    query = (
        select(SessionNote)
        .join(SessionNote.session)
        .where(SessionNote.author_id == counselor.id, SessionNote.status == NoteStatus.DRAFT)
        .options(
            joinedload(SessionNote.session).selectinload(WorkshopSession.stages),
            selectinload(SessionNote.couple).selectinload(Couple.partners),
        )
        .order_by(WorkshopSession.starts_at, SessionNote.id)
    )
    return db.paginate(query, page=page, per_page=DRAFTS_PAGE_SIZE, error_out=False)


def recent_homework(workshop_id: int, couple_id: int, before) -> list[Assignment]:
    """The couple's latest homework in this workshop, opened before `before`, newest first."""
    query = (
        select(Assignment)
        .where(
            Assignment.workshop_id == workshop_id,
            Assignment.couple_id == couple_id,
            Assignment.opens_at <= before,
        )
        .options(
            joinedload(Assignment.exercise_version),
            selectinload(Assignment.submissions),
            selectinload(Assignment.couple).selectinload(Couple.partners),
        )
        .order_by(Assignment.due_at.desc(), Assignment.id.desc())
        .limit(RECENT_HOMEWORK)
    )
    return list(db.session.scalars(query))


def summary_of(couple_id: int) -> ProgressSummary | None:
    return db.session.scalar(select(ProgressSummary).where(ProgressSummary.couple_id == couple_id))
