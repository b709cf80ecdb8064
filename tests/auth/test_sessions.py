"""Login sessions: renewed at login, really ended at logout, and limited in time by role."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, inspect, select, update
from sqlalchemy.orm.util import identity_key

from tests.factories import PASSWORD
from tests.helpers import Browser, counting_queries, text_of
from workshop import create_app
from workshop.extensions import db
from workshop.models import Couple, LoginSession, User

COOKIE = "workshop_session"
NEW_COUPLE = {
    "first_name": "Robin",
    "first_email": "robin@example.org",
    "second_name": "Casey",
    "second_email": "casey@example.org",
}


def is_logged_in(browser) -> bool:
    return browser.get("/").status_code == 200


def session_contents(app, browser) -> dict:
    """What the browser's signed session cookie holds."""
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.loads(browser.cookie())


def set_cookie_headers(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


# Renewed at login


def test_login_gives_the_browser_a_new_session(app, browser, world):
    browser.get("/login")
    before = browser.cookie()
    before_contents = session_contents(app, browser)

    browser.login(world.counselor)

    assert browser.cookie() != before
    after_contents = session_contents(app, browser)
    # Nothing planted before login (such as the CSRF secret) survives into the login.
    assert after_contents.get("csrf_token") != before_contents.get("csrf_token")
    assert "login_token" in after_contents


def test_logging_in_again_starts_a_different_server_side_login(app, browser, world):
    browser.login(world.counselor)
    first = session_contents(app, browser)["login_token"]
    browser.logout()
    browser.login(world.counselor)
    assert session_contents(app, browser)["login_token"] != first


# Logout


def test_logout_is_post_only(browser, world):
    browser.login(world.counselor)

    response = browser.get("/logout")

    assert response.status_code == 405
    assert is_logged_in(browser)


def test_logout_ends_the_session(browser, world):
    browser.login(world.counselor)

    response = browser.logout()

    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert "You are logged out." in text_of(browser.get("/login"))
    assert not is_logged_in(browser)


def test_logout_ends_the_session_even_for_a_copied_cookie(app, browser, world):
    browser.login(world.counselor)
    copied = browser.cookie()
    thief = app.test_client()
    thief.set_cookie(COOKIE, copied)
    assert thief.get("/").status_code == 200  # the copy works while the login is open

    browser.logout()

    replay = app.test_client()
    replay.set_cookie(COOKIE, copied)
    response = replay.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert thief.get("/").status_code == 302


def test_logout_ends_only_this_login_not_the_users_other_devices(browser, make_browser, world):
    laptop = make_browser()
    laptop.login(world.counselor)
    browser.login(world.counselor)

    browser.logout()

    assert is_logged_in(laptop)


# Cookies


def test_no_remember_me_cookie_is_ever_set(browser, world):
    response = browser.post(
        "/login", {"email": world.counselor, "password": PASSWORD, "remember": "y"}
    )
    headers = set_cookie_headers(response) + set_cookie_headers(browser.get("/"))

    assert response.status_code == 302
    assert not any(header.startswith("remember_token") for header in headers)
    assert browser.client.get_cookie("remember_token") is None


def test_session_cookie_ends_with_the_browser(browser, world):
    response = browser.login(world.counselor)

    [header] = [h for h in set_cookie_headers(response) if h.startswith(COOKIE + "=")]
    assert "Expires" not in header
    assert "Max-Age" not in header


def test_session_cookie_is_http_only_and_same_site_lax(browser, world):
    response = browser.login(world.counselor)

    [header] = [h for h in set_cookie_headers(response) if h.startswith(COOKIE + "=")]
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header


def test_session_cookie_is_secure_in_production(app, database_url, world, tmp_path):
    production = create_app(
        {
            "ENV_NAME": "production",
            "SECRET_KEY": "production-test-key",
            "DATA_ENCRYPTION_KEY": app.config["DATA_ENCRYPTION_KEY"],
            "SQLALCHEMY_DATABASE_URI": database_url,
            "MAIL_FILE_PATH": str(tmp_path),
        }
    )
    browser = Browser(production.test_client())

    response = browser.login(world.counselor)

    assert response.status_code == 302
    [header] = [h for h in set_cookie_headers(response) if h.startswith(COOKIE + "=")]
    assert "Secure" in header
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header


# Time limits


def follow_to_login(browser) -> str:
    """Open the home page, expect to be sent to log in, and return that page's text."""
    response = browser.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    return text_of(browser.get(response.headers["Location"]))


@pytest.mark.parametrize("who", ["counselor", "admin"])
def test_staff_are_logged_out_after_30_idle_minutes(browser, world, age_logins, who):
    email = getattr(world, who)
    browser.login(email)

    age_logins(email, idle=timedelta(minutes=31))

    assert "signed out after 30 minutes without activity" in follow_to_login(browser)


@pytest.mark.parametrize("who", ["counselor", "admin"])
def test_staff_stay_logged_in_while_active_within_30_minutes(browser, world, age_logins, who):
    email = getattr(world, who)
    browser.login(email)
    age_logins(email, idle=timedelta(minutes=29))
    assert is_logged_in(browser)


def test_activity_keeps_a_login_alive(browser, world, age_logins):
    browser.login(world.counselor)
    for _ in range(3):  # 3 × 20 minutes, each time with a page opened in between
        age_logins(world.counselor, idle=timedelta(minutes=20))
        assert is_logged_in(browser)


@pytest.mark.parametrize("who", ["counselor", "admin"])
def test_staff_are_logged_out_after_12_hours_even_when_active(browser, world, age_logins, who):
    email = getattr(world, who)
    browser.login(email)

    age_logins(email, idle=timedelta(minutes=1), since=timedelta(hours=12, minutes=1))

    assert "signed out because a login lasts at most 12 hours" in follow_to_login(browser)


def test_staff_are_still_logged_in_just_under_12_hours(browser, world, age_logins):
    browser.login(world.counselor)
    age_logins(world.counselor, idle=timedelta(minutes=1), since=timedelta(hours=11, minutes=58))
    assert is_logged_in(browser)


def test_an_expired_login_stays_ended(app, browser, world, age_logins):
    browser.login(world.counselor)
    copied = browser.cookie()
    age_logins(world.counselor, idle=timedelta(minutes=31))
    follow_to_login(browser)

    with app.app_context():  # even if its clock were somehow reset, the login is closed
        login = db.session.scalar(select(LoginSession))
        assert login.ended_at is not None
        login.last_seen_at = login.created_at
        db.session.commit()
    replay = app.test_client()
    replay.set_cookie(COOKIE, copied)
    assert replay.get("/").status_code == 302


def test_partners_have_their_own_longer_limits(app, browser, world, age_logins):
    idle, absolute = app.config["PARTNER_IDLE_TIMEOUT"], app.config["PARTNER_ABSOLUTE_TIMEOUT"]
    assert idle > timedelta(minutes=30)
    assert absolute > timedelta(hours=12)
    browser.login(world.partner)

    age_logins(world.partner, idle=timedelta(minutes=31), since=timedelta(hours=12, minutes=1))
    assert is_logged_in(browser)

    age_logins(world.partner, idle=idle + timedelta(minutes=1))
    assert "signed out after" in follow_to_login(browser)


def test_partners_are_logged_out_after_their_absolute_limit(app, browser, world, age_logins):
    browser.login(world.partner)
    absolute = app.config["PARTNER_ABSOLUTE_TIMEOUT"]
    age_logins(world.partner, idle=timedelta(minutes=1), since=absolute + timedelta(minutes=1))
    assert "signed out because a login lasts at most" in follow_to_login(browser)


def test_time_limits_are_configurable(tuned_browser, world, age_logins):
    browser = tuned_browser(
        STAFF_IDLE_TIMEOUT=timedelta(minutes=5), PARTNER_IDLE_TIMEOUT=timedelta(minutes=10)
    )
    partner = tuned_browser()
    browser.login(world.counselor)
    partner.login(world.partner)

    age_logins(world.counselor, idle=timedelta(minutes=6))
    age_logins(world.partner, idle=timedelta(minutes=6))

    assert "signed out after 5 minutes without activity" in follow_to_login(browser)
    assert is_logged_in(partner)


def test_staff_limits_can_be_set_from_the_environment(monkeypatch, app, database_url):
    monkeypatch.setenv("STAFF_IDLE_MINUTES", "15")
    monkeypatch.setenv("STAFF_ABSOLUTE_HOURS", "8")
    configured = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url})
    assert configured.config["STAFF_IDLE_TIMEOUT"] == timedelta(minutes=15)
    assert configured.config["STAFF_ABSOLUTE_TIMEOUT"] == timedelta(hours=8)


# A form sent after the login ended


def couple_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Couple.id)))


def test_a_form_sent_after_logout_shows_login_with_the_typed_text(app, browser, world):
    browser.login(world.counselor)
    token = browser.csrf_token("/couples/new")
    browser.logout()
    before = couple_count(app)

    response = browser.client.post("/couples/new", data={**NEW_COUPLE, "csrf_token": token})

    assert response.status_code == 401
    page = text_of(response)
    assert "Log in" in page
    assert "Nothing was saved" in page
    for value in NEW_COUPLE.values():
        assert value in page
    assert token not in page.replace(browser.csrf_token("/login"), "")
    assert couple_count(app) == before


def test_a_form_sent_after_the_login_timed_out_keeps_the_long_answer(
    app, browser, world, age_logins
):
    browser.login(world.counselor)
    token = browser.csrf_token("/couples/new")
    age_logins(world.counselor, idle=timedelta(hours=1))
    before = couple_count(app)

    response = browser.client.post("/couples/new", data={**NEW_COUPLE, "csrf_token": token})

    assert response.status_code == 401
    page = text_of(response)
    assert "Robin" in page
    assert "Casey" in page
    assert "signed out after 30 minutes without activity" in page
    assert couple_count(app) == before


def test_the_login_form_on_the_kept_text_page_logs_in_and_returns_to_the_form(app, browser, world):
    browser.login(world.counselor)
    token = browser.csrf_token("/couples/new")
    browser.logout()
    before = couple_count(app)
    kept_page = browser.client.post("/couples/new", data={**NEW_COUPLE, "csrf_token": token})
    action = re.search(r'<form method="post" action="([^"]+)"', text_of(kept_page))
    assert action, "the login form on the kept-text page has no action"

    response = browser.post(
        action.group(1),
        {"email": world.counselor, "password": PASSWORD},
        token_from="/login",
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/couples/new"
    assert is_logged_in(browser)
    assert couple_count(app) == before


def test_password_fields_are_never_echoed_back(browser, world):
    browser.login(world.counselor)
    token = browser.csrf_token("/couples/new")
    browser.logout()

    response = browser.client.post(
        "/couples/new",
        data={**NEW_COUPLE, "password": "hunter2-secret", "csrf_token": token},
    )

    assert "hunter2-secret" not in text_of(response)


def test_a_button_sent_after_logout_leads_to_a_plain_login(app, browser, world):
    browser.login(world.counselor)
    token = browser.csrf_token("/")
    browser.logout()
    invite = f"/couples/{world.couple_id}/partners/{world.partner_id}/invite"

    response = browser.client.post(invite, data={"csrf_token": token})

    assert response.status_code == 401
    # After logging in, the user is not sent to an address that only takes POSTs.
    assert 'action="/login"' in text_of(response)


# The login check's user: made from the login's row, as the ORM would load it


def test_each_request_reads_the_user_afresh_and_never_writes_it_back(app, browser, world):
    browser.login(world.counselor)
    browser.get("/")  # a first page may record the login's last-seen time
    with app.app_context():
        db.session.execute(update(User).where(User.email == world.counselor).values(name="Renamed"))
        db.session.commit()

    with counting_queries(app) as statements:
        page = browser.get("/")

    assert page.status_code == 200
    assert "Renamed" in text_of(page)
    assert not [s for s in statements if s.lstrip().upper().startswith(("UPDATE", "INSERT"))]


def test_a_request_in_a_session_that_already_holds_the_user_uses_that_object(app, browser, world):
    browser.login(world.counselor)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == world.counselor))
        name = user.name
        db.session.expire(user)  # as after a commit: the next read refreshes it
        page = browser.get("/")  # the request shares this app context and its session
        assert page.status_code == 200
        assert name in text_of(page)
        assert inspect(user).persistent
        assert db.session.identity_map.get(identity_key(User, user.id)) is user
