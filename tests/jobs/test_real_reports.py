"""The batch with the real reports: each couple gets an archived Report version, and the ZIP
holds those very PDFs."""

import hashlib
import io
import re
import zipfile
from concurrent.futures import ProcessPoolExecutor

from sqlalchemy import select, update

from workshop.extensions import db
from workshop.jobs import runner
from workshop.models import Report, User
from workshop.reporting import services


def test_the_batch_archives_a_real_report_per_couple_and_zips_them(app, build, counselor):
    other = build.couple(names=("Kim", "Lee"))
    workshop = build.workshop(couples=(build.world.couple_id, other), sessions=3)
    response = counselor.post(workshop.url("/reports/batch"), token_from=workshop.url())
    job_id = int(re.fullmatch(r"/jobs/(\d+)", response.headers["Location"]).group(1))
    runner.join_threads(app, timeout=120)

    state = counselor.get(f"/jobs/{job_id}.json").get_json()
    assert (state["status"], state["done"], state["total"], state["errors"]) == ("done", 2, 2, [])
    with app.app_context():
        reports = list(db.session.scalars(select(Report).where(Report.workshop_id == workshop.id)))
        assert sorted(r.couple_id for r in reports) == sorted([build.world.couple_id, other])
        digests = {r.sha256 for r in reports}
    download = counselor.get(state["download_url"])
    data = download.data
    download.close()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        pdfs = [archive.read(name) for name in archive.namelist()]
    assert len(pdfs) == 2
    assert all(pdf.startswith(b"%PDF") for pdf in pdfs)
    assert {hashlib.sha256(pdf).hexdigest() for pdf in pdfs} == digests


def test_the_batch_renders_on_two_worker_processes(app, build, counselor):
    """The real process pool (spawned workers), not the testing default of rendering here."""
    app.config["JOBS_RENDER_PROCESSES"] = 2
    couples = [build.couple(names=pair) for pair in (("Kim", "Lee"), ("Mo", "Noor"))]
    workshop = build.workshop(couples=(build.world.couple_id, *couples), sessions=2)
    response = counselor.post(workshop.url("/reports/batch"), token_from=workshop.url())
    job_id = int(re.fullmatch(r"/jobs/(\d+)", response.headers["Location"]).group(1))
    runner.join_threads(app, timeout=180)

    state = counselor.get(f"/jobs/{job_id}.json").get_json()
    assert (state["status"], state["done"], state["total"], state["errors"]) == ("done", 3, 3, [])
    with app.app_context():
        reports = list(db.session.scalars(select(Report).where(Report.workshop_id == workshop.id)))
        assert len(reports) == 3
        digests = {r.sha256 for r in reports}
    download = counselor.get(state["download_url"])
    data = download.data
    download.close()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        pdfs = [archive.read(name) for name in archive.namelist()]
    assert len(pdfs) == 3
    assert all(pdf.startswith(b"%PDF") for pdf in pdfs)
    assert {hashlib.sha256(pdf).hexdigest() for pdf in pdfs} == digests


def test_a_render_failing_in_a_worker_is_listed_and_the_others_complete(
    app, build, counselor, monkeypatch
):
    app.config["JOBS_RENDER_PROCESSES"] = 2
    broken = build.couple(names=("Faila", "Lee"))
    workshop = build.workshop(couples=(build.world.couple_id, broken), sessions=2)
    gather = services.gather_couple_report

    def gather_broken_data(workshop, couple, *args, **kwargs):
        gathered = gather(workshop, couple, *args, **kwargs)
        if couple.id == broken:  # the template's variables are missing: the worker raises
            return gathered._replace(data={"paper_size": "A4"})
        return gathered

    monkeypatch.setattr(services, "gather_couple_report", gather_broken_data)
    response = counselor.post(workshop.url("/reports/batch"), token_from=workshop.url())
    job_id = int(re.fullmatch(r"/jobs/(\d+)", response.headers["Location"]).group(1))
    runner.join_threads(app, timeout=180)

    state = counselor.get(f"/jobs/{job_id}.json").get_json()
    assert (state["status"], state["done"], state["total"]) == ("done", 2, 2)
    assert [error["couple"] for error in state["errors"]] == ["Faila & Lee"]
    with app.app_context():
        reports = list(db.session.scalars(select(Report).where(Report.workshop_id == workshop.id)))
        assert [r.couple_id for r in reports] == [build.world.couple_id]


def run_batch(app, counselor, workshop) -> dict:
    response = counselor.post(workshop.url("/reports/batch"), token_from=workshop.url())
    job_id = int(re.fullmatch(r"/jobs/(\d+)", response.headers["Location"]).group(1))
    runner.join_threads(app, timeout=180)
    return counselor.get(f"/jobs/{job_id}.json").get_json()


def report_versions(app, workshop_id: int) -> dict[int, list[int]]:
    with app.app_context():
        rows = db.session.execute(
            select(Report.couple_id, Report.number)
            .where(Report.workshop_id == workshop_id)
            .order_by(Report.couple_id, Report.number)
        )
        versions: dict[int, list[int]] = {}
        for couple_id, number in rows:
            versions.setdefault(couple_id, []).append(number)
        return versions


def test_the_pool_batch_reuses_unchanged_reports_and_renders_changed_ones(
    app, build, counselor, monkeypatch
):
    """Only a couple whose data changed gets a new version; the ZIP holds the archived PDFs."""
    app.config["JOBS_RENDER_PROCESSES"] = 1  # the process pool path, with one worker
    other = build.couple(names=("Kim", "Lee"))
    workshop = build.workshop(couples=(build.world.couple_id, other), sessions=2)
    first = run_batch(app, counselor, workshop)
    assert (first["status"], first["errors"]) == ("done", [])
    assert report_versions(app, workshop.id) == {build.world.couple_id: [1], other: [1]}

    submitted = []
    real_submit = ProcessPoolExecutor.submit
    monkeypatch.setattr(
        ProcessPoolExecutor,
        "submit",
        lambda pool, *args: submitted.append(args) or real_submit(pool, *args),
    )
    again = run_batch(app, counselor, workshop)
    assert (again["status"], again["done"], again["errors"]) == ("done", 2, [])
    assert submitted == []  # nothing rendered
    assert report_versions(app, workshop.id) == {build.world.couple_id: [1], other: [1]}
    with app.app_context():
        archived = set(db.session.scalars(select(Report.sha256)))
    download = counselor.get(again["download_url"])
    with zipfile.ZipFile(io.BytesIO(download.data)) as archive:
        assert {hashlib.sha256(archive.read(n)).hexdigest() for n in archive.namelist()} == archived
    download.close()

    with app.app_context():
        db.session.execute(update(User).where(User.couple_id == other).values(name="Kimberly"))
        db.session.commit()
    run_batch(app, counselor, workshop)
    assert len(submitted) == 1
    assert report_versions(app, workshop.id) == {build.world.couple_id: [1], other: [1, 2]}
