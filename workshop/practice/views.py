"""The admin's pages: the practice's counselors and invitations, and its report branding."""

from pathlib import Path

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_login import current_user

from workshop.extensions import db
from workshop.forms import keeps_typed_input
from workshop.main.queries import practice_staff
from workshop.paging import requested_page
from workshop.practice import queries, services
from workshop.practice.forms import (
    AccountStatusForm,
    BrandingForm,
    InviteCounselorForm,
    ResendInvitationForm,
    SignInPolicyForm,
)

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
    # A URL of ours, not a data: URL: the Content-Security-Policy allows images from 'self' only.
    logo_url = url_for("practice.show_logo") if practice.logo_mime else None
    return render_template("practice/edit_branding.html", form=form, logo_url=logo_url)


@bp.get("/branding/logo")
def show_logo():
    """The admin's practice logo as uploaded (PNG or JPEG, checked at upload), or the standard
    mark that reports show when there is none."""
    practice = current_user.practice
    if not practice.logo_mime:
        mark = Path(current_app.root_path).parent / "reports" / "images" / "mark.svg"
        return send_file(mark, mimetype="image/svg+xml")
    return Response(practice.logo, mimetype=practice.logo_mime)


def _uploaded_logo(upload) -> bytes | None:
    """The uploaded file's bytes (one byte past the limit at most), or None when none was sent."""
    if upload is None or not getattr(upload, "filename", ""):
        return None
    try:
        return upload.stream.read(services.LOGO_MAX_BYTES + 1)
    finally:
        upload.close()  # a large upload is spooled to a temporary file


# --- sign-in: the two-factor policy, disabling accounts ------------------------------------------


@bp.route("/sign-in", methods=["GET", "POST"])
@keeps_typed_input
def edit_sign_in_policy():
    """The admin's own practice: whether staff must use two-factor sign-in."""
    form = SignInPolicyForm(obj=current_user.practice)
    if form.validate_on_submit():
        services.set_sign_in_policy(current_user, form.require_staff_two_factor.data)
        db.session.commit()
        flash("Sign-in settings saved. They apply from each person's next login.", "success")
        return redirect(url_for("practice.edit_sign_in_policy"))
    return render_template("practice/edit_sign_in_policy.html", form=form)


@bp.get("/partners")
def list_partners():
    """The practice's partner accounts, to disable or enable one."""
    page = requested_page()
    return render_template(
        "practice/list_partners.html",
        partners=queries.partner_accounts(current_user.practice_id, page),
    )


@bp.post("/accounts/<int:user_id>/disable")
def disable_account(user_id: int):
    """Disable a counselor's or partner's account: no login, and every session ends now."""
    account = queries.get_account_or_404(user_id, current_user)
    if AccountStatusForm().validate_on_submit() and account.is_active:
        services.disable_account(current_user, account)
        db.session.commit()
        flash(f"{account.name}'s account is disabled and their sessions have ended.", "success")
    return redirect(_account_list_for(account))


@bp.post("/accounts/<int:user_id>/enable")
def enable_account(user_id: int):
    """Let a disabled account log in again."""
    account = queries.get_account_or_404(user_id, current_user)
    if AccountStatusForm().validate_on_submit() and not account.is_active:
        services.enable_account(current_user, account)
        db.session.commit()
        flash(f"{account.name}'s account is enabled again.", "success")
    return redirect(_account_list_for(account))


def _account_list_for(account) -> str:
    if account.is_staff:
        return url_for("practice.list_counselors")
    return url_for("practice.list_partners")
