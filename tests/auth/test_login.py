"""Logging in: one answer for every failure, rate limits on guessing, and safe redirects."""

import re
from urllib.parse import urlsplit

import pytest

from tests.conftest import test_config
from tests.helpers import text_of, without_tokens
from workshop import create_app
from workshop.auth.services import LOGIN_FAILED
from workshop.extensions import db
from workshop.models import User

from .conftest import user_by_email

OTHER_ADDRESS = {"REMOTE_ADDR": "203.0.113.7"}


def failed_login(browser, email: str, **kwargs):
    return browser.post("/login", {"email": email, "password": "not the password"}, **kwargs)


def assert_says_when_to_retry(response, window_minutes: int = 15) -> None:
    """The 429 page and its Retry-After header both tell when trying again works."""
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= window_minutes * 60 + 1
    found = re.search(r"try again in (\d+) minutes?", text_of(response))
    assert found, "the 429 page does not say when to retry"
    minutes = int(found.group(1))
    # Never tell people to come back before the limit lifts, nor far later than it does.
    assert retry_after <= minutes * 60 <= retry_after + 120


# One generic answer


def test_wrong_password_and_unknown_email_get_the_same_answer(browser, world):
    wrong_password = failed_login(browser, world.counselor)
    unknown_email = failed_login(browser, "nobody@example.net")

    assert wrong_password.status_code == unknown_email.status_code == 200
    assert LOGIN_FAILED in text_of(wrong_password)
    assert LOGIN_FAILED in text_of(unknown_email)
    # Apart from the echoed address (and the CSRF token, which carries a timestamp), the two
    # pages are identical: nothing tells them apart.
    assert without_tokens(text_of(wrong_password)).replace(world.counselor, "") == without_tokens(
        text_of(unknown_email)
    ).replace("nobody@example.net", "")


def test_disabled_account_cannot_log_in_even_with_the_right_password(app, browser, world):
    with app.app_context():
        user = db.session.get(User, user_by_email(app, world.counselor).id)
        user.is_active = False
        db.session.commit()

    response = browser.login(world.counselor)

    assert response.status_code == 200
    assert LOGIN_FAILED in text_of(response)
    assert browser.get("/").status_code == 302


def test_invited_partner_without_a_password_cannot_log_in(app, browser, world):
    with app.app_context():
        user = db.session.get(User, user_by_email(app, world.partner).id)
        user.password_hash = None
        db.session.commit()

    response = failed_login(browser, world.partner)

    assert LOGIN_FAILED in text_of(response)
    assert browser.get("/").status_code == 302


@pytest.mark.parametrize(
    ("who", "home_heading"),
    [("admin", "Your team"), ("counselor", "Your couples"), ("partner", "Your sessions")],
)
def test_login_lands_on_the_home_page_of_the_role(browser, world, who, home_heading):
    response = browser.login(getattr(world, who))

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert home_heading in text_of(browser.get("/"))


def test_email_is_matched_whatever_its_case_and_surrounding_spaces(browser, world):
    response = browser.login(f"  {world.counselor.upper()} ")
    assert response.status_code == 302
    assert "Your couples" in text_of(browser.get("/"))


# Rate limits on guessing


def test_repeated_failures_for_one_account_get_a_429_page_saying_when_to_retry(browser, world):
    for _ in range(5):  # LOGIN_LIMIT_PER_ACCOUNT: 5 per 15 minutes
        assert failed_login(browser, world.counselor).status_code == 200

    response = failed_login(browser, world.counselor)

    assert response.status_code == 429
    page = text_of(response)
    assert "Too many attempts" in page
    assert "Couples Workshop" in page  # the app's layout, not a bare error
    assert_says_when_to_retry(response)


def test_a_locked_account_stays_locked_from_another_address_and_with_the_right_password(
    browser, make_browser, world
):
    for _ in range(5):
        failed_login(browser, world.counselor)

    elsewhere = make_browser()
    response = elsewhere.post(
        "/login",
        {"email": world.counselor, "password": "a long and private passphrase"},
        environ_base=OTHER_ADDRESS,
    )

    assert response.status_code == 429
    assert elsewhere.get("/").status_code == 302


def test_the_account_limit_counts_the_address_however_it_is_typed(browser, world):
    for typed in (world.counselor, world.counselor.upper(), f" {world.counselor} ") * 2:
        failed_login(browser, typed)
    assert failed_login(browser, world.counselor).status_code == 429


def test_other_accounts_are_not_locked_by_one_accounts_failures(browser, world):
    for _ in range(6):
        failed_login(browser, world.counselor)

    assert browser.login(world.admin).status_code == 302


def test_repeated_failures_from_one_address_get_a_429_page(tuned_browser, app, world):
    browser = tuned_browser(LOGIN_LIMIT_PER_ADDRESS="3 per 15 minutes")
    for number in range(3):  # a different account each time: only the address limit applies
        assert failed_login(browser, f"guess{number}@example.net").status_code == 200

    response = failed_login(browser, "guess9@example.net")

    assert response.status_code == 429
    assert_says_when_to_retry(response)
    # Someone at another address is not affected.
    assert (
        failed_login(browser, "guess9@example.net", environ_base=OTHER_ADDRESS).status_code == 200
    )


def test_the_address_limit_is_20_failures_by_default(browser, world):
    for number in range(20):
        assert failed_login(browser, f"guess{number}@example.net").status_code == 200
    assert failed_login(browser, "guess99@example.net").status_code == 429


@pytest.fixture
def earlier_app_without_rate_limits(_schema, database_url):
    """An app with rate limits switched off, built before the test's own app (as the query
    budget tests build theirs, earlier in the same process)."""
    create_app(test_config(database_url, RATELIMIT_ENABLED=False))


def test_limits_hold_in_an_app_built_after_one_without_them(
    earlier_app_without_rate_limits, browser, world
):
    for _ in range(5):
        failed_login(browser, world.counselor)

    assert failed_login(browser, world.counselor).status_code == 429


def test_successful_logins_do_not_count_as_failures(tuned_browser, app, world):
    browser = tuned_browser(
        LOGIN_LIMIT_PER_ACCOUNT="2 per 15 minutes", LOGIN_LIMIT_PER_ADDRESS="2 per 15 minutes"
    )
    failed_login(browser, world.counselor)
    for _ in range(3):
        assert browser.login(world.counselor).status_code == 302
        browser.logout()

    assert failed_login(browser, world.counselor).status_code == 200
    assert failed_login(browser, world.counselor).status_code == 429


# Where login leads: only ever inside the app

HOSTILE_NEXT = [
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "https://evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "%2F%5Cevil.example",
    "%252F%252Fevil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "/%09/evil.example",
    "/%0A/evil.example",
    "https:/\\evil.example",
    "///evil.example",
    "evil.example",
]


def assert_in_app(location: str) -> None:
    parts = urlsplit(location)
    assert not parts.scheme
    assert not parts.netloc
    assert location.startswith("/")
    assert not location.startswith(("//", "/\\"))
    assert "evil.example" not in location


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_next_pointing_outside_the_app_lands_on_the_home_page(browser, world, target):
    response = browser.post(
        "/login",
        {"email": world.counselor, "password": "a long and private passphrase"},
        query_string={"next": target},
    )

    assert response.status_code == 302
    assert_in_app(response.headers["Location"])
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_next_outside_the_app_is_ignored_when_already_logged_in(browser, world, target):
    browser.login(world.counselor)
    response = browser.get("/login", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/couples/", "/couples/?page=2", "/curriculum/"])
def test_next_inside_the_app_is_honoured(browser, world, target):
    response = browser.post(
        "/login",
        {"email": world.counselor, "password": "a long and private passphrase"},
        query_string={"next": target},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == target


def test_a_page_asked_for_before_login_is_reached_after_it(browser, world):
    first = browser.get("/couples/")
    assert first.status_code == 302
    login_page = first.headers["Location"]

    response = browser.post(
        login_page, {"email": world.counselor, "password": "a long and private passphrase"}
    )

    assert response.headers["Location"] == "/couples/"
