"""`flask backup` and `flask restore`: a backup taken, data changed, the backup restored, and
the database and reports archive are back as they were (on SQLite and on PostgreSQL)."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.notes.builders import NotesBuilder
from tests.workshops.builders import in_days
from workshop.extensions import db
from workshop.models import Couple, SessionNote

MARKER = "zqbackupmarker3391"


def row_counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


def note_texts(app) -> list[str]:
    with app.app_context():
        return [note.sections["subjective"] for note in db.session.scalars(select(SessionNote))]


@pytest.fixture
def data(app, world):
    """A workshop with a note carrying a marker, and one report file in the archive."""
    build = NotesBuilder(app, world)
    workshop = build.workshop(couples=(world.couple_id,))
    session_id = build.session(workshop.id, in_days(-1))
    build.note(session_id, world.couple_id, sections={"subjective": MARKER}, signed=True)
    reports = Path(app.config["REPORTS_DIR"])
    reports.mkdir(parents=True, exist_ok=True)
    (reports / "report-1.pdf").write_bytes(b"%PDF-1.7 the first report")
    return build, session_id


def backup(runner, directory: Path) -> Path:
    made = runner.invoke(args=["backup", str(directory)])
    assert made.exit_code == 0, made.output
    [folder] = directory.iterdir()
    assert str(folder) in made.output
    return folder


def test_restore_brings_back_the_data_and_reports_as_they_were_at_backup(
    app, runner, world, data, tmp_path
):
    build, session_id = data
    before = row_counts(app)
    folder = backup(runner, tmp_path / "backups")

    # Life goes on: a couple and a note added, the marker note changed, a report removed.
    other_couple = build.couple()
    build.note(session_id, other_couple, sections={"subjective": "after the backup"})
    with app.app_context():
        note = db.session.scalars(select(SessionNote)).first()
        note.sections = {"subjective": "overwritten"}
        db.session.commit()
    reports = Path(app.config["REPORTS_DIR"])
    (reports / "report-1.pdf").unlink()
    (reports / "report-2.pdf").write_bytes(b"%PDF-1.7 a later report")
    assert row_counts(app) != before

    restored = runner.invoke(args=["restore", str(folder), "--yes"])

    assert restored.exit_code == 0, restored.output
    assert row_counts(app) == before
    assert note_texts(app) == [MARKER]
    with app.app_context():
        assert db.session.get(Couple, other_couple) is None
    assert sorted(p.name for p in reports.iterdir()) == ["report-1.pdf"]
    assert (reports / "report-1.pdf").read_bytes() == b"%PDF-1.7 the first report"
    # Nothing is deleted by a restore: the replaced archive is kept beside it.
    [kept] = [p for p in reports.parent.iterdir() if ".before-restore-" in p.name]
    assert (kept / "report-2.pdf").exists()


def test_the_backup_keeps_private_text_encrypted(app, runner, data, tmp_path):
    folder = backup(runner, tmp_path / "backups")
    [database_file] = [p for p in folder.iterdir() if p.name.startswith("database.")]
    assert MARKER.encode() not in database_file.read_bytes()


def test_restore_refuses_a_folder_that_is_not_a_backup(app, runner, data, tmp_path):
    before = row_counts(app)
    (tmp_path / "not-a-backup").mkdir()

    refused = runner.invoke(args=["restore", str(tmp_path / "not-a-backup"), "--yes"])

    assert refused.exit_code != 0
    assert "not a backup made by `flask backup`" in refused.output
    assert row_counts(app) == before


def test_a_backup_taken_before_any_report_existed_restores(app, runner, world, tmp_path):
    reports = Path(app.config["REPORTS_DIR"])
    assert not reports.exists()
    folder = backup(runner, tmp_path / "backups")
    reports.mkdir(parents=True)
    (reports / "later.pdf").write_bytes(b"%PDF-1.7 later")

    restored = runner.invoke(args=["restore", str(folder), "--yes"])

    assert restored.exit_code == 0, restored.output
    assert list(reports.iterdir()) == []
