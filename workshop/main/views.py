"""The home page of each role, and the health check."""

from flask import Blueprint, current_app, jsonify, render_template
from flask_login import current_user

from workshop.main import queries

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    """Each role lands on its own home page."""
    data = queries.home_data(current_user)
    return render_template(f"main/home_{current_user.role}.html", **data)


@bp.get("/healthz")
def healthz():
    """200 when the database (and Redis, when configured) answers; 503 naming what is down."""
    checks = queries.health_checks(current_app.config.get("REDIS_URL"))
    healthy = all(state == "ok" for state in checks.values())
    return jsonify(status="ok" if healthy else "error", **checks), 200 if healthy else 503
