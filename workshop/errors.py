"""Friendly error pages in the app's layout; no traceback ever reaches a browser."""

import math
import time

from flask import Flask, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError
from werkzeug.exceptions import HTTPException

from workshop.extensions import db, limiter

PAGES = {400, 403, 404, 405, 409, 413, 429}


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_http_error)
    app.register_error_handler(CSRFError, render_csrf_error)
    app.register_error_handler(StaleDataError, render_simultaneous_save)
    app.register_error_handler(ObjectDeletedError, render_removed_meanwhile)
    app.register_error_handler(IntegrityError, render_conflicting_write)
    # Unhandled exceptions reach this as a 500 only when they are not propagated (production);
    # tests and the development debugger still see the real traceback.
    app.register_error_handler(500, render_unexpected_error)


def render_http_error(error: HTTPException):
    code = error.code or 500
    if code == 429:
        return _render(429, retry_minutes=_retry_minutes())
    if code not in PAGES:
        return error
    return _render(code)


def render_simultaneous_save(error: StaleDataError):
    """Two saves of one record in the same instant: the later one is undone, not merged."""
    db.session.rollback()
    return _render(409)


def render_conflicting_write(error: IntegrityError):
    """A write the database refused (a unique or foreign key constraint) that no service caught:
    another request changed the same records in the same instant. Nothing of this request is
    kept; the user gets the 409 page, and the log keeps the traceback in case it was a bug."""
    db.session.rollback()
    current_app.logger.error("conflicting write refused by the database", exc_info=error)
    return _render(409)


def render_removed_meanwhile(error: ObjectDeletedError):
    """What the request was working on was deleted by another request after it was read (a
    session removed while its edit was being saved): it is no longer there, so 404."""
    db.session.rollback()
    return _render(404)


def render_csrf_error(error: CSRFError):
    return _render(400, reason="csrf")


def render_unexpected_error(error: Exception):
    """Roll back the half-done work and show the calm 500 page (Flask has logged the error)."""
    db.session.rollback()
    return _render(500)


def _render(code: int, **context):
    if request.path.startswith("/healthz") or request.accept_mimetypes.best == "application/json":
        return jsonify(error=code), code
    return render_template(f"errors/{code}.html", **context), code


def _retry_minutes() -> int:
    """Whole minutes until the breached rate limit lets the user try again (at least 1)."""
    limit = limiter.current_limit
    if limit is None:
        return 15
    # Whole seconds, as in the Retry-After header, so the page and the header agree.
    return max(1, math.ceil(int(limit.reset_at - time.time()) / 60))
