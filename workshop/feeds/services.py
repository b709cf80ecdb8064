"""Rules for calendar feeds: whose feed a user manages, and its secret token."""

import secrets

from flask import abort

from workshop.models import Couple, Role, User

TOKEN_BYTES = 32  # 43 URL-safe characters: a feed URL cannot be guessed


def feed_owner_or_404(user: User) -> User | Couple:
    """A counselor owns their own feed; a partner shares their couple's feed."""
    if user.role == Role.COUNSELOR:
        return user
    if user.role == Role.PARTNER and user.couple is not None:
        return user.couple
    return abort(404)


def ensure_token(owner: User | Couple) -> bool:
    """Give the owner a feed token if they have none yet. True when one was created."""
    if owner.calendar_token:
        return False
    owner.calendar_token = new_token()
    return True


def rotate_token(owner: User | Couple) -> None:
    """Replace the feed token: the old feed URL stops working at once."""
    owner.calendar_token = new_token()


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)
