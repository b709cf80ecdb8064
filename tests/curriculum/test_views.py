"""Staff read the curriculum: the article's twelve stages, in the article's order."""

import pytest

from tests.helpers import text_of
from workshop.curriculum.stages import STAGES

# The design card's table, in the article's order.
DESIGNED_STAGES = [
    ("readiness", "Can this even work?"),
    ("timing", "The right time"),
    ("cooperation", "Mutual cooperation"),
    ("communication", "Communication is key"),
    ("pace", "Don't rush"),
    ("novelty", "Try something new"),
    ("trust", "Rebuilding trust"),
    ("self_trust", "Trusting yourself"),
    ("positivity", "Keeping positive"),
    ("present", "Don't dwell on the past"),
    ("betrayal", "Healing from betrayal"),
    ("support", "Seeking help"),
]
SUMMARIES = {stage["key"]: stage["summary"] for stage in STAGES}


@pytest.fixture
def counselor(browser, world):
    browser.login(world.counselor)
    return browser


def test_the_list_shows_the_twelve_stages_in_the_articles_order(counselor):
    page = text_of(counselor.get("/curriculum/"))

    positions = [page.find(title) for _, title in DESIGNED_STAGES]
    assert -1 not in positions, "a stage title is missing"
    assert positions == sorted(positions)
    assert page.count('class="card stage"') == 12


def test_the_list_links_each_stage(counselor):
    page = text_of(counselor.get("/curriculum/"))
    for key, _ in DESIGNED_STAGES:
        assert f'href="/curriculum/{key}"' in page


def test_each_stage_page_shows_its_title_and_summary(counselor):
    for key, title in DESIGNED_STAGES:
        response = counselor.get(f"/curriculum/{key}")

        assert response.status_code == 200, key
        page = text_of(response)
        assert f"<h1>{title}</h1>" in page
        assert SUMMARIES[key] in page


def test_admins_read_the_curriculum_too(browser, world):
    browser.login(world.admin)
    assert browser.get("/curriculum/").status_code == 200
    assert browser.get("/curriculum/trust").status_code == 200


@pytest.mark.parametrize("key", ["no-such-stage", "READINESS", "1"])
def test_an_unknown_stage_is_not_found(counselor, key):
    assert counselor.get(f"/curriculum/{key}").status_code == 404


@pytest.mark.parametrize("url", ["/curriculum/", "/curriculum/readiness"])
def test_partners_do_not_browse_the_curriculum(browser, world, url):
    browser.login(world.partner)
    assert browser.get(url).status_code in (403, 404)


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/curriculum/readiness")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
