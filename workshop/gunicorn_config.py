"""gunicorn settings for production: `gunicorn -c python:workshop.gunicorn_config wsgi:app`.

Every value can be changed from the environment (the names below), so one file serves a laptop,
the benchmark and a server. The app is loaded once in the master (`preload_app`): workers fork
with the code, templates and configuration already in memory, start in milliseconds and share
those pages. The database connections are not shared: each worker drops what it inherited.
"""

import gc
import os


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def default_workers() -> int:
    """Two per core plus one: a sync worker waits on PostgreSQL part of the time."""
    return 2 * (os.cpu_count() or 1) + 1


bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{_env_int('PORT', 8000)}"
workers = _env_int("WEB_CONCURRENCY", default_workers())
# 1 thread = the sync worker (one request at a time per process, the simplest to reason about);
# more threads switch gunicorn to its threaded worker.
threads = _env_int("GUNICORN_THREADS", 1)
preload_app = True
# A request still running after this many seconds is killed (and its worker restarted): every
# page answers in milliseconds; the slow work (report batches) runs on the RQ worker.
timeout = _env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _env_int("GUNICORN_KEEPALIVE", 5)
# Recycle a worker after this many requests (with jitter, so they do not all restart at once):
# a cap on any slow growth of memory. 0 switches it off.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Heartbeat files in memory, not on a disk that may stall under load.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # nosec B108 # noqa: S108 - tmpfs
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None  # "-" for stdout
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# gunicorn 23+ opens a control socket at one fixed path per user: two servers on one machine
# (a second site, the benchmark) would fight over it. Nothing here uses it.
control_socket_disable = True
# Client addresses behind a proxy come from the app's ProxyFix (PROXY_COUNT), not from here.
forwarded_allow_ips = "127.0.0.1"


def pre_fork(server, worker) -> None:
    """In the master, right before each fork: put everything loaded so far (the app, compiled
    templates, WeasyPrint's fonts: some 200,000 objects) out of the garbage collector's reach.
    A worker's full collection then walks only its own objects, not a pause of 100 ms or more
    in the middle of a request, and does not write to (and so copy) the pages it shares with
    the master. This is the use Python's documentation gives for gc.freeze()."""
    gc.freeze()


def post_fork(server, worker) -> None:
    """Forget the database connections the master may have opened while loading the app: two
    processes talking over one socket would mix their replies."""
    from workshop.extensions import db

    app = server.app.wsgi()
    with app.app_context():
        db.engine.dispose(close=False)


def when_ready(server) -> None:
    """In the master, before the first fork: import WeasyPrint, build its font configuration
    and parse the print CSS once, and compile the page templates; every worker inherits them
    warm (a report generated on a page then pays for layout only, never for seconds of set-up,
    and no page waits for its template to compile)."""
    from workshop.reporting import render
    from workshop.templating import compile_templates

    render.warm_up()
    compile_templates(server.app.wsgi())


def worker_exit(server, worker) -> None:
    """Free WeasyPrint's fonts and stylesheets while their C libraries are still loaded: left
    to the interpreter's shutdown, their finalizers can run in the wrong order and crash the
    exiting worker (a harmless but alarming SIGSEGV in the log)."""
    from workshop.reporting import render

    render.free_toolkits()
