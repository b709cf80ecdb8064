"""The curriculum, for counselors to read."""

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from workshop.extensions import db
from workshop.models import Stage

bp = Blueprint("curriculum", __name__, url_prefix="/curriculum")


@bp.get("/")
def list_stages():
    """The twelve stages in order, each with its summary."""
    stages = db.session.scalars(select(Stage).order_by(Stage.position))
    return render_template("curriculum/list_stages.html", stages=list(stages))


@bp.get("/<key>")
def show_stage(key: str):
    """One stage: what it is about and what the couple works on."""
    stage = db.session.scalar(select(Stage).where(Stage.key == key)) or abort(404)
    return render_template("curriculum/show_stage.html", stage=stage)
