"""DATA_ENCRYPTION_KEY: required outside development, checked at start, and rotated with
`flask rotate-key` (the first key encrypts, every listed key decrypts)."""

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select, text

from tests.conftest import test_config
from tests.notes.builders import NotesBuilder
from tests.workshops.builders import in_days
from workshop import create_app
from workshop.config import ConfigError, DevelopmentConfig, TestingConfig, finish_config
from workshop.crypto import DecryptionError
from workshop.extensions import db
from workshop.models import NoteAddendum, SessionNote, TwoFactorCredential

OLD_KEY = TestingConfig.DATA_ENCRYPTION_KEY
NEW_KEY = Fernet.generate_key().decode()
MARKER = "zqrotationmarker6610"
TABLES = {
    "session_note": "sections",
    "note_addendum": "text",
    "submission": "answers",
    "two_factor_credential": "secret",
}
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def test_production_refuses_to_start_without_a_data_key(monkeypatch, tmp_path):
    monkeypatch.delenv("DATA_ENCRYPTION_KEY", raising=False)
    database = f"sqlite:///{tmp_path / 'x.sqlite'}"
    with pytest.raises(ConfigError, match="DATA_ENCRYPTION_KEY must be set"):
        create_app(
            {"ENV_NAME": "production", "SECRET_KEY": "s", "SQLALCHEMY_DATABASE_URI": database}
        )


@pytest.mark.parametrize("bad", ["not-a-key", f"{Fernet.generate_key().decode()},short", " , "])
def test_a_malformed_data_key_is_refused_at_start(bad, tmp_path):
    with pytest.raises(ConfigError, match="DATA_ENCRYPTION_KEY"):
        create_app(test_config(f"sqlite:///{tmp_path / 'x.sqlite'}", DATA_ENCRYPTION_KEY=bad))


def test_worker_processes_get_the_key_from_the_environment(monkeypatch):
    """The RQ worker and the CLI build their app from the environment, like the web app."""
    monkeypatch.setenv("WORKSHOP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("DATA_ENCRYPTION_KEY", NEW_KEY)
    assert create_app().config["DATA_ENCRYPTION_KEY"] == NEW_KEY


def test_development_makes_and_keeps_its_own_data_key(tmp_path):
    def development_config() -> dict:
        config = {k: getattr(DevelopmentConfig, k) for k in dir(DevelopmentConfig) if k.isupper()}
        finish_config(config, str(tmp_path))
        return config

    first, second = development_config(), development_config()
    Fernet(first["DATA_ENCRYPTION_KEY"])  # a real key
    assert first["DATA_ENCRYPTION_KEY"] == second["DATA_ENCRYPTION_KEY"]
    assert (tmp_path / "dev-data-key").stat().st_mode & 0o077 == 0


@pytest.fixture
def private_text(app, world):
    """A signed note with an addendum and a submitted private answer, under the old key."""
    build = NotesBuilder(app, world)
    build.library()
    workshop = build.workshop(couples=(world.couple_id,))
    session_id = build.session(workshop.id, in_days(-1))
    for session in (session_id, build.session(workshop.id, in_days(-2))):
        build.note(session, world.couple_id, sections={"plan": MARKER}, addenda=(MARKER,))
    [assignment] = build.give(workshop.id, [world.couple_id], "trust-understanding-causes")
    answers = {"factors": [MARKER], "my_part": MARKER, "trust_now": "4"}
    build.answer(assignment, world.partner_id, answers)
    with app.app_context():
        db.session.add(TwoFactorCredential(user_id=world.partner_id, secret=TOTP_SECRET))
        db.session.commit()


def app_with_keys(database_url, keys: str):
    return create_app(test_config(database_url, DATA_ENCRYPTION_KEY=keys))


def tokens(app) -> list[str]:
    with app.app_context(), db.engine.connect() as connection:
        found = []
        for table, column in TABLES.items():
            found += connection.execute(text(f"SELECT {column} FROM {table}")).scalars()  # noqa: S608
        return found


def readable_text(app) -> list[str]:
    with app.app_context():
        notes = [n.sections["plan"] for n in db.session.scalars(select(SessionNote))]
        addenda = [a.text for a in db.session.scalars(select(NoteAddendum))]
        secrets = [c.secret for c in db.session.scalars(select(TwoFactorCredential))]
        return notes + addenda + secrets


def test_rotation_re_encrypts_everything_with_the_new_key(database_url, private_text):
    both = app_with_keys(database_url, f"{NEW_KEY},{OLD_KEY}")
    expected = [MARKER] * 4 + [TOTP_SECRET]
    assert readable_text(both) == expected  # old values still read with the new list

    rotated = both.test_cli_runner().invoke(args=["rotate-key", "--batch-size", "2"])

    assert rotated.exit_code == 0, rotated.output
    assert "session_note.sections: 2 values re-encrypted" in rotated.output
    assert "note_addendum.text: 2 values re-encrypted" in rotated.output
    assert "submission.answers: 1 values re-encrypted" in rotated.output
    # Two-factor secrets too: once the old key is gone, their owners must still sign in.
    assert "two_factor_credential.secret: 1 values re-encrypted" in rotated.output
    stored = tokens(both)
    assert len(stored) == 6
    for token in stored:
        Fernet(NEW_KEY).decrypt(token.encode())  # the new key alone reads every value
    assert readable_text(app_with_keys(database_url, NEW_KEY)) == expected
    with pytest.raises(DecryptionError):
        readable_text(app_with_keys(database_url, OLD_KEY))  # the old key alone no longer does


def test_rotating_again_rewrites_nothing(database_url, private_text):
    both = app_with_keys(database_url, f"{NEW_KEY},{OLD_KEY}")
    both.test_cli_runner().invoke(args=["rotate-key"])
    before = tokens(both)

    again = both.test_cli_runner().invoke(args=["rotate-key"])

    assert again.exit_code == 0
    assert again.output.count(": 0 values re-encrypted") == len(TABLES)
    assert tokens(both) == before


def test_an_altered_value_is_refused_not_misread(app, private_text):
    with app.app_context():
        with db.engine.begin() as connection:
            token = connection.execute(text("SELECT text FROM note_addendum")).scalars().first()
            altered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
            connection.execute(text("UPDATE note_addendum SET text = :t"), {"t": altered})
        with pytest.raises(DecryptionError):
            db.session.scalars(select(NoteAddendum)).all()
    with pytest.raises(InvalidToken):
        Fernet(OLD_KEY).decrypt(altered.encode())


def test_rotation_without_the_old_key_stops_with_a_clear_message(database_url, private_text):
    new_only = app_with_keys(database_url, NEW_KEY)
    before = tokens(new_only)

    refused = new_only.test_cli_runner().invoke(args=["rotate-key"])

    assert refused.exit_code != 0
    assert "Add the key it was written with" in refused.output
    assert tokens(new_only) == before
