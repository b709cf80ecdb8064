"""A GET runs each statement on its own (no transaction: two round trips fewer per page);
a POST keeps its transaction, so what one user action writes stands or falls together."""

from sqlalchemy import select, update

from workshop.extensions import db
from workshop.models import Practice


def name_seen_elsewhere(practice_id: int) -> str:
    """The practice's name as another connection reads it (committed data only)."""
    with db.engine.connect() as other:
        return other.execute(select(Practice.name).where(Practice.id == practice_id)).scalar()


def rename(practice_id: int, name: str) -> None:
    db.session.execute(update(Practice).where(Practice.id == practice_id).values(name=name))


def test_a_get_writes_each_statement_at_once(app, world):
    with app.test_request_context("/", method="GET"):
        rename(world.practice_id, "Written by a GET")
        assert name_seen_elsewhere(world.practice_id) == "Written by a GET"
        db.session.rollback()  # nothing left to undo
        assert name_seen_elsewhere(world.practice_id) == "Written by a GET"


def test_a_post_writes_nothing_until_it_commits(app, world):
    with app.test_request_context("/", method="POST"):
        before = name_seen_elsewhere(world.practice_id)
        rename(world.practice_id, "Written by a POST")
        assert name_seen_elsewhere(world.practice_id) == before
        db.session.rollback()
        assert name_seen_elsewhere(world.practice_id) == before


def test_outside_a_request_the_session_keeps_its_transaction(app, world):
    with app.app_context():
        before = name_seen_elsewhere(world.practice_id)
        rename(world.practice_id, "Written by a command")
        assert name_seen_elsewhere(world.practice_id) == before
        db.session.rollback()
