"""Calendar feeds: the page with the secret feed address, the feeds, and one-event downloads."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from workshop.extensions import db
from workshop.feeds import forms, queries, services
from workshop.feeds.calendar import build_calendar
from workshop.mail_outbox import public_url
from workshop.models import Couple
from workshop.scheduling.queries import get_session_or_404

bp = Blueprint("feeds", __name__)


@bp.get("/feeds/counselor/<counselor_token>.ics")
def export_counselor_feed(counselor_token: str):
    """All sessions of the workshops a counselor leads, for their calendar app."""
    counselor = queries.counselor_by_token_or_404(counselor_token)
    sessions = queries.counselor_feed_sessions(counselor)
    return _ics(build_calendar(f"Workshop sessions – {counselor.name}", sessions))


@bp.get("/feeds/couple/<couple_token>.ics")
def export_couple_feed(couple_token: str):
    """A couple's sessions, for both partners' calendar apps."""
    couple = queries.couple_by_token_or_404(couple_token)
    sessions = queries.couple_feed_sessions(couple.id)
    return _ics(build_calendar("Our workshop sessions", sessions))


@bp.get("/sessions/<int:session_id>/calendar.ics")
def download_session(session_id: int):
    """One session as a calendar file, to import by hand."""
    session = get_session_or_404(session_id, current_user)
    body = build_calendar(session.workshop.title, [session])
    return _ics(body, f"session-{session.id}.ics")


@bp.get("/calendar")
def show_calendar():
    """The user's secret feed address and how to subscribe to it (made on the first visit)."""
    owner = services.feed_owner_or_404(current_user)
    if services.ensure_token(owner):
        db.session.commit()
    feed_url = _feed_url(owner)
    return render_template(
        "feeds/show_calendar.html",
        feed_url=feed_url,
        webcal_url=_webcal(feed_url),
        shared=isinstance(owner, Couple),
        form=forms.RotateTokenForm(),
    )


@bp.post("/calendar/rotate")
def rotate_token():
    """Retire the old feed address and issue a new one."""
    owner = services.feed_owner_or_404(current_user)
    if not forms.RotateTokenForm().validate_on_submit():
        abort(400)
    services.rotate_token(owner)
    db.session.commit()
    flash(
        "Your calendar has a new address. The old one no longer works: subscribe again "
        "with the new one.",
        "success",
    )
    return redirect(url_for("feeds.show_calendar"))


def _feed_url(owner) -> str:
    if isinstance(owner, Couple):
        return public_url("feeds.export_couple_feed", couple_token=owner.calendar_token)
    return public_url("feeds.export_counselor_feed", counselor_token=owner.calendar_token)


def _webcal(url: str) -> str:
    """The same address with the scheme calendar apps open as a subscription."""
    return "webcal://" + url.split("://", 1)[1]


def _ics(body: bytes, download_name: str | None = None) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.content_type = "text/calendar; charset=utf-8"
    # The URL is the secret: keep it out of shared caches and search engines.
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["X-Robots-Tag"] = "noindex"
    if download_name:
        response.headers["Content-Disposition"] = f'attachment; filename="{download_name}"'
    return response
