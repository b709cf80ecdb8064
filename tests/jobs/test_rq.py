"""The RQ runner, against the Redis at TEST_REDIS_URL (CI starts one on 127.0.0.1:6379):
the batch is queued in Redis and a worker runs the same job function as the thread does."""

import io
import re
import zipfile

import pytest
from redis import Redis
from rq import SimpleWorker

from tests.jobs.builders import read_job
from workshop.jobs import runner


@pytest.fixture
def jobs_backend() -> str:
    return "rq"


@pytest.fixture
def redis(app, redis_url):
    app.config["REDIS_URL"] = redis_url
    connection = Redis.from_url(redis_url)
    queue = runner.rq_queue(app, connection)
    queue.empty()
    yield connection
    queue.empty()
    connection.close()


def test_the_batch_runs_on_an_rq_worker(app, build, counselor, fake_reports, redis):
    couple = build.couple(names=("Kim", "Lee"))
    workshop = build.workshop(couples=(build.world.couple_id, couple))
    response = counselor.post(workshop.url("/reports/batch"), token_from=workshop.url())
    job_id = int(re.fullmatch(r"/jobs/(\d+)", response.headers["Location"]).group(1))

    queue = runner.rq_queue(app, redis)
    assert queue.count == 1
    assert read_job(app, job_id)["status"] == "queued"  # nothing runs in the web process
    assert counselor.get(f"/jobs/{job_id}.json").get_json()["message"] == "Waiting to start…"

    with app.app_context():  # the worker's app: `flask --app wsgi worker` runs inside one too
        SimpleWorker([queue], connection=redis).work(burst=True)

    job = read_job(app, job_id)
    assert (job["status"], job["done"], job["total"]) == ("done", 2, 2)
    download = counselor.get(f"/jobs/{job_id}/download")
    data = download.data
    download.close()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert len(archive.namelist()) == 2
