"""The issue's yardstick for `make bench-web`: a bare Flask-SQLAlchemy page listing 50 rows.

Issue 9 sets the pages' target (0.2 of the floor) beside this figure: "a bare Flask-SQLAlchemy
page listing 50 rows reaches about 0.26 here". The benchmark serves this app with the same
gunicorn settings as the real one and loads it in the same run, so the yardstick is measured on
the machine at hand, not taken on trust. Nothing else in the repository imports it.

Bare means: Flask, Flask-SQLAlchemy with its default engine options, one model, one query of 50
rows, one small Jinja template. No login, no CSRF, no security headers, no rate limits.
Its own database (REFERENCE_DATABASE_URL), 1,000 rows, created and filled on first use.
"""

import os
from datetime import datetime, timedelta

from flask import Flask, render_template_string
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import String, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ROWS = 1000
SHOWN = 50

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Rows</title></head>
<body><h1>Rows</h1>
<table><thead><tr><th>#</th><th>Name</th><th>Email</th><th>Created</th></tr></thead><tbody>
{% for row in rows %}<tr><td>{{ row.id }}</td><td>{{ row.name }}</td><td>{{ row.email }}</td>
<td>{{ row.created_at.strftime("%d %b %Y") }}</td></tr>
{% endfor %}</tbody></table></body></html>"""


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class ReferenceRow(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["REFERENCE_DATABASE_URL"]
    db.init_app(app)

    @app.get("/rows")
    def list_rows():
        rows = db.session.scalars(select(ReferenceRow).order_by(ReferenceRow.id).limit(SHOWN))
        return render_template_string(PAGE, rows=rows)

    with app.app_context():
        fill_once()
    return app


def fill_once() -> None:
    """The table and its 1,000 rows, on first use."""
    db.create_all()
    if db.session.scalar(select(func.count()).select_from(ReferenceRow)):
        return
    start = datetime(2024, 1, 1)  # noqa: DTZ001 - a naive column, as in a bare app
    db.session.add_all(
        ReferenceRow(
            name=f"Person {n}", email=f"person{n}@example.test", created_at=start + timedelta(n)
        )
        for n in range(1, ROWS + 1)
    )
    db.session.commit()


app = create_app()
