"""Support for statements built once per process, with the values bound when they run.

Building a SQLAlchemy statement (and its cache key) costs about as much Python as running it,
and the main pages run the same few statements on every request, so their queries modules
build them at import. The access rules that take a counselor (`led_by`, `couples_query_for`,
...) then get COUNSELOR_AS_PARAMETERS instead of a user, and the caller binds who asks with
counselor_parameters(); the rules themselves are written once.
"""

from types import SimpleNamespace

from sqlalchemy import Row, bindparam

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
    """The rows of a statement of columns, run by Core on the session's connection (in its
    transaction, if any): the same rows as db.session.execute(), without the ORM's set-up and
    result handling around them (about 0.05 ms a statement, more for hundreds of rows), and
    fetched at once. Nothing is flushed first: for the pages' reads, which follow no change of
    their own."""
    return db.session.connection().execute(statement, parameters).all()
