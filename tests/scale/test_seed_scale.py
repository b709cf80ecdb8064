"""`flask seed-scale` at a tiny scale: the rows asked for, and every relationship consistent
(nobody's notes or answers land in another counselor's or couple's hands)."""

import re

import pytest
from sqlalchemy import func, select

from tests.helpers import Browser
from workshop.extensions import db
from workshop.models import (
    Assignment,
    Attendance,
    Couple,
    Enrollment,
    MeasurePoint,
    Practice,
    Role,
    SessionNote,
    SessionStage,
    Submission,
    User,
    Workshop,
    WorkshopCounselor,
    WorkshopSession,
    utcnow,
)
from workshop.scale import SCALE_PASSWORD

TINY = ["seed-scale", "--scale", "0.01", "--counselors", "2", "--workshops", "4"]


@pytest.fixture
def seeded(app, runner):
    result = runner.invoke(args=TINY)
    assert result.exit_code == 0, result.output
    return result.output


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_the_practice_has_the_people_and_workshops_asked_for(app, seeded):
    with app.app_context():
        assert count(Practice) == 1
        assert count(User, User.role == Role.ADMIN) == 1
        assert count(User, User.role == Role.COUNSELOR) == 2
        assert count(Workshop) == 4
        assert count(Couple) == 20  # 2,000 × 0.01
        assert count(User, User.role == Role.PARTNER) == 40
        assert count(Enrollment) == 20
        assert count(WorkshopSession) == 4 * 12
        assert count(SessionStage) == 4 * 12
        assert count(WorkshopCounselor) == 1  # every fourth workshop has a co-counselor
        assert count(Assignment) == 20 * 12 * 2  # 12 weeks, 2 exercises a week


def test_seeding_prints_the_time_each_table_took(seeded):
    for table in ("user (partners)", "submission", "session_note", "attendance"):
        assert re.search(rf"^{re.escape(table)} +[\d,]+ rows +\d+\.\d\d s$", seeded, re.M)


def test_couples_belong_to_the_counselor_of_their_workshop(app, seeded):
    with app.app_context():
        mismatched = select(Couple.id).join(Enrollment).join(Workshop)
        mismatched = mismatched.where(Couple.counselor_id != Workshop.lead_id)
        assert db.session.scalars(mismatched).all() == []
        partners_per_couple = db.session.scalars(
            select(func.count(User.id)).where(User.couple_id.isnot(None)).group_by(User.couple_id)
        )
        assert set(partners_per_couple) == {2}


def test_every_past_session_has_attendance_and_a_note_per_enrolled_couple(app, seeded):
    now = utcnow()
    with app.app_context():
        for session in db.session.scalars(select(WorkshopSession)):
            couples = count(Enrollment, Enrollment.workshop_id == session.workshop_id)
            held = session.starts_at < now
            assert count(Attendance, Attendance.session_id == session.id) == 2 * couples * held
            assert count(SessionNote, SessionNote.session_id == session.id) == couples * held


def test_notes_belong_to_the_lead_of_the_workshop_and_its_couples(app, seeded):
    with app.app_context():
        notes = (
            select(SessionNote, Workshop)
            .join(WorkshopSession, WorkshopSession.id == SessionNote.session_id)
            .join(Workshop, Workshop.id == WorkshopSession.workshop_id)
        )
        for note, workshop in db.session.execute(notes):
            assert note.author_id == workshop.lead_id
            assert count(
                Enrollment,
                Enrollment.workshop_id == workshop.id,
                Enrollment.couple_id == note.couple_id,
            )
            assert note.sections
            assert all(note.sections.values())


def test_answers_come_from_the_assigned_couple_and_only_once_open(app, seeded):
    now = utcnow()
    with app.app_context():
        rows = db.session.execute(select(Submission, Assignment).join(Assignment))
        for submission, assignment in rows:
            assert assignment.opens_at <= now
            if submission.partner_id is not None:
                partner = db.session.get(User, submission.partner_id)
                assert partner.couple_id == assignment.couple_id
                assert submission.respondent == f"p{partner.id}"
        points = db.session.execute(
            select(MeasurePoint.couple_id, Assignment.couple_id)
            .join(Submission, Submission.id == MeasurePoint.submission_id)
            .join(Assignment)
        )
        pairs = list(points)
        assert pairs
        assert all(point_couple == assigned for point_couple, assigned in pairs)


def test_generated_people_log_in_with_the_shared_password(app, seeded):
    with app.app_context():
        email = db.session.scalar(select(User.email).where(User.role == Role.PARTNER).limit(1))
    browser = Browser(app.test_client())

    assert browser.login(email, SCALE_PASSWORD).status_code == 302
    assert browser.get("/").status_code == 200


def test_a_second_run_adds_a_second_practice(app, runner, seeded):
    again = runner.invoke(args=TINY)

    assert again.exit_code == 0, again.output
    with app.app_context():
        assert count(Practice) == 2
        assert count(User, User.role == Role.PARTNER) == 80
