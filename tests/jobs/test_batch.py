""" "Generate reports for every couple": a job over the workshop's enrolled couples that makes
each one's report in its own transaction, goes on past a failure, and ends with one ZIP."""

import io
import re
import zipfile

from tests.helpers import text_of
from tests.jobs.builders import make_job, read_job
from tests.jobs.conftest import FAILING_NAME
from workshop.jobs import runner


def batch_workshop(build, names):
    """A workshop of the world's counselor with a couple per pair of names (and the world's)."""
    couples = [build.couple(names=pair) for pair in names]
    return build.workshop(couples=(build.world.couple_id, *couples), sessions=2)


def start_batch(app, browser, workshop) -> int:
    response = browser.post(workshop.url("/reports/batch"), token_from=workshop.url())
    assert response.status_code == 303
    found = re.fullmatch(r"/jobs/(\d+)", response.headers["Location"])
    assert found, response.headers["Location"]
    runner.join_threads(app)
    return int(found.group(1))


def zip_names(response) -> list[str]:
    data = response.data
    response.close()  # send_file keeps the file open otherwise
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())
        return sorted(archive.namelist())


def test_the_workshop_page_offers_the_batch(app, build, counselor):
    workshop = batch_workshop(build, [])
    page = text_of(counselor.get(workshop.url()))
    assert "Generate reports for every couple" in page
    assert f'action="{workshop.url("/reports/batch")}"' in page


def test_every_couple_gets_a_report_and_the_zip_holds_them(app, build, counselor, fake_reports):
    workshop = batch_workshop(build, [("Kim", "Lee"), ("Mo", "Noor")])
    job_id = start_batch(app, counselor, workshop)

    job = read_job(app, job_id)
    assert (job["status"], job["done"], job["total"]) == ("done", 3, 3)
    assert job["result"]["errors"] == []
    assert len(fake_reports) == 3
    state = counselor.get(f"/jobs/{job_id}.json").get_json()
    assert state["download_url"] == f"/jobs/{job_id}/download"
    download = counselor.get(state["download_url"])
    assert download.status_code == 200
    assert download.mimetype == "application/zip"
    assert "attachment" in download.headers["Content-Disposition"]
    assert download.headers["Cache-Control"] == "no-store"
    names = zip_names(download)
    assert len(names) == 3
    assert any(name.startswith("progress-report_kim-lee_") for name in names)


def test_a_failing_couple_is_reported_and_the_others_complete(app, build, counselor, fake_reports):
    workshop = batch_workshop(build, [(FAILING_NAME, "Lee"), ("Mo", "Noor")])
    job_id = start_batch(app, counselor, workshop)

    job = read_job(app, job_id)
    assert (job["status"], job["done"], job["total"]) == ("done", 3, 3)
    assert [error["couple"] for error in job["result"]["errors"]] == [f"{FAILING_NAME} & Lee"]
    assert len(zip_names(counselor.get(f"/jobs/{job_id}/download"))) == 2
    page = text_of(counselor.get(f"/jobs/{job_id}"))
    assert "2 reports ready to download" in page
    assert f"{FAILING_NAME} & Lee" in page
    assert "stand-in report failure" not in page  # the exception stays in the log


def test_when_every_report_fails_the_job_fails_without_a_zip(app, build, counselor, fake_reports):
    couple = build.couple(names=(FAILING_NAME, "Lee"))
    workshop = build.workshop(couples=(couple,))
    job_id = start_batch(app, counselor, workshop)

    job = read_job(app, job_id)
    assert job["status"] == "failed"
    assert len(job["result"]["errors"]) == 1
    assert counselor.get(f"/jobs/{job_id}/download").status_code == 404
    assert "No report could be generated" in text_of(counselor.get(f"/jobs/{job_id}"))


def test_a_workshop_without_couples_finishes_at_once(app, build, counselor, fake_reports):
    workshop = build.workshop()
    job_id = start_batch(app, counselor, workshop)
    state = counselor.get(f"/jobs/{job_id}.json").get_json()
    assert (state["status"], state["total"], state["download_url"]) == ("done", 0, None)
    assert "nothing to generate" in state["message"]


def test_the_progress_page_works_without_javascript(app, build, counselor):
    # A job that never ran (as if the worker were down): the page says so and offers a reload.
    job_id = make_job(app, build.world.counselor, kind="couple_reports", progress_total=4)
    page = text_of(counselor.get(f"/jobs/{job_id}"))
    assert "Waiting to start" in page
    assert f'<a href="/jobs/{job_id}">Reload this page</a>' in page
    # The file's name carries a hash of its content (static files are cached for a year).
    assert re.search(r'src="/static/js/job_progress\.[0-9a-f]{12}\.js" defer', page)
    assert "<script>" not in page  # no inline script
    assert 'http-equiv="refresh"' not in page


def test_starting_twice_rejoins_the_running_job(app, build, counselor):
    workshop = batch_workshop(build, [])
    running = make_job(
        app, build.world.counselor, kind="couple_reports", workshop_id=workshop.id, status="running"
    )
    response = counselor.post(workshop.url("/reports/batch"), token_from=workshop.url())
    assert response.headers["Location"] == f"/jobs/{running}"


def test_a_job_lost_long_ago_is_not_rejoined(app, build, counselor, fake_reports):
    from datetime import timedelta

    from workshop.models import utcnow

    workshop = batch_workshop(build, [])
    lost = make_job(
        app,
        build.world.counselor,
        kind="couple_reports",
        workshop_id=workshop.id,
        status="running",
        created_at=utcnow() - timedelta(hours=2),
    )
    job_id = start_batch(app, counselor, workshop)
    assert job_id != lost
    assert read_job(app, job_id)["status"] == "done"
