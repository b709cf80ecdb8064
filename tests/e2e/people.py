"""People in the browser tests: one Chromium context each, driven only through the page.

Every page a person arrives at is screenshotted and audited (axe-core now, the Nu Html Checker
when the session ends), and the addresses they saw are kept for the privacy checks.
"""

import re
from dataclasses import dataclass, field

from playwright.sync_api import Page, expect

from tests.e2e.audit import audit_page
from tests.e2e.screens import shoot

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
# Long enough for a PDF to render on a busy two-core machine, short enough to fail clearly.
ACTION_TIMEOUT_MS = 20_000


@dataclass
class Person:
    """Someone at a browser: who they are, their page, and the addresses they have seen."""

    who: str
    page: Page
    seen: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    forbidden_texts: tuple[str, ...] = ()
    visits: int = 0

    @classmethod
    def open(cls, chromium, who: str, viewport: dict, base_url: str, forbidden_texts=()):
        context = chromium.new_context(viewport=viewport, base_url=base_url, accept_downloads=True)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        return cls(who=who, page=context.new_page(), forbidden_texts=tuple(forbidden_texts))

    def close(self) -> None:
        self.page.context.close()

    def arrive(self, label: str, audit: bool = True) -> None:
        """Record the page now shown: screenshot, accessibility audit, address, privacy check."""
        self.page.wait_for_load_state()
        self.visits += 1
        name = f"{self.who}-{self.visits:02d}-{label}"
        shoot(self.page, name)
        if audit:
            audit_page(self.page, name)
        self.seen.append(self.page.url)
        self.labels.append(name)
        html = self.page.content()
        for text in self.forbidden_texts:
            assert text not in html, f"{self.who} was shown {text!r} on {self.page.url}"

    def go(self, path: str, label: str, status: int = 200, audit: bool = True) -> None:
        """Type an address into the bar, as a person following a bookmark would."""
        response = self.page.goto(path)
        assert response is not None, f"{self.who}: {path} did not load a page"
        assert response.status == status, f"{self.who}: {path} answered {response.status}"
        self.arrive(label, audit)

    def click_link(self, name, label: str, exact: bool | None = None) -> None:
        self.page.get_by_role("link", name=name, exact=exact).first.click()
        self.arrive(label)

    def click_button(self, name, label: str) -> None:
        self.page.get_by_role("button", name=name).first.click()
        self.arrive(label)

    def expect_heading(self, name) -> None:
        expect(self.page.get_by_role("heading", name=name, level=1)).to_be_visible()

    def expect_text(self, text) -> None:
        expect(self.page.get_by_text(text).first).to_be_visible()

    def log_in(self, email: str, password: str) -> None:
        self.go("/login", "login")
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.click_button("Log in", "home")

    def log_out(self) -> None:
        self.click_button(re.compile(r"^Log out"), "logged-out")
        self.expect_heading("Log in")
