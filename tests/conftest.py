"""Fixtures: a fresh app and database per test, clients, and one-line data factories.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set. The
schema is created once per run; each test starts from empty tables (the curriculum kept).
"""

import os

import pytest
from sqlalchemy import text

from tests import factories
from tests.helpers import Browser
from workshop import create_app
from workshop.config import TestingConfig
from workshop.curriculum.services import sync_curriculum
from workshop.extensions import db

KEPT_TABLES = {"stage"}  # the curriculum is product data, present in every database


def test_config(database_url: str, **overrides) -> dict:
    """The testing configuration on the given database, with overrides. The data key is
    given too, so a test may switch ENV_NAME to production (where it is required)."""
    return {
        "ENV_NAME": "testing",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "DATA_ENCRYPTION_KEY": TestingConfig.DATA_ENCRYPTION_KEY,
        **overrides,
    }


test_config.__test__ = False  # a helper, not a test


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


@pytest.fixture(scope="session")
def _schema(database_url):
    app = create_app(test_config(database_url))
    with app.app_context():
        _drop_everything()
        db.create_all()
        sync_curriculum()
        db.session.commit()
    yield
    with app.app_context():
        _drop_everything()
        db.engine.dispose()


@pytest.fixture
def app(_schema, database_url, tmp_path):
    app = create_app(
        test_config(
            database_url,
            MAIL_FILE_PATH=str(tmp_path / "outbox"),
            REPORTS_DIR=str(tmp_path / "reports"),
        )
    )
    yield app
    with app.app_context():
        _empty_tables()
        db.engine.dispose()


# Every engine any app makes during the run, held strongly: an app built inside a test can be
# garbage-collected (and leave Flask-SQLAlchemy's weak registry) before the test ends, and its
# pooled connections would then be closed by the garbage collector, as a ResourceWarning, at
# some random later moment.
_ENGINES = []
_make_engine = db._make_engine  # noqa: SLF001 - Flask-SQLAlchemy's engine factory


def _make_tracked_engine(*args, **kwargs):
    engine = _make_engine(*args, **kwargs)
    _ENGINES.append(engine)
    return engine


db._make_engine = _make_tracked_engine  # noqa: SLF001


@pytest.fixture(autouse=True)
def _close_every_engine():
    """Close the pooled connections of every engine made during the test."""
    yield
    while _ENGINES:
        _ENGINES.pop().dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def browser(app):
    """A test client with helpers to log in and send forms with their CSRF token."""
    return Browser(app.test_client())


@pytest.fixture
def make_browser(app):
    """Another independent browser (a second person, a second device)."""
    return lambda: Browser(app.test_client())


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def outbox(app):
    """Messages sent through the locmem mail backend during the test, oldest first."""
    mail_state = app.extensions["mailman"]
    mail_state.outbox = []
    return mail_state.outbox


@pytest.fixture
def world(app):
    """Two practices: counselors, couples and an admin each, for privacy and access tests."""
    with app.app_context():
        return factories.build_world()


def _drop_everything() -> None:
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    else:
        db.drop_all()


# How to switch foreign-key checks off and on again, so tables empty in any order (and far
# quicker than TRUNCATE on PostgreSQL for tables this small).
FOREIGN_KEYS_OFF_ON = {
    "postgresql": (
        "SET session_replication_role = replica",
        "SET session_replication_role = DEFAULT",
    ),
    "sqlite": ("PRAGMA foreign_keys=OFF", "PRAGMA foreign_keys=ON"),
}


def _empty_tables() -> None:
    names = [table.name for table in db.metadata.sorted_tables if table.name not in KEPT_TABLES]
    off, on = FOREIGN_KEYS_OFF_ON[db.engine.dialect.name]
    with db.engine.begin() as connection:
        connection.execute(text(off))
        for name in names:
            connection.execute(text(f'DELETE FROM "{name}"'))  # noqa: S608 - our table names
        connection.execute(text(on))
