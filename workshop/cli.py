"""Command-line tasks: `flask --app wsgi seed-demo`, `flask --app wsgi sync-curriculum`."""

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from workshop.backup import BackupError, make_backup, restore_backup
from workshop.crypto import DecryptionError, rotate_all
from workshop.curriculum.services import sync_curriculum
from workshop.demo import seed_demo
from workshop.extensions import db
from workshop.feeds.reminders import send_reminders_command
from workshop.homework.services import sync_library
from workshop.scale import seed_scale_command


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(send_reminders_command)
    app.cli.add_command(sync_curriculum_command)
    app.cli.add_command(rotate_key_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(seed_scale_command)


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Create the demo practice (idempotent: only what is missing is added)."""
    created = seed_demo()
    db.session.commit()
    click.echo(
        "Demo data ready: {users} users, {couples} couples and {workshops} workshops added, "
        "{stages} curriculum changes.".format(**created)
    )


@click.command("sync-curriculum")
@with_appcontext
def sync_curriculum_command() -> None:
    """Bring the stages and the built-in exercises up to date with the code (safe to rerun)."""
    stages = sync_curriculum()
    db.session.flush()  # the exercises look their stages up
    exercises = sync_library()
    db.session.commit()
    click.echo(
        f"Curriculum up to date: {stages} stage changes, "
        f"{exercises} built-in exercises added or updated."
    )


@click.command("rotate-key")
@click.option("--batch-size", default=500, show_default=True, help="Rows per transaction.")
@with_appcontext
def rotate_key_command(batch_size: int) -> None:
    """Re-encrypt every encrypted value with the first DATA_ENCRYPTION_KEY (safe to rerun)."""
    try:
        rewritten = rotate_all(batch_size)
    except DecryptionError as error:
        raise click.ClickException(
            "A stored value cannot be decrypted with any key in DATA_ENCRYPTION_KEY. Add the "
            "key it was written with (after the new one) and run rotate-key again."
        ) from error
    for column, count in rewritten.items():
        click.echo(f"{column}: {count} values re-encrypted")
    click.echo("Every value is now encrypted with the first key; older keys can be dropped.")


@click.command("backup")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(directory: Path | None) -> None:
    """Back up the database and the reports archive into a new folder (default instance/backups)."""
    target = directory or Path(current_app.instance_path) / "backups"
    try:
        made = make_backup(_database_url(), current_app.config["REPORTS_DIR"], target)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {made}")


@click.command("restore")
@click.argument("backup", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.confirmation_option(prompt="Replace the database and reports with this backup?")
@with_appcontext
def restore_command(backup: Path) -> None:
    """Replace the database and the reports archive with a backup made by `flask backup`."""
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold a lock the restore needs
    try:
        restore_backup(_database_url(), current_app.config["REPORTS_DIR"], backup)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored from {backup}")


def _database_url() -> str:
    return db.engine.url.render_as_string(hide_password=False)
