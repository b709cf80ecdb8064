"""`flask sync-curriculum` loads the stages and the built-in exercises, and is safe to rerun;
`seed-demo` loads them too."""

from sqlalchemy import func, select

from tests.exercises.builders import version_in
from tests.helpers import text_of
from workshop.extensions import db
from workshop.homework.library import LIBRARY
from workshop.homework.services import current_version, sync_library
from workshop.models import Exercise, Stage


def built_ins_by_stage(app) -> dict[str, int]:
    with app.app_context():
        query = (
            select(Stage.key, func.count(Exercise.id))
            .join(Exercise, Exercise.stage_id == Stage.id)
            .where(Exercise.key.is_not(None))
            .group_by(Stage.key)
        )
        return dict(db.session.execute(query).all())


def test_sync_curriculum_loads_a_built_in_exercise_for_every_stage(app, runner):
    result = runner.invoke(args=["sync-curriculum"])

    assert result.exit_code == 0, result.output
    assert f"{len(LIBRARY)} built-in exercises added or updated" in result.output
    by_stage = built_ins_by_stage(app)
    assert len(by_stage) == 12
    assert all(count >= 1 for count in by_stage.values())


def test_sync_curriculum_is_safe_to_run_twice(app, runner):
    runner.invoke(args=["sync-curriculum"])

    again = runner.invoke(args=["sync-curriculum"])

    assert again.exit_code == 0, again.output
    assert "0 stage changes, 0 built-in exercises added or updated" in again.output
    assert sum(built_ins_by_stage(app).values()) == len(LIBRARY)


def test_seed_demo_loads_the_library_too(app, runner):
    result = runner.invoke(args=["seed-demo"])

    assert result.exit_code == 0, result.output
    assert sum(built_ins_by_stage(app).values()) == len(LIBRARY)


def test_a_built_in_never_shares_its_questions_with_the_code(app):
    """Changing a loaded exercise's questions in place leaves LIBRARY (and versions) alone."""
    original = LIBRARY[0]["fields"][0]["label"]
    with app.app_context():
        sync_library()
        exercise = db.session.scalar(select(Exercise).where(Exercise.key == LIBRARY[0]["key"]))
        version = current_version(exercise)
        exercise.fields[0]["label"] = "changed in place"
        version.fields[1]["label"] = "changed in place too"
        assert exercise.fields[1]["label"] != "changed in place too"  # the version is a copy
        db.session.rollback()

    assert LIBRARY[0]["fields"][0]["label"] == original


def test_resyncing_refreshes_built_ins_but_not_the_copies_counselors_made(app, runner, counselor):
    runner.invoke(args=["sync-curriculum"])
    with app.app_context():
        builtin = db.session.scalar(select(Exercise).where(Exercise.key == LIBRARY[0]["key"]))
        builtin_id = builtin.id
    copy = counselor.post(f"/exercises/{builtin_id}/copy", token_from="/")
    copy_id = int(copy.headers["Location"].rsplit("/", 1)[1])
    edit_url = f"/exercises/{copy_id}/fields/willing/edit"
    counselor.post(
        edit_url,
        {
            "label": "My own wording",
            "scale_min": "1",
            "scale_max": "10",
            "min_label": "No",
            "max_label": "Yes",
            "version": version_in(text_of(counselor.get(edit_url))),
        },
    )

    runner.invoke(args=["sync-curriculum"])

    with app.app_context():
        assert db.session.get(Exercise, copy_id).fields[0]["label"] == "My own wording"
        assert db.session.get(Exercise, builtin_id).fields == LIBRARY[0]["fields"]
