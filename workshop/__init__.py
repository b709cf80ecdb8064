"""The couples workshop manager: create_app builds the Flask application."""

import logging

from flask import Flask
from sqlalchemy import event

from workshop import config as config_module
from workshop.extensions import csrf, db, limiter, login_manager, mail, migrate


def create_app(config: dict | None = None) -> Flask:
    """Build the app: config class, then environment, then the `config` given (tests)."""
    app = Flask(__name__, template_folder="../templates", instance_relative_config=True)
    _load_config(app, config or {})
    _init_extensions(app)
    _register_blueprints(app)
    _register_hooks(app)
    return app


def _load_config(app: Flask, overrides: dict) -> None:
    env_name = overrides.get("ENV_NAME") or config_module.environment_name()
    app.config.from_object(config_module.CONFIG_CLASSES[env_name])
    app.config.update(config_module.read_environment())
    app.config.update(overrides)
    config_module.finish_config(app.config, app.instance_path)
    if env_name == "production":
        logging.basicConfig(level=logging.INFO)


def _init_extensions(app: Flask) -> None:
    from workshop import models  # noqa: F401 - the metadata must be complete for migrations

    db.init_app(app)
    migrate.init_app(app, db, directory=str(_project_root(app) / "migrations"))
    csrf.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas(app.config))
        if db.engine.driver == "psycopg":
            event.listen(db.engine, "connect", _integers_at_least_int4)


def _sqlite_pragmas(config):
    """Per-connection SQLite settings, so several gunicorn workers can share one file."""
    busy_timeout_ms = int(config["SQLITE_BUSY_TIMEOUT_MS"])

    def set_pragmas(dbapi_connection, connection_record) -> None:
        cursor = dbapi_connection.cursor()
        # A write waits (up to the timeout) for another worker's write to end, instead of
        # failing at once with "database is locked".
        cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
        # SQLite ignores foreign keys unless asked, per connection; we want the same rules as PG.
        cursor.execute("PRAGMA foreign_keys=ON")
        # WAL: readers and the one writer do not block each other. The mode is stored in the
        # file, so asking again on each connection costs nothing ("memory" for :memory:).
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    return set_pragmas


def _integers_at_least_int4(dbapi_connection, connection_record) -> None:
    """Send Python ints to PostgreSQL as integer (or bigint), never as smallint.

    psycopg types a small int parameter smallint, and SQLAlchemy writes "$1::INTEGER" for our
    integer columns. A prepared statement's one plan for any values (its generic plan) then
    converts the parameter once per row it filters; that made the plan look dearer than
    planning afresh, so PostgreSQL re-planned the couples and workshops lists on every view
    (a third of their time). As integer, the parameter needs no conversion.
    """
    from workshop.extensions import AtLeastInt4Dumper

    dbapi_connection.adapters.register_dumper(int, AtLeastInt4Dumper)


def _register_blueprints(app: Flask) -> None:
    from workshop.assignments.views import bp as assignments_bp
    from workshop.audit_log.views import bp as audit_bp
    from workshop.auth.views import bp as auth_bp
    from workshop.couples.views import bp as couples_bp
    from workshop.curriculum.views import bp as curriculum_bp
    from workshop.exercises.views import bp as exercises_bp
    from workshop.feeds.views import bp as feeds_bp
    from workshop.homework.views import bp as homework_bp
    from workshop.jobs.views import bp as jobs_bp
    from workshop.main.views import bp as main_bp
    from workshop.notes.views import bp as notes_bp
    from workshop.practice.views import bp as practice_bp
    from workshop.reporting.views import bp as reporting_bp
    from workshop.scheduling.views import bp as scheduling_bp
    from workshop.workshops.views import bp as workshops_bp

    blueprints = (
        main_bp,
        auth_bp,
        practice_bp,
        couples_bp,
        curriculum_bp,
        workshops_bp,
        scheduling_bp,
        feeds_bp,
    )
    blueprints += (exercises_bp,)
    blueprints += (assignments_bp,)
    blueprints += (homework_bp,)
    blueprints += (notes_bp, audit_bp)
    blueprints += (jobs_bp,)
    blueprints += (reporting_bp,)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)


def _register_hooks(app: Flask) -> None:
    from workshop import access, cli, errors, forms, mail_outbox, templating
    from workshop.auth import sessions
    from workshop.reporting import services as reporting_services

    sessions.init_app(app)
    access.init_app(app)
    forms.init_app(app)
    errors.init_app(app)
    from workshop import headers

    headers.init_app(app)  # security headers on every response; ProxyFix from PROXY_COUNT
    templating.init_app(app)
    from workshop import static_files

    static_files.init_app(app)  # fingerprinted static URLs, cached for a year
    mail_outbox.init_app(app)
    reporting_services.init_app(app)
    cli.init_app(app)
    from workshop.jobs.cli import worker_command

    app.cli.add_command(worker_command)


def _project_root(app: Flask):
    from pathlib import Path

    return Path(app.root_path).parent
