"""Two saves of one exercise at the same moment: the version check in SQL refuses the later
one as a stale edit (never a 500), and the counselor is told nothing changed."""

import pytest
from sqlalchemy import text

from tests.exercises.builders import yes_no
from tests.helpers import text_of
from workshop.exercises import services
from workshop.extensions import db
from workshop.models import Exercise


def bump_version_elsewhere(exercise_id: int) -> None:
    """Another request saves the exercise after this one loaded it."""
    with db.engine.begin() as connection:
        connection.execute(
            text("UPDATE exercise SET version = version + 1 WHERE id = :id"), {"id": exercise_id}
        )


@pytest.mark.parametrize(
    "change",
    [
        lambda e: services.move_field(e, "a", "down"),
        lambda e: services.remove_field(e, "a"),
        lambda e: services.add_field(e, "yes_no", {"label": "New?", "required": True}, e.version),
        lambda e: services.update_field(e, "a", {"label": "Re?"}, e.version),
    ],
)
def test_a_save_that_races_another_is_a_stale_edit(app, exercises, change):
    exercise_id = exercises.own(fields=[yes_no("a"), yes_no("b")])
    with app.app_context():
        exercise = db.session.get(Exercise, exercise_id)
        bump_version_elsewhere(exercise_id)

        with pytest.raises(services.StaleEdit):
            change(exercise)
        db.session.rollback()

    assert [f["key"] for f in exercises.read(exercise_id)["fields"]] == ["a", "b"]


@pytest.mark.parametrize(
    ("action", "name"), [("move/down", "move_field"), ("delete", "remove_field")]
)
def test_a_raced_move_or_removal_says_nothing_changed(
    counselor, exercises, monkeypatch, action, name
):
    exercise_id = exercises.own(fields=[yes_no("a"), yes_no("b")])

    def raced(*args):
        raise services.StaleEdit

    monkeypatch.setattr(services, name, raced)

    response = counselor.post(
        f"/exercises/{exercise_id}/fields/a/{action}", token_from="/", follow_redirects=True
    )

    assert response.status_code == 200
    assert "saved elsewhere at the same moment, so nothing was changed" in text_of(response)
