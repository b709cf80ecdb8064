"""A counselor adds couples, invites the partners, and reaches only the couples they work with."""

import re

import pytest
from sqlalchemy import func, select

from tests.factories import make_couple, make_user
from tests.helpers import counting_queries, text_of, without_tokens
from workshop.extensions import db
from workshop.models import Couple, Practice, Role, User

LINK = re.compile(r"https?://[^/\s]+(/password/set/\S+)")
COUPLE_NAME = re.compile(r"Ann\d\d & Ben\d\d")
NEW_COUPLE = {
    "first_name": "Robin",
    "first_email": "robin@example.org",
    "second_name": "Casey",
    "second_email": "casey@example.org",
}


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


def couple_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Couple.id)))


# Adding a couple


def test_counselor_adds_a_couple_and_both_partners_are_invited(app, counselor, outbox):
    response = counselor.post("/couples/new", NEW_COUPLE)

    assert response.status_code == 302
    assert re.fullmatch(r"/couples/\d+", response.headers["Location"])
    assert sorted(message.to[0] for message in outbox) == ["casey@example.org", "robin@example.org"]
    assert all("/password/set/" in message.body for message in outbox)
    assert "Robin & Casey" in text_of(counselor.get("/couples/"))
    assert "Robin & Casey" in text_of(counselor.get("/"))


def test_invited_partner_sets_a_password_and_lands_on_their_home(counselor, make_browser, outbox):
    counselor.post("/couples/new", NEW_COUPLE)
    robin = make_browser()
    link = link_in(next(m for m in outbox if m.to == ["robin@example.org"]))

    response = robin.post(
        link, {"password": "a new long passphrase", "confirm": "a new long passphrase"}
    )

    assert response.status_code == 302
    assert "Your sessions" in text_of(robin.get("/"))


def test_a_partner_without_email_is_added_and_only_the_other_is_invited(counselor, outbox):
    response = counselor.post(
        "/couples/new", {**NEW_COUPLE, "second_email": ""}, follow_redirects=True
    )

    assert [message.to for message in outbox] == [["robin@example.org"]]
    page = text_of(response)
    assert "Robin & Casey" in page
    assert "No email yet" in page


def test_emails_are_stored_lower_case(app, counselor):
    counselor.post("/couples/new", {**NEW_COUPLE, "first_email": "  Robin@Example.ORG "})
    assert user_by_email(app, "robin@example.org") is not None


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        pytest.param(
            {"first_email": "", "second_email": ""},
            "first_email",
            "Enter an email address for at least one partner.",
            id="no email at all",
        ),
        pytest.param(
            {"first_email": "robin@example.org", "second_email": "ROBIN@example.org"},
            "second_email",
            "Each partner needs their own email address.",
            id="same email twice",
        ),
        pytest.param(
            {"first_email": "robin@"},
            "first_email",
            "Enter an email address like name@example.org.",
            id="malformed email",
        ),
        pytest.param(
            {"first_name": ""}, "first_name", "Enter the first partner's name.", id="name empty"
        ),
        pytest.param(
            {"second_name": "C" * 121},
            "second_name",
            "Use at most 120 characters.",
            id="name too long",
        ),
    ],
)
def test_bad_input_is_explained_on_its_field_and_keeps_what_was_typed(
    app, counselor, outbox, typed, field, message
):
    form = {**NEW_COUPLE, **typed}
    before = couple_count(app)

    response = counselor.post("/couples/new", form)

    assert response.status_code == 200
    page = text_of(response)
    assert field_error(page, field) == message
    for value in form.values():
        if value:
            assert f'value="{value}"' in page
    assert couple_count(app) == before
    assert outbox == []


def test_an_email_used_by_another_account_is_refused_on_its_field(app, world, counselor, outbox):
    taken = world.other_couple_partner.upper()  # addresses compare case-insensitively
    response = counselor.post("/couples/new", {**NEW_COUPLE, "second_email": taken})

    assert response.status_code == 200
    page = text_of(response)
    assert "already exists" in field_error(page, "second_email")
    assert field_error(page, "first_email") == ""
    assert f'value="{taken}"' in page
    assert user_by_email(app, "robin@example.org") is None
    assert outbox == []


# Partners' emails and invitations


def test_adding_the_missing_email_later_invites_that_partner(app, counselor, build_couple, outbox):
    couple = build_couple(emails=("robin@example.org", None))

    response = counselor.post(
        couple.partner_url(1, "edit"), {"name": "Casey", "email": "casey@example.org"}
    )

    assert response.status_code == 302
    assert [message.to for message in outbox] == [["casey@example.org"]]
    assert "/password/set/" in outbox[0].body
    assert "Invited" in text_of(counselor.get(couple.url()))


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"email": "casey@"}, "email", "Enter an email address like name@example.org."),
        (
            {"email": "ROBIN@example.org"},
            "email",
            "An account with this email address already exists.",
        ),
        ({"name": " "}, "name", "Enter the partner's name."),
    ],
)
def test_bad_partner_edits_are_explained_on_their_field(
    counselor, build_couple, outbox, typed, field, message
):
    couple = build_couple(emails=("robin@example.org", None))
    form = {"name": "Casey", "email": "casey@example.org", **typed}

    response = counselor.post(couple.partner_url(1, "edit"), form)

    assert response.status_code == 200
    page = text_of(response)
    assert field_error(page, field) == message
    assert f'value="{form["email"]}"' in page
    assert outbox == []


def test_a_mistyped_email_can_be_corrected_and_its_old_link_stops_working(
    counselor, build_couple, make_browser, outbox
):
    couple = build_couple(emails=("robin@example.org", None))
    counselor.post(couple.partner_url(1, "edit"), {"name": "Casey", "email": "casy@example.org"})
    counselor.post(couple.partner_url(1, "edit"), {"name": "Casey", "email": "casey@example.org"})
    stale, fresh = (link_in(message) for message in outbox)

    stranger = make_browser()
    assert stranger.get(stale).status_code == 410
    assert make_browser().get(fresh).status_code == 200


def test_a_partner_with_an_account_keeps_their_email(app, world, counselor, outbox):
    url = f"/couples/{world.couple_id}/partners/{world.partner_id}/edit"
    assert 'name="email" type="email"' not in text_of(counselor.get(url))  # not offered

    response = counselor.post(url, {"name": "Alex", "email": "someone-else@example.org"})

    assert response.status_code == 200
    message = "This partner has an account; only they can change its email."
    assert field_error(text_of(response), "email") == message
    assert user_by_email(app, world.partner) is not None
    assert user_by_email(app, "someone-else@example.org") is None
    assert outbox == []


def test_a_partner_with_an_account_can_still_be_renamed(app, world, counselor):
    url = f"/couples/{world.couple_id}/partners/{world.partner_id}/edit"
    response = counselor.post(url, {"name": "Alexandra", "email": world.partner})

    assert response.status_code == 302
    assert user_by_email(app, world.partner).name == "Alexandra"


def test_counselor_sends_an_invitation_again(counselor, build_couple, make_browser, outbox):
    couple = build_couple(emails=("robin@example.org", None), with_login=False)

    response = counselor.post(couple.partner_url(0, "invite"), token_from=couple.url())

    assert response.status_code == 302
    assert [message.to for message in outbox] == [["robin@example.org"]]
    assert "Invitation sent to robin@example.org" in text_of(counselor.get(couple.url()))
    assert make_browser().get(link_in(outbox[0])).status_code == 200


def test_no_invitation_goes_to_a_partner_who_already_has_an_account(world, counselor, outbox):
    url = f"/couples/{world.couple_id}/partners/{world.partner_id}/invite"
    response = counselor.post(url, token_from=f"/couples/{world.couple_id}")

    assert response.status_code == 302
    assert "already has an account" in text_of(counselor.get(response.headers["Location"]))
    assert outbox == []


# Reach


@pytest.mark.parametrize("who", ["other_counselor", "other_practice_counselor"])
def test_other_counselors_cannot_find_the_couple(world, browser, who, build_couple, outbox):
    couple = build_couple(emails=("robin@example.org", None), with_login=False)
    browser.login(getattr(world, who))

    assert browser.get(couple.url()).status_code == 404
    assert browser.get(couple.partner_url(0, "edit")).status_code == 404
    edit = browser.post(
        couple.partner_url(0, "edit"), {"name": "X", "email": "x@example.org"}, token_from="/"
    )
    assert edit.status_code == 404
    assert browser.post(couple.partner_url(0, "invite"), token_from="/").status_code == 404
    assert outbox == []


@pytest.mark.parametrize("who", ["admin", "other_practice_admin"])
def test_admins_do_not_reach_couples(world, browser, who):
    browser.login(getattr(world, who))
    real = browser.get(f"/couples/{world.couple_id}")
    missing = browser.get("/couples/999999")
    assert real.status_code in (403, 404)
    assert real.status_code == missing.status_code  # no hint that the couple exists


def test_an_out_of_reach_couple_looks_like_a_missing_one(world, browser):
    browser.login(world.other_counselor)
    real = browser.get(f"/couples/{world.couple_id}")
    missing = browser.get("/couples/999999")
    assert (real.status_code, without_tokens(text_of(real))) == (
        missing.status_code,
        without_tokens(text_of(missing)),
    )


def test_a_partner_of_another_couple_is_not_found_under_this_couple(app, world, counselor):
    other = user_by_email(app, world.other_couple_partner)
    base = f"/couples/{world.couple_id}/partners/{other.id}"

    assert counselor.get(f"{base}/edit").status_code == 404
    edit = counselor.post(f"{base}/edit", {"name": "X", "email": other.email}, token_from="/")
    assert edit.status_code == 404
    assert counselor.post(f"{base}/invite", token_from="/").status_code == 404
    assert user_by_email(app, world.other_couple_partner).name != "X"


def test_a_counselor_is_not_a_partner_of_a_couple(app, world, counselor):
    me = user_by_email(app, world.counselor)
    assert counselor.get(f"/couples/{world.couple_id}/partners/{me.id}/edit").status_code == 404


# The list


@pytest.fixture
def busy_counselor(app, make_browser):
    """A counselor with no couples yet, logged in; .add(n) gives them n more couples."""
    with app.app_context():
        practice = Practice(name="Busy practice")
        db.session.add(practice)
        db.session.flush()
        user = make_user(practice, Role.COUNSELOR, email="busy@example.org")
        db.session.commit()
        user_id = user.id
    browser = make_browser()
    browser.login("busy@example.org")

    def add(count: int, start: int = 1) -> None:
        with app.app_context():
            owner = db.session.get(User, user_id)
            for number in range(start, start + count):
                make_couple(owner, (f"Ann{number:02}", f"Ben{number:02}"))
            db.session.commit()

    browser.add = add
    return browser


def test_the_couples_list_is_paginated(busy_counselor):
    busy_counselor.add(25)

    first = text_of(busy_counselor.get("/couples/"))
    second = text_of(busy_counselor.get("/couples/?page=2"))

    assert "Page 1 of 2" in first
    assert "Page 2 of 2" in second
    assert len(COUPLE_NAME.findall(first)) == 20
    assert len(COUPLE_NAME.findall(second)) == 5
    assert "Ann25 & Ben25" in first  # newest first
    assert "Ann01 & Ben01" in second
    assert "Ann01 & Ben01" not in first


def test_a_page_past_the_end_is_not_found(busy_counselor):
    busy_counselor.add(3)
    assert busy_counselor.get("/couples/?page=5").status_code == 404


def test_an_empty_list_invites_to_add_the_first_couple(busy_counselor):
    assert "No couples yet" in text_of(busy_counselor.get("/couples/"))


@pytest.mark.parametrize("url", ["/couples/", "/"])
def test_the_couples_pages_cost_the_same_queries_for_2_or_25_couples(app, busy_counselor, url):
    busy_counselor.add(2)
    with counting_queries(app) as few:
        assert busy_counselor.get(url).status_code == 200
    busy_counselor.add(23, start=3)
    with counting_queries(app) as many:
        assert busy_counselor.get(url).status_code == 200

    assert len(many) == len(few), "\n".join(many)
