"""Invitation and reset links: single use, expiring, sent without revealing who has an account."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.helpers import CSRF_META, text_of, without_tokens
from workshop.auth.services import issue_token
from workshop.extensions import db
from workshop.models import AccountToken, TokenPurpose, User

from .conftest import LINK, link_path, user_by_email

NEW_PASSWORD = "a brand new passphrase"
LINK_GONE = "This link no longer works"


def choose(browser, link: str, password: str = NEW_PASSWORD):
    return browser.post(link, {"password": password, "confirm": password})


def ask_for_reset(browser, email: str, **kwargs):
    return browser.post("/password/forgot", {"email": email}, **kwargs)


def assert_link_gone(response) -> None:
    assert response.status_code == 410
    page = text_of(response)
    assert LINK_GONE in page
    assert "Get a new link" in page
    assert "Couples Workshop" in page  # in the app's layout


@pytest.fixture
def invitation(app, world):
    """A fresh invitation link (path) for the world's partner."""
    with app.app_context():
        token = issue_token(db.session.get(User, world.partner_id), TokenPurpose.INVITATION)
        db.session.commit()
    return f"/password/set/{token}"


# Single use, limited time


def test_an_invitation_link_works_once(browser, make_browser, world, invitation):
    assert browser.get(invitation).status_code == 200
    assert choose(browser, invitation).status_code == 302

    second = make_browser()
    assert_link_gone(second.get(invitation))
    assert_link_gone(second.client.post(invitation, data={"password": "x" * 10}))
    assert second.get("/").status_code == 302


def test_a_reset_link_works_once(browser, make_browser, world, outbox):
    ask_for_reset(browser, world.counselor)
    link = link_path(outbox[0])
    assert choose(browser, link).status_code == 302

    again = make_browser()
    response = again.get(link)
    assert_link_gone(response)


def test_an_expired_invitation_shows_the_same_clear_page(browser, world, invitation, age_links):
    age_links(world.partner, timedelta(days=7, minutes=1))
    assert_link_gone(browser.get(invitation))


def test_an_invitation_is_still_good_just_before_it_expires(browser, world, invitation, age_links):
    age_links(world.partner, timedelta(days=6, hours=23))
    assert browser.get(invitation).status_code == 200


def test_an_expired_reset_link_cannot_set_a_password(app, browser, world, outbox, age_links):
    ask_for_reset(browser, world.counselor)
    link = link_path(outbox[0])
    age_links(world.counselor, timedelta(hours=1, minutes=1))

    assert_link_gone(browser.get(link))
    assert_link_gone(browser.client.post(link, data={"password": NEW_PASSWORD}))
    assert browser.login(world.counselor, NEW_PASSWORD).status_code == 200


def test_a_made_up_link_shows_the_same_clear_page(browser):
    assert_link_gone(browser.get("/password/set/made-up-token"))


def test_links_are_stored_only_as_digests(app, world, outbox, browser):
    ask_for_reset(browser, world.counselor)
    token = link_path(outbox[0]).rsplit("/", 1)[1]
    with app.app_context():
        stored = db.session.scalars(select(AccountToken.token_hash)).all()
    assert stored
    assert token not in stored


def test_using_one_link_retires_the_users_other_links(browser, make_browser, world, outbox):
    ask_for_reset(browser, world.counselor)
    ask_for_reset(browser, world.counselor)
    first, second = (link_path(message) for message in outbox)

    choose(browser, second)

    assert_link_gone(make_browser().get(first))


def test_a_disabled_account_cannot_use_its_link(app, browser, world, invitation):
    with app.app_context():
        db.session.get(User, world.partner_id).is_active = False
        db.session.commit()
    assert_link_gone(browser.get(invitation))


# Forgotten password


def test_forgot_password_answers_alike_for_known_and_unknown_emails(browser, world, outbox):
    known = ask_for_reset(browser, world.counselor)
    unknown = ask_for_reset(browser, "nobody@example.net")

    assert known.status_code == unknown.status_code == 200
    assert without_tokens(text_of(known)).replace(world.counselor, "EMAIL") == without_tokens(
        text_of(unknown)
    ).replace("nobody@example.net", "EMAIL")
    assert [message.to for message in outbox] == [[world.counselor]]


def test_forgot_password_sends_nothing_to_a_disabled_account(app, browser, world, outbox):
    with app.app_context():
        db.session.get(User, user_by_email(app, world.counselor).id).is_active = False
        db.session.commit()

    response = ask_for_reset(browser, world.counselor)

    assert "Check your email" in text_of(response)
    assert outbox == []


def test_the_reset_link_logs_in_and_ends_the_users_other_sessions(
    browser, make_browser, world, outbox
):
    office, phone = make_browser(), make_browser()
    office.login(world.counselor)
    phone.login(world.counselor)
    ask_for_reset(browser, world.counselor)

    response = choose(browser, link_path(outbox[0]))

    assert response.status_code == 302
    assert "Your couples" in text_of(browser.get("/"))
    assert office.get("/").status_code == 302
    assert phone.get("/").status_code == 302
    assert make_browser().login(world.counselor, NEW_PASSWORD).status_code == 302
    assert make_browser().login(world.counselor).status_code == 200  # the old one is gone


@pytest.mark.parametrize(
    "headers",
    [
        {"Host": "evil.example"},
        {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"},
    ],
)
def test_email_links_are_built_from_public_url_never_from_the_request(
    tuned_browser, world, headers
):
    browser = tuned_browser(PUBLIC_URL="https://workshop.example.org")
    mailman = browser.client.application.extensions["mailman"]
    mailman.outbox = []
    # The whole visit goes to the forged host, so the browser's cookie (and CSRF token) follow.
    page = browser.client.get("/password/forgot", headers=headers)
    token = CSRF_META.search(page.get_data(as_text=True)).group(1)

    browser.client.post(
        "/password/forgot", data={"email": world.counselor, "csrf_token": token}, headers=headers
    )

    [message] = mailman.outbox
    assert "evil.example" not in message.body
    found = LINK.search(message.body)
    assert found
    assert found.group(1) == "https://workshop.example.org"
