"""Accessibility (axe-core) and valid-HTML (Nu Html Checker) audits of pages in the browser tests.

`audit_page(page, label)` runs axe-core on the page as it stands, with the WCAG 2.0, 2.1 and 2.2
rules of levels A and AA: a violation of impact serious or critical fails the test at once,
naming the page, its URL, the rule and the elements; lesser ones are listed at the end of the
run. It also keeps the HTML the server sent for that page. When the session ends, the Nu Html
Checker (vnu.jar, `make test` installs it under .tools/ where Java is present) reads every kept
page in one batch (one JVM start) and any error fails the run, naming page and message.

The e2e conftest imports `html_check` (session, autouse) and `pytest_terminal_summary` from here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess  # noqa: S404 - runs the machine's java on our own saved files
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

ROOT = Path(__file__).resolve().parents[2]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
VNU_JAR = Path(
    os.environ.get(
        "VNU_JAR", ROOT / ".tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    )
)


@dataclass
class AuditRecord:
    """What the session's audits found, for the end-of-session HTML check and the summary."""

    html_dir: Path | None = None  # this run's own folder: runs side by side must not share one
    pages: dict[str, str] = field(default_factory=dict)  # saved file name -> "label (url)"
    minor: set[str] = field(default_factory=set)  # axe findings below "serious"
    html_errors: list[str] = field(default_factory=list)
    html_note: str = ""


RECORD = AuditRecord()
_axe = Axe()
# The last document each page received, remembered from the network so that a page shown in
# answer to a POST (a form with its errors) is checked as the server sent it.
_documents: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_watched: weakref.WeakSet = weakref.WeakSet()


def audit_page(page, label: str) -> Path:
    """Fail on serious/critical axe violations; keep the page's HTML for the Nu checker (path)."""
    watch_documents(page.context)
    violations = axe_violations(page)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    for violation in violations:
        if violation not in blocking:
            RECORD.minor.add(
                f"{label}: {violation['id']} ({violation['impact']}) {violation['help']}"
            )
    saved = save_served_html(page, label)
    if blocking:
        pytest.fail(
            f"axe found {len(blocking)} serious/critical problem(s) on {label} ({page.url}):\n"
            + "\n".join(describe_violation(v) for v in blocking),
            pytrace=False,
        )
    return saved


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.0/2.1/2.2 A and AA violations on the page as it stands."""
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    return _axe.run(page, options=options).response["violations"]


def describe_violation(violation: dict) -> str:
    """One rule's violation with the elements it found, for a failure message."""
    nodes = "\n".join(
        f"      {' '.join(map(str, node['target']))}: {node.get('failureSummary', '').strip()}"
        for node in violation["nodes"][:5]
    )
    return f"  - {violation['id']} [{violation['impact']}] {violation['help']}\n{nodes}"


def save_served_html(page, label: str) -> Path:
    """Write the HTML the server sent for this page, to be checked when the session ends."""
    assert RECORD.html_dir, "audit_page needs the html_check fixture (tests/e2e/conftest.py)"
    name = (
        f"{len(RECORD.pages) + 1:03d}-{re.sub(r'[^a-z0-9]+', '-', label.lower()).strip('-')}.html"
    )
    (RECORD.html_dir / name).write_text(_served_html(page), encoding="utf-8")
    RECORD.pages[name] = f"{label} ({page.url})"
    return RECORD.html_dir / name


def watch_documents(context) -> None:
    """Remember each page's documents from now on, so a POST's answer is checked as sent.

    Call it on a new browser context; audit_page calls it too, and until then it re-fetches
    the page's address with a GET (right for every page but one shown in answer to a POST)."""
    if context in _watched:
        return
    _watched.add(context)

    def remember(response):
        request = response.request
        if request.is_navigation_request() and request.frame.parent_frame is None:
            _documents[request.frame.page] = response

    context.on("response", remember)


def _served_html(page) -> str:
    response = _documents.get(page)
    if response is not None and response.url == page.url and not 300 <= response.status < 400:
        try:
            return response.text()
        except Exception:  # noqa: BLE001, S110 - body gone (e.g. the page moved on): fetch again
            pass
    # A GET with the page's cookies shows what the server sends for this address.
    return page.request.get(page.url).text()


def run_nu_checker(files: list[Path]) -> list[dict]:
    """The Nu Html Checker's error messages for these files, in one JVM run."""
    completed = subprocess.run(  # noqa: S603 - fixed arguments, our own files
        [
            shutil.which("java") or "java",
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--format",
            "json",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    # vnu writes its JSON report to stderr, and exits 1 when it found errors.
    report = json.loads(completed.stderr or completed.stdout or '{"messages": []}')
    return [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]


def nu_checker_missing() -> str:
    """Why the HTML check cannot run here, or "" when it can."""
    if shutil.which("java") is None:
        return "no java on this machine (apt-get install default-jre-headless)"
    if not VNU_JAR.is_file():
        return f"no {VNU_JAR.relative_to(ROOT)} (make test installs it: npm install vnu-jar)"
    return ""


def _describe_html_error(message: dict) -> str:
    page = RECORD.pages.get(Path(message.get("url", "")).name, message.get("url", "?"))
    line = message.get("lastLine", "?")
    extract = " ".join(message.get("extract", "").split())[:120]
    return f"  - {page}, line {line}: {message['message']}\n      {extract}"


@pytest.fixture(scope="session", autouse=True)
def html_check(tmp_path_factory):
    """Check every audited page's HTML with the Nu Html Checker once all tests have run."""
    RECORD.html_dir = tmp_path_factory.mktemp("served-html")
    RECORD.pages.clear()
    yield RECORD
    if not RECORD.pages:
        return
    missing = nu_checker_missing()
    if missing:
        RECORD.html_note = f"HTML check SKIPPED: {missing}."
        if os.environ.get("CI"):
            pytest.fail(f"The Nu Html Checker must run in CI: {missing}", pytrace=False)
        return
    errors = run_nu_checker(sorted(RECORD.html_dir.glob("*.html")))
    RECORD.html_errors = [_describe_html_error(m) for m in errors]
    RECORD.html_note = (
        f"Nu Html Checker: {len(RECORD.pages)} pages, {len(errors)} errors"
        f" (their HTML is in {RECORD.html_dir})."
    )
    if errors:
        pytest.fail(
            f"{len(errors)} HTML error(s) found by the Nu Html Checker:\n"
            + "\n".join(RECORD.html_errors),
            pytrace=False,
        )


def pytest_terminal_summary(terminalreporter):
    """List the lesser axe findings and the HTML check's outcome at the end of the run."""
    if not (RECORD.pages or RECORD.minor):
        return
    terminalreporter.section("accessibility and HTML audits")
    terminalreporter.write_line(
        f"axe-core: {len(RECORD.pages)} page views audited (WCAG 2.2 A/AA)."
    )
    if RECORD.minor:
        terminalreporter.write_line(f"{len(RECORD.minor)} minor/moderate axe finding(s):")
        for line in sorted(RECORD.minor):
            terminalreporter.write_line(f"  {line}")
    if RECORD.html_note:
        terminalreporter.write_line(RECORD.html_note)
    for line in RECORD.html_errors:
        terminalreporter.write_line(line)
