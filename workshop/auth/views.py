"""Log in, log out, forgotten password, and the set-password page behind invitation links."""

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from workshop.auth import services, two_factor
from workshop.auth.forms import ForgotPasswordForm, LoginForm, SetPasswordForm
from workshop.auth.sessions import PENDING_PAGES, begin_login, begin_pending_login, end_login
from workshop.extensions import db, limiter
from workshop.forms import keeps_typed_input
from workshop.security import safe_next_path

bp = Blueprint("auth", __name__)


def _login_failed(response) -> bool:
    return bool(g.get("login_failed"))


def _account_key() -> str:
    return "account:" + services.normalise_email(request.form.get("email", ""))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"],
    methods=["POST"],
    deduct_when=_login_failed,
    scope="login-address",
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    methods=["POST"],
    deduct_when=_login_failed,
    key_func=_account_key,
    scope="login-account",
)
@keeps_typed_input
def login():
    """Check credentials; on success start a fresh session and go where the user was headed."""
    next_path = safe_next_path(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_path or url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            return _after_password(user, next_path)
        g.login_failed = True
        form.form_errors.append(services.LOGIN_FAILED)
    return render_template("auth/login.html", form=form, next_path=next_path)


def _after_password(user, next_path: str | None):
    """Log in, or first ask for the second factor (or, where required, its set-up)."""
    step = two_factor.step_after_password(user)
    if step is None:
        begin_login(user)
        db.session.commit()
        return redirect(next_path or url_for("main.home"))
    begin_pending_login(user, step, next_path)
    db.session.commit()
    return redirect(url_for(PENDING_PAGES[step]))


@bp.post("/logout")
def logout():
    """End the login everywhere its cookie may have been copied to."""
    end_login()
    db.session.commit()
    flash("You are logged out.", "success")
    return redirect(url_for("auth.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["PASSWORD_RESET_LIMIT"], methods=["POST"], scope="password-reset"
)
@keeps_typed_input
def forgot_password():
    """Send a reset link; the answer is the same whether the address has an account or not."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/password/set/<token>", methods=["GET", "POST"])
@keeps_typed_input
def set_password(token: str):
    """The page behind invitation and reset links: choose a password, then you are logged in."""
    try:
        record = services.find_usable_token(token)
    except services.TokenNotUsable:
        return render_template("auth/link_not_usable.html"), 410
    form = SetPasswordForm()
    if form.validate_on_submit():
        user = services.set_password_with_token(token, form.password.data)
        # An emailed link is not a second factor: two-factor accounts still give their code.
        response = _after_password(user, None)
        flash("Your password is saved. Welcome!", "success")  # after the session is renewed
        return response
    return render_template(
        "auth/set_password.html", form=form, user=record.user, purpose=record.purpose
    )


# The two-factor pages share this blueprint; importing them registers their routes.
from workshop.auth import two_factor_views  # noqa: E402, F401
