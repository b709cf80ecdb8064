"""The production setup: gunicorn's config module, the database pool, the liveness probe."""

import importlib
import re
import subprocess
import sys

from sqlalchemy import event

from tests.conftest import test_config
from workshop import create_app
from workshop.config import TestingConfig
from workshop.extensions import db


def _load_gunicorn_config(monkeypatch, **environment):
    for name in ("WEB_CONCURRENCY", "GUNICORN_BIND", "PORT", "GUNICORN_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    import workshop.gunicorn_config as module

    return importlib.reload(module)


def test_gunicorn_preloads_the_app_with_several_workers_by_default(monkeypatch):
    config = _load_gunicorn_config(monkeypatch)
    assert config.preload_app is True
    assert config.workers >= 3
    assert config.bind == "127.0.0.1:8000"
    assert config.timeout == 30


def test_gunicorn_settings_come_from_the_environment(monkeypatch):
    config = _load_gunicorn_config(
        monkeypatch, WEB_CONCURRENCY="7", GUNICORN_BIND="0.0.0.0:9000", GUNICORN_THREADS="4"
    )
    assert (config.workers, config.bind, config.threads) == (7, "0.0.0.0:9000", 4)


def test_gunicorn_accepts_the_config_module(tmp_path):
    """gunicorn itself reads the module (as `gunicorn -c python:workshop.gunicorn_config`)."""
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "python:workshop.gunicorn_config",
            "--print-config",
            "wsgi:app",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={
            "PATH": "/usr/bin:/bin",
            "WEB_CONCURRENCY": "3",
            # --print-config loads the app too (preload): give it what production requires.
            "SECRET_KEY": "gunicorn-config-test",
            "DATA_ENCRYPTION_KEY": TestingConfig.DATA_ENCRYPTION_KEY,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite'}",
        },
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"^preload_app\s+= True$", result.stdout, re.MULTILINE)
    assert re.search(r"^workers\s+= 3$", result.stdout, re.MULTILINE)
    assert re.search(r"^control_socket_disable\s+= True$", result.stdout, re.MULTILINE)


def test_postgresql_gets_a_sized_pool_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DB_POOL_SIZE", "3")
    monkeypatch.setenv("DB_MAX_OVERFLOW", "2")
    app = create_app(test_config("postgresql+psycopg://nobody@127.0.0.1:1/none"))
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["pool_size"] == 3
    assert options["max_overflow"] == 2
    assert options["pool_pre_ping"] is True
    with app.app_context():
        assert db.engine.pool.size() == 3


def test_sqlite_keeps_its_own_pool_but_still_pings(tmp_path):
    app = create_app(test_config(f"sqlite:///{tmp_path / 'x.sqlite'}"))
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options == {"pool_pre_ping": True}


def test_liveness_probe_answers_without_touching_the_database(app, client):
    statements = []
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    response = client.get("/healthz/live")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert statements == []


def test_the_master_compiles_every_page_template_before_it_forks(app, browser, world, monkeypatch):
    """After when_ready, a worker renders pages without compiling a single template."""
    from types import SimpleNamespace

    from workshop.reporting import render

    monkeypatch.setattr(render, "warm_up", lambda: None)  # WeasyPrint's part is tested elsewhere
    config = _load_gunicorn_config(monkeypatch)
    config.when_ready(SimpleNamespace(app=SimpleNamespace(wsgi=lambda: app)))

    compiled = []
    original_compile = app.jinja_env.compile
    monkeypatch.setattr(
        app.jinja_env, "compile", lambda *a, **k: compiled.append(a) or original_compile(*a, **k)
    )
    browser.login(world.counselor)
    for path in ("/", "/agenda", "/workshops/", "/couples/", "/settings"):
        assert browser.get(path).status_code == 200
    assert compiled == []


def test_without_the_warm_up_a_first_page_compiles_its_templates(app, browser, world, monkeypatch):
    """The check above can fail: a cold process compiles templates on its first pages."""
    compiled = []
    original_compile = app.jinja_env.compile
    monkeypatch.setattr(
        app.jinja_env, "compile", lambda *a, **k: compiled.append(a) or original_compile(*a, **k)
    )
    browser.login(world.counselor)
    assert browser.get("/agenda").status_code == 200
    assert compiled


def test_the_master_freezes_what_it_loaded_before_each_fork(monkeypatch):
    """Objects loaded before the fork are out of the workers' garbage collections."""
    import gc

    config = _load_gunicorn_config(monkeypatch)
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        config.pre_fork(server=None, worker=None)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
