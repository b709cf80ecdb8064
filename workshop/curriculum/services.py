"""Keep the stages table in step with the curriculum shipped in the code."""

from sqlalchemy import select

from workshop.curriculum.stages import STAGE_COLUMNS, STAGES
from workshop.extensions import db
from workshop.models import Stage


def sync_curriculum() -> int:
    """Insert missing stages and refresh the wording of existing ones; returns rows changed."""
    existing = {stage.key: stage for stage in db.session.scalars(select(Stage))}
    changed = 0
    for data in STAGES:
        stage = existing.get(data["key"])
        if stage is None:
            db.session.add(Stage(**{column: data[column] for column in STAGE_COLUMNS}))
            changed += 1
            continue
        for column in STAGE_COLUMNS:
            if getattr(stage, column) != data[column]:
                setattr(stage, column, data[column])
                changed += 1
    return changed
