"""Rules for the exercise library: counselors' own exercises and their questions.

Every change is made on the exercise's working copy. Assigning freezes a version
(workshop.homework.services.current_version), so nothing here ever changes what a couple was
given. `fields` is a JSON column: it is always replaced by a new list, never changed in place,
or SQLAlchemy would not notice the change.
"""

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from workshop.exercises.queries import was_assigned
from workshop.extensions import db
from workshop.models import AnswerMode, Exercise, User, Visibility, utcnow

MAX_FIELDS = 30
KEY_LENGTH = 40
COPY_SUFFIX = " (my copy)"
TITLE_LENGTH = 120


class StaleEdit(Exception):
    """The exercise was saved elsewhere (another tab) after this form was opened."""


class AlreadyAssigned(Exception):
    """The exercise was given to couples: their answers depend on it, so it stays."""


class TooManyFields(Exception):
    """The exercise already asks as many questions as an exercise may."""


class SafetyCheckShared(Exception):
    """A safety check-in must be answered alone and never shown to the other partner."""


@dataclass
class ExerciseDetails:
    """What the exercise form edits."""

    title: str
    stage_id: int
    instructions: str
    mode: str
    visibility: str


def create_exercise(counselor: User, details: ExerciseDetails) -> Exercise:
    """A new exercise of the counselor's own, with no questions yet."""
    exercise = Exercise(practice_id=counselor.practice_id, owner_id=counselor.id, fields=[])
    _apply(exercise, details)
    db.session.add(exercise)
    db.session.flush()
    return exercise


def update_exercise(exercise: Exercise, details: ExerciseDetails, seen_version: int) -> None:
    """Save an edit made on the version the form showed; refuse if it was saved since."""
    check_version(exercise, seen_version)
    _apply(exercise, details)
    _save(exercise)


def check_privacy(is_safety_check: bool, mode: str, visibility: str) -> None:
    """A safety check-in is answered by each partner alone, and stays private."""
    if is_safety_check and (mode != AnswerMode.INDIVIDUAL or visibility != Visibility.PRIVATE):
        raise SafetyCheckShared


def copy_exercise(exercise: Exercise, counselor: User) -> Exercise:
    """The counselor's own editable copy of a built-in (or of one of their own)."""
    title = exercise.title[: TITLE_LENGTH - len(COPY_SUFFIX)] + COPY_SUFFIX
    copy = Exercise(
        practice_id=counselor.practice_id,
        owner_id=counselor.id,
        stage_id=exercise.stage_id,
        title=title,
        instructions=exercise.instructions,
        mode=exercise.mode,
        visibility=exercise.visibility,
        is_safety_check=exercise.is_safety_check,
        fields=[dict(field) for field in exercise.fields],
    )
    db.session.add(copy)
    db.session.flush()
    return copy


def delete_exercise(exercise: Exercise) -> None:
    """Delete an exercise that was never assigned; an assigned one stays (AlreadyAssigned)."""
    if was_assigned(exercise):
        raise AlreadyAssigned
    db.session.delete(exercise)
    try:
        db.session.flush()
    except IntegrityError as raced:
        # Another request assigned it between the check above and this delete (the view
        # rolls back).
        raise AlreadyAssigned from raced


# --- questions ---------------------------------------------------------------------------------


def add_field(exercise: Exercise, field_type: str, spec: dict, seen_version: int) -> dict:
    """Append a question of `field_type`; its key is made from the label, unique here."""
    check_version(exercise, seen_version)
    if len(exercise.fields) >= MAX_FIELDS:
        raise TooManyFields
    field = _cleaned({"key": new_key(spec["label"], exercise.fields), "type": field_type, **spec})
    _set_fields(exercise, [*exercise.fields, field])
    return field


def update_field(exercise: Exercise, key: str, spec: dict, seen_version: int) -> None:
    """Change a question's wording and settings; its key and type stay."""
    check_version(exercise, seen_version)
    fields = [
        _cleaned({**field, **spec, "key": field["key"], "type": field["type"]})
        if field["key"] == key
        else field
        for field in exercise.fields
    ]
    _set_fields(exercise, fields)


def move_field(exercise: Exercise, key: str, direction: str) -> bool:
    """Move a question one place up or down; False when it is already at that end."""
    fields = list(exercise.fields)
    index = next(i for i, field in enumerate(fields) if field["key"] == key)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(fields):
        return False
    fields[index], fields[other] = fields[other], fields[index]
    _set_fields(exercise, fields)
    return True


def remove_field(exercise: Exercise, key: str) -> None:
    """Remove a question from the working copy (versions already given keep it)."""
    _set_fields(exercise, [field for field in exercise.fields if field["key"] != key])


def new_key(label: str, fields: list[dict]) -> str:
    """A slug of the label, unique among the exercise's keys: "how_safe", "how_safe_2"…"""
    ascii_label = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_label.lower()).strip("_")[: KEY_LENGTH - 4]
    base = base.rstrip("_") or "question"
    if base[0].isdigit():
        base = f"q_{base}"[: KEY_LENGTH - 4]
    taken = {field["key"] for field in fields}
    key, number = base, 2
    while key in taken:
        key, number = f"{base}_{number}", number + 1
    return key


# --- helpers -----------------------------------------------------------------------------------


def check_version(exercise: Exercise, seen_version: int | None) -> None:
    if seen_version != exercise.version:
        raise StaleEdit


def _apply(exercise: Exercise, details: ExerciseDetails) -> None:
    # Visibility only means something when each partner answers alone.
    visibility = details.visibility if details.mode == AnswerMode.INDIVIDUAL else Visibility.PRIVATE
    check_privacy(exercise.is_safety_check, details.mode, visibility)
    exercise.title = details.title
    exercise.stage_id = details.stage_id
    exercise.instructions = details.instructions
    exercise.mode = details.mode
    exercise.visibility = visibility
    exercise.updated_at = utcnow()


def _cleaned(field: dict) -> dict:
    """Drop settings that mean nothing (no measure) and rules that no longer fit the options."""
    if field.get("measure") is None:
        field.pop("measure", None)
    rule = field.get("risk_when")
    if rule and "any_of" in rule:
        kept = [option for option in rule["any_of"] if option in field.get("options", [])]
        field["risk_when"] = {"any_of": kept}
    return field


def _set_fields(exercise: Exercise, fields: list[dict]) -> None:
    exercise.fields = fields  # a new list, so the change is seen and saved
    exercise.updated_at = utcnow()
    _save(exercise)


def _save(exercise: Exercise) -> None:
    """Flush now: the version check in SQL catches a save that raced this one."""
    try:
        db.session.flush()
    except StaleDataError as error:
        raise StaleEdit from error
