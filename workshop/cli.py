"""Command-line tasks: `flask --app wsgi seed-demo`, `flask --app wsgi sync-curriculum`."""

import click
from flask import Flask
from flask.cli import with_appcontext

from workshop.curriculum.services import sync_curriculum
from workshop.demo import seed_demo
from workshop.extensions import db
from workshop.feeds.reminders import send_reminders_command
from workshop.homework.services import sync_library


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(send_reminders_command)
    app.cli.add_command(sync_curriculum_command)


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
