"""Background jobs: a job's progress page (and the JSON it polls), its ZIP download, and the
button that starts "Generate reports for every couple". Counselors reach only their own jobs."""

from flask import Blueprint, abort, jsonify, redirect, render_template, send_file, url_for
from flask_login import current_user
from sqlalchemy import select

from workshop.extensions import db
from workshop.jobs import batch
from workshop.models import Job, JobStatus
from workshop.workshops.queries import get_workshop_or_404

bp = Blueprint("jobs", __name__)
POLL_SECONDS = 1


@bp.after_request
def _never_cache(response):
    """Progress changes from one second to the next, and the ZIP holds clients' reports."""
    response.headers["Cache-Control"] = "no-store"
    return response


def get_job_or_404(job_id: int) -> Job:
    """A job the current counselor started, in their practice; anything else is missing."""
    query = select(Job).where(
        Job.id == job_id,
        Job.created_by_id == current_user.id,
        Job.practice_id == current_user.practice_id,
    )
    return db.session.scalar(query) or abort(404)


@bp.post("/workshops/<int:workshop_id>/reports/batch")
def generate_workshop_reports(workshop_id: int):
    """Start (or rejoin) the job making every enrolled couple's progress report."""
    workshop = get_workshop_or_404(workshop_id, current_user)
    job = batch.start_couple_reports(workshop, current_user)
    return redirect(url_for("jobs.show_job", job_id=job.id), code=303)


@bp.get("/jobs/<int:job_id>")
def show_job(job_id: int):
    job = get_job_or_404(job_id)
    return render_template("jobs/show_job.html", job=job, state=job_state(job))


@bp.get("/jobs/<int:job_id>.json")
def job_status(job_id: int):
    """What the progress bar polls."""
    return jsonify(job_state(get_job_or_404(job_id)))


@bp.get("/jobs/<int:job_id>/download")
def download_job(job_id: int):
    job = get_job_or_404(job_id)
    path = zip_of(job)
    if path is None:
        abort(404)
    return send_file(
        path,
        mimetype="application/zip",
        as_attachment=True,
        download_name=download_name(job),
        max_age=0,
    )


def zip_of(job: Job):
    """The job's finished ZIP, or None (not done, nothing made, or the file is gone)."""
    if job.status != JobStatus.DONE or not (job.result or {}).get("zip"):
        return None
    path = batch.zip_path(job.id)
    return path if path.is_file() else None


def download_name(job: Job) -> str:
    title = batch.slug(job.workshop.title) if job.workshop else "workshop"
    return f"progress-reports_{title}_{job.created_at.date().isoformat()}.zip"


def job_state(job: Job) -> dict:
    """The job as the page and its poller show it: nothing another job or practice owns."""
    result = job.result or {}
    has_zip = zip_of(job) is not None
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "finished": job.is_finished,
        "done": job.progress_done,
        "total": job.progress_total,
        "percent": job.percent,
        "message": status_message(job, result),
        "errors": [
            {"couple": error.get("couple", ""), "message": error.get("message", "")}
            for error in result.get("errors", [])
        ],
        "download_url": url_for("jobs.download_job", job_id=job.id) if has_zip else None,
        "poll_seconds": POLL_SECONDS,
    }


def status_message(job: Job, result: dict) -> str:
    if job.status == JobStatus.QUEUED:
        return "Waiting to start…"
    if job.status == JobStatus.RUNNING:
        return f"Generating reports: {job.progress_done} of {job.progress_total} done."
    if job.status == JobStatus.FAILED:
        return job.error or "The job failed."
    made, failed = result.get("reports", 0), len(result.get("errors", []))
    if not made and not failed:
        return "Done: no couples are enrolled, so there was nothing to generate."
    text = f"Done: {made} report{'s' if made != 1 else ''} ready to download."
    if failed:
        text += f" {failed} could not be generated (listed below)."
    return text
