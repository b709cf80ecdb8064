"""`flask --app wsgi worker`, the real process, against the Redis at TEST_REDIS_URL: it starts,
listens, and stops cleanly when its supervisor asks (SIGTERM on every deploy or restart)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FLASK = Path(sys.executable).parent / "flask"


def _worker_environment(redis_url: str, folder: Path) -> dict:
    """The suite's database where it runs on PostgreSQL (as production does), else SQLite."""
    database = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{folder / 'worker.sqlite'}"
    return os.environ | {
        "WORKSHOP_ENV": "testing",
        "DATABASE_URL": database,
        "REDIS_URL": redis_url,
        "REPORTS_DIR": str(folder / "reports"),
    }


def _wait_for(process: subprocess.Popen, log: Path, text: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while text not in log.read_text(errors="replace"):
        assert process.poll() is None, f"the worker exited early:\n{log.read_text()}"
        assert time.monotonic() < deadline, f"no {text!r} within {seconds} s:\n{log.read_text()}"
        time.sleep(0.2)


def test_the_worker_stops_cleanly_on_sigterm(redis_url, tmp_path):
    """It holds WeasyPrint's fonts and stylesheets (warmed for its jobs); freed by the
    interpreter's shutdown instead of before it, they crashed the process (SIGSEGV, exit 139),
    which a supervisor reports as a failure on every restart. The crash showed with PostgreSQL
    (psycopg's libraries loaded), not with SQLite: the suite's PostgreSQL run is the one that
    would catch it coming back."""
    log = tmp_path / "worker.log"
    with log.open("w") as output:
        worker = subprocess.Popen(  # noqa: S603 - our own command, no shell
            [str(FLASK), "--app", "wsgi", "worker"],
            cwd=ROOT,
            env=_worker_environment(redis_url, tmp_path),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for(worker, log, "Listening on", seconds=60)
            worker.send_signal(signal.SIGTERM)
            returncode = worker.wait(timeout=60)
        finally:
            if worker.poll() is None:
                worker.kill()
    assert returncode == 0, log.read_text()
