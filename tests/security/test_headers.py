"""Security headers: every route, for several actors, error pages included.

The walk reuses the access walk's routes and objects (tests/test_access.py), so a new route is
checked here as soon as it joins ROUTE_ACCESS. HTML pages are also searched for anything the
Content-Security-Policy would block in a real browser (inline script, style attributes, event
handlers, data: URLs), so the policy cannot silently break a page.
"""

import re

import pytest
from cryptography.fernet import Fernet
from flask import Blueprint, url_for

from tests.conftest import test_config
from tests.helpers import Browser, text_of
from tests.practice.test_branding import send as send_branding
from tests.practice.test_branding import tiny_png
from tests.test_access import objects, walked_routes  # noqa: F401 - objects is a fixture
from workshop import access, create_app
from workshop.headers import CONTENT_SECURITY_POLICY

CSP = (
    "default-src 'self'; object-src 'none'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'"
)
WALKING_ACTORS = ("anonymous", "partner", "counselor", "admin", "other_practice_counselor")

# What a strict CSP blocks in a page: each would break that page in a browser.
BLOCKED_BY_CSP = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE),
    "<style> element": re.compile(r"<style[\s>]", re.IGNORECASE),
    "event handler attribute": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"(?:href|src|action)\s*=\s*[\"']?\s*javascript:", re.I),
    "data: URL": re.compile(r"(?:href|src)\s*=\s*[\"']?\s*data:", re.IGNORECASE),
    "external resource": re.compile(
        r"<(?:script|link|img)[^>]*(?:src|href)=\"(?:https?:)?//", re.I
    ),
}


def header_problems(response, static: bool = False, production: bool = False) -> list[str]:
    """What is missing or wrong in one response's security headers."""
    headers = response.headers
    wanted = {
        "Content-Security-Policy": CSP,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }
    problems = [
        f"{name}: {headers.get(name)!r}"
        for name, value in wanted.items()
        if headers.get(name) != value
    ]
    if "Permissions-Policy" not in headers:
        problems.append("no Permissions-Policy")
    cache = headers.get("Cache-Control", "")
    if static and "no-store" in cache:
        problems.append(f"static file not cacheable: {cache!r}")
    if not static and cache != "no-store":
        problems.append(f"Cache-Control: {cache!r}")
    hsts = headers.get("Strict-Transport-Security")
    if production and not (hsts and "includeSubDomains" in hsts and _max_age(hsts) >= 31536000):
        problems.append(f"Strict-Transport-Security: {hsts!r}")
    if not production and hsts is not None:
        problems.append("HSTS outside production")
    return problems


def _max_age(hsts: str) -> int:
    found = re.search(r"max-age=(\d+)", hsts)
    return int(found.group(1)) if found else 0


def csp_blocked_parts(response) -> list[str]:
    """The parts of an HTML page that the policy would block in a browser."""
    if response.mimetype != "text/html":
        return []
    page = response.get_data(as_text=True)
    return [name for name, pattern in BLOCKED_BY_CSP.items() if pattern.search(page)]


def test_the_policy_is_the_one_the_issue_asks_for():
    assert CONTENT_SECURITY_POLICY == CSP


@pytest.mark.parametrize("actor", WALKING_ACTORS)
def test_every_route_sends_the_security_headers(app, world, objects, actor):  # noqa: F811
    browser = Browser(app.test_client())
    if actor != "anonymous":
        browser.login(getattr(world, actor))
    problems = []
    for endpoint, method, url in walked_routes(app, objects):
        response = browser.get(url) if method == "GET" else browser.post(url, token_from="/")
        found = header_problems(response, static=endpoint == "static")
        found += csp_blocked_parts(response)
        response.close()
        if found:
            problems.append(f"{method} {url} ({response.status_code}): {found}")
    assert problems == [], f"{actor}:\n" + "\n".join(problems)


def test_a_missing_page_has_the_headers(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert header_problems(response) == []


def test_a_missing_static_file_is_not_cached_as_if_it_existed(client):
    response = client.get("/static/css/no-such-file.css")
    assert response.status_code == 404
    assert header_problems(response, static=True) == []


def test_a_wrong_method_page_has_the_headers(browser, world):
    browser.login(world.counselor)
    response = browser.get("/logout")
    assert response.status_code == 405
    assert header_problems(response) == []


def test_the_too_many_attempts_page_has_the_headers(database_url, app):
    limited = create_app(test_config(database_url, LOGIN_LIMIT_PER_ADDRESS="1 per 15 minutes"))
    browser = Browser(limited.test_client())
    browser.login("nobody@example.net", "wrong password")
    response = browser.login("nobody-else@example.net", "wrong password")
    assert response.status_code == 429
    assert header_problems(response) == []


@pytest.fixture
def production_app(database_url, app, monkeypatch):
    """A production-configured app with one route that crashes."""
    broken = Blueprint("broken", __name__)

    @broken.get("/broken")
    def explode():
        raise RuntimeError("boom")

    monkeypatch.setitem(access.ROUTE_ACCESS, "broken.explode", access.public())
    production = create_app(
        test_config(
            database_url,
            ENV_NAME="production",
            TESTING=False,
            SECRET_KEY="production-test-key",
            DATA_ENCRYPTION_KEY=Fernet.generate_key().decode(),
            SESSION_COOKIE_SECURE=False,
        )
    )
    production.register_blueprint(broken)
    return production


def test_a_crash_page_has_the_headers_and_production_adds_hsts(production_app):
    response = production_app.test_client().get("/broken")
    assert response.status_code == 500
    assert "Something went wrong on our side" in text_of(response)
    assert header_problems(response, production=True) == []


def test_production_pages_carry_hsts_for_a_year_with_subdomains(production_app):
    client = production_app.test_client()
    assert header_problems(client.get("/login"), production=True) == []
    static = client.get("/static/css/app.css")
    assert header_problems(static, static=True, production=True) == []
    static.close()


def test_development_sends_no_hsts(database_url, app):
    development = create_app(test_config(database_url, ENV_NAME="development", SECRET_KEY="x"))
    response = development.test_client().get("/login")
    assert "Strict-Transport-Security" not in response.headers
    assert header_problems(response) == []


def test_a_downloaded_report_is_not_kept_in_the_browser_cache(app, world, objects):  # noqa: F811
    browser = Browser(app.test_client())
    browser.login(world.partner)
    with app.test_request_context():
        url = url_for("reporting.download_my_report", report_id=objects["report_id"])
    response = browser.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    response.close()


def test_the_branding_page_shows_the_logo_from_our_own_url(browser, world):
    """The preview was a data: URL with a style attribute: both blocked by the policy."""
    browser.login(world.admin)
    sent = send_branding(browser, logo=("logo.png", tiny_png()))
    assert sent.status_code == 302, text_of(sent)
    page = browser.get("/practice/branding")
    assert csp_blocked_parts(page) == []
    assert 'src="/practice/branding/logo"' in page.get_data(as_text=True)
    logo = browser.get("/practice/branding/logo")
    assert logo.mimetype == "image/png"
    assert logo.data == tiny_png()
