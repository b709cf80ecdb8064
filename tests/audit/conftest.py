"""Fixtures for the audit log tests: notes and events in the world's first practice, and the
admin's browser."""

import pytest

from tests.notes.builders import NotesBuilder
from tests.workshops.builders import in_days


@pytest.fixture
def build(app, world) -> NotesBuilder:
    return NotesBuilder(app, world)


@pytest.fixture
def held_session(build, world) -> int:
    """A session held two days ago in the counselor's workshop, with the world's couple."""
    workshop = build.workshop(couples=(world.couple_id,))
    return build.session(workshop.id, in_days(-2))


@pytest.fixture
def admin(make_browser, world):
    browser = make_browser()
    browser.login(world.admin)
    return browser
