"""Jobs are the counselor's own: another counselor of the practice, another practice, partners
and admins never see one, nor start a batch on a workshop that is not theirs."""

import pytest

from tests.helpers import Browser
from tests.jobs.builders import make_job


@pytest.fixture
def job_and_workshop(app, build, world):
    workshop = build.workshop(couples=(world.couple_id,))
    job_id = make_job(
        app,
        world.counselor,
        kind="couple_reports",
        workshop_id=workshop.id,
        status="done",
        progress_total=1,
        progress_done=1,
        result={"zip": "jobs/1.zip", "errors": [{"couple": "Alex & Sam", "message": "x"}]},
    )
    return job_id, workshop


def job_urls(job_id):
    return [f"/jobs/{job_id}", f"/jobs/{job_id}.json", f"/jobs/{job_id}/download"]


@pytest.mark.parametrize("actor", ["other_counselor", "other_practice_counselor"])
def test_other_counselors_get_404_everywhere(app, world, job_and_workshop, actor):
    job_id, workshop = job_and_workshop
    browser = Browser(app.test_client())
    browser.login(getattr(world, actor))
    for url in job_urls(job_id):
        assert browser.get(url).status_code == 404, url
    batch = browser.post(workshop.url("/reports/batch"), token_from="/")
    assert batch.status_code == 404


@pytest.mark.parametrize(
    "actor", ["partner", "other_couple_partner", "admin", "other_practice_admin"]
)
def test_partners_and_admins_are_refused(app, world, job_and_workshop, actor):
    job_id, workshop = job_and_workshop
    browser = Browser(app.test_client())
    browser.login(getattr(world, actor))
    for url in job_urls(job_id):
        assert browser.get(url).status_code == 403, url
    assert browser.post(workshop.url("/reports/batch"), token_from="/").status_code == 403


def test_anonymous_visitors_are_sent_to_login(app, job_and_workshop):
    job_id, workshop = job_and_workshop
    browser = Browser(app.test_client())
    for url in job_urls(job_id):
        response = browser.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")


def test_the_polling_json_never_shows_another_practices_job(app, world, counselor):
    theirs = make_job(
        app,
        world.other_practice_counselor,
        kind="couple_reports",
        status="done",
        result={"errors": [{"couple": "Their Couple", "message": "private"}]},
    )
    mine = make_job(app, world.counselor, kind="couple_reports")
    response = counselor.get(f"/jobs/{theirs}.json")
    assert response.status_code == 404
    assert b"Their Couple" not in response.data
    state = counselor.get(f"/jobs/{mine}.json").get_json()
    assert state["id"] == mine
    assert set(state) == {
        "id",
        "kind",
        "status",
        "finished",
        "done",
        "total",
        "percent",
        "message",
        "errors",
        "download_url",
        "poll_seconds",
    }
