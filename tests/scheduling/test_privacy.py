"""Nobody sees or changes workshops, sessions or rosters outside their reach.

Unique marker titles are planted in workshops the visitor must not see; every page the visitor
can reach by following links from their home page is searched for them.
"""

import re
from collections import deque
from dataclasses import dataclass

import pytest

from tests.helpers import text_of
from tests.workshops.builders import in_days
from workshop.models import Enrollment

LINK = re.compile(r'href="(/[^"#]*)"')
# Week pages link on without end; the weeks that matter are visited explicitly.
NEVER_FOLLOWED = ("/logout", "/static/", "/agenda/week?")


def reachable_pages(browser, start: str = "/", limit: int = 80) -> dict[str, str]:
    """Every page reachable by GET links from `start` (up to `limit`), by URL."""
    seen, queue, pages = {start}, deque([start]), {}
    while queue and len(pages) < limit:
        url = queue.popleft()
        response = browser.get(url)
        if response.status_code != 200 or "html" not in response.content_type:
            continue
        pages[url] = text_of(response)
        for link in LINK.findall(pages[url]):
            link = link.replace("&amp;", "&")
            if link not in seen and not link.startswith(NEVER_FOLLOWED):
                seen.add(link)
                queue.append(link)
    return pages


@dataclass
class Planted:
    mine: object  # the counselor's workshop with world's couple
    secret_alpha: object  # the counselor's workshop with another couple
    secret_beta: object  # the other counselor's workshop with world's other couple


@pytest.fixture
def planted(build, world) -> Planted:
    mine = build.workshop(
        title="Visible Evening Group",
        couples=(world.couple_id,),
        sessions=3,
        location="Room Visible 1",
    )
    strangers = build.couple(names=("Mira", "Noor"))
    alpha = build.workshop(
        title="ZQ-Secret-Alpha",
        couples=(strangers,),
        sessions=3,
        first=in_days(4, 9),
        location="ZQ-Loc-Alpha",
    )
    beta = build.workshop(
        world.other_counselor,
        title="ZQ-Secret-Beta",
        couples=(world.other_couple_id,),
        sessions=3,
        first=in_days(5, 11),
        location="ZQ-Loc-Beta",
    )
    return Planted(mine, alpha, beta)


def test_a_partner_sees_only_their_own_couples_sessions_on_every_page(browser, world, planted):
    browser.login(world.partner)

    pages = reachable_pages(browser)

    assert "Visible Evening Group" in pages["/"]
    assert "Room Visible 1" in pages["/"]
    for url, page in pages.items():
        for marker in (
            "ZQ-Secret-Alpha",
            "ZQ-Loc-Alpha",
            "ZQ-Secret-Beta",
            "ZQ-Loc-Beta",
            "Mira",
            "Noor",
            "Jordan",
            "Riley",
        ):
            assert marker not in page, f"{marker} shown to a partner on {url}"


def test_a_partner_of_the_other_couple_sees_only_their_workshop(browser, world, planted):
    browser.login(world.other_couple_partner)

    pages = reachable_pages(browser)

    assert "ZQ-Secret-Beta" in pages["/"]
    for url, page in pages.items():
        for marker in (
            "Visible Evening Group",
            "Room Visible 1",
            "ZQ-Secret-Alpha",
            "Alex",
            "Mira",
        ):
            assert marker not in page, f"{marker} shown to the other couple on {url}"


def test_a_partner_cannot_open_counselor_pages_of_their_own_workshop(browser, world, planted):
    browser.login(world.partner)
    workshop = planted.mine
    for url in (
        workshop.url(),
        workshop.url("/roster"),
        f"/sessions/{workshop.session_ids[0]}",
        "/agenda",
        "/agenda/week",
        "/workshops/",
    ):
        assert browser.get(url).status_code in (403, 404), url


def counselor_urls(workshop) -> list[tuple[str, str]]:
    """(method, URL) of every page and action of one workshop and its first session."""
    session = f"/sessions/{workshop.session_ids[0]}"
    enrollment = workshop.enrollment_ids[0]
    gets = [
        workshop.url(),
        workshop.url("/edit"),
        workshop.url("/roster"),
        workshop.url("/plan"),
        workshop.url("/sessions/new"),
        session,
        f"{session}/edit",
        f"{session}/cancel",
        f"/couples/new?workshop={workshop.id}",
    ]
    forms = [url for url in gets if url not in (workshop.url(), session)]
    posts = [
        *forms,
        workshop.url(f"/roster/{enrollment}/withdraw"),
        f"{session}/attendance",
        f"{session}/remove",
        f"{session}/merge",
        f"{session}/move/later",
        f"{session}/move/earlier",
    ]
    return [("GET", url) for url in gets] + [("POST", url) for url in posts]


@pytest.mark.parametrize("intruder", ["other_counselor", "other_practice_counselor"])
def test_another_counselor_gets_404_everywhere_and_changes_nothing(
    make_browser, build, world, planted, intruder
):
    browser = make_browser()
    browser.login(getattr(world, intruder))
    before = build.sessions_of(planted.mine.id)

    for method, url in counselor_urls(planted.mine):
        if method == "GET":
            response = browser.get(url)
        else:
            response = browser.post(
                url, {"reason": "x", "title": "Taken over", "capacity": "1"}, token_from="/"
            )
        assert response.status_code == 404, f"{method} {url}: {response.status_code}"

    after = build.sessions_of(planted.mine.id)
    assert [(s.id, s.status, s.starts_at, s.stage_list, s.version) for s in after] == [
        (s.id, s.status, s.starts_at, s.stage_list, s.version) for s in before
    ]
    assert build.read(Enrollment, planted.mine.enrollment_ids[0], "status") == {
        "status": "enrolled"
    }


def test_another_counselor_never_sees_the_titles_on_their_own_pages(
    make_browser, build, world, planted
):
    browser = make_browser()
    browser.login(world.other_counselor)
    weeks = {f"/agenda/week?start={in_days(days).date()}" for days in (3, 10, 17, 24)}

    pages = reachable_pages(browser)
    pages |= {url: text_of(browser.get(url)) for url in weeks}

    assert "ZQ-Secret-Beta" in pages["/agenda"]
    for url, page in pages.items():
        for marker in (
            "Visible Evening Group",
            "Room Visible 1",
            "ZQ-Secret-Alpha",
            "ZQ-Loc-Alpha",
            "Alex & Sam",
            "Mira",
        ):
            assert marker not in page, f"{marker} shown to another counselor on {url}"


def test_the_lead_sees_only_their_own_and_co_led_workshops(counselor, build, world, planted):
    pages = reachable_pages(counselor)

    assert "ZQ-Secret-Alpha" in pages["/workshops/"]
    assert all("ZQ-Secret-Beta" not in page for page in pages.values())
    assert counselor.get(planted.secret_beta.url()).status_code == 404
