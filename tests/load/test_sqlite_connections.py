"""SQLite as several gunicorn workers share it: WAL, a busy timeout, foreign keys enforced.

These run on a SQLite file whatever database the rest of the suite uses: the settings belong
to the SQLite engine, which `make run` and small installations use.
"""

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tests.conftest import test_config
from workshop import create_app
from workshop.extensions import db


@pytest.fixture
def sqlite_app(tmp_path):
    app = create_app(test_config(f"sqlite:///{tmp_path / 'shared.sqlite'}"))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def pragma(name: str):
    return db.session.execute(text(f"PRAGMA {name}")).scalar()


def test_every_connection_uses_wal_waits_for_writers_and_checks_foreign_keys(sqlite_app):
    assert pragma("journal_mode") == "wal"
    assert pragma("busy_timeout") == sqlite_app.config["SQLITE_BUSY_TIMEOUT_MS"] == 15_000
    assert pragma("foreign_keys") == 1


def test_the_busy_timeout_is_a_setting(tmp_path):
    url = f"sqlite:///{tmp_path / 'other.sqlite'}"
    app = create_app(test_config(url, SQLITE_BUSY_TIMEOUT_MS=2500))
    with app.app_context():
        assert pragma("busy_timeout") == 2500
        db.session.remove()
        db.engine.dispose()


def test_a_write_waits_for_another_connections_write_instead_of_failing(sqlite_app):
    with db.engine.begin() as setup:
        setup.execute(text("CREATE TABLE counter (n INTEGER)"))
        setup.execute(text("INSERT INTO counter VALUES (0)"))
    engine, first_holds_the_lock, errors = db.engine, threading.Event(), []

    def second_writer():
        first_holds_the_lock.wait()
        try:
            with engine.begin() as connection:
                connection.execute(text("UPDATE counter SET n = n + 10"))
        except Exception as error:  # "database is locked" without the busy timeout
            errors.append(error)

    thread = threading.Thread(target=second_writer)
    thread.start()
    with db.engine.begin() as first:
        first.execute(text("UPDATE counter SET n = n + 1"))  # takes the write lock
        first_holds_the_lock.set()
        thread.join(0.3)  # the second writer is now waiting on the lock
    thread.join()
    assert errors == []
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT n FROM counter")).scalar() == 11


def test_foreign_keys_are_still_enforced(sqlite_app):
    with db.engine.begin() as setup:
        setup.execute(text("CREATE TABLE parent (id INTEGER PRIMARY KEY)"))
        setup.execute(text("CREATE TABLE child (parent_id INTEGER REFERENCES parent (id))"))
    with pytest.raises(IntegrityError), db.engine.begin() as connection:
        connection.execute(text("INSERT INTO child VALUES (42)"))
