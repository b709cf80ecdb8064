"""The batch with the real reports: each couple gets an archived Report version, and the ZIP
holds those very PDFs."""

import hashlib
import io
import re
import zipfile

from sqlalchemy import select

from workshop.extensions import db
from workshop.jobs import runner
from workshop.models import Report
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
