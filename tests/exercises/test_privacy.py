"""Who reaches the library: counselors only; a counselor's own exercises (and their questions)
are that counselor's alone, even within the same practice."""

import pytest

from tests.exercises.builders import yes_no

OWN_URLS = [
    ("GET", "/exercises/{id}"),
    ("GET", "/exercises/{id}/edit"),
    ("POST", "/exercises/{id}/edit"),
    ("POST", "/exercises/{id}/copy"),
    ("POST", "/exercises/{id}/delete"),
    ("GET", "/exercises/{id}/fields/new"),
    ("GET", "/exercises/{id}/fields/new?type=scale"),
    ("POST", "/exercises/{id}/fields/new?type=yes_no"),
    ("GET", "/exercises/{id}/fields/ok/edit"),
    ("POST", "/exercises/{id}/fields/ok/edit"),
    ("POST", "/exercises/{id}/fields/ok/move/up"),
    ("POST", "/exercises/{id}/fields/ok/move/down"),
    ("POST", "/exercises/{id}/fields/ok/delete"),
]
LIST_URLS = [("GET", "/exercises/"), ("GET", "/exercises/new"), ("POST", "/exercises/new")]


def visit(browser, method: str, url: str):
    if method == "GET":
        return browser.get(url)
    return browser.post(url, {"label": "Sneaky", "title": "Sneaky"}, token_from="/")


@pytest.mark.parametrize("who", ["other_counselor", "other_practice_counselor"])
@pytest.mark.parametrize(("method", "url"), OWN_URLS)
def test_another_counselor_finds_no_trace_of_ones_own_exercise(
    browser, world, exercises, who, method, url
):
    exercise_id = exercises.own(title="Private to its author", fields=[yes_no(), yes_no("b")])
    before = exercises.read(exercise_id)
    count = exercises.count()
    browser.login(getattr(world, who))

    response = visit(browser, method, url.format(id=exercise_id))

    assert response.status_code == 404
    assert "Private to its author" not in response.get_data(as_text=True)
    assert exercises.read(exercise_id) == before
    assert exercises.count() == count


@pytest.mark.parametrize("who", ["partner", "admin", "other_practice_admin"])
@pytest.mark.parametrize(("method", "url"), OWN_URLS + LIST_URLS)
def test_partners_and_admins_are_refused(browser, world, exercises, who, method, url):
    exercise_id = exercises.own(fields=[yes_no()])
    before = exercises.read(exercise_id)
    browser.login(getattr(world, who))

    response = visit(browser, method, url.format(id=exercise_id))

    assert response.status_code == 403
    assert exercises.read(exercise_id) == before


@pytest.mark.parametrize(("method", "url"), OWN_URLS + LIST_URLS)
def test_anonymous_visitors_are_sent_to_log_in(browser, exercises, method, url):
    exercise_id = exercises.own(fields=[yes_no()])

    response = visit(browser, method, url.format(id=exercise_id))

    assert response.status_code in (302, 401)
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/login")
    else:
        assert 'name="password"' in response.get_data(as_text=True)


def test_colleagues_share_the_built_in_library(browser, world, exercises):
    builtin = exercises.built_in("trust-understanding-causes")

    for who in (world.counselor, world.other_counselor, world.other_practice_counselor):
        browser.login(who)
        assert browser.get(f"/exercises/{builtin}").status_code == 200
        browser.logout()


def test_a_colleague_copies_a_built_in_into_their_own_library(browser, world, exercises):
    builtin = exercises.built_in("trust-understanding-causes")
    browser.login(world.other_counselor)
    copy_id = int(
        browser.post(f"/exercises/{builtin}/copy", token_from="/")
        .headers["Location"]
        .rsplit("/", 1)[1]
    )
    browser.logout()

    browser.login(world.counselor)

    assert browser.get(f"/exercises/{copy_id}").status_code == 404
    assert "(my copy)" not in browser.get("/exercises/").get_data(as_text=True)
