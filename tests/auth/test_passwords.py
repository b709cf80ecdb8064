"""Passwords: long ones welcome, short ones refused, no composition rules, hashes kept current."""

import re

import pytest
from argon2 import PasswordHasher, extract_parameters

from tests.helpers import text_of
from workshop.auth.services import LOGIN_FAILED, issue_token
from workshop.extensions import db
from workshop.models import TokenPurpose, User

from .conftest import user_by_email


@pytest.fixture
def invitation(app, world):
    """A fresh invitation link (path) for the world's partner."""
    with app.app_context():
        partner = db.session.get(User, world.partner_id)
        token = issue_token(partner, TokenPurpose.INVITATION)
        db.session.commit()
    return f"/password/set/{token}"


def field_error(page: str, field: str) -> str:
    found = re.search(rf'id="{field}-error">(.*?)</p>', page, re.DOTALL)
    return found.group(1).strip() if found else ""


def choose(browser, link: str, password: str):
    return browser.post(link, {"password": password, "confirm": password})


@pytest.mark.parametrize(
    "password",
    [
        pytest.param("eightch!", id="8 characters"),
        pytest.param("p" * 64, id="64 characters"),
        pytest.param("correct horse " * 9 + "ba", id="128 characters"),
        pytest.param("aaaaaaaa bbb", id="no digits, capitals or symbols"),
        pytest.param("jälkiruoka ja kahvi ☕", id="non-ASCII"),
    ],
)
def test_any_password_of_8_to_128_characters_is_accepted_and_works(
    browser, make_browser, world, invitation, password
):
    response = choose(browser, invitation, password)

    assert response.status_code == 302
    assert browser.get("/").status_code == 200
    later = make_browser()
    assert later.login(world.partner, password).status_code == 302


@pytest.mark.parametrize(
    "password",
    [pytest.param("seven!!", id="7 characters"), pytest.param("x" * 129, id="129 characters")],
)
def test_passwords_outside_8_to_128_characters_are_refused_on_the_field(
    browser, world, invitation, password
):
    response = choose(browser, invitation, password)

    assert response.status_code == 200
    assert field_error(text_of(response), "password") == "Use between 8 and 128 characters."
    assert browser.login(world.partner).status_code == 302  # the old password still works


def test_mismatched_repeat_is_refused(browser, invitation):
    response = browser.post(
        invitation, {"password": "a fine long password", "confirm": "a fine long passw0rd"}
    )
    assert field_error(text_of(response), "confirm") == "The two passwords are not the same."


def test_spaces_in_a_password_are_kept_exactly_as_typed(browser, make_browser, world, invitation):
    choose(browser, invitation, "  spaced out words  ")

    assert make_browser().login(world.partner, "spaced out words").status_code == 200
    assert make_browser().login(world.partner, "  spaced out words  ").status_code == 302


def test_a_very_long_login_password_is_just_a_failed_login(browser, world):
    response = browser.post("/login", {"email": world.counselor, "password": "x" * 5000})
    assert response.status_code == 200
    assert LOGIN_FAILED in text_of(response)
    assert browser.get("/").status_code == 302


def test_passwords_are_hashed_with_argon2id(app, world):
    stored = user_by_email(app, world.counselor).password_hash
    assert stored.startswith("$argon2id$")
    assert "a long and private passphrase" not in stored


def test_an_outdated_hash_is_upgraded_at_login_and_still_works(app, browser, make_browser, world):
    old_hasher = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    with app.app_context():
        user = db.session.get(User, user_by_email(app, world.counselor).id)
        user.password_hash = old_hasher.hash("an old but long password")
        db.session.commit()

    assert browser.login(world.counselor, "an old but long password").status_code == 302

    upgraded = user_by_email(app, world.counselor).password_hash
    current = PasswordHasher()
    assert extract_parameters(upgraded) == extract_parameters(current.hash("x"))
    assert not current.check_needs_rehash(upgraded)
    assert make_browser().login(world.counselor, "an old but long password").status_code == 302


def test_a_current_hash_is_left_alone_at_login(app, browser, world):
    before = user_by_email(app, world.counselor).password_hash
    browser.login(world.counselor)
    assert user_by_email(app, world.counselor).password_hash == before
