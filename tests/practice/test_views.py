"""An admin invites counselors to their practice and sees only their own practice's staff."""

import re

import pytest
from sqlalchemy import select

from tests.factories import make_user
from tests.helpers import text_of
from workshop.extensions import db
from workshop.models import Practice, Role, User

LINK = re.compile(r"https?://[^/\s]+(/password/set/\S+)")
INVITE = "/practice/counselors/invite"
NEW_COUNSELOR = {"name": "Morgan Lee", "email": "morgan@example.org"}


def link_in(message) -> str:
    """The path of the set-password link in an invitation email."""
    found = LINK.search(message.body)
    assert found, f"no set-password link in {message.body!r}"
    return found.group(1)


def field_error(page: str, field: str) -> str:
    """The error shown under a form field ('' when there is none)."""
    found = re.search(rf'id="{field}-error"[^>]*>(.*?)</p>', page, re.DOTALL)
    return found.group(1).strip() if found else ""


def user_by_email(app, email: str) -> User | None:
    with app.app_context():
        return db.session.scalar(select(User).where(User.email == email))


@pytest.fixture
def admin(browser, world):
    """The browser, logged in as the admin of practice A."""
    browser.login(world.admin)
    return browser


@pytest.fixture
def invited_staff(app, world):
    """A counselor of practice A who was invited and has not chosen a password yet."""
    with app.app_context():
        practice = db.session.get(Practice, world.practice_id)
        user = make_user(practice, Role.COUNSELOR, name="Quinn Invited", password=None)
        db.session.commit()
        return {"id": user.id, "email": user.email}


def test_admin_invites_a_counselor_who_then_joins(app, world, admin, make_browser, outbox):
    response = admin.post(INVITE, NEW_COUNSELOR)

    assert response.status_code == 302
    assert response.headers["Location"] == "/practice/counselors"
    assert [message.to for message in outbox] == [["morgan@example.org"]]
    listing = text_of(admin.get("/practice/counselors"))
    assert "Morgan Lee" in listing
    assert "Invited" in listing

    morgan = make_browser()
    password = "morgan's long passphrase"
    joined = morgan.post(link_in(outbox[0]), {"password": password, "confirm": password})
    assert joined.status_code == 302
    home = text_of(morgan.get(joined.headers["Location"]))
    assert "Your couples" in home  # the counselor's home
    invited = user_by_email(app, "morgan@example.org")
    assert (invited.role, invited.practice_id) == (Role.COUNSELOR, world.practice_id)


def test_the_invitation_link_works_only_once(admin, make_browser, outbox):
    admin.post(INVITE, NEW_COUNSELOR)
    link = link_in(outbox[0])
    make_browser().post(link, {"password": "long passphrase", "confirm": "long passphrase"})

    assert make_browser().get(link).status_code == 410


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter an email address."),
        ("morgan@", "Enter an email address like name@example.org."),
        ("morgan example.org", "Enter an email address like name@example.org."),
    ],
)
def test_a_bad_email_is_refused_on_its_field(app, admin, outbox, email, message):
    response = admin.post(INVITE, {"name": "Morgan Lee", "email": email})

    assert response.status_code == 200
    page = text_of(response)
    assert field_error(page, "email") == message
    assert 'value="Morgan Lee"' in page
    assert outbox == []


def test_an_email_already_in_use_is_refused_on_its_field(app, world, admin, outbox):
    taken = world.other_practice_counselor.upper()  # in any practice, in any case
    response = admin.post(INVITE, {"name": "Morgan Lee", "email": taken})

    assert response.status_code == 200
    page = text_of(response)
    assert field_error(page, "email") == "An account with this email address already exists."
    assert f'value="{taken}"' in page
    assert outbox == []


def test_a_missing_name_is_refused_on_its_field(admin, outbox):
    response = admin.post(INVITE, {"name": "  ", "email": "morgan@example.org"})

    assert field_error(text_of(response), "name") == "Enter the full name."
    assert outbox == []


def test_admin_sees_only_their_own_practices_staff(app, world, admin):
    names = {
        email: user_by_email(app, email).name
        for email in vars(world).values()
        if isinstance(email, str)
    }

    page = text_of(admin.get("/practice/counselors"))

    for own in (world.admin, world.counselor, world.other_counselor):
        assert names[own] in page
    for foreign in (world.other_practice_admin, world.other_practice_counselor):
        assert names[foreign] not in page
        assert foreign not in page
    assert names[world.partner] not in page  # partners are not staff


def test_admin_sends_an_invitation_again(admin, invited_staff, make_browser, outbox):
    url = f"/practice/staff/{invited_staff['id']}/resend-invitation"

    response = admin.post(url, token_from="/practice/counselors")

    assert response.status_code == 302
    assert [message.to for message in outbox] == [[invited_staff["email"]]]
    assert "A new invitation is on its way" in text_of(admin.get("/practice/counselors"))
    assert make_browser().get(link_in(outbox[0])).status_code == 200


def test_no_invitation_goes_to_staff_who_already_joined(app, world, admin, outbox):
    joined = user_by_email(app, world.counselor)
    url = f"/practice/staff/{joined.id}/resend-invitation"

    response = admin.post(url, token_from="/practice/counselors")

    assert response.status_code == 302
    assert "already has an account" in text_of(admin.get(response.headers["Location"]))
    assert outbox == []


def test_staff_of_another_practice_is_not_found(app, world, browser, invited_staff, outbox):
    browser.login(world.other_practice_admin)
    url = f"/practice/staff/{invited_staff['id']}/resend-invitation"

    assert browser.post(url, token_from="/practice/counselors").status_code == 404
    assert outbox == []


def test_a_partner_is_not_staff(app, world, admin, outbox):
    partner = user_by_email(app, world.partner)
    url = f"/practice/staff/{partner.id}/resend-invitation"

    assert admin.post(url, token_from="/practice/counselors").status_code == 404
    assert outbox == []


@pytest.mark.parametrize("who", ["counselor", "partner"])
def test_only_admins_manage_the_practice(world, browser, who):
    browser.login(getattr(world, who))
    assert browser.get("/practice/counselors").status_code == 403
    assert browser.get(INVITE).status_code == 403
