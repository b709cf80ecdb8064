"""Each role lands on its own home page after logging in."""

from datetime import timedelta

import pytest

from tests.helpers import text_of
from tests.workshops.builders import Builder
from workshop.models import Practice, utcnow


@pytest.fixture
def build(app, world) -> Builder:
    return Builder(app, world)


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


def test_counselor_home_counts_the_partners_who_have_logged_in(browser, world, build):
    build.couple(names=("Kim", "Lee"), emails=("kim@example.org", None))
    browser.login(world.counselor)

    page = text_of(browser.get("/"))

    assert "Kim & Lee" in page
    kim_and_lee = page[page.index("Kim & Lee") :]
    assert "1 of 2 partners have logged in" in kim_and_lee.split("</li>")[0]
    alex_and_sam = page[page.index("Alex & Sam") :]
    assert "2 of 2 partners have logged in" in alex_and_sam.split("</li>")[0]


def test_counselor_home_without_couples_still_names_the_practice(browser, world):
    browser.login(world.other_practice_counselor)  # no couple yet

    page = text_of(browser.get("/"))

    assert '<p class="eyebrow">Practice B</p>' in page
    assert "No couples yet" in page
    assert "All your couples" not in page


def test_counselor_home_lists_the_ten_newest_couples_newest_first(browser, world, build):
    couple_ids = [build.couple(names=(f"Ann{n:02}", f"Ben{n:02}")) for n in range(11)]
    browser.login(world.counselor)

    page = text_of(browser.get("/"))

    shown = [f"Ann{n:02} & Ben{n:02}" for n in range(10, 0, -1)]
    assert [page.index(name) for name in shown] == sorted(page.index(name) for name in shown)
    assert f'href="/couples/{couple_ids[-1]}"' in page
    assert "Ann00 & Ben00" not in page
    assert "Alex & Sam" not in page
    assert "All your couples" in page


def test_counselor_home_names_the_practice_today_and_the_curriculum(browser, world, build):
    workshop = build.workshop(title="Evening group")
    build.session(workshop.id, utcnow() - timedelta(minutes=1), stages=("trust",))
    browser.login(world.counselor)

    page = text_of(browser.get("/"))

    assert "Practice A" in page
    today = page[page.index('id="today-heading"') : page.index('id="couples-heading"')]
    assert "Rebuilding trust" in today
    assert "Evening group" in today
    assert "12 stages" in page


def test_admin_home_counts_the_practices_counselors(browser, world, build):
    build.counselor()
    browser.login(world.admin)

    page = text_of(browser.get("/"))

    assert "3 counselors in this practice" in page
    assert "Practice A" in page


def test_admin_home_tells_how_reports_are_branded(browser, world, build):
    browser.login(world.admin)
    assert "Reports carry your practice's name, on A4 paper." in text_of(browser.get("/"))

    with build.database() as session:
        practice = session.get(Practice, world.practice_id)
        practice.paper_size, practice.logo_mime = "Letter", "image/png"

    page = text_of(browser.get("/"))
    assert "Reports carry your practice's name and logo, on US Letter paper." in page
