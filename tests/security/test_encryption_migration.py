"""The encryption migration: rows written before it are encrypted by the upgrade and decrypted
again by the downgrade; on PostgreSQL it installs (and removes) the audit log's trigger."""

from alembic import command
from sqlalchemy import select, text

from tests import factories
from tests.conftest import test_config
from tests.notes.builders import NotesBuilder
from tests.test_migrations import alembic_config, empty_database_url  # noqa: F401 - a fixture
from tests.workshops.builders import in_days
from workshop import create_app
from workshop.extensions import db
from workshop.models import NoteAddendum, SessionNote, Submission

BEFORE = "a0f8e1c20001"
MARKER = "zqmigrationmarker1207"
STORED = (
    "SELECT CAST(sections AS TEXT) FROM session_note",
    "SELECT text FROM note_addendum",
    "SELECT CAST(answers AS TEXT) FROM submission",
)


def stored_values(app) -> list[str]:
    with app.app_context(), db.engine.connect() as connection:
        return [value for query in STORED for value in connection.execute(text(query)).scalars()]


def trigger_names(app) -> list[str]:
    with app.app_context(), db.engine.connect() as connection:
        query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname"
        return list(connection.execute(text(query)).scalars())


def write_private_text(app) -> None:
    with app.app_context():
        world = factories.build_world()
    build = NotesBuilder(app, world)
    build.library()
    workshop = build.workshop(couples=(world.couple_id,))
    session_id = build.session(workshop.id, in_days(-1))
    build.note(session_id, world.couple_id, sections={"plan": MARKER}, addenda=(MARKER,))
    [assignment] = build.give(workshop.id, [world.couple_id], "trust-understanding-causes")
    build.answer(
        assignment, world.partner_id, {"factors": [MARKER], "my_part": MARKER, "trust_now": "4"}
    )


def test_downgrade_decrypts_and_upgrade_encrypts_existing_rows(empty_database_url):  # noqa: F811
    app = create_app(test_config(empty_database_url))
    with app.app_context():
        command.upgrade(alembic_config(), "head")
    write_private_text(app)
    postgresql = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")

    with app.app_context():
        command.downgrade(alembic_config(), BEFORE)
    assert all(MARKER in value for value in stored_values(app))  # plain JSON and text again
    if postgresql:
        assert trigger_names(app) == []

    with app.app_context():
        command.upgrade(alembic_config(), "head")
    assert not any(MARKER in value for value in stored_values(app))
    with app.app_context():
        assert db.session.scalar(select(SessionNote)).sections == {"plan": MARKER}
        assert db.session.scalar(select(NoteAddendum)).text == MARKER
        assert db.session.scalar(select(Submission)).answers["my_part"] == MARKER
        db.session.remove()
    if postgresql:
        assert trigger_names(app) == ["audit_event_no_change", "audit_event_no_truncate"]
    with app.app_context():
        db.engine.dispose()
