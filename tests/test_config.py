"""Configuration: safe defaults, and a refusal to run production without a secret."""

import pytest

from workshop import create_app
from workshop.config import ConfigError, TestingConfig, environment_name


def test_environment_defaults_to_production_when_unset(monkeypatch):
    monkeypatch.delenv("WORKSHOP_ENV", raising=False)
    assert environment_name() == "production"


def test_unknown_environment_is_refused(monkeypatch):
    monkeypatch.setenv("WORKSHOP_ENV", "staging-ish")
    with pytest.raises(ConfigError):
        environment_name()


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("WORKSHOP_ENV", "production")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}"})


def test_development_makes_and_keeps_its_own_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("WORKSHOP_ENV", "development")
    database = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}"}
    first = create_app(database)
    second = create_app(database)
    assert first.config["SECRET_KEY"]
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert first.config["SESSION_COOKIE_SECURE"] is False


def test_environment_variables_configure_database_and_redis(monkeypatch):
    monkeypatch.setenv("WORKSHOP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("DATA_ENCRYPTION_KEY", TestingConfig.DATA_ENCRYPTION_KEY)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://app@db.internal/workshop")
    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/0")
    monkeypatch.setenv("STAFF_IDLE_MINUTES", "15")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://app@db.internal/workshop"
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://cache.internal:6379/0"
    assert app.config["STAFF_IDLE_TIMEOUT"].total_seconds() == 15 * 60
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.debug is False


def test_default_database_is_sqlite_under_instance(monkeypatch):
    monkeypatch.setenv("WORKSHOP_ENV", "development")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/workshop.sqlite")
    assert app.config["MAIL_FILE_PATH"].endswith("instance/outbox")
