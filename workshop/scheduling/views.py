"""Sessions: plan them from the curriculum, change them one by one, take attendance."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from workshop.extensions import db
from workshop.forms import keeps_typed_input
from workshop.scheduling import agenda, forms, queries, services
from workshop.scheduling.form_handling import (
    apply_schedule_error,
    local_parts,
    plan_request,
    session_change,
    session_times,
    stage_choices,
)
from workshop.workshops.queries import get_workshop_or_404

bp = Blueprint("scheduling", __name__)
STALE_MESSAGE = (
    "Someone else changed this session while you were editing. Your changes are below but were "
    "not saved: check the current time and place, then save again."
)
ATTENDANCE_RACED = (
    "Someone else saved attendance for this session at the same moment, so yours was not "
    "saved. Check the choices below, then save again."
)


@bp.route("/workshops/<int:workshop_id>/plan", methods=["GET", "POST"])
@keeps_typed_input
def plan_sessions(workshop_id: int):
    """Create one session per chosen stage on a weekly or fortnightly rhythm."""
    workshop = get_workshop_or_404(workshop_id, current_user)
    form = forms.PlanForm()
    form.stages.choices = stage_choices()
    if request.method == "GET":
        form.stages.data = [choice.value for choice in form.stages.choices]
    clashes = []
    if form.validate_on_submit():
        try:
            created = services.plan_sessions(
                workshop, plan_request(form), current_user, form.confirm_overlap.data
            )
        except services.Overlaps as overlaps:
            clashes = overlaps.clashes
        except services.ScheduleError as error:
            apply_schedule_error(form, error, date_field="first_date")
        else:
            db.session.commit()
            flash(f"{len(created)} sessions planned.", "success")
            return redirect(url_for("workshops.show_workshop", workshop_id=workshop.id))
    return render_template(
        "scheduling/plan_sessions.html", form=form, workshop=workshop, clashes=clashes
    )


@bp.route("/workshops/<int:workshop_id>/sessions/new", methods=["GET", "POST"])
@keeps_typed_input
def add_session(workshop_id: int):
    """Add one session, for one or more stages."""
    workshop = get_workshop_or_404(workshop_id, current_user)
    form = forms.AddSessionForm(location=workshop.location, video_url=workshop.video_url)
    form.stages.choices = stage_choices()
    clashes = []
    if form.validate_on_submit():
        try:
            starts_at, ends_at = session_times(form, workshop.timezone)
            services.add_session(
                workshop,
                form.stages.data,
                starts_at,
                ends_at,
                current_user,
                form.confirm_overlap.data,
                form.location.data or "",
                form.video_url.data or "",
            )
        except services.Overlaps as overlaps:
            clashes = overlaps.clashes
        except services.ScheduleError as error:
            apply_schedule_error(form, error)
        else:
            db.session.commit()
            flash("Session added.", "success")
            return redirect(url_for("workshops.show_workshop", workshop_id=workshop.id))
    return render_template(
        "scheduling/add_session.html", form=form, workshop=workshop, clashes=clashes
    )


@bp.get("/sessions/<int:session_id>")
def show_session(session_id: int):
    """Stage, time, place, enrolled couples and their attendance."""
    session = queries.get_session_or_404(session_id, current_user)
    couples = queries.enrolled_couples(session.workshop_id)
    partners = [partner for couple in couples for partner in couple.partners]
    form = forms.attendance_form(partners)
    recorded = {a.partner_id: a.status for a in session.attendance}
    for partner in partners:
        getattr(form, f"partner_{partner.id}").data = recorded.get(partner.id)
    return render_template(
        "scheduling/show_session.html",
        session=session,
        couples=couples,
        attendance_form=form,
        action_form=forms.ActionForm(),
    )


@bp.post("/sessions/<int:session_id>/attendance")
def record_attendance(session_id: int):
    """Save who was present, absent or excused."""
    session = queries.get_session_or_404(session_id, current_user)
    couples = queries.enrolled_couples(session.workshop_id)
    partners = [partner for couple in couples for partner in couple.partners]
    form = forms.attendance_form(partners)
    if form.validate_on_submit():
        statuses = {p.id: getattr(form, f"partner_{p.id}").data for p in partners}
        try:
            services.record_attendance(session, statuses, current_user)
        except services.StaleEdit:
            db.session.rollback()
            flash(ATTENDANCE_RACED, "error")
        else:
            db.session.commit()
            flash("Attendance saved.", "success")
    else:
        flash("Choose present, absent or excused for every partner, then save again.", "error")
    return redirect(url_for("scheduling.show_session", session_id=session_id))


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@keeps_typed_input
def edit_session(session_id: int):
    """Reschedule or relocate a session; enrolled partners are told what changed."""
    session = queries.get_session_or_404(session_id, current_user)
    form = forms.EditSessionForm(obj=session)
    if request.method == "GET":
        form.date.data, form.start_time.data, form.end_time.data = local_parts(session)
        form.version.data = session.version
    clashes = []
    if form.validate_on_submit():
        try:
            changed = services.reschedule_session(
                session, session_change(form, session), current_user, form.confirm_overlap.data
            )
        except services.Overlaps as overlaps:
            clashes = overlaps.clashes
        except services.ScheduleError as error:
            apply_schedule_error(form, error)
        except services.StaleEdit:
            db.session.rollback()  # after a lost race: show the session as the winner left it
            form.form_errors.append(STALE_MESSAGE)
            form.version.data = session.version
        except services.SessionCancelled:
            form.form_errors.append(
                "This session is cancelled and the couples were told so. Add a new session instead."
            )
        else:
            db.session.commit()
            flash(
                "Session updated; the couples were told." if changed else "Nothing changed.",
                "success",
            )
            return redirect(url_for("scheduling.show_session", session_id=session_id))
    return render_template(
        "scheduling/edit_session.html", form=form, session=session, clashes=clashes
    )


@bp.route("/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@keeps_typed_input
def cancel_session(session_id: int):
    """Cancel a session, with an optional message to the couples."""
    session = queries.get_session_or_404(session_id, current_user)
    form = forms.CancelSessionForm()
    if form.validate_on_submit() and not session.is_cancelled:
        services.cancel_session(session, form.reason.data or "")
        db.session.commit()
        flash("Session cancelled; the couples were told.", "success")
        return redirect(url_for("scheduling.show_session", session_id=session_id))
    return render_template("scheduling/cancel_session.html", form=form, session=session)


@bp.post("/sessions/<int:session_id>/remove")
def remove_session(session_id: int):
    """Take a session out of the plan (only before anything was recorded for it)."""
    session = queries.get_session_or_404(session_id, current_user)
    workshop_id = session.workshop_id
    return _run_action(
        lambda: services.remove_session(session),
        "Session removed.",
        url_for("workshops.show_workshop", workshop_id=workshop_id),
    )


@bp.post("/sessions/<int:session_id>/merge")
def merge_session(session_id: int):
    """Cover the next session's stages in this one, and drop the next session."""
    session = queries.get_session_or_404(session_id, current_user)
    return _run_action(
        lambda: services.merge_with_next(session),
        "Sessions merged.",
        url_for("workshops.show_workshop", workshop_id=session.workshop_id),
    )


@bp.post("/sessions/<int:session_id>/move/<any(earlier, later):direction>")
def move_session(session_id: int, direction: str):
    """Swap this session's stages with the previous or next session's."""
    session = queries.get_session_or_404(session_id, current_user)
    return _run_action(
        lambda: services.move_session(session, later=direction == "later"),
        "Order changed.",
        url_for("workshops.show_workshop", workshop_id=session.workshop_id),
    )


def _run_action(action, success: str, back: str):
    if not forms.ActionForm().validate_on_submit():
        abort(400)
    try:
        action()
    except services.SessionLocked:
        db.session.rollback()  # nothing of a refused action is kept, nor its emails
        flash(
            "That session has been held or has attendance recorded; it can no longer be moved, "
            "merged or removed. Cancel it instead if it did not take place.",
            "error",
        )
    except services.SessionCancelled:
        db.session.rollback()
        flash(
            "That session is cancelled, so its stages stay with it. Add a new session to "
            "cover them.",
            "error",
        )
    except services.NoNeighbour:
        db.session.rollback()
        flash("There is no session on that side.", "error")
    else:
        db.session.commit()
        flash(success, "success")
    return redirect(back)


@bp.get("/agenda")
def list_agenda():
    """Today's and the coming sessions across all the counselor's workshops."""
    today, upcoming = agenda.today_and_upcoming(current_user)
    return render_template("scheduling/list_agenda.html", today=today, upcoming=upcoming)


@bp.get("/agenda/week")
def show_week():
    """Seven days of sessions on the counselor's own clock."""
    week = agenda.week_of(current_user, request.args.get("start"))
    return render_template("scheduling/show_week.html", week=week)
