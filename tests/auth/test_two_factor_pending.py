"""Between password and second factor nothing is reachable: every route, walked, says so.

The walk uses the routes and objects of the access walk (tests/test_access.py): the world's
counselor, who owns every walked object, has typed the right password but no code yet.
"""

from datetime import timedelta

import pytest
from flask import url_for
from sqlalchemy import select

from tests.auth.two_factor_support import enrol
from tests.helpers import Browser, text_of
from tests.test_access import objects, url_values  # noqa: F401 - objects is a fixture
from workshop.access import ROUTE_ACCESS
from workshop.extensions import db
from workshop.models import Couple, LoginSession, Practice, utcnow

SECOND_FACTOR = "/login/second-factor"
SET_UP_AT_LOGIN = "/login/set-up-two-factor"
REACHABLE_WHILE_PENDING = {"static", "auth.logout"}


def every_route(app, walked_objects: dict) -> list[tuple[str, str, str]]:
    """(endpoint, method, URL) for GET and POST of every route, public ones included."""
    routes = []
    with app.test_request_context():
        for url_rule in app.url_map.iter_rules():
            url = url_for(
                url_rule.endpoint,
                **url_values(url_rule, ROUTE_ACCESS[url_rule.endpoint], walked_objects),
            )
            routes += [
                (url_rule.endpoint, m, url) for m in ("GET", "POST") if m in url_rule.methods
            ]
    return routes


def client_data(app, world) -> list[str]:
    """Texts that only a logged-in counselor's pages show: names, the couple, the practice."""
    with app.app_context():
        couple = db.session.get(Couple, world.couple_id)
        practice = db.session.get(Practice, world.practice_id)
        return [couple.name, *(p.name for p in couple.partners), practice.name]


def walk_while_pending(app, browser: Browser, walked_objects: dict, page: str) -> list[str]:
    """Visit every route; report any answer other than a redirect to the pending page."""
    token = browser.csrf_token(page)
    surprises = []
    for endpoint, method, url in every_route(app, walked_objects):
        if endpoint in REACHABLE_WHILE_PENDING:
            continue
        if method == "GET":
            response = browser.get(url)
        else:
            response = browser.client.post(url, data={"csrf_token": token})
        location = response.headers.get("Location")
        if url == page:
            wanted = 200 if method == "GET" else None  # its own page; POSTs are tested apart
            if wanted and response.status_code != wanted:
                surprises.append(f"{method} {url}: {response.status_code}")
        elif response.status_code != 302 or location != page:
            surprises.append(f"{method} {url} ({endpoint}): {response.status_code} {location}")
        response.close()
    return surprises


@pytest.fixture
def walked_objects(request) -> dict:
    return request.getfixturevalue("objects")


def test_a_login_waiting_for_its_code_reaches_nothing_but_that_page(
    app, world, walked_objects, clock
):
    browser = Browser(app.test_client())
    browser.login(world.counselor)
    enrol(browser, clock)
    browser.logout()
    assert browser.login(world.counselor).headers["Location"] == SECOND_FACTOR

    assert walk_while_pending(app, browser, walked_objects, SECOND_FACTOR) == []
    # And none of the pages it did get shows anything of the practice's clients.
    page = text_of(browser.get(SECOND_FACTOR))
    for text in client_data(app, world):
        assert text not in page
    assert "Log out" not in page.split("<main")[0]  # no navigation of a logged-in user


def test_a_login_waiting_for_required_set_up_reaches_nothing_but_that_page(
    app, world, walked_objects
):
    with app.app_context():
        db.session.get(Practice, world.practice_id).require_staff_two_factor = True
        db.session.commit()
    browser = Browser(app.test_client())
    assert browser.login(world.counselor).headers["Location"] == SET_UP_AT_LOGIN

    assert walk_while_pending(app, browser, walked_objects, SET_UP_AT_LOGIN) == []


def test_logout_ends_a_pending_login_for_good(app, world, clock):
    browser = Browser(app.test_client())
    browser.login(world.counselor)
    enrolled = enrol(browser, clock)
    browser.logout()
    browser.login(world.counselor)
    cookie = browser.cookie()
    browser.logout()
    # The cookie copied while pending is worth nothing afterwards, even with the right code.
    thief = Browser(app.test_client())
    thief.client.set_cookie("workshop_session", cookie)
    assert thief.get(SECOND_FACTOR).headers["Location"] == "/login"
    again = thief.client.post(SECOND_FACTOR, data={"code": enrolled.code(clock)})
    assert again.headers["Location"] == "/login"
    assert thief.get("/").headers["Location"].startswith("/login")


def test_a_pending_login_expires(app, world, clock):
    browser = Browser(app.test_client())
    browser.login(world.counselor)
    enrolled = enrol(browser, clock)
    browser.logout()
    browser.login(world.counselor)
    with app.app_context():
        pending = select(LoginSession).where(LoginSession.pending_step.is_not(None))
        for login in db.session.scalars(pending):
            login.created_at = utcnow() - timedelta(minutes=16)
        db.session.commit()
    answer = browser.client.post(SECOND_FACTOR, data={"code": enrolled.code(clock)})
    assert answer.headers["Location"] == "/login"
    assert browser.get("/").headers["Location"].startswith("/login")
