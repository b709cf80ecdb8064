"""The home page of each role, and the health check."""

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, url_for
from flask_login import current_user

from workshop.extensions import db
from workshop.forms import keeps_typed_input
from workshop.main import queries
from workshop.main.forms import SettingsForm

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


@bp.get("/healthz/live")
def healthz_live():
    """200 while this process answers at all, touching no database: for a load balancer's
    liveness probe, and the benchmark's floor (the cost of the framework alone)."""
    return jsonify(status="ok")


@bp.route("/settings", methods=["GET", "POST"])
@keeps_typed_input
def edit_settings():
    """The user's own settings: the timezone their times are shown in."""
    form = SettingsForm(obj=current_user)
    if form.validate_on_submit():
        current_user.timezone = form.timezone.data
        db.session.commit()
        flash("Settings saved.", "success")
        return redirect(url_for("main.home"))
    return render_template("main/edit_settings.html", form=form)
