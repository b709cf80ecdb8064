"""The admin's pages: the practice's counselors and invitations, and its report branding."""

import base64

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from workshop.extensions import db
from workshop.forms import keeps_typed_input
from workshop.main.queries import practice_staff
from workshop.practice import queries, services
from workshop.practice.forms import BrandingForm, InviteCounselorForm, ResendInvitationForm

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


@bp.route("/branding", methods=["GET", "POST"])
@keeps_typed_input
def edit_branding():
    """The admin's own practice: its name, logo and paper size on reports."""
    practice = current_user.practice
    form = BrandingForm(obj=practice)
    if form.validate_on_submit():
        logo = _uploaded_logo(form.logo.data)
        try:
            services.update_branding(
                current_user, form.name.data, form.paper_size.data, logo, form.remove_logo.data
            )
        except services.LogoRefused as refused:
            form.logo.errors = [*form.logo.errors, str(refused)]
        else:
            db.session.commit()
            flash("Branding saved. Reports generated from now on use it.", "success")
            return redirect(url_for("practice.edit_branding"))
    logo_url = None
    if practice.logo_mime:
        logo_url = f"data:{practice.logo_mime};base64,{base64.b64encode(practice.logo).decode()}"
    return render_template("practice/edit_branding.html", form=form, logo_url=logo_url)


def _uploaded_logo(upload) -> bytes | None:
    """The uploaded file's bytes (one byte past the limit at most), or None when none was sent."""
    if upload is None or not getattr(upload, "filename", ""):
        return None
    try:
        return upload.stream.read(services.LOGO_MAX_BYTES + 1)
    finally:
        upload.close()  # a large upload is spooled to a temporary file
