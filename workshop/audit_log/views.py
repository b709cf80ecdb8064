"""The practice's audit log for its admin: filter, page through, export as CSV. Read-only:
no route here (or anywhere) edits or deletes an event."""

from flask import (
    Blueprint,
    Response,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user

from workshop.audit_log import queries, services
from workshop.audit_log.forms import AuditFilterForm
from workshop.extensions import db, needs_transaction
from workshop.models import utcnow
from workshop.paging import requested_page

bp = Blueprint("audit", __name__)


@bp.after_request
def _never_cache(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/practice/audit")
def list_events():
    """Events of the admin's practice, newest first, filtered by user, couple (a partner's
    name), action and dates."""
    practice_name, form = _filter_form()
    page = events = None
    if form.validate():
        filters = form.filters(current_user.timezone)
        page = queries.paginate_events(current_user.practice_id, filters, requested_page())
        events = queries.shown_events(page.items, current_user.timezone)
    return render_template(
        "audit_log/list_events.html",
        practice_name=practice_name,
        form=form,
        page=page,
        events=events,
        filter_args=form.query_args(),
    )


@bp.get("/practice/audit.csv")
@needs_transaction  # its rows stream through a server-side cursor
def export_events():
    """The filtered events as a CSV download (the export itself is an audit event)."""
    _, form = _filter_form()
    if not form.validate():  # the page shows what is wrong with the filters
        return redirect(url_for("audit.list_events", **request.args))
    filters = form.filters(current_user.timezone)
    services.record_export(current_user)
    db.session.commit()
    rows = services.csv_rows(current_user.practice_id, filters)
    filename = f"audit-log-{utcnow():%Y-%m-%d}.csv"
    return Response(
        stream_with_context(rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _filter_form() -> tuple[str, AuditFilterForm]:
    """The practice's name, and the filters as the admin set them in the URL."""
    practice_name, staff = queries.practice_and_staff(current_user.practice_id)
    form = AuditFilterForm(formdata=request.args)
    form.set_choices(staff)
    return practice_name, form
