"""Fixtures for background jobs: an app whose jobs run on a real thread (or RQ), reports
written under the test's own folder, and a stand-in for the PDF report when wanted."""

import os
import sys
import types
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import _empty_tables, test_config
from tests.workshops.builders import Builder
from workshop import create_app
from workshop.extensions import db
from workshop.jobs import runner

FAILING_NAME = "Faila"  # a partner's first name whose couple's stand-in report fails


@pytest.fixture
def jobs_backend() -> str:
    """The runner the test's app uses; override in a test module or with parametrize."""
    return "thread"


@pytest.fixture
def app(_schema, database_url, tmp_path, jobs_backend):
    overrides = {
        "MAIL_FILE_PATH": str(tmp_path / "outbox"),
        "REPORTS_DIR": str(tmp_path / "reports"),
        "JOBS_BACKEND": jobs_backend,
    }
    app = create_app(test_config(database_url, **overrides))
    yield app
    runner.join_threads(app, timeout=120)
    with app.app_context():
        _empty_tables()
        db.engine.dispose()


@pytest.fixture
def build(app, world) -> Builder:
    return Builder(app, world)


@pytest.fixture
def counselor(browser, world):
    browser.login(world.counselor)
    return browser


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("TEST_REDIS_URL is not set (CI sets it): the RQ runner is not tested")
    return url


@pytest.fixture
def fake_reports(monkeypatch):
    """Replace generate_couple_report with a quick stand-in that writes a tiny PDF per couple
    (and fails for a couple with a partner called FAILING_NAME). Yields the calls made."""
    calls = []

    def generate_couple_report(workshop, couple, counselor, edition="couple", include_notes=False):
        names = [partner.first_name for partner in couple.partners]
        calls.append((workshop.id, couple.id, counselor.id))
        if FAILING_NAME in names:
            raise RuntimeError("stand-in report failure")
        from flask import current_app

        folder = Path(current_app.config["REPORTS_DIR"]) / "stand-in"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"couple-{couple.id}.pdf"
        path.write_bytes(b"%PDF-1.7\n% " + couple.name.encode() + b"\n%%EOF\n")
        return SimpleNamespace(file_path=str(path.relative_to(folder.parent)))

    try:
        import workshop.reporting.services as services
    except ImportError:  # the reports are being written alongside: stand in for the module
        services = types.ModuleType("workshop.reporting.services")
        monkeypatch.setitem(sys.modules, "workshop.reporting.services", services)
    monkeypatch.setattr(services, "generate_couple_report", generate_couple_report, raising=False)
    return calls
