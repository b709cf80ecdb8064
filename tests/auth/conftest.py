"""Fixtures for the sign-in stories: reaching into the login and link tables, and tuned apps."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import test_config
from tests.helpers import Browser
from workshop import create_app
from workshop.extensions import db
from workshop.models import AccountToken, LoginSession, User, utcnow

LINK = re.compile(r"(https?://\S+?)(/password/set/[\w-]+)")


def link_path(message) -> str:
    """The path of the set-password link in an email."""
    found = LINK.search(message.body)
    assert found, f"no set-password link in {message.body!r}"
    return found.group(2)


def user_by_email(app, email: str) -> User:
    with app.app_context():
        return db.session.scalar(select(User).where(User.email == email))


@pytest.fixture
def age_logins(app):
    """age_logins(email, idle=, age=): pretend the user's open logins were last used `idle`
    ago and began `age` ago (defaults: no change)."""

    def age(email: str, idle: timedelta | None = None, since: timedelta | None = None) -> None:
        with app.app_context():
            user = db.session.scalar(select(User).where(User.email == email))
            logins = db.session.scalars(
                select(LoginSession).where(
                    LoginSession.user_id == user.id, LoginSession.ended_at.is_(None)
                )
            ).all()
            assert logins, f"{email} has no open login"
            now = utcnow()
            for login in logins:
                if since is not None:
                    login.created_at = now - since
                if idle is not None:
                    login.last_seen_at = now - idle
            db.session.commit()

    return age


@pytest.fixture
def age_links(app):
    """age_links(email, by): move every link of the user `by` further into the past."""

    def age(email: str, by: timedelta) -> None:
        with app.app_context():
            user = db.session.scalar(select(User).where(User.email == email))
            for token in db.session.scalars(
                select(AccountToken).where(AccountToken.user_id == user.id)
            ):
                token.expires_at -= by
                token.created_at -= by
            db.session.commit()

    return age


@pytest.fixture
def tuned_browser(app, database_url):
    """tuned_browser(**config): a browser on a fresh app with these settings, same database.

    Requests `app` so its teardown empties the tables this app writes to.
    """

    def build(**overrides) -> Browser:
        return Browser(create_app(test_config(database_url, **overrides)).test_client())

    return build


# The controllable TOTP clock of the two-factor stories, for every test in this folder.
from tests.auth.two_factor_support import clock  # noqa: E402, F401
