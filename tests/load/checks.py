"""After the load: the database against the journal of accepted and refused writes.

The rule behind every check: a save raises its record's version by exactly one, so a record
whose version grew by less than the number of saves the app accepted has lost one of them.
"""

from collections import defaultdict

from sqlalchemy import func, select

from tests.load.scenario import INDIVIDUAL_MEASURES, JOINT_MEASURES, Journal, Plan
from workshop.audit import Action
from workshop.extensions import db
from workshop.models import (
    AuditEvent,
    MeasurePoint,
    SessionNote,
    Submission,
    SubmissionStatus,
    WorkshopSession,
)


def by_target(journal: Journal, kinds: tuple[str, ...]) -> dict[tuple, list]:
    grouped = defaultdict(list)
    for entry in journal.entries:
        if entry.kind in kinds and entry.outcome == "accepted":
            grouped[entry.target].append(entry)
    return grouped


def lost_homework(journal: Journal) -> list[str]:
    """Each submission holds every accepted save; a submit happened at most once."""
    problems = []
    accepted = by_target(journal, ("draft", "submit"))
    for (assignment_id, respondent), entries in accepted.items():
        rows = list(
            db.session.scalars(
                select(Submission).where(
                    Submission.assignment_id == assignment_id, Submission.respondent == respondent
                )
            )
        )
        if len(rows) != 1:
            problems.append(f"{respondent} on {assignment_id}: {len(rows)} submissions")
            continue
        problems += _submission_problems(rows[0], entries)
    return problems


def ghost_rows(journal: Journal, plan: Plan) -> list[str]:
    """Submissions and notes that no accepted write made: a refused write that landed."""
    accepted = set(by_target(journal, ("draft", "submit", "note", "sign")))
    assignment_ids = [i for kinds in plan.homework.values() for i in kinds.values()]
    submissions = db.session.execute(
        select(Submission.assignment_id, Submission.respondent).where(
            Submission.assignment_id.in_(assignment_ids)
        )
    )
    notes = db.session.execute(select(SessionNote.session_id, SessionNote.couple_id))
    return [
        f"{tuple(row)} was never accepted"
        for row in [*submissions, *notes]
        if tuple(row) not in accepted
    ]


def _submission_problems(row: Submission, entries) -> list[str]:
    name = f"submission {row.id} ({row.respondent})"
    token_key = "goal" if row.respondent == "joint" else "hope"
    submits = [e for e in entries if e.kind == "submit"]
    drafts = sorted((e for e in entries if e.kind == "draft"), key=lambda e: e.version)
    problems = []
    if row.version != len(entries):
        problems.append(f"{name}: version {row.version} after {len(entries)} accepted saves")
    if len({e.version for e in drafts}) != len(drafts):
        problems.append(f"{name}: two drafts were accepted as the same version")
    if len(submits) > 1:
        problems.append(f"{name}: submitted {len(submits)} times")
    last = submits[0] if submits else drafts[-1]
    if row.answers.get(token_key) != last.sent[token_key]:
        problems.append(f"{name}: holds {row.answers.get(token_key)!r}, not the last accepted")
    wanted_status = SubmissionStatus.SUBMITTED if submits else SubmissionStatus.DRAFT
    if row.status != wanted_status:
        problems.append(f"{name}: {row.status}, expected {wanted_status}")
    points = db.session.scalar(
        select(func.count(MeasurePoint.id)).where(MeasurePoint.submission_id == row.id)
    )
    measures = JOINT_MEASURES if row.respondent == "joint" else INDIVIDUAL_MEASURES
    if points != (measures if submits else 0):
        problems.append(f"{name}: {points} progress points")
    return problems


def lost_notes(journal: Journal) -> list[str]:
    """Each note holds every accepted save; signed at most once, and nothing after it."""
    problems = []
    for (session_id, couple_id), entries in by_target(journal, ("note", "sign")).items():
        note = db.session.scalar(
            select(SessionNote).where(
                SessionNote.session_id == session_id, SessionNote.couple_id == couple_id
            )
        )
        name = f"note of couple {couple_id} in session {session_id}"
        signs = [e for e in entries if e.kind == "sign"]
        drafts = sorted((e for e in entries if e.kind == "note"), key=lambda e: e.version)
        # An autosave raises the version by one; "sign" saves the text, then signs: two.
        expected_version = len(drafts) + 2 * len(signs)
        if note.version != expected_version:
            problems.append(f"{name}: version {note.version}, expected {expected_version}")
        if len(signs) > 1:
            problems.append(f"{name}: signed {len(signs)} times")
        last = signs[0] if signs else drafts[-1]
        if note.sections.get("subjective") != last.sent["subjective"]:
            problems.append(f"{name}: holds {note.sections.get('subjective')!r}")
        if note.is_signed != bool(signs) or _signatures(note.id) != len(signs):
            problems.append(f"{name}: signed={note.is_signed}, {_signatures(note.id)} events")
    return problems


def _signatures(note_id: int) -> int:
    return db.session.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.object_id == note_id, AuditEvent.action == Action.NOTE_SIGNED
        )
    )


def lost_moves(journal: Journal, plan: Plan) -> list[str]:
    """Each session moved once per accepted move, and sits where one of them put it."""
    problems = []
    accepted = by_target(journal, ("reschedule",))
    for session_id, (version, sequence) in plan.sessions.items():
        session = db.session.get(WorkshopSession, session_id)
        moves = accepted.get((session_id,), [])
        if session.version != version + len(moves):
            problems.append(f"session {session_id}: version {session.version}, {len(moves)} moves")
        if session.ics_sequence != sequence + len(moves):
            problems.append(f"session {session_id}: calendar sequence {session.ics_sequence}")
        placed = (session.starts_at.date(), session.location)
        if moves and placed not in {(m.sent["day"], m.sent["location"]) for m in moves}:
            problems.append(f"session {session_id}: at {placed}, which no accepted move chose")
    return problems
