"""`flask seed-demo` builds the demo practice the README promises, and only once."""

import pytest
from sqlalchemy import func, select

from tests.helpers import Browser, text_of
from workshop.demo import DEMO_PASSWORD
from workshop.extensions import db
from workshop.models import Couple, User

DEMO_ACCOUNTS = [
    ("admin@example.org", "Your team"),
    ("counselor@example.org", "Your couples"),
    ("counselor2@example.org", "Your couples"),
    ("alex@example.org", "Your sessions"),
    ("sam@example.org", "Your sessions"),
    ("jordan@example.org", "Your sessions"),
    ("riley@example.org", "Your sessions"),
]


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count(User.id))),
            db.session.scalar(select(func.count(Couple.id))),
        )


def test_seed_demo_is_idempotent(app, runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert counts(app) == (7, 2)
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert "0 users and 0 couples added" in second.output
    assert counts(app) == (7, 2)


@pytest.mark.parametrize(("email", "home_marker"), DEMO_ACCOUNTS)
def test_every_demo_account_logs_in_to_its_home(app, runner, email, home_marker):
    runner.invoke(args=["seed-demo"])
    browser = Browser(app.test_client())
    response = browser.login(email, DEMO_PASSWORD, follow_redirects=True)
    assert home_marker in text_of(response)


def test_demo_couples_are_named_as_the_readme_says(app, runner):
    runner.invoke(args=["seed-demo"])
    browser = Browser(app.test_client())
    browser.login("counselor@example.org", DEMO_PASSWORD)
    page = text_of(browser.get("/couples/"))
    assert "Alex & Sam" in page
    assert "Jordan & Riley" in page
