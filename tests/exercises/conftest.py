"""Fixtures for the exercise library: the built-in exercises loaded, the world's counselor
logged in, and a builder for exercises and assignments."""

import pytest

from tests.exercises.builders import ExerciseBuilder
from workshop.extensions import db
from workshop.homework.services import sync_library


@pytest.fixture
def library(app):
    """The built-in exercises, as `sync-curriculum` loads them."""
    with app.app_context():
        sync_library()
        db.session.commit()


@pytest.fixture
def exercises(app, world, library) -> ExerciseBuilder:
    return ExerciseBuilder(app, world)


@pytest.fixture
def counselor(browser, world):
    """The browser, logged in as the world's counselor."""
    browser.login(world.counselor)
    return browser
