"""Errors show calm pages in the app's layout; never a traceback outside development."""

import pytest
from flask import Blueprint

from tests.conftest import test_config
from tests.helpers import text_of
from workshop import access, create_app


def test_unknown_page_is_a_friendly_404_in_the_layout(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    page = text_of(response)
    assert "We could not find that page" in page
    assert "Couples Workshop" in page  # the site header


def test_wrong_method_is_a_friendly_405(browser, world):
    browser.login(world.counselor)
    response = browser.get("/logout")
    assert response.status_code == 405
    assert "That does not work here" in text_of(response)


def test_wrong_role_is_a_friendly_403(browser, world):
    browser.login(world.partner)
    response = browser.get("/couples/")
    assert response.status_code == 403
    assert "This page is not for your account" in text_of(response)


@pytest.fixture
def production_app(database_url, app, monkeypatch):
    """A production-configured app with one route that fails, to see what a browser gets."""
    broken = Blueprint("broken", __name__)

    @broken.get("/broken")
    def explode():
        raise RuntimeError("secret internals: DATABASE PASSWORD hunter2")

    monkeypatch.setitem(access.ROUTE_ACCESS, "broken.explode", access.public())
    production = create_app(
        {
            **test_config(database_url),
            "ENV_NAME": "production",
            "TESTING": False,
            "SECRET_KEY": "production-test-key",
            "SESSION_COOKIE_SECURE": False,
        }
    )
    production.register_blueprint(broken)
    return production


def test_crash_shows_the_500_page_without_a_traceback(production_app):
    response = production_app.test_client().get("/broken")
    assert response.status_code == 500
    page = text_of(response)
    assert "Something went wrong on our side" in page
    assert "Traceback" not in page
    assert "hunter2" not in page
    assert "RuntimeError" not in page


def test_route_missing_from_the_access_table_is_denied(database_url, app):
    unlisted = Blueprint("unlisted", __name__)

    @unlisted.get("/unlisted")
    def secret():
        return "should never be served"

    fresh = create_app(test_config(database_url))
    fresh.register_blueprint(unlisted)
    response = fresh.test_client().get("/unlisted")
    assert response.status_code == 404
    assert "should never be served" not in text_of(response)


def test_a_simultaneous_save_gets_a_calm_409_not_a_500(production_app, monkeypatch):
    from sqlalchemy.orm.exc import StaleDataError

    @production_app.get("/race")
    def race():
        raise StaleDataError("UPDATE statement on table 'workshop_session' expected 1 row")

    monkeypatch.setitem(access.ROUTE_ACCESS, "race", access.public())
    response = production_app.test_client().get("/race")
    assert response.status_code == 409
    assert "Someone saved this at the same moment" in text_of(response)


def test_a_write_the_database_refuses_gets_the_409_page_and_is_logged(
    production_app, monkeypatch, caplog
):
    """A constraint that a race broke (two first saves of one record; a row deleted under a
    new child) and no service caught: a 409 page, never a 500, and the traceback logged."""
    from sqlalchemy.exc import IntegrityError

    @production_app.get("/conflict")
    def conflict():
        raise IntegrityError("INSERT INTO attendance ...", {}, Exception("FOREIGN KEY failed"))

    monkeypatch.setitem(access.ROUTE_ACCESS, "conflict", access.public())
    response = production_app.test_client().get("/conflict")
    assert response.status_code == 409
    assert "Someone saved this at the same moment" in text_of(response)
    assert "INSERT INTO" not in text_of(response)
    assert "conflicting write refused by the database" in caplog.text
    assert "FOREIGN KEY failed" in caplog.text


def test_an_oversized_request_gets_a_friendly_413(browser, world):
    browser.login(world.admin)
    response = browser.post("/practice/branding", {"name": "x" * (5 * 1024 * 1024)})
    assert response.status_code == 413
    assert "That was too large to send" in text_of(response)
