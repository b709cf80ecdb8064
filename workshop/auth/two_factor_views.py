"""Two-factor sign-in pages: the second step of a login, setting it up, recovery codes."""

from flask import current_app, flash, g, redirect, render_template, url_for
from flask_login import current_user

from workshop.auth import two_factor
from workshop.auth.forms import (
    ConfirmPasswordForm,
    DisableTwoFactorForm,
    EnrolTwoFactorForm,
    SecondFactorForm,
)
from workshop.auth.sessions import end_other_sessions_of, finish_pending_login, pending_login
from workshop.auth.views import bp
from workshop.extensions import db, limiter
from workshop.forms import keeps_typed_input
from workshop.models import LoginSession, PendingStep, User
from workshop.security import safe_next_path

WRONG_CODE = (
    "That code is not valid. Type the code your app shows now (each code works once), "
    "or one of your recovery codes."
)
WRONG_PASSWORD = "That is not your password."  # noqa: S105 # nosec B105
REQUIRED_BY_PRACTICE = (
    "Your practice requires two-factor sign-in for staff, so it cannot be turned off. "
    "If you lost your phone, use a recovery code to log in and set up the app again."
)


def _code_failed(response) -> bool:
    return bool(g.get("code_failed"))


def _account_key() -> str:
    """Rate-limit key: the account behind the pending login (or the logged-in user)."""
    login = pending_login()
    user_id = login.user_id if login is not None else current_user.get_id()
    return f"second-factor-account:{user_id}"


def _limit_per_account():
    return limiter.limit(
        lambda: current_app.config["SECOND_FACTOR_LIMIT_PER_ACCOUNT"],
        methods=["POST"],
        deduct_when=_code_failed,
        key_func=_account_key,
        scope="second-factor-account",
    )


def _login_waiting_for(step: PendingStep) -> LoginSession | None:
    login = pending_login()
    return login if login is not None and login.pending_step == step else None


@bp.route("/login/second-factor", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["SECOND_FACTOR_LIMIT_PER_ADDRESS"],
    methods=["POST"],
    deduct_when=_code_failed,
    scope="second-factor-address",
)
@_limit_per_account()
@keeps_typed_input
def second_factor():
    """The second step of a login: a code from the app, or a recovery code."""
    login = _login_waiting_for(PendingStep.SECOND_FACTOR)
    if login is None:
        return redirect(url_for("auth.login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        try:
            method = two_factor.verify_second_factor(login.user, form.code.data)
        except two_factor.WrongCode:
            g.code_failed = True
            form.code.errors.append(WRONG_CODE)
        else:
            user, next_path = login.user, finish_pending_login(login)
            db.session.commit()
            if method == "recovery":
                _warn_about_recovery_codes(user)
            return redirect(safe_next_path(next_path) or url_for("main.home"))
    return render_template("auth/second_factor.html", form=form)


def _warn_about_recovery_codes(user: User) -> None:
    left = two_factor.recovery_codes_left(user)
    flash(
        f"You used a recovery code; {left} of them {'is' if left == 1 else 'are'} left. "
        "Each works once: make new ones on the Security page if you are running low.",
        "info",
    )


@bp.route("/login/set-up-two-factor", methods=["GET", "POST"])
@keeps_typed_input
def enrol_at_login():
    """The practice requires two-factor sign-in: set it up before reaching anything else."""
    login = _login_waiting_for(PendingStep.ENROLMENT)
    if login is None:
        return redirect(url_for("auth.login"))
    return _enrol(login.user, login)


@bp.route("/account/security/set-up", methods=["GET", "POST"])
@keeps_typed_input
def enrol_two_factor():
    """Set up two-factor sign-in from the Security page."""
    if two_factor.has_two_factor(current_user):
        flash("Two-factor sign-in is already on.", "info")
        return redirect(url_for("auth.show_security"))
    return _enrol(current_user, None)


def _enrol(user: User, login: LoginSession | None):
    """Show the QR code and secret; once the first code matches, turn it on and show the
    recovery codes (once: only their digests are kept)."""
    credential = two_factor.start_enrolment(user)
    form = EnrolTwoFactorForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.confirm_enrolment(user, form.code.data)
        except two_factor.WrongCode:
            form.code.errors.append(
                "That code does not match. Check that the app shows this account, and type "
                "the code it shows now."
            )
        else:
            next_path = finish_pending_login(login) if login is not None else None
            end_other_sessions_of(user)
            db.session.commit()
            return _show_recovery_codes(codes, safe_next_path(next_path), first_time=True)
    db.session.commit()  # keep the new secret: reloading the page shows the same QR code
    return render_template(
        "auth/enrol_two_factor.html",
        form=form,
        qr_svg=two_factor.qr_svg(two_factor.provisioning_uri(user, credential)),
        secret=" ".join(credential.secret[i : i + 4] for i in range(0, len(credential.secret), 4)),
        at_login=login is not None,
    )


def _show_recovery_codes(codes: list[str], next_path: str | None, first_time: bool):
    return render_template(
        "auth/recovery_codes.html",
        codes=codes,
        first_time=first_time,
        continue_url=next_path or url_for("main.home"),
    )


@bp.get("/account/security")
def show_security():
    """The user's sign-in security: two-factor status, recovery codes, turning it off."""
    return _security_page(ConfirmPasswordForm(prefix="codes"), DisableTwoFactorForm(prefix="off"))


def _security_page(codes_form: ConfirmPasswordForm, off_form: DisableTwoFactorForm):
    user = current_user
    enabled = two_factor.has_two_factor(user)
    return render_template(
        "auth/show_security.html",
        enabled=enabled,
        codes_left=two_factor.recovery_codes_left(user) if enabled else 0,
        required=user.is_staff and user.practice.require_staff_two_factor,
        codes_form=codes_form,
        off_form=off_form,
    )


@bp.post("/account/security/recovery-codes")
@_limit_per_account()
@keeps_typed_input
def regenerate_recovery_codes():
    """Replace the recovery codes (the old ones stop working); the password confirms it."""
    if not two_factor.has_two_factor(current_user):
        flash("Two-factor sign-in is off, so there are no recovery codes.", "info")
        return redirect(url_for("auth.show_security"))
    form = ConfirmPasswordForm(prefix="codes")
    if form.validate_on_submit():
        try:
            codes = two_factor.regenerate_recovery_codes(current_user, form.password.data)
        except two_factor.WrongPassword:
            g.code_failed = True
            form.password.errors.append(WRONG_PASSWORD)
        else:
            db.session.commit()
            return _show_recovery_codes(codes, url_for("auth.show_security"), first_time=False)
    return _security_page(form, DisableTwoFactorForm(prefix="off", formdata=None))


@bp.post("/account/security/turn-off")
@_limit_per_account()
@keeps_typed_input
def disable_two_factor():
    """Turn two-factor sign-in off, with the password and a current code."""
    if not two_factor.has_two_factor(current_user):
        flash("Two-factor sign-in is already off.", "info")
        return redirect(url_for("auth.show_security"))
    form = DisableTwoFactorForm(prefix="off")
    if form.validate_on_submit() and _turned_off(form):
        db.session.commit()
        flash("Two-factor sign-in is off. Your login now needs only your password.", "success")
        return redirect(url_for("auth.show_security"))
    return _security_page(ConfirmPasswordForm(prefix="codes", formdata=None), form)


def _turned_off(form: DisableTwoFactorForm) -> bool:
    """Try to turn it off; on refusal put the reason on the form and count a failed try."""
    try:
        two_factor.disable_two_factor(current_user, form.password.data, form.code.data)
    except two_factor.TwoFactorRequired:
        form.form_errors.append(REQUIRED_BY_PRACTICE)
    except two_factor.WrongPassword:
        g.code_failed = True
        form.password.errors.append(WRONG_PASSWORD)
    except two_factor.WrongCode:
        g.code_failed = True
        form.code.errors.append(WRONG_CODE)
    else:
        return True
    return False
