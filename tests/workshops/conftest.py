"""Fixtures for the workshop pages: the world's counselor logged in, and a builder."""

import pytest

from tests.workshops.builders import Builder


@pytest.fixture
def build(app, world) -> Builder:
    """Workshops, sessions and couples straight in the database; see tests/workshops/builders."""
    return Builder(app, world)


@pytest.fixture
def counselor(browser, world):
    """The browser, logged in as the world's counselor."""
    browser.login(world.counselor)
    return browser
