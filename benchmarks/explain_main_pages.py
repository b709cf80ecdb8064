"""EXPLAIN every SQL statement of the main pages on PostgreSQL with practice-scale data.

Not a test: a check to run by hand or from CI on PostgreSQL (`make bench-explain`):

    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/agent7 \\
        .venv/bin/python benchmarks/explain_main_pages.py

It creates that database if missing or EMPTIES it (drops the public schema), migrates it,
fills it with `seed-scale` (BENCH_SCALE, default 1.0: 2,000 couples, ~300,000 rows), runs
VACUUM ANALYZE, then requests each main page with the test client as the person who uses
it, capturing the SQL sent (a before_cursor_execute listener). BENCH_REUSE=1 keeps the scale
data of an earlier run (made by this script: same data key).

Each statement then runs as the app runs it: on one of the app's connections, prepared
(psycopg prepares a statement from its fifth run), fifteen times, and is explained as
PostgreSQL then runs it (EXPLAIN ANALYZE EXECUTE of that prepared statement: its generic plan
once PostgreSQL settled on one), in a transaction rolled back at the end. It prints, per page,
the number of statements and the tables read sequentially, and exits 1 when
- a plan reads more than BENCH_LARGE_ROWS rows (default 2,000) of a larger table
  sequentially (a scan that stops early, under a LIMIT, is printed but not counted), or
- PostgreSQL planned a statement afresh on every run instead of reusing one plan: a constant
  bound as a parameter can hide from the one plan that a partial index applies, and planning
  a page's statement on every view costs as much as running it.
"""

import os
import re
import sys
import time
from html import unescape
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "")
SCALE = float(os.environ.get("BENCH_SCALE", "1.0"))
LARGE_ROWS = int(os.environ.get("BENCH_LARGE_ROWS", "2000"))
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')

# (who, URL template): the main pages of issue 9, as the person who uses each.
PAGES = [
    ("counselor", "/"),
    ("counselor", "/agenda"),
    ("counselor", "/agenda/week"),
    ("counselor", "/workshops/"),
    ("counselor", "/workshops/{workshop}"),
    ("counselor", "/workshops/{workshop}/roster"),
    ("counselor", "/workshops/{workshop}/homework"),
    ("counselor", "/workshops/{workshop}/review?page=2"),
    ("counselor", "/couples/"),
    ("counselor", "/couples/{couple}"),
    ("counselor", "/couples/{couple}/notes"),
    ("counselor", "/workshops/{workshop}/couples/{couple}/reports"),
    ("partner", "/"),
    ("partner", "/homework"),
    ("partner", "/my/progress"),
    ("admin", "/"),
    ("admin", "/practice/audit"),
    ("admin", "/practice/audit?user={counselor}"),  # one person's events, newest first
]


def build_app():
    from workshop import create_app

    return create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": DATABASE_URL})


def fresh_scale_database(app) -> int:
    """Empty the database, migrate it, seed a practice at scale, ANALYZE; the practice id."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from workshop.curriculum.services import sync_curriculum
    from workshop.extensions import db
    from workshop.scale import ScaleSize, seed_scale

    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        upgrade(directory=str(ROOT / "migrations"))
        sync_curriculum()
        started = time.perf_counter()
        result = seed_scale(ScaleSize().scaled(SCALE))
        db.session.commit()
        print(
            f"seeded {sum(result.counts.values()):,} rows in {time.perf_counter() - started:.1f} s"
        )
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            # VACUUM too: as autovacuum would have by now, it sets the visibility map that lets
            # counts read an index alone.
            connection.execute(text("VACUUM ANALYZE"))
        return result.practice_id


def existing_scale_practice(app) -> int | None:
    """The newest practice seed-scale made, when BENCH_REUSE=1 asks to keep the data."""
    from sqlalchemy import select

    from workshop.extensions import db
    from workshop.models import Practice

    if os.environ.get("BENCH_REUSE") != "1":
        return None
    with app.app_context():
        query = select(Practice.id).where(Practice.name.like("Scale Practice %"))
        return db.session.scalar(query.order_by(Practice.id.desc()).limit(1))


def actors(app, practice_id: int) -> dict:
    """A counselor leading a running workshop, one of its couples, a partner, the admin."""
    from sqlalchemy import select

    from workshop.extensions import db
    from workshop.models import Enrollment, Role, User, Workshop

    with app.app_context():
        workshop = db.session.scalar(
            select(Workshop)
            .where(Workshop.practice_id == practice_id, Workshop.status == "active")
            .order_by(Workshop.id)
        )
        couple_id = db.session.scalar(
            select(Enrollment.couple_id).where(Enrollment.workshop_id == workshop.id).limit(1)
        )
        partner = db.session.scalar(select(User.email).where(User.couple_id == couple_id))
        admin = db.session.scalar(
            select(User.email).where(User.practice_id == practice_id, User.role == Role.ADMIN)
        )
        return {
            "emails": {"counselor": workshop.lead.email, "partner": partner, "admin": admin},
            "ids": {"workshop": workshop.id, "couple": couple_id, "counselor": workshop.lead_id},
        }


def logged_in_client(app, email: str):
    from workshop.scale import SCALE_PASSWORD

    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = unescape(CSRF_META.search(page).group(1))
    response = client.post(
        "/login", data={"email": email, "password": SCALE_PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, f"login failed for {email}"
    return client


def captured_sql(app, client, url: str) -> list[tuple[str, object]]:
    from sqlalchemy import event

    from workshop.extensions import db

    statements = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if not executemany:
            statements.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    client.get(url)  # warm up: the first visit may refresh the login's last-seen time
    event.listen(engine, "before_cursor_execute", capture)
    try:
        status = client.get(url).status_code
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert status == 200, f"{url} answered {status}"
    return statements


def table_sizes(app) -> dict[str, int]:
    from sqlalchemy import text

    from workshop.extensions import db

    with app.app_context(), db.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r'")
        )
        return {name: int(count) for name, count in rows}


# Runs of a statement on one connection before its plan is read: psycopg prepares it on the
# fifth, and PostgreSQL makes five custom plans before it weighs a generic one.
RUNS_BEFORE_EXPLAINING = 15
PARAMETER = re.compile(r"%\((\w+)\)s")


class Checked(NamedTuple):
    statement: str
    generic: bool  # PostgreSQL ran it with one plan for any values, not planned each time
    scans: list[tuple[str, int]]  # (table, rows read) of each sequential scan


def checked_statements(app, statements) -> list[Checked]:
    """Each SELECT (or WITH) statement run and explained as the app runs it (see above)."""
    from workshop.extensions import db

    with app.app_context():
        engine = db.engine
    checked = []
    for statement, parameters in statements:
        if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        raw = engine.raw_connection()
        try:
            checked.append(_run_and_explain(raw.driver_connection, statement, parameters))
            raw.rollback()
        finally:
            raw.close()
    return checked


def _run_and_explain(connection, statement: str, parameters: dict) -> Checked:
    for _ in range(RUNS_BEFORE_EXPLAINING):
        connection.execute(statement, parameters, prepare=True).fetchall()
    # Found by its text, as psycopg sent it: a pooled connection holds the statements the
    # pages ran before, so the one prepared last need not be this one.
    names = list(dict.fromkeys(PARAMETER.findall(statement)))
    name, generic_plans = connection.execute(
        "SELECT name, generic_plans FROM pg_prepared_statements WHERE statement = %s",
        (_as_sent(statement, names),),
    ).fetchone()
    arguments = _arguments(connection, names, parameters)
    (plan,) = connection.execute(
        f"EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE {name}{arguments}"
    ).fetchone()[0]
    return Checked(statement, generic_plans > 0, list(_sequential_scans(plan["Plan"])))


def _as_sent(statement: str, names: list[str]) -> str:
    """The statement as psycopg sends it: $1 for the first parameter name met, and so on."""
    numbered = PARAMETER.sub(lambda found: f"${names.index(found.group(1)) + 1}", statement)
    return numbered.replace("%%", "%")


def _arguments(connection, names: list[str], parameters: dict) -> str:
    """EXECUTE's arguments: the values in the order of _as_sent's numbers."""
    from psycopg.sql import Literal

    if not names:
        return ""
    return "(" + ", ".join(Literal(parameters[n]).as_string(connection) for n in names) + ")"


def _sequential_scans(node: dict):
    """(table, rows read) of each sequential scan in a JSON plan: the rows it returned and
    those its filter threw away, on every loop."""
    if node["Node Type"] == "Seq Scan":
        read = node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
        yield node["Relation Name"], int(read * node["Actual Loops"])
    for child in node.get("Plans", []):
        yield from _sequential_scans(child)


def main() -> int:
    if not DATABASE_URL.startswith("postgresql"):
        print("Set BENCH_DATABASE_URL to a PostgreSQL database this script may empty.")
        return 2
    from benchmarks.bench_web import create_database_if_missing

    create_database_if_missing(DATABASE_URL)
    app = build_app()
    practice_id = existing_scale_practice(app) or fresh_scale_database(app)
    people = actors(app, practice_id)
    clients = {who: logged_in_client(app, email) for who, email in people["emails"].items()}
    sizes = table_sizes(app)
    failures = 0
    for who, template in PAGES:
        url = template.format(**people["ids"])
        statements = captured_sql(app, clients[who], url)
        checked = checked_statements(app, statements)
        scans = {table for check in checked for table, _ in check.scans}
        print(f"{who:<9} {url:<40} {len(statements):>3} statements  seq scans: {sorted(scans)}")
        for check in checked:
            failures += _report(check, sizes)
    ok = "OK: no plan reads a large table sequentially; every statement keeps its prepared plan"
    print(ok if not failures else f"{failures} FAILED", flush=True)
    return 1 if failures else 0


def _report(check: Checked, sizes: dict[str, int]) -> int:
    """Print what is wrong with a statement's plan (or worth knowing); how many faults."""
    faults = 0
    for table, read in check.scans:
        if sizes.get(table, 0) <= LARGE_ROWS:
            continue
        if read > LARGE_ROWS:
            faults += 1
            print(f"  SEQ SCAN read {read:,} of {table}'s {sizes[table]:,} rows in:")
            print(f"    {check.statement}")
        else:
            print(f"  (a scan of {table} that stopped after {read:,} of {sizes[table]:,} rows)")
    if not check.generic:
        faults += 1
        print(f"  PLANNED ON EVERY RUN (no generic plan once prepared):\n    {check.statement}")
    return faults


if __name__ == "__main__":
    sys.exit(main())
