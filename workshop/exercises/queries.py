"""Scoped reads: a counselor reads the built-in library and only the exercises they wrote."""

from flask import abort
from sqlalchemy import exists, or_, select

from workshop.extensions import db
from workshop.models import Exercise, ExerciseVersion, Stage, User


def written_by(counselor: User):
    """SQL condition: the exercise is the counselor's own (never a colleague's)."""
    return (Exercise.owner_id == counselor.id) & (Exercise.practice_id == counselor.practice_id)


def built_in():
    """SQL condition: the exercise ships with the product."""
    return Exercise.owner_id.is_(None) & Exercise.practice_id.is_(None)


def get_exercise_or_404(exercise_id: int, counselor: User) -> Exercise:
    """A built-in exercise or one of the counselor's own; anything else is a 404."""
    query = select(Exercise).where(
        Exercise.id == exercise_id, or_(built_in(), written_by(counselor))
    )
    return db.session.scalar(query) or abort(404)


def get_own_exercise_or_404(exercise_id: int, counselor: User) -> Exercise:
    """One of the counselor's own exercises (built-ins are read-only: a 404 here too)."""
    query = select(Exercise).where(Exercise.id == exercise_id, written_by(counselor))
    return db.session.scalar(query) or abort(404)


def get_field_or_404(exercise: Exercise, key: str) -> dict:
    """One question of the exercise's working copy, by key."""
    found = next((field for field in exercise.fields if field["key"] == key), None)
    return found if found is not None else abort(404)


def stages() -> list[Stage]:
    return list(db.session.scalars(select(Stage).order_by(Stage.position)))


def library_for(counselor: User) -> list[tuple[Stage, list[Exercise]]]:
    """Every stage in curriculum order with its exercises: built-ins first, then the
    counselor's own. Two statements, however many exercises there are."""
    query = (
        select(Exercise)
        .where(or_(built_in(), written_by(counselor)))
        .order_by(Exercise.owner_id.is_not(None), Exercise.id)
    )
    by_stage: dict[int, list[Exercise]] = {}
    for exercise in db.session.scalars(query):
        by_stage.setdefault(exercise.stage_id, []).append(exercise)
    return [(stage, by_stage.get(stage.id, [])) for stage in stages()]


def was_assigned(exercise: Exercise) -> bool:
    """Whether a version of the exercise was ever frozen for an assignment."""
    query = select(exists().where(ExerciseVersion.exercise_id == exercise.id))
    return bool(db.session.scalar(query))
