"""Fixtures for the counselor's homework pages: a workshop with the world's couple and one more,
the built-in library loaded, and the counselor logged in."""

from dataclasses import dataclass

import pytest

from tests.assignments.builders import HomeworkBuilder


@pytest.fixture
def hw(app, world) -> HomeworkBuilder:
    """Workshops, couples and homework straight in the database."""
    return HomeworkBuilder(app, world)


@dataclass
class Group:
    """Ids of the counselor's workshop, its two couples and their partners."""

    workshop_id: int
    couple_ids: list[int]
    partner_ids: dict[int, list[int]]  # couple id -> its partners' ids, in id order
    exercises: dict[str, int]
    session_ids: list[int]

    @property
    def couple(self) -> int:
        return self.couple_ids[0]

    @property
    def partners(self) -> list[int]:
        return self.partner_ids[self.couple]


@pytest.fixture
def group(hw, world) -> Group:
    """The world's counselor's workshop (UTC clock) with the world's couple and Robin & Casey,
    two sessions to come, and the built-in exercises."""
    exercises = hw.library()
    other = hw.couple(names=("Robin", "Casey"))
    built = hw.workshop(couples=(world.couple_id, other), sessions=2)
    couples = [world.couple_id, other]
    return Group(
        built.id, couples, {c: hw.partner_ids(c) for c in couples}, exercises, built.session_ids
    )


@pytest.fixture
def colleagues(hw, group, make_browser):
    """Two more counselors of the practice, each logged in on a browser of their own: one
    co-leads the group's workshop, the other does not lead it."""
    co_counselor, outsider = hw.counselor("Co Counselor"), hw.counselor("Not Leading")
    hw.co_lead(group.workshop_id, co_counselor)
    browsers = []
    for email in (co_counselor, outsider):
        browser = make_browser()
        browser.login(email)
        browsers.append(browser)
    return browsers


@pytest.fixture
def counselor(browser, world):
    """The browser, logged in as the world's counselor."""
    browser.login(world.counselor)
    return browser
