"""gunicorn settings for the yardstick app (benchmarks/reference_app.py): the production values
of workshop.gunicorn_config (workers, preload, recycling, timeouts), with hooks of its own: the
production hooks warm up WeasyPrint and the real app's templates, which the yardstick lacks."""

import gc

from workshop.gunicorn_config import (  # noqa: F401 - gunicorn reads these names from here
    bind,
    control_socket_disable,
    errorlog,
    graceful_timeout,
    keepalive,
    loglevel,
    max_requests,
    max_requests_jitter,
    preload_app,
    threads,
    timeout,
    worker_tmp_dir,
    workers,
)


def pre_fork(server, worker) -> None:
    gc.freeze()  # as production does: the workers share the loaded app


def post_fork(server, worker) -> None:
    """Each worker opens its own connections (as workshop.gunicorn_config does)."""
    from benchmarks.reference_app import db

    with server.app.wsgi().app_context():
        db.engine.dispose(close=False)
