"""The runner: a job runs once on a thread of its own, in its own app context and session,
and its progress is in the database, item by item, for the polling page to read."""

import threading

import pytest

from tests.jobs.builders import make_job, read_job, wait_until
from workshop.jobs import runner


@pytest.fixture
def gated_task(monkeypatch):
    """A task of kind "fake" over 3 items that waits for the test before each item."""
    gate = threading.Semaphore(0)
    seen = {}

    def fake(run):
        from flask import has_request_context

        seen["request"] = has_request_context()
        run.start(3)
        for _ in range(3):
            assert gate.acquire(timeout=20)
            run.advance()
        return {"items": 3}

    monkeypatch.setitem(runner.TASKS, "fake", fake)
    return gate, seen


def test_a_thread_job_reports_progress_item_by_item(app, world, gated_task):
    gate, seen = gated_task
    job_id = make_job(app, world.counselor)
    with app.app_context():
        runner.enqueue(job_id)
    wait_until(lambda: read_job(app, job_id)["total"] == 3)
    assert read_job(app, job_id)["status"] == "running"
    seen_progress = [read_job(app, job_id)["done"]]
    for step in (1, 2, 3):
        gate.release()
        wait_until(lambda step=step: read_job(app, job_id)["done"] == step)
        seen_progress.append(step)
    runner.join_threads(app)
    job = read_job(app, job_id)
    assert seen_progress == [0, 1, 2, 3]
    assert job["status"] == "done"
    assert job["result"] == {"items": 3}
    assert job["started_at"] <= job["finished_at"]
    assert seen["request"] is False  # its own app context, not the request's


def test_the_json_the_page_polls_follows_the_job(app, world, counselor, gated_task):
    gate, _ = gated_task
    job_id = make_job(app, world.counselor)
    with app.app_context():
        runner.enqueue(job_id)
    wait_until(lambda: read_job(app, job_id)["total"] == 3)
    first = counselor.get(f"/jobs/{job_id}.json").get_json()
    assert (first["status"], first["done"], first["total"], first["finished"]) == (
        "running",
        0,
        3,
        False,
    )
    for _ in range(3):
        gate.release()
    runner.join_threads(app)
    last = counselor.get(f"/jobs/{job_id}.json").get_json()
    assert (last["status"], last["done"], last["percent"], last["finished"]) == (
        "done",
        3,
        100,
        True,
    )


def test_a_task_that_raises_fails_its_job_with_a_plain_message(app, world, monkeypatch):
    def broken(run):
        run.start(2)
        raise RuntimeError("secret internals")

    monkeypatch.setitem(runner.TASKS, "fake", broken)
    job_id = make_job(app, world.counselor)
    with app.app_context():
        runner.enqueue(job_id)
    runner.join_threads(app)
    job = read_job(app, job_id)
    assert job["status"] == "failed"
    assert job["error"] == runner.GENERIC_FAILURE
    assert "secret" not in job["error"]
    assert job["finished_at"] is not None


def test_a_job_of_an_unknown_kind_fails(app, world):
    job_id = make_job(app, world.counselor, kind="no-such-kind")
    with app.app_context():
        runner.enqueue(job_id)
    runner.join_threads(app)
    assert read_job(app, job_id)["status"] == "failed"


def test_a_job_runs_once_even_if_started_twice(app, world, monkeypatch):
    runs = []
    monkeypatch.setitem(runner.TASKS, "fake", lambda run: runs.append(run.job_id) or {})
    job_id = make_job(app, world.counselor)
    with app.app_context():
        runner.run_job(job_id)
        runner.run_job(job_id)
    assert runs == [job_id]
    assert read_job(app, job_id)["status"] == "done"


@pytest.mark.parametrize("jobs_backend", ["inline"])
def test_the_inline_runner_finishes_before_enqueue_returns(app, world, monkeypatch):
    monkeypatch.setitem(runner.TASKS, "fake", lambda run: {"ran": True})
    job_id = make_job(app, world.counselor)
    with app.app_context():
        runner.enqueue(job_id)
    assert read_job(app, job_id)["status"] == "done"


def test_the_backend_follows_redis_url_unless_chosen(app):
    app.config["JOBS_BACKEND"] = None
    app.config["REDIS_URL"] = None
    assert runner.backend(app) == "thread"
    app.config["REDIS_URL"] = "redis://127.0.0.1:6379/0"
    assert runner.backend(app) == "rq"
    app.config["JOBS_BACKEND"] = "inline"
    assert runner.backend(app) == "inline"


def test_the_worker_command_needs_redis(app):
    app.config["REDIS_URL"] = None
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code != 0
    assert "REDIS_URL is not set" in result.output
