"""`flask --app wsgi worker`: the RQ worker that runs background jobs when REDIS_URL is set."""

import contextlib

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs waiting now, then stop.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run background jobs from Redis (REDIS_URL), e.g. "Generate reports for every couple".

    The worker keeps this app and WeasyPrint loaded, and forks a child per job as RQ does.
    """
    from redis import Redis
    from rq import Worker

    from workshop.jobs import runner

    app = current_app._get_current_object()
    url = app.config.get("REDIS_URL")
    if not url:
        raise click.UsageError("REDIS_URL is not set: without it, jobs run inside the web app.")
    runner._worker_app = app  # noqa: SLF001 - jobs run in this app, not a second one
    _preload()
    connection = Redis.from_url(url)
    worker = Worker([runner.rq_queue(app, connection)], connection=connection)
    worker.work(burst=burst, with_scheduler=False)


def _preload() -> None:
    """Import the report code once here, so each forked job starts warm (WeasyPrint's import
    alone takes most of a second)."""
    with contextlib.suppress(ImportError):  # reports are one kind of job among others
        import workshop.reporting.services  # noqa: F401
        from workshop.reporting import render

        # WeasyPrint itself, its fonts and the parsed print CSS: inherited by each job's fork.
        render.warm_up()
