"""Who reaches the counselor's homework pages: the workshop's counselors only. Another
counselor (same practice or not) gets a 404 and never sees a word of the answers; a partner
gets a 403; an anonymous visitor is sent to log in."""

import pytest

from tests.assignments.builders import RISKY_CHECK_IN, SAFETY_CHECK_IN, STAND_ANSWERS
from tests.helpers import text_of

MARKER = "ZEBRA-MARKER-7731"


@pytest.fixture
def planted(group, hw):
    """Homework of the world's couple in the counselor's workshop, with a marker in the
    counselor's note and in both partners' answers (one reviewed, with feedback)."""
    [given] = hw.give(group.workshop_id, [group.couple], extra=f"Note {MARKER}")
    alex, sam = group.partners
    first = hw.answer(given, alex, STAND_ANSWERS | {"hope": f"Alex {MARKER}"})
    second = hw.answer(given, sam, STAND_ANSWERS | {"hope": f"Sam {MARKER}"})
    return {"assignment": given, "submissions": [first, second]}


def counselor_urls(group, planted) -> list[tuple[str, str]]:
    given, (first, _) = planted["assignment"], planted["submissions"]
    return [
        ("GET", f"/workshops/{group.workshop_id}/homework"),
        ("GET", f"/workshops/{group.workshop_id}/review"),
        ("GET", f"/workshops/{group.workshop_id}/homework/assign"),
        ("POST", f"/workshops/{group.workshop_id}/homework/assign"),
        ("GET", f"/assignments/{given}"),
        ("POST", f"/assignments/{given}/submissions/{first}/review"),
        ("POST", f"/assignments/{given}/submissions/{first}/reopen"),
        ("POST", f"/couples/{group.couple}/safety/reviewed"),
    ]


def visit(browser, method: str, url: str):
    if method == "GET":
        return browser.get(url)
    return browser.post(url, {"feedback": "Intruding"}, token_from="/")


@pytest.mark.parametrize("actor", ["other_counselor", "other_practice_counselor"])
def test_another_counselor_gets_404_everywhere_and_never_the_answers(
    make_browser, world, group, hw, planted, actor
):
    browser = make_browser()
    browser.login(getattr(world, actor))
    for method, url in counselor_urls(group, planted):
        response = visit(browser, method, url)
        assert response.status_code == 404, f"{method} {url}"
        assert MARKER not in text_of(response)
    assert hw.submission(planted["submissions"][0])["status"] == "submitted"


@pytest.mark.parametrize("actor", ["partner", "other_partner_same_couple", "admin"])
def test_partners_and_admins_are_refused(make_browser, world, group, planted, actor):
    browser = make_browser()
    browser.login(getattr(world, actor))
    for method, url in counselor_urls(group, planted):
        response = visit(browser, method, url)
        assert response.status_code == 403, f"{method} {url}"
        assert MARKER not in text_of(response)


def test_anonymous_visitors_are_sent_to_log_in(client, group, planted):
    for method, url in counselor_urls(group, planted):
        response = client.get(url) if method == "GET" else client.post(url)
        if method == "GET":
            assert response.status_code == 302
            assert response.headers["Location"].startswith("/login")
        else:  # no CSRF token: refused before anything is read
            assert response.status_code in (302, 400, 401)
        assert MARKER not in text_of(response)


def test_a_colleague_sharing_the_couple_sees_only_their_own_workshops_homework(
    hw, world, group, planted, make_browser
):
    """The world's couple is also in the other counselor's workshop: that grid shows their
    homework there, never the counselor's."""
    theirs = hw.workshop(
        lead=world.other_counselor,
        title="Priya's group",
        couples=(world.couple_id, world.other_couple_id),
    )
    [own] = hw.give(theirs.id, [world.couple_id], counselor=world.other_counselor)
    browser = make_browser()
    browser.login(world.other_counselor)

    grid = text_of(browser.get(f"/workshops/{theirs.id}/homework"))
    assert f'href="/assignments/{own}"' in grid
    assert f'href="/assignments/{planted["assignment"]}"' not in grid
    assert MARKER not in grid
    couple_page = text_of(browser.get(f"/couples/{world.couple_id}"))
    assert MARKER not in couple_page


def test_a_flag_from_a_colleagues_workshop_is_named_but_not_readable_or_clearable(
    app, hw, world, group, make_browser, counselor
):
    theirs = hw.workshop(
        lead=world.other_counselor, title="Priya's group", couples=(world.couple_id,)
    )
    [check_in] = hw.give(group.workshop_id, [group.couple], key=SAFETY_CHECK_IN)
    hw.answer(check_in, group.partners[0], RISKY_CHECK_IN)
    browser = make_browser()
    browser.login(world.other_counselor)

    page = text_of(browser.get(f"/couples/{world.couple_id}"))
    assert "Safety flag." in page  # their joint exercises are locked too: they must know why
    assert f"/assignments/{check_in}" not in page
    assert "He shouts" not in page
    assert "colleague's workshop" in page
    grid = text_of(browser.get(f"/workshops/{theirs.id}/homework"))
    assert "Safety flag" in grid

    answer = browser.post(
        f"/couples/{world.couple_id}/safety/reviewed", token_from="/", follow_redirects=True
    )
    assert "still waits for their review" in text_of(answer)
    assert "Safety flag." in text_of(counselor.get(f"/couples/{world.couple_id}"))
    assert browser.get(f"/assignments/{check_in}").status_code == 404


def test_the_grid_and_queue_show_only_this_workshops_homework(counselor, hw, world, group, planted):
    other = hw.workshop(title="Another group of mine", couples=(world.couple_id,))
    [elsewhere] = hw.give(other.id, [world.couple_id])
    hw.answer(elsewhere, group.partners[0], STAND_ANSWERS | {"hope": "elsewhere"})
    grid = text_of(counselor.get(f"/workshops/{group.workshop_id}/homework"))
    assert f'href="/assignments/{elsewhere}"' not in grid
    assert f"/assignments/{elsewhere}#" not in grid
    queue = text_of(counselor.get(f"/workshops/{group.workshop_id}/review"))
    assert f"/assignments/{planted['assignment']}#" in queue
    assert f"/assignments/{elsewhere}#" not in queue
