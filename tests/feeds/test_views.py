"""The calendar page, secret feed addresses and their rotation, and who may download what."""

import pytest

from tests.feeds.ics import feed_path_on, parse
from tests.helpers import text_of
from workshop.extensions import db
from workshop.models import Couple, User


def calendar_page(browser, email: str):
    browser.login(email)
    return browser.get("/calendar")


def test_counselor_sees_their_secret_feed_address_and_how_to_subscribe(browser, feed_world):
    response = calendar_page(browser, feed_world.counselor)
    assert response.status_code == 200
    page = text_of(response)
    path = feed_path_on(page)
    assert path.startswith("/feeds/counselor/")
    assert f"webcal://localhost{path}" in page
    assert "Google Calendar" in page
    assert "Outlook" in page
    assert feed_path_on(text_of(browser.get("/calendar"))) == path  # made once, then kept


def test_feed_token_is_long_and_random(app, browser, feed_world):
    calendar_page(browser, feed_world.counselor)
    with app.app_context():
        token = db.session.get(User, feed_world.counselor_id).calendar_token
    assert len(token) >= 43


def test_both_partners_of_a_couple_share_one_feed(feed_world, feed_path, app):
    first = feed_path(feed_world.partner)
    assert first.startswith("/feeds/couple/")
    assert feed_path(feed_world.second_partner) == first
    with app.app_context():
        couple = db.session.get(Couple, feed_world.couple_id)
        assert first == f"/feeds/couple/{couple.calendar_token}.ics"


def test_the_partner_page_says_the_address_is_shared(browser, feed_world):
    page = text_of(calendar_page(browser, feed_world.partner))
    assert "for both of you" in page


def test_rotating_issues_a_new_address_and_retires_the_old_one(client, browser, feed_world):
    old = feed_path_on(text_of(calendar_page(browser, feed_world.counselor)))
    response = browser.post("/calendar/rotate", token_from="/calendar", follow_redirects=True)
    assert "The old one no longer works" in text_of(response)
    new = feed_path_on(text_of(response))
    assert new != old
    assert client.get(old).status_code == 404
    assert len(parse(client.get(new)).walk("VEVENT")) == 12


def test_a_partner_rotating_changes_the_address_for_both(client, browser, feed_world, feed_path):
    old = feed_path(feed_world.second_partner)
    calendar_page(browser, feed_world.partner)
    browser.post("/calendar/rotate", token_from="/calendar")
    assert client.get(old).status_code == 404
    assert feed_path(feed_world.second_partner) != old


def test_rotating_without_the_form_token_is_refused(app, browser, feed_world, feed_path):
    old = feed_path(feed_world.counselor)
    browser.login(feed_world.counselor)
    assert browser.client.post("/calendar/rotate").status_code == 400
    assert browser.get(old).status_code == 200


@pytest.mark.parametrize("kind", ["counselor", "couple"])
def test_an_unknown_feed_token_is_not_found(client, feed_world, kind):
    assert client.get(f"/feeds/{kind}/no-such-token.ics").status_code == 404


def test_a_counselor_token_does_not_open_a_couple_feed(client, feed_world, feed_path):
    token = feed_path(feed_world.counselor).removeprefix("/feeds/counselor/")
    assert client.get(f"/feeds/couple/{token}").status_code == 404


def test_a_feed_needs_no_login_and_is_not_cached_by_others(client, feed_world, feed_path):
    response = client.get(feed_path(feed_world.partner))
    assert response.status_code == 200
    # Every response with client data is "no-store" (workshop/headers.py): stricter than the
    # feed's own "private", so no shared cache (nor the client's) keeps a copy.
    assert response.headers["Cache-Control"] == "no-store"


def test_anonymous_visitors_are_sent_to_login(client):
    assert client.get("/calendar").headers["Location"].startswith("/login")
    assert client.get("/sessions/1/calendar.ics").headers["Location"].startswith("/login")


def test_an_admin_has_no_calendar(browser, feed_world):
    assert calendar_page(browser, feed_world.admin).status_code == 403
    assert browser.post("/calendar/rotate", token_from="/").status_code == 403


@pytest.mark.parametrize("who", ["counselor", "co_counselor", "partner", "second_partner"])
def test_counselors_and_enrolled_partners_download_a_session(browser, feed_world, who):
    browser.login(getattr(feed_world, who))
    response = browser.get(f"/sessions/{feed_world.session_ids[0]}/calendar.ics")
    assert len(parse(response).walk("VEVENT")) == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("counselor2", 404),
        ("counselor2_partner", 404),
        ("withdrawn_partner", 404),
        ("admin", 403),
    ],
)
def test_others_cannot_download_a_session(browser, feed_world, who, status):
    browser.login(getattr(feed_world, who))
    assert browser.get(f"/sessions/{feed_world.session_ids[0]}/calendar.ics").status_code == status


def test_counselor_cannot_download_another_counselors_session(browser, feed_world):
    browser.login(feed_world.counselor)
    assert browser.get(f"/sessions/{feed_world.other_session_id}/calendar.ics").status_code == 404
    assert browser.get("/sessions/999999/calendar.ics").status_code == 404


@pytest.mark.parametrize("who", ["counselor", "partner"])
def test_the_calendar_page_says_old_sessions_leave_the_feed(browser, feed_world, who):
    page = text_of(calendar_page(browser, getattr(feed_world, who)))
    assert "Sessions more than a year old leave the calendar" in page
