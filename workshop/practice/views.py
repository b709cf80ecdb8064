"""The admin's pages: the practice's counselors and invitations."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from workshop.extensions import db
from workshop.forms import keeps_typed_input
from workshop.main.queries import practice_staff
from workshop.practice import queries, services
from workshop.practice.forms import InviteCounselorForm, ResendInvitationForm

bp = Blueprint("practice", __name__, url_prefix="/practice")


@bp.get("/counselors")
def list_counselors():
    """The practice's staff, with who has accepted their invitation."""
    return render_template(
        "practice/list_counselors.html",
        staff=practice_staff(current_user.practice_id),
        resend_form=ResendInvitationForm(),
    )


@bp.route("/counselors/invite", methods=["GET", "POST"])
@keeps_typed_input
def invite_counselor():
    """Create a counselor account and email them a link to set their password."""
    form = InviteCounselorForm()
    if form.validate_on_submit():
        try:
            counselor = services.invite_counselor(current_user, form.name.data, form.email.data)
        except services.EmailTaken:
            form.email.errors.append("An account with this email address already exists.")
        else:
            db.session.commit()
            flash(f"Invitation sent to {counselor.email}.", "success")
            return redirect(url_for("practice.list_counselors"))
    return render_template("practice/invite_counselor.html", form=form)


@bp.post("/staff/<int:user_id>/resend-invitation")
def resend_invitation(user_id: int):
    """Send a new invitation link to staff who have not set a password yet."""
    staff = queries.get_staff_or_404(user_id, current_user)
    if ResendInvitationForm().validate_on_submit() and not staff.has_login:
        services.resend_staff_invitation(current_user, staff)
        db.session.commit()
        flash(f"A new invitation is on its way to {staff.email}.", "success")
    elif staff.has_login:
        flash(f"{staff.name} already has an account; no invitation was needed.", "info")
    return redirect(url_for("practice.list_counselors"))
