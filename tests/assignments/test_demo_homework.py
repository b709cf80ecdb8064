"""`flask seed-demo` gives the demo group homework in every state, with progress data over
several weeks, once."""

import pytest
from sqlalchemy import func, select

from tests.helpers import Browser, text_of
from workshop.demo import DEMO_PASSWORD
from workshop.extensions import db
from workshop.models import (
    Assignment,
    ExerciseVersion,
    MeasurePoint,
    SafetyFlag,
    Submission,
    User,
    Workshop,
    utcnow,
)

GROUP = "Rebuilding Together: autumn group"


@pytest.fixture
def seeded(app, runner, outbox):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        return db.session.scalar(select(Workshop.id).where(Workshop.title == GROUP))


def count(app, model, *conditions) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)).where(*conditions))


def test_seeding_twice_gives_the_homework_once(app, runner, seeded):
    first = count(app, Assignment)
    submissions = count(app, Submission)
    assert first > 20
    runner.invoke(args=["seed-demo"])
    assert count(app, Assignment) == first
    assert count(app, Submission) == submissions


def test_the_demo_sends_no_email(seeded, outbox):
    assert outbox == []


def test_the_grid_shows_every_state(app, seeded):
    browser = Browser(app.test_client())
    browser.login("counselor@example.org", DEMO_PASSWORD)
    page = text_of(browser.get(f"/workshops/{seeded}/homework"))
    for state in ("Reviewed", "Submitted", "Draft", "Not started", "Overdue"):
        assert f">{state}</span>" in page, state
    assert "Waiting for your review" in page
    assert "Safety flag" not in page


def test_progress_has_data_over_several_weeks(app, seeded):
    with app.app_context():
        alex = db.session.scalar(select(User.id).where(User.email == "alex@example.org"))
        points = list(
            db.session.scalars(select(MeasurePoint).where(MeasurePoint.partner_id == alex))
        )
    by_measure: dict[str, list] = {}
    for point in points:
        by_measure.setdefault(point.measure, []).append(point)
    assert {"readiness", "positivity", "communication", "hope"} <= set(by_measure)
    weeks = {point.recorded_at.isocalendar()[:2] for point in by_measure["positivity"]}
    assert len(weeks) >= 3
    assert all(point.recorded_at < utcnow() for point in points)
    values = [p.value for p in sorted(by_measure["positivity"], key=lambda p: p.recorded_at)]
    assert values[-1] > values[0]  # slowly better


def test_both_partners_submitted_the_safety_check_in_without_risk(app, seeded):
    with app.app_context():
        statuses = list(
            db.session.execute(
                select(Submission.status)
                .join(Submission.assignment)
                .join(Assignment.exercise_version)
                .where(Assignment.workshop_id == seeded)
                .where(Submission.respondent != "joint")
                .where(ExerciseVersion.is_safety_check.is_(True))
            ).scalars()
        )
    assert len(statuses) == 4
    assert set(statuses) <= {"submitted", "reviewed"}
    assert count(app, SafetyFlag) == 0


def test_counselor_two_never_sees_the_groups_homework(app, seeded):
    browser = Browser(app.test_client())
    browser.login("counselor2@example.org", DEMO_PASSWORD)
    assert browser.get(f"/workshops/{seeded}/homework").status_code == 404
    with app.app_context():
        some = db.session.scalar(select(Assignment.id).where(Assignment.workshop_id == seeded))
    assert browser.get(f"/assignments/{some}").status_code == 404
