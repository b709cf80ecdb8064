"""Fixtures for the notes tests: the world's couple (and the other counselor's couple's
partner stays outside) in a workshop of the world's counselor with a held session."""

from dataclasses import dataclass

import pytest

from tests.notes.builders import NotesBuilder
from tests.workshops.builders import in_days


@dataclass
class Setting:
    """The counselor's workshop with the world's couple enrolled: ids of what notes are about."""

    workshop_id: int
    session_id: int  # held two days ago
    later_session_id: int  # in five days
    couple_id: int
    partner_ids: list[int]
    co_counselor: str  # co-leads the workshop


@pytest.fixture
def build(app, world) -> NotesBuilder:
    return NotesBuilder(app, world)


@pytest.fixture
def setting(build, world) -> Setting:
    co_counselor = build.counselor("Robin Colleague")
    workshop = build.workshop(couples=(world.couple_id,), title="Autumn group", co=(co_counselor,))
    held = build.session(workshop.id, in_days(-2), stages=("trust",))
    later = build.session(workshop.id, in_days(5), stages=("pace",))
    partner_ids = build.partner_ids(world.couple_id)
    return Setting(workshop.id, held, later, world.couple_id, partner_ids, co_counselor)


@pytest.fixture
def counselor(browser, world):
    """The browser, logged in as the world's counselor (who leads the workshop)."""
    browser.login(world.counselor)
    return browser


@pytest.fixture
def login(make_browser):
    """A new browser logged in as `email`."""

    def log_in(email: str):
        other = make_browser()
        other.login(email)
        return other

    return log_in
