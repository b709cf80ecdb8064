"""The audit log is append-only: the app refuses to change or remove an event (ORM and Core,
on every database), and on PostgreSQL the database itself refuses UPDATE, DELETE and TRUNCATE
from anyone, the app or not."""

import re
from pathlib import Path

import pytest
from sqlalchemy import delete, event, text, update
from sqlalchemy.exc import DBAPIError

from tests.helpers import text_of
from tests.notes.builders import note_form, note_url
from workshop.extensions import db
from workshop.models import AuditEvent
from workshop.models.notes import AuditLogIsAppendOnly

WORKSHOP = Path(__file__).resolve().parents[2] / "workshop"


@pytest.fixture
def event_id(build, world) -> int:
    return build.event(world.counselor, ip="192.0.2.7")


def is_postgresql(app) -> bool:
    with app.app_context():
        return db.engine.dialect.name == "postgresql"


def stored_ip(app, event_id: int) -> str | None:
    with app.app_context():
        return db.session.get(AuditEvent, event_id).ip_address


def test_changing_an_audit_event_object_is_refused(app, event_id):
    with app.app_context():
        found = db.session.get(AuditEvent, event_id)
        found.ip_address = "203.0.113.9"
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.commit()
        db.session.rollback()
    assert stored_ip(app, event_id) == "192.0.2.7"


def test_deleting_an_audit_event_object_is_refused(app, event_id):
    with app.app_context():
        db.session.delete(db.session.get(AuditEvent, event_id))
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.commit()
        db.session.rollback()
    assert stored_ip(app, event_id) == "192.0.2.7"


@pytest.mark.parametrize(
    "statement",
    [
        update(AuditEvent).values(ip_address="203.0.113.9"),
        delete(AuditEvent),
        update(AuditEvent.__table__).values(ip_address="203.0.113.9"),
        delete(AuditEvent.__table__),
    ],
    ids=["orm-update", "orm-delete", "core-update", "core-delete"],
)
def test_bulk_statements_on_the_audit_log_are_refused(app, event_id, statement):
    with app.app_context():
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.execute(statement)
        db.session.rollback()
        with db.engine.begin() as connection, pytest.raises(AuditLogIsAppendOnly):
            connection.execute(statement)
    assert stored_ip(app, event_id) == "192.0.2.7"


def test_a_busy_counselor_only_ever_inserts_audit_events(app, world, held_session, make_browser):
    """Writing, signing, reading, listing and searching notes all write audit events; not one
    statement the app sends changes or removes one."""
    touched = []

    def watch(conn, cursor, statement, parameters, context, executemany):
        if re.match(r"\s*(UPDATE|DELETE)\b[^;]*\baudit_event\b", statement, re.IGNORECASE):
            touched.append(statement)

    counselor = make_browser()
    counselor.login(world.counselor)
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", watch)
    try:
        url = note_url(held_session, world.couple_id)
        counselor.post(url, note_form({"plan": "first draft"}))
        counselor.post(url, note_form({"plan": "second draft"}, version=1))
        signed = counselor.post(url, note_form({"plan": "signed"}, version=2, sign=True))
        counselor.get(signed.headers["Location"])
        counselor.get(f"/couples/{world.couple_id}/notes")
        assert "signed" in text_of(counselor.get("/notes/search?q=signed"))
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", watch)
    assert touched == []
    with app.app_context():
        assert db.session.query(AuditEvent).count() >= 4


def test_no_code_in_the_app_updates_or_deletes_audit_events():
    """The guard above cannot see hand-written SQL, so no module may hold any (nor a bulk
    statement, which the guard would refuse at run time)."""
    pattern = re.compile(
        r"(UPDATE|DELETE\s+FROM|TRUNCATE)\s+\"?audit_event|(update|delete)\(AuditEvent",
        re.IGNORECASE,
    )
    offenders = [
        str(path.relative_to(WORKSHOP))
        for path in WORKSHOP.rglob("*.py")
        if pattern.search(path.read_text())
    ]
    assert offenders == []


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_event SET ip_address = '203.0.113.9'",
        "DELETE FROM audit_event",
        "TRUNCATE audit_event",
    ],
)
def test_postgresql_itself_refuses_to_change_the_audit_log(app, event_id, sql):
    if not is_postgresql(app):
        pytest.skip("the trigger is PostgreSQL's; SQLite is covered by the app's guard above")
    with (
        app.app_context(),
        db.engine.connect() as connection,
        pytest.raises(DBAPIError, match="append-only"),
    ):
        connection.execute(text(sql))
    assert stored_ip(app, event_id) == "192.0.2.7"
