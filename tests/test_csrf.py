"""CSRF: every state change needs the page's token; a failed check never loses typed text."""

import time

import pytest
from sqlalchemy import func, select

from tests.helpers import text_of
from workshop.extensions import db
from workshop.forms import CSRF_FAILED_MESSAGE
from workshop.models import Couple

NEW_COUPLE = {
    "first_name": "Robin",
    "first_email": "robin@example.org",
    "second_name": "Casey Long-Answer Name",
    "second_email": "casey@example.org",
}


def couple_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Couple.id)))


def assert_form_kept_with_message(response) -> None:
    """The form came back with what was typed and the explanation; nothing was done."""
    assert response.status_code == 200
    page = text_of(response)
    assert CSRF_FAILED_MESSAGE in page
    for value in NEW_COUPLE.values():
        assert f'value="{value}"' in page


@pytest.fixture
def counselor(browser, world):
    browser.login(world.counselor)
    return browser


def test_a_form_sent_without_a_token_comes_back_with_the_typed_text(app, counselor, outbox):
    before = couple_count(app)

    response = counselor.client.post("/couples/new", data=NEW_COUPLE)

    assert_form_kept_with_message(response)
    assert couple_count(app) == before
    assert outbox == []


def test_a_form_sent_with_a_stale_token_comes_back_with_the_typed_text(app, counselor, outbox):
    token = counselor.csrf_token("/couples/new")
    with counselor.client.session_transaction() as session:
        session.pop("csrf_token", None)
    before = couple_count(app)

    response = counselor.client.post("/couples/new", data={**NEW_COUPLE, "csrf_token": token})

    assert_form_kept_with_message(response)
    assert couple_count(app) == before
    assert outbox == []


def test_the_re_shown_form_can_be_sent_again_and_then_saves(app, counselor):
    before = couple_count(app)
    counselor.client.post("/couples/new", data=NEW_COUPLE)

    response = counselor.post("/couples/new", NEW_COUPLE)  # with the token of the page shown

    assert response.status_code == 302
    assert couple_count(app) == before + 1


def test_a_forged_token_is_refused(app, counselor):
    before = couple_count(app)
    response = counselor.client.post(
        "/couples/new", data={**NEW_COUPLE, "csrf_token": "IjEyMyI.forged.token"}
    )
    assert_form_kept_with_message(response)
    assert couple_count(app) == before


def test_the_login_form_without_a_token_keeps_the_email_and_logs_nobody_in(browser, world):
    response = browser.client.post(
        "/login", data={"email": world.counselor, "password": "a long and private passphrase"}
    )

    assert response.status_code == 200
    page = text_of(response)
    assert CSRF_FAILED_MESSAGE in page
    assert f'value="{world.counselor}"' in page
    assert browser.get("/").status_code == 302


def test_the_forgot_password_form_without_a_token_sends_nothing(browser, world, outbox):
    response = browser.client.post("/password/forgot", data={"email": world.counselor})
    assert CSRF_FAILED_MESSAGE in text_of(response)
    assert outbox == []


def test_logout_without_a_token_gets_the_friendly_400_page_and_does_not_log_out(counselor):
    response = counselor.client.post("/logout")

    assert response.status_code == 400
    page = text_of(response)
    assert "That request could not be handled" in page
    assert "reload the page and try again" in page
    assert "Couples Workshop" in page  # the app's layout
    assert counselor.get("/").status_code == 200


def test_a_button_post_without_a_token_gets_the_400_page_and_sends_nothing(
    app, counselor, world, outbox
):
    url = f"/couples/{world.couple_id}/partners/{world.partner_id}/invite"

    response = counselor.client.post(url)

    assert response.status_code == 400
    assert "reload the page and try again" in text_of(response)
    assert outbox == []


def test_a_token_outlives_flask_wtfs_default_hour_while_the_login_lasts(
    app, counselor, monkeypatch
):
    token = counselor.csrf_token("/couples/new")
    real_time = time.time
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: real_time() + 5 * 3600)
    before = couple_count(app)

    response = counselor.client.post("/couples/new", data={**NEW_COUPLE, "csrf_token": token})

    assert response.status_code == 302
    assert couple_count(app) == before + 1


def test_a_token_from_before_a_new_login_no_longer_works(app, counselor, world):
    token = counselor.csrf_token("/couples/new")
    counselor.logout()
    counselor.login(world.counselor)
    before = couple_count(app)

    response = counselor.client.post("/couples/new", data={**NEW_COUPLE, "csrf_token": token})

    assert_form_kept_with_message(response)
    assert couple_count(app) == before


def test_a_token_from_before_login_cannot_be_used_after_it(app, browser, world):
    anonymous_token = browser.csrf_token("/login")
    browser.login(world.counselor)
    before = couple_count(app)

    response = browser.client.post(
        "/couples/new", data={**NEW_COUPLE, "csrf_token": anonymous_token}
    )

    assert_form_kept_with_message(response)
    assert couple_count(app) == before


def test_another_users_token_does_not_work_in_this_browser(app, counselor, make_browser, world):
    other = make_browser()
    other.login(world.other_counselor)
    foreign_token = other.csrf_token("/couples/new")
    before = couple_count(app)

    response = counselor.client.post(
        "/couples/new", data={**NEW_COUPLE, "csrf_token": foreign_token}
    )

    assert_form_kept_with_message(response)
    assert couple_count(app) == before
