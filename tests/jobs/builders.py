"""Jobs made straight in the database, and how to wait for one."""

import time

from sqlalchemy import select

from workshop.extensions import db
from workshop.models import Job, User


def make_job(app, email: str, kind: str = "fake", **columns) -> int:
    """A queued job started by the user with this email; its id."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        job = Job(practice_id=user.practice_id, kind=kind, created_by_id=user.id, **columns)
        db.session.add(job)
        db.session.commit()
        return job.id


def read_job(app, job_id: int) -> dict:
    with app.app_context():
        job = db.session.get(Job, job_id)
        return {
            "status": job.status,
            "done": job.progress_done,
            "total": job.progress_total,
            "result": job.result,
            "error": job.error,
            "started_at": job.started_at,
            "finished_at": job.finished_at,
        }


def wait_until(condition, timeout: float = 20, every: float = 0.02):
    """Poll until condition() is true (and return its value); fail after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(every)


def walk_jobs(app, world) -> dict:
    """URL values for the access walk: a finished batch job of the world's counselor, with its
    ZIP on disk (under the app's REPORTS_DIR, a folder of the test's own)."""
    import zipfile

    from workshop.jobs.batch import zip_path

    job_id = make_job(
        app,
        world.counselor,
        kind="couple_reports",
        status="done",
        progress_total=1,
        progress_done=1,
        result={"zip": "jobs/walk.zip", "reports": 1, "errors": []},
    )
    with app.app_context():
        path = zip_path(job_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("progress-report_walk.pdf", b"%PDF-1.7\n%%EOF\n")
    return {"job_id": job_id}
