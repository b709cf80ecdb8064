"""`make bench-reports`: how fast and how big the PDF reports are. Not a test: it prints figures.

Seeds a throwaway SQLite database (in a temp folder) with couples that each have 12 weekly
sessions attended and 12 weeks of answers, then prints:
- one couple's report: cold (first in the process, WeasyPrint imported here) and warm times,
  the split between gathering data, HTML and WeasyPrint, pages and size;
- batches of 1, 12 and 50 couples through the background job ("Generate reports for every
  couple"), run inline in this process and rendering on 2 worker processes; then the 50-couple
  batch again on 1 worker process (JOBS_RENDER_PROCESSES);
- peak RSS (resource.getrusage) of this process after each step;
- one render worker's RSS after 10 and after BENCH_MEMORY_REPORTS (default 500) reports;
- with BENCH_SCALE_DATABASE_URL (PostgreSQL with `seed-scale` data): the couple report endpoint
  there, against WeasyPrint alone on the same HTML (benchmarks/bench_report_endpoint.py).

Bounded: BENCH_COUPLES (default 50) couples, BENCH_WARM_RUNS (default 5) warm runs;
BENCH_SECTIONS (default "one,batches,memory") picks the parts to run.
"Warm" reports are rendered afresh each time (the archived version's data digest is forgotten
first); "unchanged data" is the same request when nothing changed: served from the archive.
"""

import io
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COUPLES = int(os.environ.get("BENCH_COUPLES", "50"))
WARM_RUNS = int(os.environ.get("BENCH_WARM_RUNS", "5"))
WEEKS = 12
# (couples, render processes): the default of 2 processes, then the largest batch on 1.
BATCHES = [(size, 2) for size in (1, 12, 50) if size <= COUPLES]
BATCHES += [(size, 1) for size, _ in BATCHES[-1:]]
MEMORY_REPORTS = int(os.environ.get("BENCH_MEMORY_REPORTS", "500"))
# Which parts to run (comma-separated): one couple, the batches, the worker's memory.
SECTIONS = os.environ.get("BENCH_SECTIONS", "one,batches,memory").split(",")
# A PostgreSQL database holding `seed-scale` data (e.g. the one `make bench-web` fills): when
# set, the couple report endpoint is also timed there (benchmarks/bench_report_endpoint.py).
SCALE_DATABASE_URL = os.environ.get("BENCH_SCALE_DATABASE_URL", "")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def worker_peak_rss_mb() -> float:
    """The largest peak RSS of any finished child process (the render workers)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def line(label: str, value: str) -> None:
    print(f"  {label:<44} {value}", flush=True)


def build_app(folder: Path):
    from workshop import create_app

    return create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
            "REPORTS_DIR": str(folder / "reports"),
            "MAIL_FILE_PATH": str(folder / "outbox"),
            "JOBS_BACKEND": "inline",
        }
    )


def seed(app) -> tuple[int, list[int]]:
    """A workshop of 12 weekly sessions (the last one a week ago) with COUPLES couples, each
    partner present at every session and answering a weekly check-in for 12 weeks."""
    from sqlalchemy import select, update

    from tests.assignments.builders import STAND_ANSWERS, WHERE_I_STAND
    from tests.factories import build_world
    from tests.reporting.builders import ReportBuilder
    from tests.workshops.builders import in_days
    from workshop.curriculum.services import sync_curriculum
    from workshop.extensions import db
    from workshop.models import Assignment, MeasurePoint, Submission, utcnow

    with app.app_context():
        db.create_all()
        sync_curriculum()
        db.session.commit()
        world = build_world()
    build = ReportBuilder(app, world)
    build.library()
    names = [("Alex", "Sam")] + [(f"Partner{n}a", f"Partner{n}b") for n in range(1, COUPLES)]
    couples = [world.couple_id] + [build.couple(names=pair) for pair in names[1:]]
    workshop = build.workshop(
        couples=tuple(couples), sessions=WEEKS, first=in_days(-7 * WEEKS), capacity=COUPLES
    )
    for couple_id in couples:
        partners = build.partner_ids(couple_id)
        for session_id in workshop.session_ids:
            for partner in partners:
                build.attend(session_id, partner)
        assignments = build.give(workshop.id, [couple_id] * WEEKS, WHERE_I_STAND)
        for week, assignment_id in enumerate(assignments):
            for index, partner in enumerate(partners):
                score = str(3 + (week + index * 2) % 7)
                build.answer(assignment_id, partner, STAND_ANSWERS | {"willing": score})
        # Spread the weeks out: answers (and their measure points) one week apart.
        with app.app_context():
            for week, assignment_id in enumerate(assignments):
                moment = utcnow() - timedelta(days=7 * (WEEKS - week))
                db.session.execute(
                    update(Assignment)
                    .where(Assignment.id == assignment_id)
                    .values(opens_at=moment - timedelta(days=1), due_at=moment)
                )
                submission_ids = select(Submission.id).where(
                    Submission.assignment_id == assignment_id
                )
                db.session.execute(
                    update(Submission)
                    .where(Submission.assignment_id == assignment_id)
                    .values(submitted_at=moment)
                )
                db.session.execute(
                    update(MeasurePoint)
                    .where(MeasurePoint.submission_id.in_(submission_ids))
                    .values(recorded_at=moment)
                )
            db.session.commit()
    return workshop.id, couples


def one_couple(app, workshop_id: int, couple_id: int) -> None:
    from pypdf import PdfReader
    from sqlalchemy import update

    from workshop.extensions import db
    from workshop.models import Couple, Report, User, Workshop

    print("One couple's report (12 sessions, 12 weeks of answers)")
    from workshop.reporting import render, services
    from workshop.reporting.data import build_couple_report

    started = time.perf_counter()
    import weasyprint  # noqa: F401 - timed: the first report would otherwise pay for it

    imported = time.perf_counter() - started

    def generate(fresh: bool = True) -> tuple[float, bytes]:
        with app.app_context():
            if fresh:  # as if the data had changed: the archived version is not reused
                db.session.execute(update(Report).values(data_sha256=None))
                db.session.commit()
            workshop = db.session.get(Workshop, workshop_id)
            couple = db.session.get(Couple, couple_id)
            counselor = db.session.get(User, workshop.lead_id)
            begin = time.perf_counter()
            report = services.generate_couple_report(workshop, couple, counselor)
            db.session.commit()
            took = time.perf_counter() - begin
            return took, services.report_path(report).read_bytes()

    cold, pdf = generate()
    warm = [generate()[0] for _ in range(WARM_RUNS)]
    unchanged = statistics.median(generate(fresh=False)[0] for _ in range(WARM_RUNS))
    pages = len(PdfReader(io.BytesIO(pdf)).pages)

    with app.app_context():
        data_times, html_times, pdf_times = [], [], []
        for _ in range(WARM_RUNS):
            begin = time.perf_counter()
            data = build_couple_report(couple_id, workshop_id, "couple", False)
            data = data | {"paper_size": "A4"}
            data_times.append(time.perf_counter() - begin)
            begin = time.perf_counter()
            html = render.render_html(services.COUPLE_TEMPLATE, data)
            html_times.append(time.perf_counter() - begin)
            pdf_times.append(weasyprint_alone(render, html))
    warm_median = statistics.median(warm)
    alone = statistics.median(pdf_times)
    line("import of WeasyPrint (once per process)", f"{imported:.2f} s")
    line("cold: first report (fonts, CSS parsed)", f"{cold:.2f} s")
    line(f"warm: median of {WARM_RUNS}", f"{warm_median:.3f} s (min {min(warm):.3f} s)")
    line("  gathering the data (median)", f"{statistics.median(data_times) * 1000:.0f} ms")
    line("  template to HTML (median)", f"{statistics.median(html_times) * 1000:.0f} ms")
    line("  WeasyPrint alone on that HTML (median)", f"{alone:.3f} s")
    line("whole report / WeasyPrint alone", f"{warm_median / alone:.2f}x (target <= 1.2x)")
    line("unchanged data: served from the archive", f"{unchanged * 1000:.0f} ms (median)")
    line("pages, size", f"{pages} pages, {len(pdf) / 1024:.0f} KiB")
    line("peak RSS so far", f"{peak_rss_mb():.0f} MB")


def weasyprint_alone(render, html: str) -> float:
    """WeasyPrint rendering finished HTML with the same warm stylesheets and fonts."""
    from weasyprint import HTML

    kit = render._toolkit("A4")  # noqa: SLF001 - the same warm toolkit the reports use
    begin = time.perf_counter()
    HTML(string=html, base_url=render.BASE_URL, url_fetcher=kit["fetcher"]).write_pdf(
        stylesheets=kit["css"]["A4"],
        font_config=kit["fonts"],
        pdf_variant=render.PDF_VARIANT,
        attachments=[],
    )
    return time.perf_counter() - begin


def batches(app, workshop_id: int, couples: list[int]) -> None:
    from sqlalchemy import update

    from workshop.extensions import db
    from workshop.jobs import batch
    from workshop.models import Enrollment, Job, User, Workshop

    print("Batches: Generate reports for every couple (one job, run inline)")
    for size, processes in BATCHES:
        app.config["JOBS_RENDER_PROCESSES"] = processes
        with app.app_context():
            # The first `size` couples enrolled, the others withdrawn for this run.
            db.session.execute(
                update(Enrollment)
                .where(Enrollment.workshop_id == workshop_id)
                .values(status="withdrawn")
            )
            db.session.execute(
                update(Enrollment)
                .where(Enrollment.workshop_id == workshop_id)
                .where(Enrollment.couple_id.in_(couples[:size]))
                .values(status="enrolled")
            )
            db.session.commit()
            workshop = db.session.get(Workshop, workshop_id)
            counselor = db.session.get(User, workshop.lead_id)
            begin = time.perf_counter()
            job = batch.start_couple_reports(workshop, counselor)
            took = time.perf_counter() - begin
            job = db.session.get(Job, job.id)
            db.session.refresh(job)
            errors = len(job.result.get("errors", []))
            zip_size = batch.zip_path(job.id).stat().st_size / 1024 / 1024
            line(
                f"{size} couple{'s' if size > 1 else ''}, {processes} process"
                f"{'es' if processes > 1 else ''}",
                f"{took:.2f} s ({took / size:.3f} s each), status {job.status}, "
                f"{errors} errors, ZIP {zip_size:.1f} MB, peak RSS {peak_rss_mb():.0f} MB "
                f"(render workers {worker_peak_rss_mb():.0f} MB)",
            )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as folder:
        app = build_app(Path(folder))
        begin = time.perf_counter()
        workshop_id, couples = seed(app)
        print(
            f"Seeded {len(couples)} couples x {WEEKS} sessions and {WEEKS} weeks of answers "
            f"in {time.perf_counter() - begin:.1f} s (peak RSS {peak_rss_mb():.0f} MB)"
        )
        if "one" in SECTIONS:
            one_couple(app, workshop_id, couples[0])
        if "batches" in SECTIONS:
            batches(app, workshop_id, couples)
        if "memory" in SECTIONS:
            worker_memory(app, workshop_id, couples[0])
        print(f"CPUs: {os.cpu_count()}; Python {sys.version.split()[0]}")
    if SCALE_DATABASE_URL:
        from benchmarks.bench_report_endpoint import endpoint_on_scale_data

        endpoint_on_scale_data(SCALE_DATABASE_URL)


def worker_memory(app, workshop_id: int, couple_id: int) -> None:
    """One render worker (as the batch job starts them) renders MEMORY_REPORTS reports; its RSS
    after 10 and after all of them: a leak would grow with every report."""
    from workshop.extensions import db
    from workshop.models import Couple, Workshop
    from workshop.reporting import services
    from workshop.reporting.pool import render_in_worker, render_pool

    print(f"Render worker memory ({MEMORY_REPORTS} reports on one worker process)")
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        data = services.gather_couple_report(workshop, db.session.get(Couple, couple_id)).data
    pool = render_pool(1, "A4")
    try:
        rss = {}
        for number in range(1, MEMORY_REPORTS + 1):
            pool.submit(render_in_worker, services.COUPLE_TEMPLATE, data).result()
            if number in (1, 10, MEMORY_REPORTS):
                rss[number] = _worker_rss_mb(pool)
        ratio = rss[MEMORY_REPORTS] / rss[10]
        line("worker RSS after 1 / 10 reports", f"{rss[1]:.0f} MB / {rss[10]:.0f} MB")
        line(f"worker RSS after {MEMORY_REPORTS} reports", f"{rss[MEMORY_REPORTS]:.0f} MB")
        line(f"after {MEMORY_REPORTS} / after 10", f"{ratio:.2f}x (target <= 1.5x)")
    finally:
        pool.shutdown(wait=True)


def _worker_rss_mb(pool) -> float:
    """The current resident size of the pool's (single) worker, from /proc."""
    [pid] = list(pool._processes)  # noqa: SLF001 - the benchmark looks inside on purpose
    status = Path(f"/proc/{pid}/status").read_text()
    kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))
    return int(kib) / 1024


if __name__ == "__main__":
    main()
