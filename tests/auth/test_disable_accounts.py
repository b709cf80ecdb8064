"""An admin disables an account of their practice: it cannot log in, and its sessions end now."""

from sqlalchemy import select

from tests.auth.conftest import user_by_email
from tests.auth.two_factor_support import enrol
from tests.factories import make_user
from tests.helpers import Browser, text_of
from workshop.audit import Action
from workshop.auth.services import LOGIN_FAILED
from workshop.extensions import db
from workshop.models import AuditEvent, Practice, Role

COUNSELORS = "/practice/counselors"
PARTNERS = "/practice/partners"


def disable(admin: Browser, user_id: int, page: str = COUNSELORS):
    return admin.post(f"/practice/accounts/{user_id}/disable", token_from=page)


def enable(admin: Browser, user_id: int, page: str = COUNSELORS):
    return admin.post(f"/practice/accounts/{user_id}/enable", token_from=page)


def test_disabling_a_counselor_ends_their_open_session_at_once(app, world, make_browser):
    counselor, admin = make_browser(), make_browser()
    counselor.login(world.counselor)
    assert counselor.get("/couples/").status_code == 200
    admin.login(world.admin)

    answer = disable(admin, user_by_email(app, world.counselor).id)
    assert answer.headers["Location"] == COUNSELORS
    assert "account is disabled and their sessions have ended" in text_of(admin.get(COUNSELORS))

    # The counselor's browser, still holding its cookie, is logged out on its next request.
    assert counselor.get("/couples/").headers["Location"].startswith("/login")
    assert counselor.get("/").headers["Location"].startswith("/login")


def test_a_disabled_account_gets_the_same_answer_as_a_wrong_password(app, world, make_browser):
    admin = make_browser()
    admin.login(world.admin)
    disable(admin, user_by_email(app, world.counselor).id)

    disabled = make_browser().login(world.counselor)
    wrong_password = make_browser().login(world.other_counselor, password="not the password")
    assert disabled.status_code == wrong_password.status_code == 200
    assert LOGIN_FAILED in text_of(disabled)
    assert LOGIN_FAILED in text_of(wrong_password)


def test_enabling_lets_the_account_log_in_again(app, world, make_browser):
    admin = make_browser()
    admin.login(world.admin)
    counselor_id = user_by_email(app, world.counselor).id
    disable(admin, counselor_id)
    enable(admin, counselor_id)
    assert "enabled again" in text_of(admin.get(COUNSELORS))
    assert make_browser().login(world.counselor).headers["Location"] == "/"

    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == "user", AuditEvent.object_id == counselor_id)
            .order_by(AuditEvent.id)
        ).all()
    assert actions == [Action.ACCOUNT_DISABLED, Action.ACCOUNT_ENABLED]


def test_a_partner_account_is_disabled_from_the_partners_page(app, world, make_browser):
    partner, admin = make_browser(), make_browser()
    partner.login(world.partner)
    admin.login(world.admin)
    page = text_of(admin.get(PARTNERS))
    assert "Alex" in page
    assert "Disable" in page
    disable(admin, world.partner_id, page=PARTNERS)
    assert "Disabled" in text_of(admin.get(PARTNERS))
    assert partner.get("/").headers["Location"].startswith("/login")
    # The other partner of the couple is not touched.
    other = make_browser()
    assert other.login(world.other_partner_same_couple).headers["Location"] == "/"


def test_a_disabled_account_waiting_for_its_code_is_stopped_too(app, world, make_browser, clock):
    counselor = make_browser()
    counselor.login(world.counselor)
    enrolled = enrol(counselor, clock)
    counselor.logout()
    assert counselor.login(world.counselor).headers["Location"] == "/login/second-factor"

    admin = make_browser()
    admin.login(world.admin)
    disable(admin, user_by_email(app, world.counselor).id)
    answer = counselor.post("/login/second-factor", {"code": enrolled.code(clock)})
    assert answer.headers["Location"].startswith("/login")
    assert counselor.get("/").headers["Location"].startswith("/login")


def test_an_admin_cannot_disable_themselves_another_admin_or_another_practice(
    app, world, make_browser
):
    with app.app_context():
        second_admin = make_user(db.session.get(Practice, world.practice_id), Role.ADMIN)
        db.session.commit()
        second_admin_id = second_admin.id
    admin = make_browser()
    admin.login(world.admin)
    for user_id in (
        user_by_email(app, world.admin).id,
        second_admin_id,
        user_by_email(app, world.other_practice_counselor).id,
    ):
        assert disable(admin, user_id).status_code == 404
    assert make_browser().login(world.other_practice_counselor).headers["Location"] == "/"
    assert admin.get("/").status_code == 200


def test_only_admins_disable_accounts(app, world, make_browser):
    counselor = make_browser()
    counselor.login(world.counselor)
    target = user_by_email(app, world.other_counselor).id
    assert disable(counselor, target, page="/").status_code == 403
    assert make_browser().login(world.other_counselor).headers["Location"] == "/"


def test_disabling_without_a_valid_form_token_changes_nothing(app, world, make_browser):
    admin = make_browser()
    admin.login(world.admin)
    target = user_by_email(app, world.counselor).id
    answer = admin.client.post(f"/practice/accounts/{target}/disable", data={"csrf_token": "x"})
    assert answer.status_code == 400
    assert make_browser().login(world.counselor).headers["Location"] == "/"
