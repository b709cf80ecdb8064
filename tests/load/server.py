"""The app as gunicorn serves it in the load test: production settings, on the test's database.

gunicorn loads `tests.load.server:make_app()` in each worker; the test passes the database
and keys in the environment (LOAD_DATABASE_URL, ...). Only what plain HTTP on 127.0.0.1 needs
differs from production: the session cookie is not `Secure`, and mail stays in memory.
"""

import os

from workshop import create_app
from workshop.config import TestingConfig


def make_app():
    """A production app on LOAD_DATABASE_URL (gunicorn calls this once per worker)."""
    return create_app(
        {
            "ENV_NAME": "production",
            # DATABASE_URL too: it would win over SQLALCHEMY_DATABASE_URI if set in the shell.
            "DATABASE_URL": os.environ["LOAD_DATABASE_URL"],
            "SQLALCHEMY_DATABASE_URI": os.environ["LOAD_DATABASE_URL"],
            "REDIS_URL": None,  # rate-limit counters in memory, whatever the shell says
            "SECRET_KEY": TestingConfig.SECRET_KEY,
            "DATA_ENCRYPTION_KEY": TestingConfig.DATA_ENCRYPTION_KEY,
            "SESSION_COOKIE_SECURE": False,  # plain http on 127.0.0.1
            "MAIL_BACKEND": "locmem",
            "REPORTS_DIR": os.environ["LOAD_REPORTS_DIR"],
            "JOBS_BACKEND": "inline",
        }
    )
