"""Exercises built straight in the database for the library tests. Every function opens its
own app context and hands back plain data (ids, dicts)."""

import re
from dataclasses import dataclass

from sqlalchemy import func, select

from tests.workshops.builders import Builder, in_days, user_id
from workshop.extensions import db
from workshop.homework.services import current_version
from workshop.models import Assignment, Exercise, ExerciseVersion, Stage, User

VERSION_INPUT = re.compile(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"')


def yes_no(key: str = "ok", label: str = "Did it help?") -> dict:
    return {"key": key, "type": "yes_no", "label": label, "help": "", "required": True}


def scale(key: str = "trust_now", **settings) -> dict:
    field = {
        "key": key,
        "type": "scale",
        "label": "How much do I trust?",
        "help": "",
        "required": True,
        "min": 1,
        "max": 10,
        "min_label": "Not at all",
        "max_label": "Completely",
        "measure": "trust",
    }
    return {**field, **settings}


@dataclass
class ExerciseBuilder:
    """Own exercises, built-in ones, versions and assignments in one line each."""

    app: object
    world: object

    def own(
        self,
        owner: str | None = None,
        title: str = "Weekly walk",
        *,
        stage: str = "readiness",
        fields: list[dict] | None = None,
        **columns,
    ) -> int:
        """An exercise written by `owner` (default: the world's counselor)."""
        with self.app.app_context():
            owner_user = db.session.get(User, user_id(owner or self.world.counselor))
            exercise = Exercise(
                practice_id=owner_user.practice_id,
                owner_id=owner_user.id,
                stage_id=stage_id(stage),
                title=title,
                fields=fields if fields is not None else [yes_no()],
                **columns,
            )
            db.session.add(exercise)
            db.session.commit()
            return exercise.id

    def built_in(self, key: str) -> int:
        with self.app.app_context():
            return db.session.scalar(select(Exercise.id).where(Exercise.key == key))

    def read(self, exercise_id: int) -> dict | None:
        """The exercise's columns, or None when it is gone."""
        with self.app.app_context():
            exercise = db.session.get(Exercise, exercise_id)
            if exercise is None:
                return None
            names = (
                "practice_id",
                "owner_id",
                "key",
                "stage_id",
                "title",
                "instructions",
                "mode",
                "visibility",
                "is_safety_check",
                "fields",
                "version",
            )
            return {name: getattr(exercise, name) for name in names}

    def count(self) -> int:
        with self.app.app_context():
            return db.session.scalar(select(func.count(Exercise.id)))

    def assign(self, exercise_id: int) -> int:
        """Give the exercise's current version to the world's couple; the assignment's id."""
        workshop = Builder(self.app, self.world).workshop(couples=(self.world.couple_id,))
        with self.app.app_context():
            version = current_version(db.session.get(Exercise, exercise_id))
            assignment = Assignment(
                workshop_id=workshop.id,
                couple_id=self.world.couple_id,
                exercise_version=version,
                opens_at=in_days(-1),
                due_at=in_days(6),
                assigned_by_id=user_id(self.world.counselor),
            )
            db.session.add(assignment)
            db.session.commit()
            return assignment.id

    def given_version(self, assignment_id: int) -> dict:
        """The frozen version an assignment points at."""
        with self.app.app_context():
            version = db.session.get(Assignment, assignment_id).exercise_version
            names = ("id", "number", "title", "instructions", "mode", "visibility", "fields")
            return {name: getattr(version, name) for name in names}

    def versions(self, exercise_id: int) -> int:
        with self.app.app_context():
            query = select(func.count(ExerciseVersion.id)).where(
                ExerciseVersion.exercise_id == exercise_id
            )
            return db.session.scalar(query)


def stage_id(key: str) -> int:
    return db.session.scalar(select(Stage.id).where(Stage.key == key))


def version_in(page: str) -> str:
    """The version a form page carries in its hidden field."""
    found = VERSION_INPUT.search(page)
    assert found, "no version field on the page"
    return found.group(1) or found.group(2)
