"""EXPLAIN every SQL statement of the main pages on PostgreSQL with practice-scale data.

Not a test: a check to run by hand or from CI on PostgreSQL (`make bench-explain`):

    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/agent7 \\
        .venv/bin/python benchmarks/explain_main_pages.py

It EMPTIES that database (drops the public schema), migrates it, fills it with
`seed-scale` (BENCH_SCALE, default 1.0: 2,000 couples, ~300,000 rows), runs VACUUM ANALYZE, then
requests each main page with the test client as the person who uses it, capturing the SQL
sent (a before_cursor_execute listener). Each SELECT is EXPLAINed with its own parameters.
BENCH_REUSE=1 keeps the scale data of an earlier run (made by this script: same data key).
It prints, per page, the number of statements and any sequential scan, and exits 1 when a
plan reads a large table (over BENCH_LARGE_ROWS rows, default 2,000) sequentially.
"""

import os
import re
import sys
import time
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "")
SCALE = float(os.environ.get("BENCH_SCALE", "1.0"))
LARGE_ROWS = int(os.environ.get("BENCH_LARGE_ROWS", "2000"))
SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")
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
            "ids": {"workshop": workshop.id, "couple": couple_id},
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


def seq_scans(app, statements) -> list[tuple[str, str]]:
    """(table, statement) for each sequential scan in the plans of the SELECTs."""
    from workshop.extensions import db

    found = []
    with app.app_context(), db.engine.connect() as connection:
        for statement, parameters in statements:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            plan = connection.exec_driver_sql(f"EXPLAIN {statement}", parameters).scalars()
            found += [(table, statement) for line in plan for table in SEQ_SCAN.findall(line)]
    return found


def main() -> int:
    if not DATABASE_URL.startswith("postgresql"):
        print("Set BENCH_DATABASE_URL to a PostgreSQL database this script may empty.")
        return 2
    app = build_app()
    practice_id = existing_scale_practice(app) or fresh_scale_database(app)
    people = actors(app, practice_id)
    clients = {who: logged_in_client(app, email) for who, email in people["emails"].items()}
    sizes = table_sizes(app)
    failures = 0
    for who, template in PAGES:
        url = template.format(**people["ids"])
        statements = captured_sql(app, clients[who], url)
        scans = seq_scans(app, statements)
        large = [(t, s) for t, s in scans if sizes.get(t, 0) > LARGE_ROWS]
        small = sorted({t for t, _ in scans} - {t for t, _ in large})
        print(
            f"{who:<9} {url:<40} {len(statements):>3} statements  small seq scans: {small}",
            flush=True,
        )
        for table, statement in large:
            failures += 1
            print(f"  SEQ SCAN of {table} ({sizes[table]:,} rows) in:\n    {statement}")
    print("OK: no sequential scan of a large table" if not failures else f"{failures} FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
