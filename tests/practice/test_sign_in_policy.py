"""The practice setting "require two-factor sign-in for all staff"."""

import pyotp
from sqlalchemy import select

from tests.auth.two_factor_support import clock, recovery_codes_on, secret_on  # noqa: F401
from tests.helpers import text_of
from workshop.demo import DEMO_PASSWORD
from workshop.extensions import db
from workshop.models import Practice

POLICY = "/practice/sign-in"
SET_UP_AT_LOGIN = "/login/set-up-two-factor"


def require_two_factor(browser, on: bool = True):
    data = {"require_staff_two_factor": "y"} if on else {}
    return browser.post(POLICY, data)


def test_admin_turns_the_requirement_on_and_off(app, world, browser):
    browser.login(world.admin)
    page = browser.get(POLICY)
    assert page.status_code == 200
    assert "Require two-factor sign-in" in text_of(page)
    assert require_two_factor(browser).headers["Location"] == POLICY
    with app.app_context():
        assert db.session.get(Practice, world.practice_id).require_staff_two_factor
    require_two_factor(browser, on=False)
    with app.app_context():
        assert not db.session.get(Practice, world.practice_id).require_staff_two_factor


def test_staff_without_two_factor_set_it_up_before_anything_else(
    app,
    world,
    browser,
    make_browser,
    clock,  # noqa: F811
):
    admin = make_browser()
    admin.login(world.admin)
    require_two_factor(admin)

    assert browser.login(world.counselor).headers["Location"] == SET_UP_AT_LOGIN
    assert browser.get("/couples/").headers["Location"] == SET_UP_AT_LOGIN
    page = browser.get(SET_UP_AT_LOGIN)
    assert "Your practice asks every counselor" in text_of(page)
    secret = secret_on(page)

    wrong = browser.post(SET_UP_AT_LOGIN, {"code": "12345"})
    assert "That code does not match" in text_of(wrong)
    assert 'value="12345"' in wrong.get_data(as_text=True)

    done = browser.post(SET_UP_AT_LOGIN, {"code": pyotp.TOTP(secret).at(clock.now)})
    assert len(recovery_codes_on(done)) == 10
    assert browser.get("/couples/").status_code == 200  # logged in now

    # From now on this counselor's logins ask for the code.
    clock.advance(30)
    browser.logout()
    assert browser.login(world.counselor).headers["Location"] == "/login/second-factor"


def test_partners_are_not_held_by_the_staff_requirement(world, browser, make_browser):
    admin = make_browser()
    admin.login(world.admin)
    require_two_factor(admin)
    assert browser.login(world.partner).headers["Location"] == "/"


def test_the_requirement_applies_to_admins_too(world, make_browser):
    admin = make_browser()
    admin.login(world.admin)
    require_two_factor(admin)
    admin.logout()
    assert admin.login(world.admin).headers["Location"] == SET_UP_AT_LOGIN


def test_the_policy_form_survives_odd_input(app, world, browser):
    browser.login(world.admin)
    odd = browser.post(POLICY, {"require_staff_two_factor": "\x00<script>", "practice_id": "999"})
    assert odd.status_code in (200, 302)
    with app.app_context():
        practices = db.session.scalars(select(Practice).order_by(Practice.id)).all()
        assert practices[1].require_staff_two_factor is False  # the other practice untouched


def test_the_demo_practice_keeps_password_only_logins(app, runner, make_browser):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        assert not any(p.require_staff_two_factor for p in db.session.scalars(select(Practice)))
    for email in ("admin@example.org", "counselor@example.org", "alex@example.org"):
        assert make_browser().login(email, DEMO_PASSWORD).headers["Location"] == "/"
