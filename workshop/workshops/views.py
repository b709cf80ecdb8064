"""Workshops: list, create, edit, and the roster of enrolled couples."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from workshop.couples.queries import get_couple_or_404
from workshop.extensions import db
from workshop.forms import as_choices, keeps_typed_input, seen_version
from workshop.models import utcnow
from workshop.paging import requested_page
from workshop.scheduling import queries as scheduling_queries
from workshop.workshops import queries, services
from workshop.workshops.forms import (
    EnrollCoupleForm,
    FindCoupleForm,
    WithdrawForm,
    WorkshopForm,
)

bp = Blueprint("workshops", __name__, url_prefix="/workshops")
STALE_MESSAGE = (
    "Someone else saved this workshop while you were editing. Your changes are below but were "
    "not saved: compare them with the current version and save again."
)
NO_CHOICES = queries.CoupleChoices(couples=[], more=False)


@bp.get("/")
def list_workshops():
    """The workshops this counselor leads or co-leads."""
    page = queries.paginate_workshops(current_user, requested_page())
    return render_template("workshops/list_workshops.html", page=page)


@bp.route("/new", methods=["GET", "POST"])
@keeps_typed_input
def new_workshop():
    """Create a workshop led by the current counselor."""
    form = _workshop_form(timezone=current_user.timezone)
    if form.validate_on_submit():
        workshop = services.create_workshop(current_user, _details(form))
        db.session.commit()
        flash("Workshop created. Next: plan its sessions from the curriculum.", "success")
        return redirect(url_for("scheduling.plan_sessions", workshop_id=workshop.id))
    return render_template("workshops/new_workshop.html", form=form)


@bp.get("/<int:workshop_id>")
def show_workshop(workshop_id: int):
    """The workshop's sessions and roster at a glance."""
    workshop, leaders, roster = queries.get_workshop_leaders_and_roster_or_404(
        workshop_id, current_user
    )
    return render_template(
        "workshops/show_workshop.html",
        workshop=workshop,
        leaders=leaders,
        sessions=scheduling_queries.summaries_of_workshop(workshop.id),
        roster=roster,
        now=utcnow(),
    )


@bp.route("/<int:workshop_id>/edit", methods=["GET", "POST"])
@keeps_typed_input
def edit_workshop(workshop_id: int):
    """Edit the workshop's details; a stale edit is refused with the typed text kept."""
    workshop = queries.get_workshop_or_404(workshop_id, current_user)
    form = _workshop_form(obj=workshop, lead_id=workshop.lead_id)
    if request.method == "GET":
        form.co_counselors.data = [c.id for c in workshop.co_counselors]
        form.version.data = workshop.version
    if form.validate_on_submit():
        try:
            services.update_workshop(workshop, _details(form), seen_version(form.version.data))
        except services.StaleEdit:
            form.form_errors.append(STALE_MESSAGE)
            form.version.data = workshop.version
        except services.CapacityBelowRoster as error:
            form.capacity.errors.append(
                f"{error.enrolled} couples are enrolled; withdraw some before lowering capacity."
            )
        else:
            db.session.commit()
            flash("Workshop saved.", "success")
            return redirect(url_for("workshops.show_workshop", workshop_id=workshop.id))
    return render_template("workshops/edit_workshop.html", form=form, workshop=workshop)


@bp.route("/<int:workshop_id>/roster", methods=["GET", "POST"])
@keeps_typed_input
def show_roster(workshop_id: int):
    """The enrolled couples, and a form to enroll another one (found by name if need be)."""
    workshop, roster = queries.get_workshop_and_roster_or_404(workshop_id, current_user)
    finder = FindCoupleForm(formdata=request.args)
    search = finder.q.data if finder.validate() and finder.q.data else ""
    is_full = len(roster) >= workshop.capacity
    # A full workshop shows no enroll form and offers no couple: a post to it enrolls nobody,
    # and the page says the workshop is full.
    offered = (
        NO_CHOICES if is_full else queries.enrollable_couples(current_user, workshop.id, search)
    )
    form = EnrollCoupleForm()
    form.couple.choices = as_choices(offered.couples)
    if form.validate_on_submit():
        couple = get_couple_or_404(form.couple.data, current_user)
        try:
            services.enroll_couple(workshop, couple)
        except services.CapacityReached:
            form.couple.errors.append(f"The workshop is full ({workshop.capacity} couples).")
        except services.AlreadyEnrolled:
            form.couple.errors.append(f"{couple.name} is already enrolled.")
        else:
            db.session.commit()
            flash(f"{couple.name} enrolled.", "success")
            return redirect(url_for("workshops.show_roster", workshop_id=workshop.id))
    return render_template(
        "workshops/show_roster.html",
        workshop=workshop,
        roster=roster,
        is_full=is_full,
        finder=finder,
        search=search,
        more_couples=offered.more,
        form=form,
    )


@bp.post("/<int:workshop_id>/roster/<int:enrollment_id>/withdraw")
def withdraw_couple(workshop_id: int, enrollment_id: int):
    """Take a couple off the roster."""
    workshop = queries.get_workshop_or_404(workshop_id, current_user)
    enrollment = queries.get_enrollment_or_404(workshop, enrollment_id)
    if WithdrawForm().validate_on_submit():
        services.withdraw_couple(enrollment)
        db.session.commit()
        flash("The couple was withdrawn from the workshop.", "success")
    return redirect(url_for("workshops.show_roster", workshop_id=workshop.id))


def _workshop_form(lead_id: int | None = None, **kwargs) -> WorkshopForm:
    form = WorkshopForm(**kwargs)
    counselors = queries.practice_counselors(
        current_user.practice_id, excluding=lead_id or current_user.id
    )
    form.co_counselors.choices = as_choices((c.id, c.name) for c in counselors)
    return form


def _details(form: WorkshopForm) -> services.WorkshopDetails:
    return services.WorkshopDetails(
        title=form.title.data,
        description=form.description.data or "",
        format=form.format.data,
        location=form.location.data or "",
        video_url=form.video_url.data or "",
        timezone=form.timezone.data,
        capacity=form.capacity.data,
        co_counselor_ids=form.co_counselors.data or [],
    )
