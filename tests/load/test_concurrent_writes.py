"""Nothing lost under load: 20 clients at once against gunicorn with 4 workers.

Partners autosave and submit the same homework from several browsers (both partners on the
joint exercise), counselors autosave and sign the same notes and move the same sessions. The
app must never answer 5xx, every write it accepted must be in the database afterwards, every
write it refused must have been refused in words, and nothing is submitted or signed twice.

Runs on the suite's database kind (SQLite in WAL mode, or PostgreSQL with TEST_DATABASE_URL),
on a fresh database of its own. Bounded: a fixed number of writes per client, a timeout on
every request and on the whole run.
"""

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from tests import factories
from tests.assignments.builders import SHARED_GOAL, WHERE_I_STAND, HomeworkBuilder
from tests.conftest import test_config
from tests.load import checks
from tests.load.http_client import Client
from tests.load.scenario import Journal, Plan, counselor_writes, partner_writes
from tests.workshops.builders import in_days
from workshop import create_app
from workshop.curriculum.services import sync_curriculum
from workshop.extensions import db
from workshop.models import Role, WorkshopSession

pytestmark = pytest.mark.load

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WORKERS = 4
BROWSERS_PER_PARTNER = 3  # 4 partners: 12 clients
COUNSELOR_BROWSERS = 8  # one counselor in 8 tabs: 20 clients in all
WRITES_PER_CLIENT = 12
RUN_TIMEOUT = 240  # seconds for all clients together; the test fails rather than hang
START_TIMEOUT = 60


@pytest.fixture
def load_database_url(database_url, tmp_path):
    """A fresh database of the suite's kind, with the schema and the curriculum."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield _with_schema(f"sqlite:///{tmp_path / 'load.sqlite'}")
        return
    name = f"workshop_load_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield _with_schema(url.set(database=name).render_as_string(hide_password=False))
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def _with_schema(url: str) -> str:
    app = create_app(test_config(url))
    with app.app_context():
        db.create_all()
        sync_curriculum()
        db.session.commit()
        db.engine.dispose()
    return url


@pytest.fixture
def seeded(load_database_url) -> tuple:
    """One counselor, two couples in a workshop with four sessions, homework for both."""
    app = create_app(test_config(load_database_url))
    with app.app_context():
        practice = factories.make_practice()
        counselor = factories.make_user(practice, Role.COUNSELOR)
        couples = [factories.make_couple(counselor, names) for names in (("A", "B"), ("C", "D"))]
        db.session.commit()
        partners = {p.email: (p.id, c.id) for c in couples for p in c.partners}
        counselor_email, couple_ids = counselor.email, [couple.id for couple in couples]
    build = HomeworkBuilder(app, SimpleNamespace(counselor=counselor_email))
    workshop = build.workshop(couples=tuple(couple_ids), sessions=4)
    build.library()
    individual = build.give(workshop.id, couple_ids, WHERE_I_STAND)
    joint = build.give(workshop.id, couple_ids, SHARED_GOAL)
    first, second, *moved = workshop.session_ids
    plan = Plan(
        counselor=counselor_email,
        partners={email: ids[0] for email, ids in partners.items()},
        couple_of={email: ids[1] for email, ids in partners.items()},
        homework={
            couple_id: {"individual": i, "joint": j}
            for couple_id, i, j in zip(couple_ids, individual, joint, strict=True)
        },
        note_targets=[(s, c) for s in (first, second) for c in couple_ids],
        sessions=_versions(app, moved),
        first_day=in_days(400).date(),
    )
    return app, plan


def _versions(app, session_ids) -> dict[int, tuple[int, int]]:
    with app.app_context():
        sessions = db.session.scalars(
            select(WorkshopSession).where(WorkshopSession.id.in_(session_ids))
        )
        return {s.id: (s.version, s.ics_sequence) for s in sessions}


@pytest.fixture
def server(seeded, tmp_path):
    """gunicorn with 4 workers on a free port of 127.0.0.1, serving the seeded database."""
    app, _ = seeded
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))  # a free port, held from here on: nobody else gets it
    listener.listen(64)
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            f"--workers={WORKERS}",
            f"--bind=fd://{listener.fileno()}",
            "--timeout=60",
            "--graceful-timeout=5",
            "tests.load.server:make_app()",
        ],
        cwd=PROJECT_ROOT,
        env={
            **os.environ,
            "LOAD_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "LOAD_REPORTS_DIR": str(tmp_path / "reports"),
        },
        pass_fds=[listener.fileno()],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    try:
        _wait_until_up(base_url, process)
        yield SimpleNamespace(url=base_url, log=tmp_path / "gunicorn.log")
    finally:
        process.send_signal(signal.SIGINT)  # quick shutdown: the run is over
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        listener.close()
        log.close()


def _wait_until_up(base_url: str, process) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not answer /healthz in time")


def run_clients(server_url: str, plan: Plan) -> tuple[Journal, list[Client], list[str]]:
    """All clients log in, wait for each other, then write at once; returns what happened."""
    journal, failures = Journal(), []
    jobs = [(email, None) for email in plan.partners for _ in range(BROWSERS_PER_PARTNER)]
    jobs += [(plan.counselor, f"tab {n}") for n in range(COUNSELOR_BROWSERS)]
    clients = [Client(server_url) for _ in jobs]
    start = threading.Barrier(len(jobs), timeout=RUN_TIMEOUT)

    def work(index: int) -> None:
        email, tab = jobs[index]
        # Seeded: every run makes the same choices. Not for secrets.
        rng = random.Random(index)  # noqa: S311
        try:
            clients[index].login(email)
            start.wait()
            if tab is None:
                partner_writes(clients[index], plan, email, rng, journal, WRITES_PER_CLIENT)
            else:
                counselor_writes(clients[index], plan, rng, journal, WRITES_PER_CLIENT, tab)
        except Exception as error:  # reported by the test below, with the server's log
            start.abort()
            failures.append(f"client {index} ({email}): {error!r}")

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + RUN_TIMEOUT
    for thread in threads:
        thread.join(max(0, deadline - time.monotonic()))
    failures += [f"client {i} still running" for i, t in enumerate(threads) if t.is_alive()]
    return journal, clients, failures


def test_twenty_clients_at_once_lose_nothing_and_double_nothing(seeded, server):
    app, plan = seeded
    journal, clients, failures = run_clients(server.url, plan)
    print(journal.summary())  # shown when the test fails: what the clients did
    log = server.log.read_text()
    assert failures == [], f"{failures}\n{log[-3000:]}"
    server_errors = [status for client in clients for status in client.statuses if status >= 500]
    assert server_errors == [], log[-3000:]
    unexpected = [e for e in journal.entries if e.outcome == "unexpected"]
    assert unexpected == [], unexpected[:5]
    assert "Traceback" not in log, log[-3000:]
    # The clients really did collide: some writes were refused as out of date.
    assert journal.of("draft", "refused")
    assert journal.of("note", "refused")
    with app.app_context():
        lost = checks.lost_homework(journal) + checks.lost_notes(journal)
        lost += checks.lost_moves(journal, plan) + checks.ghost_rows(journal, plan)
        assert lost == []
        if db.engine.dialect.name == "sqlite":
            assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        db.session.remove()
        db.engine.dispose()
