"""Fixtures for the couples pages: the world's counselor logged in, and couples built to order."""

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from tests.factories import make_couple
from workshop.extensions import db
from workshop.models import User


@dataclass
class BuiltCouple:
    """Ids of a couple made by `build_couple`, with its page addresses."""

    id: int
    partner_ids: list[int]

    def url(self, suffix: str = "") -> str:
        return f"/couples/{self.id}{suffix}"

    def partner_url(self, index: int, action: str) -> str:
        return self.url(f"/partners/{self.partner_ids[index]}/{action}")


@pytest.fixture
def counselor(browser, world):
    """The browser, logged in as the world's counselor."""
    browser.login(world.counselor)
    return browser


@pytest.fixture
def build_couple(app, world):
    """Make a couple: build_couple(emails=("a@x.org", None), with_login=False, counselor_email=)."""

    def build(names=("Robin", "Casey"), emails=None, with_login=True, counselor_email=None):
        with app.app_context():
            owner = db.session.scalar(
                select(User).where(User.email == (counselor_email or world.counselor))
            )
            couple = make_couple(owner, names, emails)
            if not with_login:  # invited, not yet joined
                for partner in couple.partners:
                    partner.password_hash = None
            db.session.commit()
            return BuiltCouple(couple.id, [partner.id for partner in couple.partners])

    return build
