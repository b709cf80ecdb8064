"""Helpers for the two-factor stories: a controllable clock, and enrolling like a person does.

Time is never slept through: the server's clock (workshop.auth.two_factor.current_time) is
replaced by `clock`, and codes are made with pyotp's `at(for_time)` for the same moment.
"""

import re
from dataclasses import dataclass

import pyotp
import pytest

from tests.helpers import Browser, text_of
from workshop.auth import two_factor

SECRET = re.compile(r'<code class="secret-key" id="secret-key">([A-Z2-7 ]+)</code>')
RECOVERY = re.compile(r"<li><code>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})</code></li>")
# 2026-11-24 09:00:00 UTC, at the start of a 30-second step.
START = 1_795_510_800.0


@dataclass
class Clock:
    now: float = START

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """The time the server checks codes against; tests move it forward by hand."""
    frozen = Clock()
    monkeypatch.setattr(two_factor, "current_time", lambda: frozen.now)
    return frozen


@dataclass
class Enrolled:
    """What a user takes away from enrolment: the app's secret and the recovery codes."""

    secret: str
    recovery_codes: list[str]

    def code(self, clock: Clock, offset_steps: int = 0) -> str:
        """The code the authenticator app shows at the clock's time (plus some steps)."""
        return pyotp.TOTP(self.secret).at(clock.now + 30 * offset_steps)


def secret_on(page) -> str:
    found = SECRET.search(page.get_data(as_text=True))
    assert found, "no secret key on the enrolment page"
    return found.group(1).replace(" ", "")


def recovery_codes_on(page) -> list[str]:
    return RECOVERY.findall(page.get_data(as_text=True))


def enrol(browser: Browser, clock: Clock, url: str = "/account/security/set-up") -> Enrolled:
    """Open the set-up page, read the key as a person would, confirm with the app's code.

    Leaves the clock one step later, so the next login's code is a fresh one."""
    secret = secret_on(browser.get(url))
    done = browser.post(url, {"code": pyotp.TOTP(secret).at(clock.now)})
    assert done.status_code == 200, text_of(done)
    codes = recovery_codes_on(done)
    assert len(codes) == 10
    clock.advance(30)
    return Enrolled(secret, codes)


def log_in_with_code(browser: Browser, email: str, code: str):
    """Password, then the code on the second-factor page."""
    first = browser.login(email)
    assert first.headers["Location"] == "/login/second-factor"
    return browser.post("/login/second-factor", {"code": code})
