"""Browser tests: the real app served on a free port, driven by Debian's Chromium.

Fixtures shared by the journeys and the accessibility checks:
- `live_server`: `flask db upgrade`, `seed-demo`, then `flask run`, as `make run` does, on a
  fresh SQLite database and a file outbox in a temporary folder; `.url`, `.outbox`.
- `chromium`: a headless Playwright Browser on /usr/bin/chromium (never a downloaded browser).
- `screenshots_dir`, and `shoot(page, label)` (tests/e2e/screens.py, also a fixture here):
  full-page PNGs a person can look at afterwards.

Without /usr/bin/chromium the browser tests are skipped, and the summary says so plainly.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e import audit
from tests.e2e.screens import current_screenshots_dir, start_screenshots_dir
from tests.e2e.screens import shoot as _shoot

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PROJECT_ROOT = Path(__file__).resolve().parents[2]
E2E_DIR = Path(__file__).resolve().parent
SERVER_START_SECONDS = 60

_skipped_browser_tests: list[str] = []
_server_logs: list[Path] = []  # named in the summary: what the app printed (errors, requests)

# axe on every audited page as it is visited; the Nu Html Checker once the session ends.
html_check = audit.html_check


@dataclass(frozen=True)
class LiveServer:
    url: str
    outbox: Path
    log: Path


def _is_browser_test(item) -> bool:
    return E2E_DIR in Path(str(item.path)).resolve().parents


def pytest_collection_modifyitems(config, items):
    """Skip the browser tests, with a plain reason, when Debian's Chromium is not installed."""
    if CHROMIUM.exists():
        return
    reason = f"browser tests need {CHROMIUM} (Debian package chromium; .ci/run installs it)"
    for item in items:
        if _is_browser_test(item):
            item.add_marker(pytest.mark.skip(reason=reason))
            _skipped_browser_tests.append(item.nodeid)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Say plainly when the browser tests did not run, so a green run is not misread."""
    if _skipped_browser_tests:
        terminalreporter.write_sep("!", "BROWSER TESTS SKIPPED", yellow=True, bold=True)
        terminalreporter.write_line(
            f"{len(_skipped_browser_tests)} browser tests did not run: {CHROMIUM} is missing. "
            "Install it with `apt-get install chromium` (never `playwright install`)."
        )
        return
    audit.pytest_terminal_summary(terminalreporter)
    if current_screenshots_dir():
        terminalreporter.write_sep("-", "browser screenshots")
        terminalreporter.write_line(
            f"every page the browser tests visited: {current_screenshots_dir()}"
        )
    for log in _server_logs:
        terminalreporter.write_line(f"the app server's log: {log}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_environment(folder: Path, url: str) -> dict:
    """The environment `make run` uses, pointed at a fresh database, outbox and archive."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "JOBS_BACKEND", "TEST_DATABASE_URL"}
    }
    environment.update(
        WORKSHOP_ENV="development",
        DATABASE_URL=f"sqlite:///{folder / 'workshop.sqlite'}",
        MAIL_BACKEND="file",
        MAIL_FILE_PATH=str(folder / "outbox"),
        REPORTS_DIR=str(folder / "reports"),
        PUBLIC_URL=url,
    )
    return environment


def _flask(*arguments: str) -> list[str]:
    return [str(Path(sys.executable).with_name("flask")), "--app", "wsgi", *arguments]


def _prepare(step: tuple[str, ...], environment: dict) -> None:
    """Run one `flask` command of `make run` before serving; fail with what it printed."""
    done = subprocess.run(  # noqa: S603 - our own venv's flask, fixed arguments
        _flask(*step), cwd=PROJECT_ROOT, env=environment, capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.fail(f"`flask {' '.join(step)}` failed:\n{done.stdout}\n{done.stderr}")


def _wait_until_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the app server exited ({process.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"the app server did not answer /healthz in time:\n{log.read_text()}")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app as `make run` serves it, on a free 127.0.0.1 port with its own fresh data."""
    folder = tmp_path_factory.mktemp("live-server")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    environment = _server_environment(folder, url)
    for step in (("db", "upgrade"), ("seed-demo",)):
        _prepare(step, environment)
    log = folder / "server.log"
    _server_logs.append(log)
    with log.open("w") as log_file:
        process = subprocess.Popen(  # noqa: S603 - our own venv's flask, fixed arguments
            _flask("run", "--host", "127.0.0.1", "--port", str(port), "--no-reload"),
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_healthy(url, process, log)
        yield LiveServer(url=url, outbox=Path(environment["MAIL_FILE_PATH"]), log=log)
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, headless, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    """This run's emptied screenshot folder, named in the test output."""
    folder = start_screenshots_dir()
    print(f"\nbrowser screenshots go to {folder}")
    return folder


@pytest.fixture(scope="session")
def shoot(screenshots_dir):
    """`shoot(page, label)`: a full-page PNG of the page, saved in `screenshots_dir`."""
    return _shoot
