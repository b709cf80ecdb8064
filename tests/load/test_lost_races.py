"""The races the load test hunts, replayed one at a time, without threads.

Each test reads a record as a request would, lets "another request" change the database in
between (a second connection, committed), then finishes the first request: it must be refused
as out of date, never merged over the other's work, never a second submission or signature,
never a 500.
"""

import pytest
from sqlalchemy import func, insert, select, update

from tests.assignments.builders import STAND_ANSWERS, WHERE_I_STAND
from tests.notes.builders import SOAP_TEXT, NotesBuilder
from tests.workshops.builders import in_days, user_id
from workshop.extensions import db
from workshop.homework import services as homework
from workshop.models import (
    Assignment,
    Attendance,
    Couple,
    MeasurePoint,
    NoteStatus,
    SessionNote,
    Submission,
    SubmissionStatus,
    User,
    WorkshopSession,
)
from workshop.notes import queries as note_queries
from workshop.notes import services as notes
from workshop.notes.formats import get_format
from workshop.scheduling import services as scheduling


@pytest.fixture
def build(app, world) -> NotesBuilder:
    return NotesBuilder(app, world)


@pytest.fixture
def workshop(build, world):
    return build.workshop(couples=(world.couple_id,), sessions=2)


def committed_elsewhere(statement) -> None:
    """What another request wrote and committed while this one was running."""
    with db.engine.begin() as connection:
        connection.execute(statement)


def test_a_submit_racing_a_submit_of_the_same_draft_is_refused(app, build, world, workshop):
    build.library()
    [assignment_id] = build.give(workshop.id, [world.couple_id], WHERE_I_STAND)
    draft_id = build.answer(assignment_id, world.partner_id, STAND_ANSWERS, submit=False)
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        partner = db.session.get(User, world.partner_id)
        assert homework.submission_for(assignment, partner).version == 1  # read, as a request
        committed_elsewhere(  # the other tab's submit of version 1 wins
            update(Submission)
            .where(Submission.id == draft_id)
            .values(version=2, status=SubmissionStatus.SUBMITTED)
        )
        with pytest.raises(homework.StaleDraft):
            homework.save_answers(assignment, partner, STAND_ANSWERS, 1, submit=True)
        db.session.rollback()
        points = select(func.count(MeasurePoint.id)).where(MeasurePoint.submission_id == draft_id)
        assert db.session.scalar(points) == 0  # progress counted once, by the winner only
        assert db.session.get(Submission, draft_id).version == 2


def test_a_draft_save_racing_the_signature_cannot_change_the_signed_note(
    app, build, world, workshop
):
    note_id = build.note(workshop.session_ids[0], world.couple_id)
    with app.app_context():
        note = db.session.get(SessionNote, note_id)
        author = db.session.get(User, user_id(world.counselor))
        committed_elsewhere(  # signed in another tab after this save read the draft
            update(SessionNote)
            .where(SessionNote.id == note_id)
            .values(status=NoteStatus.SIGNED, version=2)
        )
        changed = {**SOAP_TEXT, "plan": "Something else entirely."}
        with pytest.raises(notes.StaleNote):
            notes.save_draft(
                author, note.session, note.couple, get_format("soap"), changed, note.version
            )
        db.session.rollback()
        signed = db.session.get(SessionNote, note_id)
        assert (signed.status, signed.sections) == (NoteStatus.SIGNED, SOAP_TEXT)


def test_two_first_autosaves_of_one_note_make_one_note_and_a_clear_refusal(
    browser, build, world, workshop, monkeypatch
):
    session_id = workshop.session_ids[0]
    build.note(session_id, world.couple_id)  # the other tab's first save, already committed
    browser.login(world.counselor)
    token = browser.csrf_token("/")
    # This request looked for the draft before the other tab's insert: it found none.
    monkeypatch.setattr(note_queries, "note_for", lambda *ids: None)
    response = browser.client.post(
        f"/sessions/{session_id}/couples/{world.couple_id}/note/autosave",
        json={"version": 0, "format": "soap", "sections": {"plan": "Mine"}},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 409
    assert response.json["saved"] is False
    assert "another tab" in response.json["message"]
    with build.app.app_context():
        notes_there = select(func.count(SessionNote.id)).where(SessionNote.session_id == session_id)
        assert db.session.scalar(notes_there) == 1


def test_a_reschedule_racing_another_is_refused(app, build, world, workshop):
    session_id = workshop.session_ids[1]
    with app.app_context():
        session = db.session.get(WorkshopSession, session_id)
        seen = session.version
        counselor = db.session.get(User, user_id(world.counselor))
        committed_elsewhere(  # another tab moved it first
            update(WorkshopSession)
            .where(WorkshopSession.id == session_id)
            .values(version=seen + 1, location="Room 9")
        )
        change = scheduling.SessionChange(
            in_days(30), in_days(30, hour=20), "Room 1", "", seen_version=seen
        )
        with pytest.raises(scheduling.StaleEdit):
            scheduling.reschedule_session(session, change, counselor)
        db.session.rollback()
        assert db.session.get(WorkshopSession, session_id).location == "Room 9"


def test_attendance_recorded_twice_at_once_is_refused_not_a_500(app, build, world, workshop):
    session_id = workshop.session_ids[0]
    with app.app_context():
        session = db.session.get(WorkshopSession, session_id)
        assert session.attendance == []  # read, as the request did
        partner_id = db.session.get(Couple, world.couple_id).partners[0].id
        counselor = db.session.get(User, user_id(world.counselor))
        committed_elsewhere(
            insert(Attendance).values(
                session_id=session_id,
                partner_id=partner_id,
                status="present",
                recorded_by_id=counselor.id,
            )
        )
        with pytest.raises(scheduling.StaleEdit):
            scheduling.record_attendance(session, {partner_id: "absent"}, counselor)
        db.session.rollback()
        recorded = db.session.scalars(
            select(Attendance.status).where(Attendance.session_id == session_id)
        )
        assert list(recorded) == ["present"]


def test_removing_a_session_racing_an_attendance_record_keeps_both(
    app, build, world, workshop, monkeypatch
):
    """Found by the wapiti scan: the removal's "nothing recorded yet" check passed, another
    request recorded attendance, then the delete hit it (a 500). Now it is refused."""
    session_id = workshop.session_ids[1]
    check = scheduling._refuse_if_recorded

    def check_then_attendance_arrives(session):
        check(session)
        committed_elsewhere(
            insert(Attendance).values(
                session_id=session_id,
                partner_id=partner_id,
                status="present",
                recorded_by_id=counselor_id,
            )
        )

    monkeypatch.setattr(scheduling, "_refuse_if_recorded", check_then_attendance_arrives)
    with app.app_context():
        partner_id = db.session.get(Couple, world.couple_id).partners[0].id
        counselor_id = user_id(world.counselor)
        session = db.session.get(WorkshopSession, session_id)
        with pytest.raises(scheduling.SessionLocked):
            scheduling.remove_session(session)
        db.session.rollback()
        assert db.session.get(WorkshopSession, session_id) is not None
        recorded = db.session.scalars(
            select(Attendance.status).where(Attendance.session_id == session_id)
        )
        assert list(recorded) == ["present"]
