"""Demo session notes for "Rebuilding Together: autumn group" (seed-demo): signed notes on the
first held sessions of both couples (one with an addendum), a draft on a later one, and a
progress summary per couple.

Written straight as rows, dated as if each note was signed the morning after its session; no
audit events are invented (the audit log fills as the demo is used). Idempotent: nothing is
added once the workshop has notes, and a couple's summary is never replaced.
"""

from datetime import timedelta

from sqlalchemy import select

from workshop.extensions import db
from workshop.models import (
    Enrollment,
    NoteAddendum,
    NoteStatus,
    ProgressSummary,
    SessionNote,
    User,
    Workshop,
    WorkshopSession,
    utcnow,
)

DEMO_WORKSHOP = "Rebuilding Together: autumn group"
DEMO_COUNSELOR = "counselor@example.org"

# Per couple in enrollment order (Alex & Sam, Jordan & Riley): (held session index, format,
# sections, signed, addendum or None).
NOTES = [
    [
        (
            0,
            "soap",
            {
                "subjective": "Both said they want to try again. Alex worries the old silences "
                "will come back; Sam wants more say in everyday decisions.",
                "objective": "Arrived together, sat apart at first, moved closer after the pairs "
                "exercise. Took turns without interrupting once prompted.",
                "assessment": "Both willing. Patterns to work on: silent treatment after conflict, "
                "Sam giving in to keep the peace.",
                "plan": "Homework: where we stand. Next session: what needs to heal first.",
            },
            True,
            "Sam mentioned after the session that work stress is high this month; keep "
            "it in mind when pacing the homework.",
        ),
        (
            1,
            "soap",
            {
                "subjective": "Alex named the months without talking as the wound that still hurts "
                "most. Sam agreed it comes first.",
                "objective": "Calmer than last week. Sam spoke first twice.",
                "assessment": "They agree on what to work on first: a good sign for timing.",
                "plan": "Shared goal exercise next; ask each to bring one small wish.",
            },
            True,
            None,
        ),
        (
            2,
            "soap",
            {
                "subjective": "They chose 'twenty calm minutes every evening' as a shared goal.",
                "objective": "",
                "assessment": "",
                "plan": "",
            },
            False,
            None,
        ),
    ],
    [
        (
            0,
            "dap",
            {
                "data": "Jordan and Riley came in warm but cautious. Riley said they rushed back "
                "together last time; Jordan agreed.",
                "assessment": "Both willing; main risk is pace. Communication is open.",
                "plan": "Where we stand exercise; talk about pace at the next session.",
            },
            True,
            None,
        ),
        (
            1,
            "birp",
            {
                "behavior": "Jordan wanted to move in again soon; Riley went quiet.",
                "intervention": (
                    "Slowed the conversation down; each said what 'slow' means to them."
                ),
                "response": (
                    "Both relieved to hear the other's version; agreed to revisit in a month."
                ),
                "plan": "Keep the weekly good-moments exercise going.",
            },
            True,
            None,
        ),
    ],
]
SUMMARIES = [
    (
        "You are both committed to trying again, and you already talk more calmly than when we "
        "started. You picked a shared goal of a calm evening conversation, and you are keeping it.",
        "Keep the evening check-in going, and practise saying what you need without waiting for "
        "the other to guess.",
    ),
    (
        "You listen to each other well and you are honest about wanting different speeds. "
        "Naming what 'slow' means to each of you was an important step.",
        "Stay with the weekly good-moments exercise, and come back to the question of pace in "
        "a month.",
    ),
]


def seed_demo_notes() -> int:
    """Add the demo notes and summaries if they are missing; how many notes were added."""
    workshop = db.session.scalar(select(Workshop).where(Workshop.title == DEMO_WORKSHOP))
    counselor = db.session.scalar(select(User).where(User.email == DEMO_COUNSELOR))
    if workshop is None or counselor is None:
        return 0
    couple_ids = list(
        db.session.scalars(
            select(Enrollment.couple_id)
            .where(Enrollment.workshop_id == workshop.id)
            .order_by(Enrollment.enrolled_at, Enrollment.id)
        )
    )
    held = [s for s in workshop.sessions if s.starts_at < utcnow()]
    added = 0
    if not _has_notes(workshop.id):
        for couple_id, plans in zip(couple_ids, NOTES, strict=False):
            for index, fmt, sections, signed, addendum in plans:
                if index < len(held):
                    _add_note(held[index], couple_id, counselor, fmt, sections, signed, addendum)
                    added += 1
    for couple_id, (summary, next_steps) in zip(couple_ids, SUMMARIES, strict=False):
        _add_summary(couple_id, counselor, summary, next_steps)
    db.session.flush()
    return added


def _has_notes(workshop_id: int) -> bool:
    query = (
        select(SessionNote.id)
        .join(SessionNote.session)
        .where(WorkshopSession.workshop_id == workshop_id)
        .limit(1)
    )
    return db.session.scalar(query) is not None


def _add_note(session, couple_id, counselor, fmt, sections, signed, addendum) -> None:
    written = min(session.ends_at + timedelta(hours=15), utcnow())  # the morning after
    note = SessionNote(
        session_id=session.id,
        couple_id=couple_id,
        author_id=counselor.id,
        format=fmt,
        sections=dict(sections),
        status=NoteStatus.SIGNED if signed else NoteStatus.DRAFT,
        created_at=written,
        updated_at=written,
        signed_at=written if signed else None,
    )
    db.session.add(note)
    if addendum:
        later = min(written + timedelta(days=2), utcnow())
        db.session.add(
            NoteAddendum(note=note, author_id=counselor.id, text=addendum, signed_at=later)
        )


def _add_summary(couple_id, counselor, summary, next_steps) -> None:
    exists = db.session.scalar(
        select(ProgressSummary.id).where(ProgressSummary.couple_id == couple_id)
    )
    if exists is None:
        db.session.add(
            ProgressSummary(
                couple_id=couple_id,
                summary=summary,
                next_steps=next_steps,
                updated_by_id=counselor.id,
            )
        )
