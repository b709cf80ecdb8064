"""The counselor's couples: list, add, and manage each partner's invitation."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from workshop.couples import queries, services
from workshop.couples.forms import AddCoupleForm, EditPartnerForm, InvitePartnerForm
from workshop.extensions import db
from workshop.forms import keeps_typed_input
from workshop.paging import requested_page
from workshop.workshops.queries import get_workshop_or_404
from workshop.workshops.services import CapacityReached, enroll_couple

bp = Blueprint("couples", __name__, url_prefix="/couples")
EMAIL_TAKEN = "An account with this email address already exists."


@bp.get("/")
def list_couples():
    """The couples this counselor works with, newest first."""
    page = queries.paginate_couples(current_user, requested_page())
    return render_template("couples/list_couples.html", page=page)


@bp.route("/new", methods=["GET", "POST"])
@keeps_typed_input
def add_couple():
    """Add a couple and invite the partners whose email is known (and enroll them in
    `?workshop=<id>` when they are added from a workshop's roster)."""
    workshop_id = request.args.get("workshop", type=int)
    workshop = get_workshop_or_404(workshop_id, current_user) if workshop_id else None
    form = AddCoupleForm()
    if form.validate_on_submit():
        partners = [
            (form.first_name.data, form.first_email.data or None),
            (form.second_name.data, form.second_email.data or None),
        ]
        try:
            couple = services.add_couple(current_user, partners)
            if workshop is not None:
                enroll_couple(workshop, couple)
        except services.EmailTaken as taken:
            form.email_field(taken.email).errors.append(EMAIL_TAKEN)
        except CapacityReached:
            form.form_errors.append(f"{workshop.title} is full; raise its capacity first.")
        else:
            db.session.commit()
            flash(f"{couple.name} added. Invitations are on their way.", "success")
            if workshop is not None:
                return redirect(url_for("workshops.show_roster", workshop_id=workshop.id))
            return redirect(url_for("couples.show_couple", couple_id=couple.id))
    return render_template("couples/add_couple.html", form=form, workshop=workshop)


@bp.get("/<int:couple_id>")
def show_couple(couple_id: int):
    """A couple's partners, the state of their accounts and any open safety flag."""
    couple = queries.get_couple_card_or_404(couple_id, current_user)
    safety_flags = queries.open_safety_flags(couple.id, current_user)
    return render_template("couples/show_couple.html", couple=couple, safety_flags=safety_flags)


@bp.route("/<int:couple_id>/partners/<int:partner_id>/edit", methods=["GET", "POST"])
@keeps_typed_input
def edit_partner(couple_id: int, partner_id: int):
    """Rename a partner, or add the email of one who has no account yet."""
    couple = queries.get_couple_or_404(couple_id, current_user)
    partner = queries.get_partner_or_404(couple, partner_id)
    form = EditPartnerForm(obj=partner)
    if form.validate_on_submit():
        try:
            invited = services.update_partner(
                current_user, partner, form.name.data, form.email.data or None
            )
        except services.EmailTaken:
            form.email.errors.append(EMAIL_TAKEN)
        except services.PartnerHasLogin:
            form.email.errors.append("This partner has an account; only they can change its email.")
        else:
            db.session.commit()
            flash("Invitation sent." if invited else "Saved.", "success")
            return redirect(url_for("couples.show_couple", couple_id=couple.id))
    return render_template("couples/edit_partner.html", form=form, couple=couple, partner=partner)


@bp.post("/<int:couple_id>/partners/<int:partner_id>/invite")
def invite_partner(couple_id: int, partner_id: int):
    """Send (again) the invitation of a partner who has not set a password yet."""
    couple = queries.get_couple_or_404(couple_id, current_user)
    partner = queries.get_partner_or_404(couple, partner_id)
    if InvitePartnerForm().validate_on_submit() and services.invite_partner(current_user, partner):
        db.session.commit()
        flash(f"Invitation sent to {partner.email}.", "success")
    elif partner.has_login:
        flash(f"{partner.name} already has an account; no invitation was needed.", "info")
    return redirect(url_for("couples.show_couple", couple_id=couple.id))
