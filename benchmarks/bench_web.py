"""The web benchmark (`make bench-web`): the main pages against the framework's floor.

Not a test. It serves the app exactly as production does (README, "Serving in production"):
gunicorn with the config module `workshop.gunicorn_config` (several workers, --preload), on
PostgreSQL, with Redis for the rate limits, WORKSHOP_ENV=production. Then it logs in a counselor,
a partner and the practice's admin (one successful login each: the login limits count failures
only, so they never get in the way) and loads every main page with wrk, 16 connections, in
rounds: each round loads `/healthz/live` (a route that touches no database: the floor) for a
few seconds, then the page. This machine's speed drifts within seconds, so each round's
page is compared with the floor measured right before it, and a page's ratio is the median
of its rounds' ratios.

Per page it prints requests/s, p50 and p99 latency (over all the requests of its rounds) and
the ratio to the floor, and flags a page below 0.2 of the floor or with p99 at
or above 100 ms (exit 1).

    DATABASE_URL   PostgreSQL database to use (default .../workshop_bench, created if missing).
                   Migrated; seeded with `seed-scale` once, when it holds no scale practice.
    REDIS_URL      Redis for the rate limits (default redis://127.0.0.1:6379/0).
    REFERENCE_DATABASE_URL  the yardstick's database (benchmarks/reference_app.py; default
                   .../workshop_bench_reference, created and filled if missing).
    BENCH_SCALE    `seed-scale --scale` for a first seeding (default 1.0: 2,000 couples).
    BENCH_ROUNDS   rounds per page (default 3); BENCH_CONNECTIONS (default 16).
    BENCH_SECONDS  load time of the page in a round (default 4).
    BENCH_FLOOR_SECONDS  load time of the floor before it (default 2).
    BENCH_PAGES    only the pages whose label contains one of these comma-separated words
                   (e.g. "grid,audit"); all pages by default.
    WEB_CONCURRENCY and the other gunicorn settings: as in production.
"""

import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = ROOT / ".venv" / "bin"

DATABASE_URL = os.environ.get(
    "DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/workshop_bench"
)
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
SCALE = os.environ.get("BENCH_SCALE", "1.0")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "4"))
FLOOR_SECONDS = int(os.environ.get("BENCH_FLOOR_SECONDS", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
WRK = os.environ.get("WRK", shutil.which("wrk") or "/usr/bin/wrk")
FLOOR_RATIO = 0.2
P99_LIMIT_MS = 100.0
# Benchmark-only keys: the benchmark database holds generated people, and its encrypted columns
# must stay readable from one run to the next (set DATA_ENCRYPTION_KEY to use another).
BENCH_SECRET_KEY = "benchmark-only-secret-key"  # noqa: S105 - never a production secret
BENCH_DATA_KEY = "YmVuY2htYXJrLW9ubHktZGF0YS1rZXktMDEyMzQ1Njc="  # base64 of 32 ASCII bytes
COOKIE = "workshop_session"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')

FLOOR = ("anonymous", "liveness probe (floor)", "/healthz/live")
# The same route with a counselor's cookie: what checking a login costs before any page starts
# (shown for reference, not a page, not flagged).
LOGGED_IN_FLOOR = ("counselor", "liveness probe, logged in", "/healthz/live")
# The yardstick: a bare Flask-SQLAlchemy page listing 50 rows, "about 0.26" of the floor
# where the issue was written (benchmarks/reference_app.py; its own server, the same settings).
REFERENCE = ("anonymous", "bare Flask-SQLAlchemy, 50 rows", "/rows")
REFERENCE_DATABASE_URL = os.environ.get(
    "REFERENCE_DATABASE_URL", DATABASE_URL.rsplit("/", 1)[0] + "/workshop_bench_reference"
)
# (who, label, URL template): issue 9's main pages, each as the person who uses it.
PAGES = [
    ("counselor", "counselor home", "/"),
    ("counselor", "agenda", "/agenda"),
    ("counselor", "workshop page", "/workshops/{workshop}"),
    ("counselor", "roster", "/workshops/{workshop}/roster"),
    ("counselor", "homework grid", "/workshops/{workshop}/homework"),
    ("counselor", "review queue", "/workshops/{workshop}/review"),
    ("counselor", "review queue, page 2", "/workshops/{workshop}/review?page=2"),
    ("counselor", "couple page", "/couples/{couple}"),
    ("counselor", "couple progress + reports", "/workshops/{workshop}/couples/{couple}/reports"),
    ("counselor", "notes timeline", "/couples/{couple}/notes"),
    ("partner", "partner home", "/"),
    ("partner", "partner assignments", "/homework"),
    ("partner", "partner progress", "/my/progress"),
    ("admin", "audit log", "/practice/audit"),
]


def chosen_pages() -> list[tuple[str, str, str]]:
    """PAGES, or those whose label contains one of BENCH_PAGES' words."""
    words = [w.strip() for w in os.environ.get("BENCH_PAGES", "").split(",") if w.strip()]
    if not words:
        return PAGES
    return [page for page in PAGES if any(word in page[1] for word in words)]


def environment(port: int) -> dict:
    """The production environment the server (and the set-up commands) run with."""
    return os.environ | {
        "WORKSHOP_ENV": "production",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": os.environ.get("SECRET_KEY", BENCH_SECRET_KEY),
        "DATA_ENCRYPTION_KEY": os.environ.get("DATA_ENCRYPTION_KEY", BENCH_DATA_KEY),
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }


# --- the database ------------------------------------------------------------------------------


def prepare_database(env: dict) -> None:
    """Create the database if missing, migrate it, seed a scale practice once, VACUUM ANALYZE."""
    create_database_if_missing(DATABASE_URL)
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], env=env, cwd=ROOT, check=True)  # noqa: S603
    if scale_practice(env) is None:
        print(f"Seeding a practice at scale {SCALE} (once per database)...", flush=True)
        seed = [*flask, "seed-scale", "--scale", SCALE]
        subprocess.run(seed, env=env, cwd=ROOT, check=True)  # noqa: S603
    analyze(DATABASE_URL)


def _psycopg_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def create_database_if_missing(url: str) -> None:
    import psycopg

    base, _, name = _psycopg_url(url).rpartition("/")
    name = name.split("?")[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if found.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


def analyze(url: str) -> None:
    """Fresh statistics, and the dead rows of earlier runs' writes (audit events, logins)
    cleared: where autovacuum is off, index scans otherwise wade through them."""
    import psycopg

    with psycopg.connect(_psycopg_url(url), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def scale_practice(env: dict) -> dict | None:
    """The newest scale practice: the emails to log in with and the ids the pages need."""
    import psycopg

    with psycopg.connect(_psycopg_url(DATABASE_URL)) as connection:
        row = connection.execute(
            "SELECT id FROM practice WHERE name LIKE 'Scale Practice %' ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        return _actors(connection, row[0])


def _actors(connection, practice_id: int) -> dict:
    """A counselor leading a running workshop with submissions waiting, one of its couples,
    a partner of that couple, and the admin."""
    workshop_id, counselor = connection.execute(
        'SELECT w.id, u.email FROM workshop w JOIN "user" u ON u.id = w.lead_id'
        " WHERE w.practice_id = %s AND w.status = 'active' ORDER BY w.id LIMIT 1",
        (practice_id,),
    ).fetchone()
    (couple_id,) = connection.execute(
        "SELECT couple_id FROM enrollment WHERE workshop_id = %s ORDER BY couple_id LIMIT 1",
        (workshop_id,),
    ).fetchone()
    (partner,) = connection.execute(
        'SELECT email FROM "user" WHERE couple_id = %s ORDER BY id LIMIT 1', (couple_id,)
    ).fetchone()
    (admin,) = connection.execute(
        "SELECT email FROM \"user\" WHERE practice_id = %s AND role = 'admin' LIMIT 1",
        (practice_id,),
    ).fetchone()
    return {
        "emails": {"counselor": counselor, "partner": partner, "admin": admin},
        "ids": {"workshop": workshop_id, "couple": couple_id},
    }


# --- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


APP_SERVER = ["-c", "python:workshop.gunicorn_config", "wsgi:app"]
REFERENCE_SERVER = ["-c", "python:benchmarks.reference_gunicorn", "benchmarks.reference_app:app"]


def start_gunicorn(env: dict, port: int, arguments=APP_SERVER, ready="/healthz/live"):
    """gunicorn exactly as production starts it (README), in its own process group; or, with
    REFERENCE_SERVER, the yardstick app under the same settings."""
    command = [str(BIN / "gunicorn"), *arguments]
    server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            if request(port, "GET", ready)[0] == 200:
                return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    raise SystemExit(f"gunicorn did not answer {ready} within 60 s")


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def request(port: int, method: str, path: str, cookie: str = "", body: dict | None = None):
    """(status, headers, text) of one request; redirects are not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": f"{COOKIE}={cookie}"} if cookie else {}
    data = None
    if body is not None:
        data = urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read().decode(errors="replace")
    finally:
        connection.close()


def session_cookie(headers) -> str | None:
    for name, value in headers:
        if name.lower() == "set-cookie" and value.startswith(f"{COOKIE}="):
            return value.split(";", 1)[0].split("=", 1)[1]
    return None


def log_in(port: int, email: str, password: str) -> str:
    """A logged-in session cookie as a browser holds it after its first page: the login
    form's CSRF token, the credentials, then the home page the login leads to.

    A login starts a fresh session, so the first page that shows a form adds a new CSRF
    secret to the cookie; a browser keeps that cookie, and no later page changes it. wrk
    sends one cookie over and over: the cookie of the login itself would make every request
    mint a secret and sign a new cookie, work no real visitor's request does."""
    status, headers, page = request(port, "GET", "/login")
    cookie = session_cookie(headers)
    token = unescape(CSRF_META.search(page).group(1))
    form = {"email": email, "password": password, "csrf_token": token}
    status, headers, _ = request(port, "POST", "/login", cookie, form)
    if status != 302:
        raise SystemExit(f"login as {email} answered {status}, not a redirect")
    cookie = session_cookie(headers) or cookie
    status, headers, _ = request(port, "GET", "/", cookie)
    if status != 200:
        raise SystemExit(f"the home page after logging in as {email} answered {status}")
    return session_cookie(headers) or cookie


# --- load ------------------------------------------------------------------------------------


@dataclass
class Result:
    label: str
    url: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: str
    # How many requests took each latency (in microseconds), from LATENCY_SCRIPT.
    latencies: Counter = field(default_factory=Counter)
    # The mean of the floors measured before the rounds, and the median of the rounds'
    # rates over the floor right before each (see in_rounds).
    floor: float = 0.0
    ratio: float = 0.0


# wrk prints every latency it recorded with this script: rounds merge them (see in_rounds).
LATENCY_SCRIPT = ROOT / "benchmarks" / "latency_histogram.lua"
LATENCY_LINE = re.compile(r"^latency_us (\d+) (\d+)$", re.MULTILINE)


def percentile_ms(latencies: Counter, percent: float) -> float:
    """The latency under which `percent` % of the requests finished, in milliseconds."""
    wanted = percent / 100 * latencies.total()
    seen = 0
    for microseconds, count in sorted(latencies.items()):
        seen += count
        if seen >= wanted:
            return microseconds / 1000
    return 0.0


def load(port: int, label: str, path: str, cookie: str, seconds: int = SECONDS) -> Result:
    """wrk on one URL: CONNECTIONS connections on 2 threads for `seconds` seconds."""
    command = [WRK, "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "-s", str(LATENCY_SCRIPT)]
    if cookie:
        command += ["-H", f"Cookie: {COOKIE}={cookie}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    problems = re.findall(r"(Non-2xx or 3xx responses: \d+|Socket errors: [^\n]+)", output)
    latencies = Counter({int(us): int(count) for us, count in LATENCY_LINE.findall(output)})
    return Result(
        label,
        path,
        rate,
        percentile_ms(latencies, 50),
        percentile_ms(latencies, 99),
        "; ".join(problems),
        latencies,
    )


@contextmanager
def reference_server():
    """The yardstick app on its own gunicorn (the app's server stays up, idle); its port."""
    create_database_if_missing(REFERENCE_DATABASE_URL)
    port = free_port()
    env = os.environ | {
        "REFERENCE_DATABASE_URL": REFERENCE_DATABASE_URL,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }
    server = start_gunicorn(env, port, REFERENCE_SERVER, ready=REFERENCE[2])
    try:
        yield port
    finally:
        stop(server)


def in_rounds(port: int, measure: Callable[[], Result]) -> Result:
    """ROUNDS rounds of the floor for FLOOR_SECONDS, then `measure()`; one result for all.

    This machine's speed drifts by a quarter within a run, and within seconds: a floor
    measured at a run's ends put the ratios off by as much, and even one measured right
    before a 10-second row drifted during it (1,178 to 2,122 requests a second in one run).
    The median of short rounds, each against the floor right before it, keeps one slow or
    fast moment from deciding a page's figure."""
    pairs = []
    for _ in range(ROUNDS):
        floor = load(port, FLOOR[1], FLOOR[2], "", FLOOR_SECONDS)
        pairs.append((floor.requests_per_second, measure()))
    pages = [page for _, page in pairs]
    latencies = sum((page.latencies for page in pages), Counter())
    return Result(
        pages[0].label,
        pages[0].url,
        statistics.mean(page.requests_per_second for page in pages),
        percentile_ms(latencies, 50),
        percentile_ms(latencies, 99),
        "; ".join(page.errors for page in pages if page.errors),
        latencies,
        floor=statistics.mean(floor for floor, _ in pairs),
        ratio=statistics.median(page.requests_per_second / floor for floor, page in pairs),
    )


def check_page(port: int, path: str, cookie: str) -> None:
    """Refuse to time a page that does not answer 200 (a redirect to the login is fast), or
    that sends a new session cookie to a browser already holding its cookie (every request
    of the load would sign one: see log_in)."""
    status, headers, _ = request(port, "GET", path, cookie)
    if status != 200:
        raise SystemExit(f"{path} answered {status} before the load: nothing to measure")
    if session_cookie(headers) is not None:
        raise SystemExit(f"{path} sets a new session cookie on a repeated visit")


def flags(result: Result) -> list[str]:
    found = []
    if result.ratio < FLOOR_RATIO:
        found.append(f"below {FLOOR_RATIO} of the floor")
    if result.p99_ms >= P99_LIMIT_MS:
        found.append(f"p99 >= {P99_LIMIT_MS:.0f} ms")
    if result.errors:
        found.append(result.errors)
    return found


def floor_row(measured: list[Result]) -> Result:
    """The floor's row: the mean of the floors measured in the rounds, their spread printed."""
    rates = [result.floor for result in measured]
    mean = statistics.mean(rates)
    print(
        f"\nfloor measured before each of {ROUNDS} rounds of each row: row means {min(rates):.1f}"
        f" to {max(rates):.1f} req/s (mean {mean:.1f}); each round's page is compared with the"
        " floor right before it"
    )
    return Result(FLOOR[1], FLOOR[2], mean, 0.0, 0.0, "", floor=mean, ratio=1.0)


def print_table(results: list[Result], logged_in: Result, yardstick: Result) -> int:
    """The table. The floor, the logged-in floor and the yardstick are shown, never flagged.
    ÷floor is the median over a row's rounds of its rate over the floor measured right before
    it; ÷bare is a row's ÷floor over the yardstick's: the issue's target (0.2 of the floor,
    where its bare page made 0.26) is about 0.77 of it, whatever this machine's balance
    between the framework and the database."""
    floor = floor_row([logged_in, yardstick, *results])
    bare = yardstick.ratio
    header = f"{'page':<31} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'÷floor':>7} {'÷bare':>6}"
    print(f"\n{header}  flags")
    flagged = 0
    references = [floor, logged_in, yardstick]
    for result in [*references, *results]:
        rate = result.requests_per_second
        reference = any(result is shown for shown in references)
        found = [] if reference else flags(result)
        flagged += bool(found)
        latency = "" if result is floor else f"{result.p50_ms:>8.1f} {result.p99_ms:>8.1f}"
        print(
            f"{result.label:<31} {rate:>8.1f} {latency:>17}"
            f" {result.ratio:>7.3f}"
            f" {result.ratio / bare:>6.2f}  {', '.join(found)}"
        )
    return flagged


def describe_setup(env: dict) -> None:
    from workshop import gunicorn_config

    workers = env.get("WEB_CONCURRENCY") or gunicorn_config.workers
    database = DATABASE_URL.rsplit("/", 1)[1]
    print(
        f"gunicorn -c python:workshop.gunicorn_config wsgi:app: {workers} workers"
        f" x {gunicorn_config.threads} thread, preload; PostgreSQL {database};"
        f" Redis rate limits; wrk {CONNECTIONS} connections; per page {ROUNDS} rounds of the"
        f" floor {FLOOR_SECONDS} s, then the page {SECONDS} s;"
        f" {os.cpu_count()} CPUs"
    )


def main() -> int:
    from workshop.scale import SCALE_PASSWORD

    if not DATABASE_URL.startswith("postgresql"):
        print("DATABASE_URL must name a PostgreSQL database (production runs on PostgreSQL).")
        return 2
    port = free_port()
    env = environment(port)
    prepare_database(env)
    people = scale_practice(env)
    describe_setup(env)
    server = start_gunicorn(env, port)
    try:
        cookies = {"anonymous": ""}
        cookies |= {
            who: log_in(port, email, SCALE_PASSWORD) for who, email in people["emails"].items()
        }
        _, label, path = LOGGED_IN_FLOOR
        logged_in = in_rounds(port, partial(load, port, label, path, cookies["counselor"]))
        with reference_server() as reference_port:
            _, label, path = REFERENCE
            yardstick = in_rounds(port, partial(load, reference_port, label, path, ""))
        results = []
        for who, label, template in chosen_pages():
            path = template.format(**people["ids"])
            check_page(port, path, cookies[who])
            results.append(in_rounds(port, partial(load, port, label, path, cookies[who])))
            print(f"  {label}: {results[-1].requests_per_second:.1f} req/s", flush=True)
    finally:
        stop(server)
    flagged = print_table(results, logged_in, yardstick)
    target = f"target: >= {FLOOR_RATIO} of the floor and p99 < {P99_LIMIT_MS:.0f} ms"
    print(
        f"\n{flagged} page(s) flagged ({target})" if flagged else f"\nAll pages meet the {target}"
    )
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
