"""Two-factor sign-in: setting it up, logging in with it, recovery codes, turning it off."""

import pyotp
import pytest
from sqlalchemy import select, text

from tests.auth.conftest import link_path, user_by_email
from tests.auth.two_factor_support import (
    enrol,
    log_in_with_code,
    recovery_codes_on,
    secret_on,
)
from tests.helpers import Browser, text_of
from workshop.audit import Action
from workshop.extensions import db
from workshop.models import AuditEvent, Practice, RecoveryCode

SECURITY = "/account/security"
SET_UP = "/account/security/set-up"
SECOND_FACTOR = "/login/second-factor"


def audit_actions(app, email: str) -> list[str]:
    user_id = user_by_email(app, email).id
    with app.app_context():
        query = select(AuditEvent.action).where(
            AuditEvent.object_type == "user", AuditEvent.object_id == user_id
        )
        return list(db.session.scalars(query.order_by(AuditEvent.id)))


# --- setting it up -----------------------------------------------------------------------------


def test_set_up_page_draws_the_qr_code_itself_and_shows_the_key(browser, world, clock):
    browser.login(world.counselor)
    page = browser.get(SET_UP)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    # Inline SVG markup drawn by the server: no request for it, nothing the CSP would block.
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'class="qr-code"' in svg
    assert "href" not in svg
    assert "<img" not in svg
    assert "style=" not in svg
    assert "data:" not in html
    assert "<script>" not in html
    secret = secret_on(page)
    assert len(secret) == 32
    # Reloading keeps the same key, so a code already scanned stays good.
    assert secret_on(browser.get(SET_UP)) == secret


def test_two_factor_is_on_only_after_a_matching_code(app, browser, world, clock):
    browser.login(world.counselor)
    secret = secret_on(browser.get(SET_UP))
    wrong = browser.post(SET_UP, {"code": "000000"})
    assert wrong.status_code == 200
    assert "That code does not match" in text_of(wrong)
    assert 'value="000000"' in wrong.get_data(as_text=True)  # the typed text is kept
    assert "Two-factor sign-in is off" in text_of(browser.get(SECURITY))

    done = browser.post(SET_UP, {"code": pyotp.TOTP(secret).at(clock.now)})
    assert "Two-factor sign-in is on" in text_of(done)
    assert len(set(recovery_codes_on(done))) == 10
    assert done.headers["Cache-Control"] == "no-store"  # shown once, kept in no cache
    assert "Two-factor sign-in is on" in text_of(browser.get(SECURITY))
    assert audit_actions(app, world.counselor) == [Action.TWO_FACTOR_ENABLED]


def test_recovery_codes_are_stored_only_as_digests(app, browser, world, clock):
    browser.login(world.partner)
    enrolled = enrol(browser, clock)
    with app.app_context():
        stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
        # Read past the ORM type, as someone with a copy of the database would.
        raw = db.session.scalars(text("SELECT secret FROM two_factor_credential")).all()
    assert len(stored) == 10
    for code in enrolled.recovery_codes:
        assert all(code not in value and code.replace("-", "") not in value for value in stored)
    assert enrolled.secret not in raw[0]  # the secret itself is encrypted in the table


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the code."),
        ("1" * 41, "longer than any code"),
        ("12\x0034", "cannot be stored"),
        ("<b>123456</b>", "That code does not match"),
    ],
)
def test_bad_input_on_the_set_up_form_is_answered_on_the_field(
    browser, world, clock, typed, message
):
    browser.login(world.counselor)
    page = browser.post(SET_UP, {"code": typed})
    assert page.status_code == 200
    assert message in text_of(page)
    assert 'aria-invalid="true"' in page.get_data(as_text=True)


# --- logging in --------------------------------------------------------------------------------


def test_login_with_two_factor_asks_for_the_code_then_goes_where_the_user_was_headed(
    browser, world, clock
):
    browser.login(world.counselor)
    enrolled = enrol(browser, clock)
    browser.logout()

    first = browser.post(
        "/login?next=/couples/",
        {"email": world.counselor, "password": "a long and private passphrase"},
    )
    assert first.headers["Location"] == SECOND_FACTOR
    assert browser.get("/").headers["Location"] == SECOND_FACTOR  # nothing else yet
    done = browser.post(SECOND_FACTOR, {"code": enrolled.code(clock)})
    assert done.headers["Location"] == "/couples/"
    assert browser.get("/").status_code == 200


def test_a_code_cannot_be_used_twice_even_within_its_window(browser, make_browser, world, clock):
    browser.login(world.counselor)
    enrolled = enrol(browser, clock)
    browser.logout()
    code = enrolled.code(clock)
    assert log_in_with_code(browser, world.counselor, code).headers["Location"] == "/"

    # Someone who saw the code over the user's shoulder tries it ten seconds later.
    clock.advance(10)
    thief = make_browser()
    replay = log_in_with_code(thief, world.counselor, code)
    assert replay.status_code == 200
    assert "That code is not valid" in text_of(replay)
    assert thief.get("/").headers["Location"] == SECOND_FACTOR


def test_a_code_older_than_one_already_used_is_refused(browser, make_browser, world, clock):
    browser.login(world.partner)
    enrolled = enrol(browser, clock)
    browser.logout()
    # The app's next code (clock drift of one step is accepted) is used first...
    assert log_in_with_code(browser, world.partner, enrolled.code(clock, 1)).status_code == 302
    # ...so the current one, still inside its window, is older and refused.
    late = log_in_with_code(make_browser(), world.partner, enrolled.code(clock))
    assert "That code is not valid" in text_of(late)


def test_codes_outside_the_drift_window_are_refused(browser, make_browser, world, clock):
    browser.login(world.counselor)
    enrolled = enrol(browser, clock)
    browser.logout()
    for offset in (-2, 2):
        answer = log_in_with_code(make_browser(), world.counselor, enrolled.code(clock, offset))
        assert "That code is not valid" in text_of(answer)


def test_a_recovery_code_logs_in_once(app, browser, make_browser, world, clock):
    browser.login(world.counselor)
    enrolled = enrol(browser, clock)
    browser.logout()
    code = enrolled.recovery_codes[3].upper()  # typed in capitals: still accepted

    done = log_in_with_code(browser, world.counselor, code)
    assert done.headers["Location"] == "/"
    assert "9 of them are left" in text_of(browser.get("/"))
    assert Action.RECOVERY_CODE_USED in audit_actions(app, world.counselor)

    again = log_in_with_code(make_browser(), world.counselor, code)
    assert "That code is not valid" in text_of(again)


def test_wrong_second_factor_codes_are_rate_limited(tuned_browser, world, clock):
    browser = tuned_browser(SECOND_FACTOR_LIMIT_PER_ACCOUNT="2 per 15 minutes")
    browser.login(world.counselor)
    enrolled = enrol(browser, clock)
    browser.logout()
    browser.login(world.counselor)
    for _ in range(2):
        assert browser.post(SECOND_FACTOR, {"code": "000000"}).status_code == 200
    assert browser.post(SECOND_FACTOR, {"code": "000000"}).status_code == 429
    # The right code does not get through the limit either: that is the point of it.
    assert browser.post(SECOND_FACTOR, {"code": enrolled.code(clock)}).status_code == 429


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the code."),
        ("x" * 41, "longer than any code"),
        ("abcd\x00", "cannot be stored"),
        ("\u202e123456", "That code is not valid"),
    ],
)
def test_bad_input_on_the_second_factor_form_is_answered_on_the_field(
    browser, world, clock, typed, message
):
    browser.login(world.partner)
    enrol(browser, clock)
    browser.logout()
    page = log_in_with_code(browser, world.partner, typed)
    assert page.status_code == 200
    assert message in text_of(page)
    assert 'aria-invalid="true"' in page.get_data(as_text=True)


def test_pending_login_can_be_cancelled(browser, world, clock):
    browser.login(world.counselor)
    enrol(browser, clock)
    browser.logout()
    browser.login(world.counselor)
    browser.post("/logout", token_from=SECOND_FACTOR)
    assert browser.get(SECOND_FACTOR).headers["Location"] == "/login"
    assert browser.get("/").headers["Location"].startswith("/login")


def test_a_password_reset_link_does_not_skip_the_second_factor(browser, world, clock, outbox):
    browser.login(world.counselor)
    enrolled = enrol(browser, clock)
    browser.logout()
    browser.post("/password/forgot", {"email": world.counselor})
    link = link_path(outbox[-1])
    new_password = "another long passphrase"
    reset = browser.post(link, {"password": new_password, "confirm": new_password})
    assert reset.headers["Location"] == SECOND_FACTOR
    assert browser.get("/").headers["Location"] == SECOND_FACTOR
    assert browser.post(SECOND_FACTOR, {"code": enrolled.code(clock)}).headers["Location"] == "/"


# --- recovery codes and turning it off ---------------------------------------------------------


def test_new_recovery_codes_need_the_password_and_retire_the_old_ones(
    app, browser, make_browser, world, clock
):
    browser.login(world.counselor)
    enrolled = enrol(browser, clock)
    url = "/account/security/recovery-codes"
    wrong = browser.post(url, {"codes-password": "not it"}, token_from=SECURITY)
    assert "That is not your password." in text_of(wrong)
    fresh = browser.post(
        url, {"codes-password": "a long and private passphrase"}, token_from=SECURITY
    )
    new_codes = recovery_codes_on(fresh)
    assert len(new_codes) == 10
    assert not set(new_codes) & set(enrolled.recovery_codes)
    assert Action.RECOVERY_CODES_REPLACED in audit_actions(app, world.counselor)

    old = log_in_with_code(make_browser(), world.counselor, enrolled.recovery_codes[0])
    assert "That code is not valid" in text_of(old)
    assert log_in_with_code(make_browser(), world.counselor, new_codes[0]).status_code == 302


def test_turning_it_off_needs_the_password_and_a_code(app, browser, world, clock):
    browser.login(world.partner)
    enrolled = enrol(browser, clock)
    url = "/account/security/turn-off"
    password = "a long and private passphrase"  # noqa: S105

    no_password = browser.post(url, {"off-password": "wrong", "off-code": enrolled.code(clock)},
                               token_from=SECURITY)  # fmt: skip
    assert "That is not your password." in text_of(no_password)
    no_code = browser.post(url, {"off-password": password, "off-code": "123456"},
                           token_from=SECURITY)  # fmt: skip
    assert "That code is not valid" in text_of(no_code)
    assert 'value="123456"' in no_code.get_data(as_text=True)  # the typed code is kept
    assert "Two-factor sign-in is on" in text_of(browser.get(SECURITY))

    off = browser.post(url, {"off-password": password, "off-code": enrolled.code(clock)},
                       token_from=SECURITY, follow_redirects=True)  # fmt: skip
    assert "Two-factor sign-in is off" in text_of(off)
    assert Action.TWO_FACTOR_DISABLED in audit_actions(app, world.partner)
    browser.logout()
    assert browser.login(world.partner).headers["Location"] == "/"  # password only again


def test_staff_cannot_turn_it_off_when_the_practice_requires_it(app, browser, world, clock):
    browser.login(world.counselor)
    enrolled = enrol(browser, clock)
    with app.app_context():
        db.session.get(Practice, world.practice_id).require_staff_two_factor = True
        db.session.commit()
    page = browser.post(
        "/account/security/turn-off",
        {"off-password": "a long and private passphrase", "off-code": enrolled.code(clock)},
        token_from=SECURITY,
    )
    assert page.status_code == 200
    assert "requires two-factor sign-in for staff" in text_of(page)
    assert "Two-factor sign-in is on" in text_of(browser.get(SECURITY))


def test_forms_on_the_security_page_refuse_empty_and_unstorable_input(browser, world, clock):
    browser.login(world.counselor)
    enrol(browser, clock)
    empty = browser.post("/account/security/turn-off", {}, token_from=SECURITY)
    assert "Enter your password to confirm." in text_of(empty)
    assert "Enter the code." in text_of(empty)
    nul = browser.post(
        "/account/security/turn-off",
        {"off-password": "x", "off-code": "12\x003456"},
        token_from=SECURITY,
    )
    assert nul.status_code == 200
    assert "cannot be stored" in text_of(nul)
    codes = browser.post("/account/security/recovery-codes", {}, token_from=SECURITY)
    assert codes.status_code == 200
    assert "Enter your password to confirm." in text_of(codes)


def test_security_page_without_two_factor_offers_to_set_it_up(browser, world):
    browser.login(world.admin)
    page = browser.get(SECURITY)
    assert "Set up two-factor sign-in" in text_of(page)
    gone = browser.post("/account/security/turn-off", {}, token_from=SECURITY)
    assert gone.headers["Location"] == SECURITY


def test_a_second_browser_is_not_let_in_by_the_first_ones_code(world, app, clock):
    """Each login waits for its own second factor: a code typed elsewhere lets in nobody else."""
    first, second = Browser(app.test_client()), Browser(app.test_client())
    first.login(world.counselor)
    enrolled = enrol(first, clock)
    first.logout()
    first.login(world.counselor)
    second.login(world.counselor)
    first.post(SECOND_FACTOR, {"code": enrolled.code(clock)})
    assert first.get("/").status_code == 200
    assert second.get("/").headers["Location"] == SECOND_FACTOR


def test_turning_it_on_ends_the_users_logins_made_with_the_password_alone(
    browser, make_browser, world, clock
):
    elsewhere = make_browser()
    elsewhere.login(world.counselor)
    browser.login(world.counselor)
    enrol(browser, clock)
    assert browser.get("/").status_code == 200  # this browser stays logged in
    assert elsewhere.get("/").headers["Location"].startswith("/login")
