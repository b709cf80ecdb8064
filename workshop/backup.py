"""Backups: `flask backup [DIRECTORY]` and `flask restore BACKUP`.

A backup is a folder `workshop-<UTC time>/` holding the database (SQLite: a copy made with the
online backup API, consistent while the app writes; PostgreSQL: `pg_dump --format=custom`, one
consistent snapshot), the reports archive as `reports.tar.gz`, and `manifest.json`.

The database is copied first and the reports second: a report's file is written before its row
commits, so every report row in the copy has its file in the archive (a newer file without a row
is harmless). Encrypted columns stay encrypted in the backup: DATA_ENCRYPTION_KEY is not in it
and must be kept (separately) for a backup to be readable.
"""

import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404 # noqa: S404 - pg_dump/pg_restore: argument lists, no shell
import tarfile
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url

MANIFEST = "manifest.json"
REPORTS_ARCHIVE = "reports.tar.gz"
DATABASE_FILES = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}


class BackupError(RuntimeError):
    """A backup or restore could not be made; the message says why."""


def make_backup(database_url: str, reports_dir: str, directory: Path) -> Path:
    """Write a new backup folder under `directory`; returns its path."""
    url = make_url(database_url)
    kind = _kind(url)
    target = directory / f"workshop-{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}"
    target.mkdir(parents=True, mode=0o700)
    database_file = target / DATABASE_FILES[kind]
    if kind == "sqlite":
        _sqlite_copy(_sqlite_path(url), database_file)
    else:
        _run("pg_dump", url, "--format=custom", "--no-owner", f"--file={database_file}")
    _archive_reports(Path(reports_dir), target / REPORTS_ARCHIVE)
    manifest = {"created_at": datetime.now(UTC).isoformat(), "database": kind}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return target


def restore_backup(database_url: str, reports_dir: str, backup: Path) -> None:
    """Bring the database and the reports archive back to what `backup` holds."""
    url = make_url(database_url)
    kind = _kind(url)
    manifest = _read_manifest(backup)
    if manifest.get("database") != kind:
        raise BackupError(f"This backup is of a {manifest.get('database')} database, not {kind}.")
    database_file = backup / DATABASE_FILES[kind]
    if kind == "sqlite":
        _sqlite_copy(database_file, _sqlite_path(url))
    else:
        options = ("--clean", "--if-exists", "--single-transaction", "--no-owner")
        _run("pg_restore", url, *options, str(database_file))
    _restore_reports(backup / REPORTS_ARCHIVE, Path(reports_dir))


def _kind(url: URL) -> str:
    kind = url.get_backend_name()
    if kind not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {kind}.")
    return kind


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(url.database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy with SQLite's online backup API: page by page, consistent, while others write."""
    if not source.exists():
        raise BackupError(f"No SQLite database at {source}.")
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def _run(tool: str, url: URL, *options: str) -> None:
    """Run a PostgreSQL client tool on the app's database. The password travels in the
    environment (PGPASSWORD), never on the command line where `ps` would show it."""
    environment = {**os.environ}
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    connection = url._replace(drivername="postgresql", password=None).render_as_string()
    arguments = [tool, f"--dbname={connection}", *options]
    try:
        done = subprocess.run(  # nosec B603 # noqa: S603 - a fixed tool, an argument list
            arguments, env=environment, capture_output=True, text=True, check=False
        )
    except FileNotFoundError as missing:
        raise BackupError(f"{tool} is not installed (PostgreSQL client tools).") from missing
    if done.returncode != 0:
        raise BackupError(f"{tool} failed: {done.stderr.strip()}")


def _archive_reports(reports_dir: Path, archive: Path) -> None:
    with tarfile.open(archive, "w:gz") as tar:
        if reports_dir.is_dir():
            tar.add(reports_dir, arcname="reports")


def _restore_reports(archive: Path, reports_dir: Path) -> None:
    """Put the archived reports in place; the current folder is kept beside it, renamed, so a
    restore never deletes a file."""
    if reports_dir.exists():
        reports_dir.rename(reports_dir.with_name(f"{reports_dir.name}.before-restore-{_stamp()}"))
    reports_dir.mkdir(parents=True)
    staging = reports_dir.with_name(f"{reports_dir.name}.restoring-{_stamp()}")
    staging.mkdir()
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(staging, filter="data")  # "data": no absolute paths, links or devices
    extracted = staging / "reports"
    if extracted.is_dir():
        for item in extracted.iterdir():
            shutil.move(str(item), reports_dir / item.name)
    shutil.rmtree(staging)


def _read_manifest(backup: Path) -> dict:
    try:
        return json.loads((backup / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{backup} is not a backup made by `flask backup`.") from error


def _stamp() -> str:
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}"
