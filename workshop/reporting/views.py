"""Reports: counselors generate, preview, download and release them; partners download the ones
released to them and see their progress charts."""

import io

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user

from workshop.extensions import db
from workshop.paging import requested_page
from workshop.reporting import forms, queries, services
from workshop.reporting.data import couple_measures
from workshop.workshops.queries import get_workshop_or_404

bp = Blueprint("reporting", __name__)


@bp.get("/workshops/<int:workshop_id>/couples/<int:couple_id>/reports")
def list_couple_reports(workshop_id: int, couple_id: int):
    """A page of the versions of the couple's reports, the charts, and the form to make one."""
    workshop, couple, versions = queries.couple_page_or_404(
        workshop_id, couple_id, current_user, requested_page()
    )
    return _couple_page(workshop, couple, versions, forms.GenerateReportForm())


@bp.post("/workshops/<int:workshop_id>/couples/<int:couple_id>/reports")
def generate_report(workshop_id: int, couple_id: int):
    form = forms.GenerateReportForm()
    if not form.validate_on_submit():
        # The page again with the errors, read as its GET reads it (the same reach: 404 for a
        # workshop or couple out of reach); the ORM objects are for generating only.
        page = queries.couple_page_or_404(workshop_id, couple_id, current_user)
        return _couple_page(*page, form, status=400)
    workshop, couple = queries.get_workshop_and_couple_or_404(workshop_id, couple_id, current_user)
    report, reused = services.generate_or_reuse_couple_report(
        workshop, couple, current_user, form.edition.data, form.include_notes.data
    )
    db.session.commit()
    if reused:
        flash(f"Nothing has changed since version {report.number}: it is still current.", "info")
    else:
        flash(f"Report version {report.number} generated.", "success")
    return redirect(url_for(".list_couple_reports", workshop_id=workshop.id, couple_id=couple.id))


def _couple_page(workshop, couple, versions, form, status=200):
    """Needs workshop.id and .title, couple.id, .name and .partners (ORM or plain), and a
    paging.ReadPage of ArchivedReports."""
    measures = couple_measures(couple.id, couple.partners, [workshop.id])[workshop.id]
    page = render_template(
        "reporting/list_couple_reports.html",
        workshop=workshop,
        couple=couple,
        form=form,
        versions=versions,
        measures=measures,
    )
    return page, status


@bp.post("/reports/<int:report_id>/release")
def release_report(report_id: int):
    report = queries.get_report_or_404(report_id, current_user)
    try:
        services.release_report(report, current_user)
    except services.NotReleasable as refused:
        flash(str(refused), "error")
    else:
        db.session.commit()
        flash("Released: both partners can now download this report.", "success")
    if report.couple_id is None:
        return redirect(url_for(".list_workshop_reports", workshop_id=report.workshop_id))
    return redirect(
        url_for(".list_couple_reports", workshop_id=report.workshop_id, couple_id=report.couple_id)
    )


@bp.get("/reports/<int:report_id>/download")
def download_report(report_id: int):
    """A counselor's download (or inline preview, ?preview=1) of any version."""
    report = queries.get_report_or_404(report_id, current_user)
    return _send(report, inline=request.args.get("preview") == "1")


@bp.get("/workshops/<int:workshop_id>/summary-reports")
def list_workshop_reports(workshop_id: int):
    workshop = get_workshop_or_404(workshop_id, current_user)
    return render_template(
        "reporting/list_workshop_reports.html",
        workshop=workshop,
        versions=queries.workshop_summaries(workshop.id, requested_page()),
        form=forms.GenerateSummaryForm(),
    )


@bp.post("/workshops/<int:workshop_id>/summary-reports")
def generate_workshop_summary(workshop_id: int):
    workshop = get_workshop_or_404(workshop_id, current_user)
    if forms.GenerateSummaryForm().validate_on_submit():
        report = services.generate_workshop_report(workshop, current_user)
        db.session.commit()
        flash(f"Workshop summary version {report.number} generated.", "success")
    return redirect(url_for(".list_workshop_reports", workshop_id=workshop.id))


@bp.get("/my/progress")
def show_my_progress():
    """The partner's page: their couple's charts and the reports released to them."""
    couple_id = current_user.couple_id
    workshops, partners, released = queries.partner_page_of(couple_id)
    measures = couple_measures(couple_id, partners, [w.id for w in workshops]) if workshops else {}
    progress = [(w, measures[w.id]) for w in workshops]
    return render_template("reporting/show_my_progress.html", progress=progress, reports=released)


@bp.get("/my/reports/<int:report_id>/download")
def download_my_report(report_id: int):
    report = queries.get_released_report_or_404(report_id, current_user)
    return _send(report, inline=False)


def _send(report, inline: bool):
    content = services.read_report(report)
    if content is None:
        abort(404)
    couple_name = report.couple.name if report.couple else None
    name = services.download_name(report, couple_name, report.workshop.title)
    services.record_download(report, current_user)
    db.session.commit()
    response = send_file(
        io.BytesIO(content),
        mimetype="application/pdf",
        as_attachment=not inline,
        download_name=name,
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
