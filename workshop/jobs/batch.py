""" "Generate reports for every couple" of a workshop: a background job of kind couple_reports.

Each enrolled couple's data is gathered here and its PDF rendered on a pool of spawned worker
processes (JOBS_RENDER_PROCESSES, by default up to 2 on as many cores; 0 renders here with
generate_couple_report); each PDF is archived here in order, in a transaction of its own. A
couple whose report fails is listed in result["errors"] and the others go on.
The finished PDFs are packed into REPORTS_DIR/jobs/<job id>.zip for one download.
"""

import logging
import os
import re
import unicodedata
import zipfile
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from workshop.extensions import db
from workshop.jobs.runner import JobFailed, JobRun, enqueue, task
from workshop.models import Couple, Job, JobStatus, User, Workshop, utcnow
from workshop.reporting.pool import render_in_worker, render_pool, render_processes
from workshop.workshops.queries import active_enrollments, workshops_query_for

log = logging.getLogger(__name__)

KIND = "couple_reports"
REPORT_FAILED = "The report could not be generated. The other couples' reports are unaffected."
NOT_YOURS = "This workshop is no longer one you lead, so its reports were not generated."
NOTHING_MADE = "No report could be generated."
REJOIN_WITHIN = timedelta(hours=1)


def start_couple_reports(workshop: Workshop, counselor: User) -> Job:
    """The job making every enrolled couple's report: a running one is reused, else a new one
    is committed and started."""
    running = db.session.scalar(
        select(Job)
        .where(
            Job.kind == KIND,
            Job.workshop_id == workshop.id,
            Job.created_by_id == counselor.id,
            Job.status.in_((JobStatus.QUEUED, JobStatus.RUNNING)),
            # A job older than this was lost (a restart killed its thread): start afresh.
            Job.created_at > utcnow() - REJOIN_WITHIN,
        )
        .order_by(Job.id.desc())
    )
    if running is not None:
        return running
    job = Job(
        practice_id=counselor.practice_id,
        kind=KIND,
        created_by_id=counselor.id,
        workshop_id=workshop.id,
        progress_total=len(active_enrollments(workshop.id)),
        result={},
    )
    db.session.add(job)
    db.session.commit()  # the runner reads the row from another session, thread or process
    enqueue(job.id)
    return job


def reports_dir() -> Path:
    configured = current_app.config.get("REPORTS_DIR")
    return Path(configured or Path(current_app.instance_path) / "reports")


def zip_path(job_id: int) -> Path:
    return reports_dir() / "jobs" / f"{job_id}.zip"


@task(KIND)
def generate_couple_reports(run: JobRun) -> dict:
    job = run.job
    workshop_id, counselor_id = job.workshop_id, job.created_by_id
    counselor = db.session.get(User, counselor_id)
    workshop = db.session.scalar(workshops_query_for(counselor).where(Workshop.id == workshop_id))
    if workshop is None or not counselor.is_active:
        raise JobFailed(NOT_YOURS)
    couples = [(e.couple_id, e.couple.name) for e in active_enrollments(workshop_id)]
    run.start(len(couples))
    processes = render_processes(len(couples))
    if processes:
        made, errors = _make_on_pool(run, couples, workshop_id, processes)
    else:
        made, errors = _make_here(run, couples, workshop_id, counselor_id)
    result = {"reports": len(made), "errors": errors}
    if couples and not made:
        raise JobFailed(NOTHING_MADE, result)
    if made:
        result["zip"] = write_zip(run.job_id, made)
    return result


def _make_here(run: JobRun, couples, workshop_id: int, counselor_id: int):
    """Make each couple's report in this process, one after another (JOBS_RENDER_PROCESSES=0)."""
    from workshop.reporting.services import generate_couple_report

    made: list[tuple[str, Path]] = []
    errors: list[dict] = []
    for couple_id, couple_name in couples:
        # Every commit expires the session's objects: load them afresh for each couple.
        _keep(
            run,
            (couple_id, couple_name),
            lambda couple_id=couple_id: generate_couple_report(
                db.session.get(Workshop, workshop_id),
                db.session.get(Couple, couple_id),
                db.session.get(User, counselor_id),
            ),
            made,
            errors,
        )
        run.advance()
    return made, errors


def _make_on_pool(run: JobRun, couples, workshop_id: int, processes: int):
    """Gather every couple's data here (the database stays in this process), render the PDFs on
    `processes` worker processes, and archive them here in order, one transaction per couple.
    A couple whose data has not changed since its latest archived version keeps that version:
    nothing is rendered for it, as when one report is generated on its page."""
    made: list[tuple[str, Path]] = []
    errors: list[dict] = []
    pool = render_pool(processes, current_app.config.get("REPORT_PAPER_SIZE") or "A4")
    try:
        pending = [_submit(run, pool, workshop_id, couple) for couple in couples]
        for couple_id, couple_name, gathered, outcome in pending:
            if isinstance(outcome, Path):  # reused from the archive
                made.append((couple_name, outcome))
            elif outcome is None:
                errors.append(_failure(couple_id, couple_name))
            else:
                _archive_rendered(run, (couple_id, couple_name), gathered, outcome, made, errors)
            run.advance()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return made, errors


def _submit(run: JobRun, pool, workshop_id: int, couple: tuple[int, str]):
    """(couple id, name, gathered data, outcome): the outcome is the archived file of an
    unchanged report, a render's future, or None when the data could not be gathered."""
    from workshop.reporting import services

    couple_id, couple_name = couple
    try:
        gathered = services.gather_couple_report(
            db.session.get(Workshop, workshop_id), db.session.get(Couple, couple_id)
        )
        unchanged = services.latest_unchanged_version(workshop_id, couple_id, gathered)
        if unchanged is not None:
            return couple_id, couple_name, gathered, report_file(unchanged)
        future = pool.submit(render_in_worker, services.COUPLE_TEMPLATE, gathered.data)
        return couple_id, couple_name, gathered, future
    except Exception:
        db.session.rollback()
        log.exception("job %s: data of couple %s failed", run.job_id, couple_id)
        return couple_id, couple_name, None, None


def _archive_rendered(run: JobRun, couple, gathered, future, made: list, errors: list) -> None:
    """Archive one couple's rendered PDF as a new version, in a transaction of its own."""
    from workshop.reporting import services

    job = run.job
    _keep(
        run,
        couple,
        lambda: services.archive_couple_report(
            db.session.get(Workshop, job.workshop_id),
            db.session.get(Couple, couple[0]),
            db.session.get(User, job.created_by_id),
            gathered,
            future.result(),
        ),
        made,
        errors,
    )


def _keep(run: JobRun, couple: tuple[int, str], make_report, made: list, errors: list) -> None:
    """Make one couple's Report with `make_report` and commit it, in a transaction of its own;
    a failure is rolled back, logged and listed, and the other couples go on."""
    couple_id, couple_name = couple
    try:
        path = report_file(make_report())
        db.session.commit()
        made.append((couple_name, path))
    except Exception:
        db.session.rollback()
        log.exception("job %s: report of couple %s failed", run.job_id, couple_id)
        errors.append(_failure(couple_id, couple_name))


def _failure(couple_id: int, couple_name: str) -> dict:
    return {"couple_id": couple_id, "couple": couple_name, "message": REPORT_FAILED}


def report_file(report) -> Path:
    """Where a Report's PDF is: its file_path, absolute or under REPORTS_DIR."""
    path = Path(report.file_path)
    return path if path.is_absolute() else reports_dir() / path


def write_zip(job_id: int, made: list[tuple[str, Path]]) -> str:
    """Pack the PDFs (stored, not compressed: PDFs already are) and return the ZIP's path
    relative to REPORTS_DIR. Written aside and renamed, so a half-written ZIP is never served."""
    target = zip_path(job_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".zip.partial")
    today = utcnow().date().isoformat()
    used: set[str] = set()
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as archive:
        for couple_name, path in made:
            name = unique_name(f"progress-report_{slug(couple_name)}_{today}", used)
            archive.write(path, f"{name}.pdf")
    os.replace(partial, target)
    return str(target.relative_to(reports_dir()))


def slug(text: str) -> str:
    """A file-name-safe version of a name ("Alex & Sam" -> "alex-sam"); letters of any script
    are kept, everything else becomes a dash."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[^\w]+", "-", text).strip("-_")
    return text[:60] or "couple"


def unique_name(name: str, used: set[str]) -> str:
    candidate, number = name, 2
    while candidate in used:
        candidate = f"{name}-{number}"
        number += 1
    used.add(candidate)
    return candidate
