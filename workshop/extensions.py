"""Extensions, created unbound; create_app binds them with init_app."""

import functools

from flask import g, has_request_context, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from flask_wtf.csrf import CSRFProtect
from psycopg.types.numeric import IntDumper
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Every constraint gets a predictable name, so migrations can drop it on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Requests that only read (and at most record that they did) run without a transaction.
READ_METHODS = frozenset({"GET", "HEAD"})


class Session(FlaskSession):
    """The app's database session: a GET or HEAD request runs each statement in autocommit mode.

    A transaction costs two round trips to the database on every request (BEGIN before the
    first statement, ROLLBACK when the connection returns to the pool): a large share of a page
    that reads a few rows (measured with `make bench-web`: 15-30 % more requests a second).
    PostgreSQL's default isolation (READ COMMITTED) gives each statement its own snapshot
    anyway, so a page reads the same either way. What a GET writes is one statement per fact
    (an audit event of a read, a login's last-seen time, a feed address made on the first visit,
    a new two-factor secret), never several rows that must stand or fall together: those are
    POSTs, which keep their transaction (and their single commit per user action).
    """

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        engine = super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)
        if has_request_context() and _reads_only():
            return _autocommit(engine)
        return engine


def _reads_only() -> bool:
    return request.method in READ_METHODS and not g.get("needs_transaction")


def needs_transaction(view):
    """For a GET whose reads must share one snapshot or stream through a server-side cursor
    (the audit log's CSV export): what it runs after this point runs in a transaction."""

    @functools.wraps(view)
    def in_transaction(*args, **kwargs):
        g.needs_transaction = True
        db.session.commit()  # ends the autocommit work so far: the next statement begins one
        return view(*args, **kwargs)

    return in_transaction


def _autocommit(engine):
    """The engine's autocommit twin: the same pool, the setting applied at checkout and undone
    when the connection returns."""
    twin = getattr(engine, "_autocommit_twin", None)
    if twin is None:
        twin = engine.execution_options(isolation_level="AUTOCOMMIT")
        engine._autocommit_twin = twin
    return twin


class AtLeastInt4Dumper(IntDumper):
    """psycopg's dumper of Python ints, but an int that fits smallint goes as integer: the
    columns it is compared with are integer (see workshop._integers_at_least_int4)."""

    def upgrade(self, obj: int, format):
        dumper = super().upgrade(obj, format)
        return self._int4_dumper if dumper is self._int2_dumper else dumper


db = SQLAlchemy(model_class=Base, session_options={"class_": Session})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
mail = Mail()
limiter = Limiter(key_func=get_remote_address)
