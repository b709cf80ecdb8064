"""Run background jobs: on RQ with Redis when REDIS_URL is set, else on a thread in the app.

Both runners call the same function, `run_job(job_id)`. It pushes its own app context (so its
own database session), claims the job (queued -> running, once), runs the task registered for
the job's kind, and stores progress and the outcome in the database: the page polling a job
reads the `job` row and never asks the runner.

A task is `task(run: JobRun) -> dict`; it calls `run.start(total)` and `run.advance()` per item
(each commits), and returns the job's result. Raising JobFailed (or anything else) fails the job.

JOBS_BACKEND chooses the runner: "rq", "thread", or "inline" (run in the caller, for tests and
the command line); unset, it is "rq" when REDIS_URL is set and "thread" otherwise.
"""

import logging
import threading
from collections.abc import Callable

from flask import Flask, current_app, has_app_context
from sqlalchemy import update

from workshop.extensions import db
from workshop.models import Job, JobStatus, utcnow

log = logging.getLogger(__name__)

QUEUE_NAME = "workshop"
# A batch of a large workshop's reports may take minutes; more than this means it is stuck.
RQ_JOB_TIMEOUT = 60 * 60
GENERIC_FAILURE = "The job stopped with an unexpected error. Please try again."

TASKS: dict[str, Callable[["JobRun"], dict]] = {}

_worker_app: Flask | None = None  # the app of an RQ worker process (see worker_app)


class JobFailed(Exception):
    """A task's deliberate failure: the message is shown to the counselor."""

    def __init__(self, message: str, result: dict | None = None):
        super().__init__(message)
        self.message = message
        self.result = result or {}


def task(kind: str):
    """Register the function that runs jobs of this kind."""

    def register(function: Callable[["JobRun"], dict]):
        TASKS[kind] = function
        return function

    return register


class JobRun:
    """What a running task sees of its job: its row, and progress that commits as it goes."""

    def __init__(self, job_id: int):
        self.job_id = job_id

    @property
    def job(self) -> Job:
        return db.session.get(Job, self.job_id)

    def start(self, total: int) -> None:
        self._set(progress_total=total, progress_done=0)

    def advance(self, done: int = 1) -> None:
        """Count `done` more items finished (or failed), visible to pollers at once."""
        db.session.execute(
            update(Job)
            .where(Job.id == self.job_id)
            .values(progress_done=Job.progress_done + done)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()

    def _set(self, **values) -> None:
        db.session.execute(
            update(Job)
            .where(Job.id == self.job_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()


# Starting jobs


def backend(app: Flask) -> str:
    chosen = app.config.get("JOBS_BACKEND")
    if chosen:
        return chosen
    return "rq" if app.config.get("REDIS_URL") else "thread"


def enqueue(job_id: int) -> None:
    """Start the job on the configured runner. Commit the job row before calling this."""
    app = current_app._get_current_object()
    chosen = backend(app)
    if chosen == "rq":
        rq_queue(app).enqueue_call(
            "workshop.jobs.runner.run_job",
            args=(job_id,),
            timeout=RQ_JOB_TIMEOUT,
            result_ttl=3600,
            failure_ttl=7 * 24 * 3600,
            description=f"job {job_id}",
        )
    elif chosen == "thread":
        thread = threading.Thread(
            target=_run_with_app, args=(app, job_id), name=f"job-{job_id}", daemon=True
        )
        app.extensions.setdefault("job_threads", []).append(thread)
        thread.start()
    elif chosen == "inline":
        _run_with_app(app, job_id)
    else:
        raise ValueError(f"JOBS_BACKEND must be rq, thread or inline, not {chosen!r}")


def rq_queue(app: Flask, connection=None):
    from redis import Redis
    from rq import Queue

    connection = connection or Redis.from_url(app.config["REDIS_URL"])
    return Queue(QUEUE_NAME, connection=connection)


def join_threads(app: Flask, timeout: float = 60) -> None:
    """Wait for this app's job threads to end (tests; a graceful shutdown)."""
    threads = app.extensions.get("job_threads", [])
    for thread in list(threads):
        thread.join(timeout)
        if not thread.is_alive():
            threads.remove(thread)


# Running jobs


def run_job(job_id: int) -> None:
    """The job function of both runners: RQ calls it by name, the thread with its app."""
    _run_with_app(worker_app(), job_id)


def worker_app() -> Flask:
    """The app to run jobs in: the current one if any, else one built once per process."""
    global _worker_app  # noqa: PLW0603 - one app per worker process, built on first use
    if has_app_context():
        return current_app._get_current_object()
    if _worker_app is None:
        from workshop import create_app

        _worker_app = create_app()
    return _worker_app


def _run_with_app(app: Flask, job_id: int) -> None:
    # A new app context is a new database session, whatever context the caller is in.
    with app.app_context():
        try:
            _run(job_id)
        finally:
            db.session.remove()


def _run(job_id: int) -> None:
    if not _claim(job_id):
        log.info("job %s is not queued (already run, or gone): skipped", job_id)
        return
    job = db.session.get(Job, job_id)
    function = TASKS.get(job.kind)
    try:
        if function is None:
            raise JobFailed(f"Unknown kind of job: {job.kind}.")
        result = function(JobRun(job_id))
    except JobFailed as failure:
        db.session.rollback()
        _finish(job_id, JobStatus.FAILED, failure.result, failure.message)
    except Exception:
        db.session.rollback()
        log.exception("job %s (%s) failed", job_id, job.kind)
        _finish(job_id, JobStatus.FAILED, {}, GENERIC_FAILURE)
    else:
        _finish(job_id, JobStatus.DONE, result or {}, None)


def _claim(job_id: int) -> bool:
    """queued -> running, true only for the one caller that made the change."""
    claimed = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, started_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return claimed.rowcount == 1


def _finish(job_id: int, status: JobStatus, result: dict, error: str | None) -> None:
    job = db.session.get(Job, job_id)
    job.status = status
    job.result = result
    job.error = error
    job.finished_at = utcnow()
    db.session.commit()
