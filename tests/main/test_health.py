"""The health check tells a load balancer whether the app can serve."""

import os

import pytest
from sqlalchemy.exc import OperationalError

from workshop.extensions import db


def test_healthy_app_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_database_down_answers_503_naming_it(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "down"}


def test_redis_down_answers_503_naming_it(app, client):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "ok", "redis": "down"}


@pytest.mark.skipif(
    not os.environ.get("TEST_REDIS_URL"), reason="TEST_REDIS_URL not set (CI sets it)"
)
def test_redis_up_is_reported(app, client):
    app.config["REDIS_URL"] = os.environ["TEST_REDIS_URL"]
    response = client.get("/healthz")
    assert response.get_json() == {"status": "ok", "database": "ok", "redis": "ok"}
