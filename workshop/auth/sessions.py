"""Server-side login sessions.

Flask keeps its session in a signed cookie, which stays valid after logout if someone copied it.
So each login gets a row in `login_session`; the cookie carries only a random token naming it,
and a login counts only while its row is open, recently used and not too old.
"""

from datetime import datetime, timedelta
from typing import NamedTuple

from flask import (
    Flask,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import joinedload, make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from workshop.extensions import db, login_manager
from workshop.models import STAFF_ROLES, LoginSession, PendingStep, User, utcnow
from workshop.security import new_token, token_digest
from workshop.statements import plain_rows

SESSION_KEY = "login_token"
PENDING_NEXT_KEY = "pending_next"  # where the user was headed when the password was accepted
# Time to type a code after the password (or to set up the app when the practice requires it).
PENDING_TTL = timedelta(minutes=15)
# Writing last_seen on every request would cost a write per page; a minute's slack is harmless.
TOUCH_INTERVAL = timedelta(seconds=60)
# Form fields not worth handing back: the stale token, version counters and buttons' labels.
NOT_KEPT = frozenset({"csrf_token", "submit", "save_draft", "version", "confirm_overlap"})


def init_app(app: Flask) -> None:
    """Wire Flask-Login to the session table."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(ask_to_log_in)


def ask_to_log_in():
    """Send anonymous visitors to the login page; a POST's typed text comes back to them there.

    A login that timed out while someone wrote a long answer must not swallow the answer: we
    cannot save it for an anonymous visitor, but we can hand it back to be copied.
    """
    from workshop.auth.forms import LoginForm

    if request.method == "POST" and request.form:
        kept = [
            (readable_name(name), value)
            for name, value in request.form.items(multi=True)
            if name not in NOT_KEPT and "password" not in name and value.strip()
        ]
        # The login form must post to the login page (not back here), then lead back to the
        # form the text came from when that is a page one can open.
        rule = request.url_rule
        back_to = request.path if rule is not None and "GET" in (rule.methods or ()) else None
        return render_template(
            "auth/login.html", form=LoginForm(formdata=None), kept_text=kept, next_path=back_to
        ), 401
    flash(login_manager.login_message, login_manager.login_message_category)
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("auth.login", next=target))


def readable_name(field_name: str) -> str:
    """A form field's name as a person would read it: "a_good_moments-0" -> "Good moments 1"."""
    name = field_name.removeprefix("a_")
    base, _, index = name.partition("-")
    words = base.replace("_", " ").strip().capitalize()
    return f"{words} {int(index) + 1}" if index.isdigit() else words


def begin_login(user: User) -> None:
    """Log the user in on a fresh session: new cookie contents, new server-side login."""
    session.clear()
    session[SESSION_KEY] = start_login_session(user)
    login_user(user)


def begin_pending_login(user: User, step: PendingStep, next_path: str | None) -> None:
    """The password was right, but the login waits for `step`: the user stays anonymous, and
    the cookie names a login that reaches nothing but that step's page (hold_pending_login)."""
    session.clear()
    session[SESSION_KEY] = start_login_session(user, pending_step=step)
    if next_path:
        session[PENDING_NEXT_KEY] = next_path


def finish_pending_login(login: LoginSession) -> str | None:
    """The step is done: end the pending login and log in on a fresh one (a new token, so a
    cookie copied while pending is worth nothing). Returns where the user was headed."""
    next_path = session.get(PENDING_NEXT_KEY)
    login.ended_at = utcnow()
    begin_login(login.user)
    return next_path


def pending_login() -> LoginSession | None:
    """The login of this request while it waits for a step after the password, else None.

    Only a cookie naming a login without being logged in costs a query, so ordinary pages pay
    nothing for this check."""
    if "pending_login" in g:
        return g.pending_login
    found = None
    if session.get(SESSION_KEY) and not current_user.is_authenticated:
        login = _find_login(session.get(SESSION_KEY))
        if login is not None and login.pending_step and _pending_still_valid(login):
            found = login
    g.pending_login = found
    return found


def _pending_still_valid(login: LoginSession) -> bool:
    """Open, recent, and of an account not disabled since the password was typed."""
    recent = utcnow() - login.created_at <= PENDING_TTL
    return login.ended_at is None and login.user.is_active and recent


# The pages a pending login may reach besides logout and static files, by step.
PENDING_PAGES = {
    PendingStep.SECOND_FACTOR: "auth.second_factor",
    PendingStep.ENROLMENT: "auth.enrol_at_login",
}
ALWAYS_REACHABLE = frozenset({"auth.logout", "static"})


def hold_pending_login():
    """Before every request: a login waiting for its second factor (or for enrolment) reaches
    that one page, logout and static files; every other route, public ones included,
    redirects there. Called from workshop.access before ROUTE_ACCESS is applied."""
    login = pending_login()
    if login is None or request.endpoint in ALWAYS_REACHABLE:
        return None
    page = PENDING_PAGES[PendingStep(login.pending_step)]
    if request.endpoint == page:
        return None
    return redirect(url_for(page))


def end_login() -> None:
    """Log out: close the server-side login and empty the cookie."""
    end_login_session(session.get(SESSION_KEY))
    logout_user()
    session.clear()


def start_login_session(user: User, pending_step: PendingStep | None = None) -> str:
    """Open a login for the user and return the token for the cookie."""
    token = new_token()
    now = utcnow()
    db.session.add(
        LoginSession(
            token_hash=token_digest(token),
            user=user,
            created_at=now,
            last_seen_at=now,
            ip_address=request.remote_addr,
            user_agent=(request.user_agent.string or "")[:255],
            pending_step=pending_step,
        )
    )
    if pending_step is None:
        user.last_login_at = now
    return token


def end_login_session(token: str | None) -> None:
    """Close the login named by the token, so its cookie no longer works anywhere."""
    login = _find_login(token)
    if login is not None and login.ended_at is None:
        login.ended_at = utcnow()


def end_all_sessions_of(user: User) -> None:
    """Close every open login of the user (password changed, account disabled)."""
    open_logins = select(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.ended_at.is_(None)
    )
    now = utcnow()
    for login in db.session.scalars(open_logins):
        login.ended_at = now


def end_other_sessions_of(user: User) -> None:
    """Close the user's open logins except this browser's (two-factor sign-in was just turned
    on: a login elsewhere made with the password alone must not outlive that)."""
    this_login = token_digest(session.get(SESSION_KEY) or "")
    others = select(LoginSession).where(
        LoginSession.user_id == user.id,
        LoginSession.ended_at.is_(None),
        LoginSession.token_hash != this_login,
    )
    now = utcnow()
    for login in db.session.scalars(others):
        login.ended_at = now


def timeouts_for(user: User) -> tuple[timedelta, timedelta]:
    """(idle, absolute) limits for the user's role; staff hold more data, so theirs are shorter."""
    config = current_app.config
    if user.role in STAFF_ROLES:
        return config["STAFF_IDLE_TIMEOUT"], config["STAFF_ABSOLUTE_TIMEOUT"]
    return config["PARTNER_IDLE_TIMEOUT"], config["PARTNER_ABSOLUTE_TIMEOUT"]


def expiry_reason(login: "LoginSession | OpenLogin", now: datetime) -> str | None:
    """Why the login is over (a sentence for the user), or None while it is still valid."""
    idle, absolute = timeouts_for(login.user)
    if now - login.created_at > absolute:
        return (
            f"You were signed out because a login lasts at most {_describe(absolute)}. "
            "Please log in again."
        )
    if now - login.last_seen_at > idle:
        return f"You were signed out after {_describe(idle)} without activity. Please log in again."
    return None


def _describe(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes % 60 or minutes < 60:
        return f"{minutes} minute" + ("s" if minutes != 1 else "")
    hours = minutes // 60
    return f"{hours} hour" + ("s" if hours != 1 else "")


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the user of an open, unexpired login named by the cookie."""
    login = _open_login(session.get(SESSION_KEY))
    if login is None or login.ended_at is not None or str(login.user.id) != user_id:
        return None
    if login.pending_step:
        return None  # never a full login before its pending step is done
    now = utcnow()
    reason = expiry_reason(login, now)
    if not login.user.is_active or reason:
        _update_login(login.id, ended_at=now)
        session.clear()
        if reason:
            flash(reason, "info")
        return None
    if now - login.last_seen_at > TOUCH_INTERVAL:
        _update_login(login.id, last_seen_at=now)
    return login.user


class OpenLogin(NamedTuple):
    """What checking a request's login reads: its user (the ORM object current_user is) and
    the login's own columns, without a LoginSession object."""

    user: User
    id: int
    created_at: datetime
    last_seen_at: datetime
    ended_at: datetime | None
    pending_step: str | None


# Built once: every logged-in request runs them, and building a statement costs more Python
# than running it (SQLAlchemy caches the compiled SQL, not the construction).
LOGIN_BY_TOKEN = (
    select(LoginSession)
    .options(joinedload(LoginSession.user))
    .where(LoginSession.token_hash == bindparam("token_hash"))
)
# Every logged-in request checks its login: it reads the user's columns and the login's as
# one plain row (workshop.statements.plain_rows) and makes the user's ORM object from it
# (_user_in_session): about half the Python of loading the user through the ORM, itself half
# that of a LoginSession joined to its User.
_USER_ATTRIBUTES = User.__mapper__.column_attrs
OPEN_LOGIN_BY_TOKEN = (
    select(
        *[attribute.columns[0] for attribute in _USER_ATTRIBUTES],
        LoginSession.id,
        LoginSession.created_at,
        LoginSession.last_seen_at,
        LoginSession.ended_at,
        LoginSession.pending_step,
    )
    .join(LoginSession, LoginSession.user_id == User.id)
    .where(LoginSession.token_hash == bindparam("token_hash"))
)
_USER_KEYS = [attribute.key for attribute in _USER_ATTRIBUTES]
_USER_ID_PLACE = _USER_KEYS.index("id")


def _find_login(token: str | None) -> LoginSession | None:
    if not token:
        return None
    return db.session.scalar(LOGIN_BY_TOKEN, {"token_hash": token_digest(token)})


def _open_login(token: str | None) -> OpenLogin | None:
    """The login named by the cookie's token, with its user, for checking it (load_user)."""
    if not token:
        return None
    rows = plain_rows(OPEN_LOGIN_BY_TOKEN, {"token_hash": token_digest(token)})
    if not rows:
        return None
    user_values, login_values = rows[0][: len(_USER_KEYS)], rows[0][len(_USER_KEYS) :]
    return OpenLogin(_user_in_session(user_values), *login_values)


def _user_in_session(values) -> User:
    """The user of these column values (_USER_KEYS' order) as the session's persistent
    object, as if the ORM had loaded it: made from the row and attached without a statement.
    A user the session already holds is that object (refreshed by the ORM if expired), as a
    query would give it."""
    user_id = values[_USER_ID_PLACE]
    if db.session.identity_map.get(identity_key(User, user_id)) is not None:
        return db.session.get(User, user_id)
    user = User(**dict(zip(_USER_KEYS, values, strict=True)))
    make_transient_to_detached(user)  # the values as loaded: nothing to write back
    db.session.add(user)
    return user


def _update_login(login_id: int, **values) -> None:
    """Write the login's new end or last-seen time; load_login commits it before the view."""
    db.session.execute(update(LoginSession).where(LoginSession.id == login_id).values(**values))
    g.login_changed = True
