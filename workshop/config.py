"""Configuration: a class per environment, then overrides from the environment variables."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

ENVIRONMENTS = ("production", "development", "testing")


class ConfigError(RuntimeError):
    """The app cannot start safely with this configuration."""


class BaseConfig:
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # No request body beyond this (the largest legitimate one is a 1 MB logo upload).
    MAX_CONTENT_LENGTH = 4 * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "workshop_session"
    # Flask-Login's remember-me cookie is never issued; keep it short should anything ask for it.
    REMEMBER_COOKIE_DURATION = timedelta(hours=12)
    # CSRF tokens live as long as the login session they belong to (renewed at login and logout).
    WTF_CSRF_TIME_LIMIT = None
    # We run the CSRF check ourselves (workshop/forms.py) so a failed check can keep typed text.
    WTF_CSRF_CHECK_DEFAULT = False
    STAFF_IDLE_TIMEOUT = timedelta(minutes=30)
    STAFF_ABSOLUTE_TIMEOUT = timedelta(hours=12)
    PARTNER_IDLE_TIMEOUT = timedelta(hours=2)
    PARTNER_ABSOLUTE_TIMEOUT = timedelta(hours=24)
    INVITATION_TTL = timedelta(days=7)
    PASSWORD_RESET_TTL = timedelta(hours=1)
    LOGIN_LIMIT_PER_ADDRESS = "20 per 15 minutes"
    LOGIN_LIMIT_PER_ACCOUNT = "5 per 15 minutes"
    # Wrong second-factor codes: per account (the login waiting for it) and per address.
    SECOND_FACTOR_LIMIT_PER_ACCOUNT = "5 per 15 minutes"
    SECOND_FACTOR_LIMIT_PER_ADDRESS = "20 per 15 minutes"
    PASSWORD_RESET_LIMIT = "5 per hour"  # nosec B105 # noqa: S105 - a rate, not a password
    # Said outright: Flask-Limiter keeps the last app's setting on its one shared extension
    # object, so an app that left it out would inherit "off" from an earlier app that turned
    # limits off (the test suite builds many apps in one process).
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "moving-window"
    MAIL_BACKEND = "file"
    MAIL_DEFAULT_SENDER = "Couples Workshop <no-reply@localhost>"
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    # Links in emails are absolute; outside a request we need to know our own address.
    PUBLIC_URL = "http://127.0.0.1:5000"
    REDIS_URL = None
    # Background jobs run on "rq" (REDIS_URL set), a "thread" in the app (unset), or "inline".
    JOBS_BACKEND = None
    # Worker processes rendering a batch of reports: None is up to 2 (one per core); 0 renders
    # in the job's own process.
    JOBS_RENDER_PROCESSES = None
    DEBUG_ERRORS_IN_BROWSER = False
    # Reports: paper size "A4" or "Letter"; the archive folder defaults to instance/reports.
    REPORT_PAPER_SIZE = "A4"
    # Reverse proxies in front of the app (each adds X-Forwarded-For); 0 = none, and then
    # forged X-Forwarded-* headers are ignored. Rate limits and audit events use the result.
    PROXY_COUNT = 0
    # SQLite only: how long a write waits for another process's write before failing.
    SQLITE_BUSY_TIMEOUT_MS = 15_000


class ProductionConfig(BaseConfig):
    ENV_NAME = "production"


class DevelopmentConfig(BaseConfig):
    ENV_NAME = "development"
    SESSION_COOKIE_SECURE = False
    DEBUG_ERRORS_IN_BROWSER = True


class TestingConfig(BaseConfig):
    ENV_NAME = "testing"
    TESTING = True
    SESSION_COOKIE_SECURE = False
    SECRET_KEY = "testing-only-secret-key"  # nosec B105 # noqa: S105 - test suite only
    # base64 of "testing-only-data-key-0123456789": a fixed Fernet key, for the test suite only.
    DATA_ENCRYPTION_KEY = "dGVzdGluZy1vbmx5LWRhdGEta2V5LTAxMjM0NTY3ODk="
    MAIL_BACKEND = "locmem"
    PUBLIC_URL = "http://localhost"
    # Jobs run in the request that starts them: no thread outlives a test (tests/jobs runs both
    # real runners on purpose).
    JOBS_BACKEND = "inline"
    # Batches render in the job's process (fast); one test runs the process pool for real.
    JOBS_RENDER_PROCESSES = 0
    SERVER_NAME = None


CONFIG_CLASSES = {
    "production": ProductionConfig,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
}

# Environment variables read on top of the class, with the type each one has.
ENV_VARIABLES = {
    "SECRET_KEY": str,
    "DATA_ENCRYPTION_KEY": str,
    "DATABASE_URL": str,
    "REDIS_URL": str,
    "JOBS_BACKEND": str,
    "JOBS_RENDER_PROCESSES": int,
    "PUBLIC_URL": str,
    "MAIL_BACKEND": str,
    "MAIL_SERVER": str,
    "MAIL_PORT": int,
    "MAIL_USE_TLS": bool,
    "MAIL_USE_SSL": bool,
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "MAIL_DEFAULT_SENDER": str,
    # The file backend's folder (default instance/outbox); the browser tests read their own.
    "MAIL_FILE_PATH": str,
    "STAFF_IDLE_MINUTES": int,
    "STAFF_ABSOLUTE_HOURS": int,
    "REPORTS_DIR": str,
    "REPORT_PAPER_SIZE": str,
    "PROXY_COUNT": int,
    "SQLITE_BUSY_TIMEOUT_MS": int,
    # Connection pool per process (PostgreSQL): see _finish_engine_options.
    "DB_POOL_SIZE": int,
    "DB_MAX_OVERFLOW": int,
    "DB_POOL_RECYCLE_SECONDS": int,
}


def environment_name() -> str:
    """The WORKSHOP_ENV in force; production when unset, because that is the safe default."""
    name = os.environ.get("WORKSHOP_ENV", "production").strip().lower() or "production"
    if name not in ENVIRONMENTS:
        raise ConfigError(f"WORKSHOP_ENV must be one of {', '.join(ENVIRONMENTS)}, not {name!r}")
    return name


def _parse(kind: type, raw: str):
    if kind is bool:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    return kind(raw)


def read_environment() -> dict:
    """The settings given through environment variables."""
    found = {}
    for name, kind in ENV_VARIABLES.items():
        raw = os.environ.get(name)
        if raw not in (None, ""):
            found[name] = _parse(kind, raw)
    return found


def finish_config(config: dict, instance_path: str) -> None:
    """Fill derived settings and refuse configurations that are unsafe to run."""
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    if "DATABASE_URL" in config:
        config["SQLALCHEMY_DATABASE_URI"] = config["DATABASE_URL"]
    config.setdefault(
        "SQLALCHEMY_DATABASE_URI", f"sqlite:///{Path(instance_path) / 'workshop.sqlite'}"
    )
    _finish_engine_options(config)
    config.setdefault("MAIL_FILE_PATH", str(Path(instance_path) / "outbox"))
    config.setdefault("REPORTS_DIR", str(Path(instance_path) / "reports"))
    if config.get("REPORT_PAPER_SIZE") not in ("A4", "Letter"):
        raise ConfigError("REPORT_PAPER_SIZE must be A4 or Letter.")
    if config.get("REDIS_URL") and config.get("RATELIMIT_STORAGE_URI") == "memory://":
        config["RATELIMIT_STORAGE_URI"] = config["REDIS_URL"]
    if "STAFF_IDLE_MINUTES" in config:
        config["STAFF_IDLE_TIMEOUT"] = timedelta(minutes=config["STAFF_IDLE_MINUTES"])
    if "STAFF_ABSOLUTE_HOURS" in config:
        config["STAFF_ABSOLUTE_TIMEOUT"] = timedelta(hours=config["STAFF_ABSOLUTE_HOURS"])
    if not config.get("SECRET_KEY"):
        if config["ENV_NAME"] != "development":
            raise ConfigError("SECRET_KEY must be set outside development (see README).")
        config["SECRET_KEY"] = _development_secret(instance_path)
    _finish_data_encryption_key(config, instance_path)


# Per process: a sync gunicorn worker uses one connection at a time; the rest covers a threaded
# worker or a job thread. Workers x (size + overflow) must stay under PostgreSQL's max_connections.
DEFAULT_POOL = {"pool_size": 5, "max_overflow": 5, "pool_recycle": 1800}
POOL_VARIABLES = {
    "DB_POOL_SIZE": "pool_size",
    "DB_MAX_OVERFLOW": "max_overflow",
    "DB_POOL_RECYCLE_SECONDS": "pool_recycle",
}


def _finish_engine_options(config: dict) -> None:
    """A sized connection pool with pool_pre_ping (a connection the server dropped is replaced
    before use, not failed on). SQLite keeps SQLAlchemy's own pool choice."""
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options.setdefault("pool_pre_ping", True)
    if not str(config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite"):
        for setting, value in DEFAULT_POOL.items():
            options.setdefault(setting, value)
        for variable, setting in POOL_VARIABLES.items():
            if variable in config:
                options[setting] = config[variable]
    config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _finish_data_encryption_key(config: dict, instance_path: str) -> None:
    """DATA_ENCRYPTION_KEY (Fernet keys, comma-separated) is required outside development,
    where a random one is kept in instance/dev-data-key."""
    from workshop.crypto import DEVELOPMENT_KEY_FILE, parse_keys

    if not config.get("DATA_ENCRYPTION_KEY"):
        if config["ENV_NAME"] != "development":
            raise ConfigError("DATA_ENCRYPTION_KEY must be set outside development (see README).")
        config["DATA_ENCRYPTION_KEY"] = _development_data_key(
            Path(instance_path) / DEVELOPMENT_KEY_FILE
        )
    try:
        parse_keys(config["DATA_ENCRYPTION_KEY"])
    except ValueError as error:
        raise ConfigError(str(error)) from error


def _development_data_key(path: Path) -> str:
    """A random Fernet key kept in instance/ so development data stays readable."""
    if not path.exists():
        from cryptography.fernet import Fernet

        path.write_text(Fernet.generate_key().decode())
        path.chmod(0o600)
    return path.read_text().strip()


def _development_secret(instance_path: str) -> str:
    """A random key kept in instance/ so development logins survive a restart."""
    path = Path(instance_path) / "dev-secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
