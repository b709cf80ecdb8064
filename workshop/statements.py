"""Support for statements built once per process, with the values bound when they run.

Building a SQLAlchemy statement (and its cache key) costs about as much Python as running it,
and the main pages run the same few statements on every request, so their queries modules
build them at import. The access rules that take a counselor (`led_by`, `couples_query_for`,
...) then get COUNSELOR_AS_PARAMETERS instead of a user, and the caller binds who asks with
counselor_parameters(); the rules themselves are written once.
"""

from types import SimpleNamespace

from sqlalchemy import Row, bindparam
from sqlalchemy.engine.result import IteratorResult, SimpleResultMetaData

from workshop.extensions import db

# A stand-in for a counselor whose id and practice are bound parameters.
COUNSELOR_AS_PARAMETERS = SimpleNamespace(
    id=bindparam("counselor_id"), practice_id=bindparam("practice_id")
)
# The escape character of LIKE patterns made by like_as_typed.
LIKE_ESCAPE = "\\"


def counselor_parameters(counselor) -> dict:
    """The values COUNSELOR_AS_PARAMETERS stands for, for this counselor."""
    return {"counselor_id": counselor.id, "practice_id": counselor.practice_id}


def like_as_typed(text: str) -> str:
    """Text for a LIKE pattern (with escape=LIKE_ESCAPE) in which %, _ and the escape
    character match themselves: a search finds what was typed, not a wildcard."""
    for special in (LIKE_ESCAPE, "%", "_"):
        text = text.replace(special, LIKE_ESCAPE + special)
    return text


def plain_rows(statement, parameters: dict) -> list[Row]:
    """The rows of a statement of columns, run on the session's connection (in its
    transaction, if any) and fetched at once: the same rows as db.session.execute() gives,
    without the ORM's set-up around them. Changes pending in the session are flushed first,
    as db.session.execute() would (a no-op for the pages' reads, which follow no change).

    The main pages run the same few statements on every request, and SQLAlchemy's execution
    around the driver's (an execution context, the driver's column descriptions read anew, a
    cursor result) costs about twice the driver's own work for a page's rows: 0.1 ms a
    statement here. So a statement is compiled once (ReadyStatement) and sent to the driver's
    cursor directly, with SQLAlchemy's own parameter and result processing and its
    before/after_cursor_execute events (the query-budget tests count with them); a driver
    error goes through SQLAlchemy's handling, which also drops a broken connection."""
    db.session.flush()
    connection = db.session.connection()
    if connection._echo or connection.dialect._has_events:
        return connection.execute(statement, parameters).all()  # logging or driver hooks
    ready = _ready_statement(statement, connection.dialect)
    sql, values = ready.bound(parameters)
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        rows = _fetch_all(connection, cursor, sql, values)
        return IteratorResult(ready.metadata_for(cursor), iter(rows)).all()
    finally:
        cursor.close()


def _fetch_all(connection, cursor, sql: str, values) -> list[tuple]:
    """The driver's rows, run as SQLAlchemy's Connection runs a statement: its events before
    and after, its handling of driver errors."""
    has_events = connection._has_events or connection.engine._has_events
    try:
        if has_events:
            for listener in connection.dispatch.before_cursor_execute:
                sql, values = listener(connection, cursor, sql, values, None, False)
        cursor.execute(sql, values)
        if has_events:
            connection.dispatch.after_cursor_execute(connection, cursor, sql, values, None, False)
        return cursor.fetchall()
    except connection.dialect.loaded_dbapi.Error as error:
        connection._handle_dbapi_exception(error, sql, values, cursor, None)


class ReadyStatement:
    """A statement compiled for one kind of database, and its rows' metadata once known."""

    def __init__(self, statement, dialect):
        self.statement = statement  # kept alive: _READY is keyed by its id
        self.dialect = dialect
        self.compiled = statement.compile(dialect=dialect)
        self.metadata: SimpleResultMetaData | None = None

    def bound(self, parameters: dict) -> tuple[str, object]:
        """The SQL and the driver's parameters, as SQLAlchemy's execution context makes them:
        defaults and literal values filled in, expanding IN lists and literal_execute values
        written into the SQL, each value through its type's bind processor."""
        compiled = self.compiled
        values = compiled.construct_params(parameters, escape_names=False)
        processors = compiled._bind_processors
        if compiled.literal_execute_params or compiled.post_compile_params:
            expanded = compiled._process_parameters_for_postcompile(values)
            sql, positions = expanded.statement, expanded.positiontup
            processors = {**processors, **expanded.processors}
        else:
            sql, positions = compiled.string, compiled.positiontup

        def processed(key):
            value = values[key]
            return processors[key](value) if key in processors else value

        if compiled.positional:
            return sql, self.dialect.execute_sequence_format([processed(k) for k in positions])
        escaped = compiled.escaped_bind_names
        return sql, {escaped.get(key, key): processed(key) for key in values}

    def metadata_for(self, cursor) -> SimpleResultMetaData:
        """The rows' keys and their types' result processors, from the first run's column
        descriptions (a type's processor may depend on the type the driver reports)."""
        if self.metadata is None:
            columns = self.compiled._result_columns
            described = cursor.description
            if len(columns) != len(described):
                raise RuntimeError(f"{len(described)} columns, compiled for {len(columns)}")
            processors = [
                column[3]._cached_result_processor(self.dialect, description[1])
                for column, description in zip(columns, described, strict=True)
            ]
            keys = [column[0] for column in columns]
            self.metadata = SimpleResultMetaData(
                keys, _processors=processors if any(processors) else None
            )
        return self.metadata


# The statements compiled so far, by the statement's id and the kind of database. The pages'
# statements are built once per process; the bound keeps any built per call from piling up.
_READY: dict[tuple, ReadyStatement] = {}
_READY_LIMIT = 500


def _ready_statement(statement, dialect) -> ReadyStatement:
    key = (id(statement), type(dialect), dialect.server_version_info)
    ready = _READY.get(key)
    if ready is None or ready.statement is not statement:
        if len(_READY) >= _READY_LIMIT:
            _READY.clear()
        ready = _READY[key] = ReadyStatement(statement, dialect)
    return ready
