"""Each role lands on its own home page after logging in."""

import pytest

from tests.helpers import text_of


@pytest.mark.parametrize(
    ("who", "expected"),
    [("admin", "Your team"), ("counselor", "Your couples"), ("partner", "Your sessions")],
)
def test_each_role_lands_on_its_own_home_page(browser, world, who, expected):
    response = browser.login(getattr(world, who), follow_redirects=True)
    assert response.status_code == 200
    assert expected in text_of(response)


def test_counselor_home_lists_only_their_own_couples(browser, world):
    browser.login(world.counselor)
    page = text_of(browser.get("/"))
    assert "Alex & Sam" in page
    assert "Jordan & Riley" not in page


def test_partner_home_names_their_couple(browser, world):
    browser.login(world.partner)
    assert "Alex & Sam" in text_of(browser.get("/"))


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_outbox_fixture_collects_sent_mail(browser, world, outbox):
    browser.post("/password/forgot", {"email": world.counselor})
    assert [message.to for message in outbox] == [[world.counselor]]
