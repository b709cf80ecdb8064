"""Command-line tasks: `flask --app wsgi seed-demo`."""

import click
from flask import Flask
from flask.cli import with_appcontext

from workshop.demo import seed_demo
from workshop.extensions import db
from workshop.feeds.reminders import send_reminders_command


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(send_reminders_command)


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
