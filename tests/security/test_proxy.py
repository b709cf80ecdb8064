"""Client addresses behind reverse proxies: PROXY_COUNT proxies are trusted, and no more.

Rate limits and audit events key on request.remote_addr; ProxyFix sets it from the
X-Forwarded-For entry our own proxy added. Without a proxy, a forged header changes nothing.
"""

import pytest
from sqlalchemy import select

from tests.conftest import test_config
from tests.helpers import Browser
from workshop import create_app
from workshop.config import ConfigError
from workshop.extensions import db
from workshop.models import AuditEvent, LoginSession, User

CLIENT = "203.0.113.7"  # the visitor, as our proxy saw them
ANOTHER_CLIENT = "198.51.100.23"


def app_behind(database_url: str, proxies: int, **overrides):
    return create_app(test_config(database_url, PROXY_COUNT=proxies, **overrides))


def browser_from(app, forwarded_for: str | None, **headers) -> Browser:
    """A browser whose requests arrive with the given X-Forwarded-For (None: no header)."""
    client = app.test_client()
    if forwarded_for is not None:
        headers["X-Forwarded-For"] = forwarded_for
    client.environ_base.update(
        {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    )
    return Browser(client)


def logins_from(app, email: str) -> list[str | None]:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        return list(
            db.session.scalars(
                select(LoginSession.ip_address).where(LoginSession.user_id == user.id)
            )
        )


def search_audit_addresses(app, browser: Browser, email: str) -> list[str | None]:
    """Search the notes (an audited action) and read back the address the event recorded."""
    assert browser.get("/notes/search?q=anything").status_code == 200
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        return list(
            db.session.scalars(select(AuditEvent.ip_address).where(AuditEvent.actor_id == user.id))
        )


def test_behind_one_proxy_the_forwarded_address_is_the_clients(database_url, app, world):
    proxied = app_behind(database_url, 1)
    browser = browser_from(proxied, f"10.9.9.9, {CLIENT}")  # a forged entry, then our proxy's
    assert browser.login(world.counselor).status_code == 302
    assert logins_from(proxied, world.counselor) == [CLIENT]
    assert search_audit_addresses(proxied, browser, world.counselor) == [CLIENT]


def test_without_a_proxy_a_forged_forwarded_address_is_ignored(database_url, app, world):
    direct = app_behind(database_url, 0)
    browser = browser_from(direct, CLIENT)
    assert browser.login(world.counselor).status_code == 302
    assert logins_from(direct, world.counselor) == ["127.0.0.1"]
    assert search_audit_addresses(direct, browser, world.counselor) == ["127.0.0.1"]


def fail_logins(app, forwarded_for: str, times: int) -> list[int]:
    """Status codes of `times` failed logins, each for a different account, from one address."""
    browser = browser_from(app, forwarded_for)
    return [
        browser.login(f"nobody{n}@example.net", "wrong password").status_code for n in range(times)
    ]


def test_behind_a_proxy_the_login_limit_counts_each_client_apart(database_url, app):
    proxied = app_behind(database_url, 1, LOGIN_LIMIT_PER_ADDRESS="2 per 15 minutes")
    assert fail_logins(proxied, CLIENT, 3) == [200, 200, 429]
    # Another visitor behind the same proxy is not locked out by the first one.
    assert fail_logins(proxied, ANOTHER_CLIENT, 1) == [200]


def test_without_a_proxy_a_forged_address_does_not_escape_the_login_limit(database_url, app):
    direct = app_behind(database_url, 0, LOGIN_LIMIT_PER_ADDRESS="2 per 15 minutes")
    assert fail_logins(direct, CLIENT, 2) == [200, 200]
    assert fail_logins(direct, ANOTHER_CLIENT, 1) == [429]


def test_behind_a_proxy_https_posts_pass_the_csrf_referrer_check(database_url, app, world):
    """The proxy ends TLS and passes on the scheme and host; Flask-WTF then checks the Referer
    (sent on our own pages under Referrer-Policy: same-origin) against the public host."""
    proxied = app_behind(database_url, 1)
    browser = browser_from(
        proxied,
        CLIENT,
        **{
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "workshop.example.org",
            "Referer": "https://workshop.example.org/login",
        },
    )
    response = browser.login(world.counselor)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_negative_proxy_count_is_refused(database_url, app):
    with pytest.raises(ConfigError, match="PROXY_COUNT"):
        app_behind(database_url, -1)
