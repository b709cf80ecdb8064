"""Scoped reads of notes: a counselor reads the notes of the workshops they lead or co-lead (and
the notes they wrote); nobody else reaches a note at all."""

from flask import abort
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from workshop.couples.queries import get_couple_or_404
from workshop.extensions import db
from workshop.models import (
    Assignment,
    Couple,
    Enrollment,
    NoteAddendum,
    NoteStatus,
    ProgressSummary,
    SessionNote,
    User,
    Workshop,
    WorkshopSession,
)
from workshop.scheduling.queries import get_session_or_404
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


def couple_timeline(couple_id: int, counselor: User, page: int):
    """One page of the couple's notes the counselor may read, latest session first."""
    query = _with_details(
        readable_notes(counselor)
        .where(SessionNote.couple_id == couple_id)
        .order_by(WorkshopSession.starts_at.desc(), SessionNote.id.desc())
    )
    return db.paginate(query, page=page, per_page=TIMELINE_PAGE_SIZE, error_out=True)


def own_notes(counselor: User) -> list[SessionNote]:
    """Every note this counselor wrote, latest session first, with what the results show."""
    query = _with_details(
        select(SessionNote)
        .join(SessionNote.session)
        .where(SessionNote.author_id == counselor.id)
        .order_by(WorkshopSession.starts_at.desc(), SessionNote.id.desc())
    )
    return list(db.session.scalars(query).unique())


def own_drafts(counselor: User) -> list[SessionNote]:
    """The counselor's unsigned notes, oldest session first (the ones to finish)."""
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
    return list(db.session.scalars(query).unique())


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
