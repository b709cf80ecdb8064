"""`flask seed-demo` builds the demo practice the README promises, and only once."""

import pytest
from sqlalchemy import func, select

from tests.helpers import Browser, text_of
from workshop.demo import DEMO_PASSWORD
from workshop.extensions import db
from workshop.models import Attendance, Couple, User, Workshop, WorkshopSession, utcnow

DEMO_ACCOUNTS = [
    ("admin@example.org", "Your team"),
    ("counselor@example.org", "Your couples"),
    ("counselor2@example.org", "Your couples"),
    ("alex@example.org", "Your sessions"),
    ("sam@example.org", "Your sessions"),
    ("jordan@example.org", "Your sessions"),
    ("riley@example.org", "Your sessions"),
    ("casey@example.org", "Your sessions"),
    ("drew@example.org", "Your sessions"),
]
GROUP_WORKSHOP = "Rebuilding Together: autumn group"
PRIVATE_WORKSHOP = "Casey & Drew: private program"


def counts(app) -> tuple[int, ...]:
    """How many users, couples, workshops and sessions the database holds."""
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count(model.id)))
            for model in (User, Couple, Workshop, WorkshopSession)
        )


def test_seed_demo_is_idempotent(app, runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert counts(app) == (9, 3, 2, 24)
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert "0 users, 0 couples and 0 workshops added" in second.output
    assert counts(app) == (9, 3, 2, 24)


@pytest.mark.parametrize(("email", "home_marker"), DEMO_ACCOUNTS)
def test_every_demo_account_logs_in_to_its_home(app, runner, email, home_marker):
    runner.invoke(args=["seed-demo"])
    browser = Browser(app.test_client())
    response = browser.login(email, DEMO_PASSWORD, follow_redirects=True)
    assert home_marker in text_of(response)


def test_demo_couples_are_named_as_the_readme_says(app, runner):
    runner.invoke(args=["seed-demo"])
    browser = Browser(app.test_client())
    browser.login("counselor@example.org", DEMO_PASSWORD)
    page = text_of(browser.get("/couples/"))
    assert "Alex & Sam" in page
    assert "Jordan & Riley" in page


def test_demo_group_workshop_has_both_couples_past_attendance_and_upcoming_sessions(app, runner):
    runner.invoke(args=["seed-demo"])
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.title == GROUP_WORKSHOP))
        assert {e.couple.name for e in workshop.enrollments} == {"Alex & Sam", "Jordan & Riley"}
        past = [s for s in workshop.sessions if s.starts_at < utcnow()]
        assert 0 < len(past) < 12
        recorded = db.session.scalar(
            select(func.count(Attendance.id)).where(Attendance.session_id.in_([s.id for s in past]))
        )
        assert recorded == 4 * len(past)


def test_counselor_two_never_sees_the_group_workshop(app, runner):
    runner.invoke(args=["seed-demo"])
    browser = Browser(app.test_client())
    browser.login("counselor2@example.org", DEMO_PASSWORD)
    pages = [text_of(browser.get(url)) for url in ("/", "/workshops/", "/agenda")]
    assert all(GROUP_WORKSHOP not in page for page in pages)
    assert PRIVATE_WORKSHOP in pages[1]


def test_demo_partner_sees_upcoming_sessions(app, runner):
    runner.invoke(args=["seed-demo"])
    browser = Browser(app.test_client())
    browser.login("alex@example.org", DEMO_PASSWORD)
    page = text_of(browser.get("/"))
    assert GROUP_WORKSHOP in page
    assert PRIVATE_WORKSHOP not in page


def test_demo_couple_feed_parses_as_twelve_events(app, runner):
    from icalendar import Calendar

    runner.invoke(args=["seed-demo"])
    browser = Browser(app.test_client())
    browser.login("alex@example.org", DEMO_PASSWORD)
    browser.get("/calendar")  # the first visit makes the couple's secret address
    with app.app_context():
        token = db.session.scalar(
            select(Couple.calendar_token)
            .join(User, User.couple_id == Couple.id)
            .where(User.email == "alex@example.org")
        )
    response = app.test_client().get(f"/feeds/couple/{token}.ics")
    assert response.status_code == 200
    events = Calendar.from_ical(response.data).walk("VEVENT")
    assert len(events) == 12
    assert all("Casey" not in event.to_ical().decode() for event in events)


def demo_notes(app) -> list[tuple[str, str, int]]:
    """(couple name, status, number of addenda) of every note, and the summaries' couples."""
    from workshop.models import ProgressSummary, SessionNote

    with app.app_context():
        notes = db.session.scalars(select(SessionNote).order_by(SessionNote.id))
        rows = [(n.couple.name, n.status, len(n.addenda)) for n in notes]
        summaries = sorted(
            db.session.get(Couple, s.couple_id).name
            for s in db.session.scalars(select(ProgressSummary))
        )
        return rows, summaries


def test_demo_notes_signed_with_an_addendum_a_draft_and_summaries_only_once(app, runner):
    runner.invoke(args=["seed-demo"])
    first = demo_notes(app)
    runner.invoke(args=["seed-demo"])

    assert demo_notes(app) == first
    notes, summaries = first
    assert {couple for couple, status, _ in notes if status == "signed"} == {
        "Alex & Sam",
        "Jordan & Riley",
    }
    assert [status for _, status, _ in notes].count("draft") == 1
    assert sum(addenda for _, _, addenda in notes) == 1
    assert summaries == ["Alex & Sam", "Jordan & Riley"]


def test_demo_notes_are_read_by_their_counselor_and_by_no_partner(app, runner):
    runner.invoke(args=["seed-demo"])
    counselor = Browser(app.test_client())
    counselor.login("counselor@example.org", DEMO_PASSWORD)
    with app.app_context():
        alex_couple = db.session.scalar(
            select(User.couple_id).where(User.email == "alex@example.org")
        )
    timeline = text_of(counselor.get(f"/couples/{alex_couple}/notes"))
    assert "old silences" in timeline
    assert "work stress is high" in timeline  # the addendum

    for email in ("alex@example.org", "sam@example.org", "casey@example.org"):
        partner = Browser(app.test_client())
        partner.login(email, DEMO_PASSWORD)
        for url in ("/", "/homework", f"/couples/{alex_couple}/notes", "/notes/1"):
            assert "old silences" not in text_of(partner.get(url))
    other = Browser(app.test_client())
    other.login("counselor2@example.org", DEMO_PASSWORD)
    assert other.get(f"/couples/{alex_couple}/notes").status_code == 404
    assert other.get("/notes/1").status_code == 404
