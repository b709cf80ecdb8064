"""Rules for accounts: checking credentials, invitation and reset links, setting passwords."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from workshop.auth.sessions import end_all_sessions_of
from workshop.extensions import db
from workshop.mail_outbox import public_url, queue_email
from workshop.models import AccountToken, TokenPurpose, User, utcnow
from workshop.security import (
    hash_password,
    needs_rehash,
    new_token,
    token_digest,
    verify_password,
)

LOGIN_FAILED = "That email and password do not match an account. Check both and try again."


class TokenNotUsable(Exception):
    """The link was already used, has expired, or never existed."""


def normalise_email(email: str) -> str:
    """The form in which emails are stored and compared."""
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None (the same answer for every failure)."""
    user = find_user_by_email(email)
    password_ok = verify_password(user.password_hash if user else None, password)
    if user is None or not password_ok or not user.is_active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def issue_token(user: User, purpose: TokenPurpose) -> str:
    """A new single-use link token for the user; only its digest is stored."""
    token = new_token()
    ttl = _token_ttl(purpose)
    db.session.add(
        AccountToken(
            user=user,
            purpose=purpose,
            token_hash=token_digest(token),
            expires_at=utcnow() + ttl,
        )
    )
    return token


def send_invitation(user: User, invited_by: User) -> None:
    """Email the user a link to choose a password and join the practice."""
    token = issue_token(user, TokenPurpose.INVITATION)
    queue_email(
        user.email,
        f"{invited_by.practice.name}: your invitation",
        "invitation",
        user=user,
        invited_by=invited_by,
        link=public_url("auth.set_password", token=token),
        valid_for=_describe(_token_ttl(TokenPurpose.INVITATION)),
    )


def request_password_reset(email: str) -> None:
    """Email a reset link if an active account uses this address; say nothing either way."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    token = issue_token(user, TokenPurpose.PASSWORD_RESET)
    queue_email(
        user.email,
        "Reset your password",
        "password_reset",
        user=user,
        link=public_url("auth.set_password", token=token),
        valid_for=_describe(_token_ttl(TokenPurpose.PASSWORD_RESET)),
    )


def find_usable_token(token: str) -> AccountToken:
    """The unused, unexpired token record behind a link, or TokenNotUsable."""
    record = db.session.scalar(
        select(AccountToken).where(AccountToken.token_hash == token_digest(token))
    )
    if record is None or record.used_at is not None or record.expires_at <= utcnow():
        raise TokenNotUsable
    if not record.user.is_active:
        raise TokenNotUsable
    return record


def set_password_with_token(token: str, password: str) -> User:
    """Use the link once: set the password, retire the user's other links and logins."""
    record = find_usable_token(token)
    user = record.user
    user.password_hash = hash_password(password)
    retire_links(user)
    end_all_sessions_of(user)
    return user


def retire_links(user: User) -> None:
    """Void the user's unused password links (this one once used, or those sent elsewhere)."""
    db.session.execute(
        update(AccountToken)
        .where(AccountToken.user_id == user.id, AccountToken.used_at.is_(None))
        .values(used_at=utcnow())
    )


def _token_ttl(purpose: TokenPurpose) -> timedelta:
    if purpose == TokenPurpose.INVITATION:
        return current_app.config["INVITATION_TTL"]
    return current_app.config["PASSWORD_RESET_TTL"]


def _describe(ttl: timedelta) -> str:
    hours = int(ttl.total_seconds() // 3600)
    if hours >= 48:
        return f"{hours // 24} days"
    return f"{hours} hour" + ("s" if hours != 1 else "")
