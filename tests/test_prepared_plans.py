"""On PostgreSQL, integers reach the server typed as the integer columns they are compared with,
so a prepared statement's one plan for any values (its generic plan) converts nothing per row
and PostgreSQL keeps reusing it (see workshop._integers_at_least_int4; `make bench-explain`
checks every main page's statements on practice-scale data)."""

import pytest
from sqlalchemy import text

from workshop.extensions import db


def type_sent(app, value: int) -> str:
    """The type PostgreSQL gives a parameter carrying `value` from the app."""
    with app.app_context():
        return db.session.execute(text("SELECT pg_typeof(:value)::text"), {"value": value}).scalar()


@pytest.fixture
def on_postgresql(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL only: SQLite has no parameter types or prepared plans")


@pytest.mark.usefixtures("on_postgresql")
@pytest.mark.parametrize("value", [0, 5, -7, 32_767, 70_000])
def test_a_small_integer_goes_as_integer_not_smallint(app, value):
    assert type_sent(app, value) == "integer"


@pytest.mark.usefixtures("on_postgresql")
def test_an_integer_beyond_integer_range_still_goes_as_bigint(app):
    assert type_sent(app, 2**40) == "bigint"
