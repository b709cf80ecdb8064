"""Creating, editing and deleting one's own exercises: bad input is a form error with the typed
text kept, a stale tab cannot overwrite a newer save, and assigned exercises are kept."""

import pytest

from tests.exercises.builders import stage_id, version_in
from tests.helpers import text_of
from workshop.exercises import services

TYPED = "Walk together for twenty minutes, phones at home."


def details(app, **changes) -> dict:
    with app.app_context():
        pace = stage_id("pace")
    form = {
        "title": "Slow evening walk",
        "stage": str(pace),
        "instructions": TYPED,
        "mode": "individual",
        "visibility": "after_both",
    }
    return {**form, **changes}


def test_counselor_creates_an_exercise_of_their_own(app, counselor, exercises, world):
    before = exercises.count()

    response = counselor.post("/exercises/new", details(app))

    assert response.status_code == 302
    exercise_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert exercises.count() == before + 1
    created = exercises.read(exercise_id)
    assert created["title"] == "Slow evening walk"
    assert created["instructions"] == TYPED
    assert (created["mode"], created["visibility"]) == ("individual", "after_both")
    assert created["fields"] == []
    assert created["key"] is None
    assert created["practice_id"] == world.practice_id
    assert "Now add its questions" in text_of(counselor.get(response.headers["Location"]))


def test_new_exercise_from_a_stage_starts_on_that_stage(app, counselor, exercises):
    with app.app_context():
        trust = stage_id("trust")

    page = text_of(counselor.get(f"/exercises/new?stage={trust}"))

    assert f'<option selected value="{trust}">' in page


def test_joint_exercises_are_stored_private(app, counselor, exercises):
    response = counselor.post("/exercises/new", details(app, mode="joint", visibility="after_both"))

    created = exercises.read(int(response.headers["Location"].rsplit("/", 1)[1]))
    assert (created["mode"], created["visibility"]) == ("joint", "private")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Give the exercise a title."),
        ({"title": "   "}, "Give the exercise a title."),
        ({"title": "t" * 121}, "Use at most 120 characters."),
        ({"instructions": "i" * 5001}, "Use at most 5,000 characters."),
        ({"stage": "9999"}, "Choose a stage from the list."),
        ({"stage": "not-a-number"}, "Choose a stage from the list."),
        ({"mode": "by-pigeon"}, "Choose one of the two ways to answer."),
        ({"visibility": "everyone"}, "Choose one of the two options."),
    ],
)
def test_bad_exercise_details_are_refused_with_the_typed_text_kept(
    app, counselor, exercises, changes, message
):
    before = exercises.count()
    sent = details(app, **changes)

    response = counselor.post("/exercises/new", sent)

    assert response.status_code == 200
    page = text_of(response)
    assert message in page
    assert TYPED in page or "instructions" in changes
    if "title" not in changes:
        assert "Slow evening walk" in page
    assert exercises.count() == before


def test_counselor_edits_their_exercise(app, counselor, exercises):
    exercise_id = exercises.own(title="Old title")
    url = f"/exercises/{exercise_id}/edit"
    version = version_in(text_of(counselor.get(url)))

    response = counselor.post(url, details(app, title="New title", version=version))

    assert response.status_code == 302
    saved = exercises.read(exercise_id)
    assert saved["title"] == "New title"
    assert saved["instructions"] == TYPED
    assert saved["version"] == int(version) + 1


def test_a_stale_tab_cannot_overwrite_a_newer_save(app, counselor, exercises):
    exercise_id = exercises.own(title="Original")
    url = f"/exercises/{exercise_id}/edit"
    old_version = version_in(text_of(counselor.get(url)))
    other_tab = counselor  # the same counselor, second tab: same login, same form version
    assert (
        counselor.post(url, details(app, title="Saved first", version=old_version)).status_code
        == 302
    )

    response = other_tab.post(
        url, details(app, title="Typed in the stale tab", version=old_version)
    )

    assert response.status_code == 200
    page = text_of(response)
    assert "changed in another tab" in page
    assert "Typed in the stale tab" in page  # nothing typed is lost
    assert TYPED in page
    assert exercises.read(exercise_id)["title"] == "Saved first"
    # The refused form now carries the current version: sending it again saves it.
    again = other_tab.post(
        url, details(app, title="Typed in the stale tab", version=version_in(page))
    )
    assert again.status_code == 302
    assert exercises.read(exercise_id)["title"] == "Typed in the stale tab"


@pytest.mark.parametrize("version", [None, "", "abc"])
def test_an_edit_without_a_readable_version_is_refused(app, counselor, exercises, version):
    exercise_id = exercises.own(title="Original")
    sent = details(app, title="Blind overwrite")
    if version is not None:
        sent["version"] = version

    response = counselor.post(f"/exercises/{exercise_id}/edit", sent)

    assert "changed in another tab" in text_of(response)
    assert exercises.read(exercise_id)["title"] == "Original"


def test_bad_input_on_edit_keeps_the_typed_text(app, counselor, exercises):
    exercise_id = exercises.own(title="Original")
    url = f"/exercises/{exercise_id}/edit"
    version = version_in(text_of(counselor.get(url)))

    response = counselor.post(url, details(app, title="", version=version))

    page = text_of(response)
    assert "Give the exercise a title." in page
    assert TYPED in page
    assert exercises.read(exercise_id)["title"] == "Original"


def test_a_safety_check_in_cannot_be_made_joint_or_shared(app, counselor, exercises):
    exercise_id = exercises.own(title="My safety check", is_safety_check=True)
    url = f"/exercises/{exercise_id}/edit"
    version = version_in(text_of(counselor.get(url)))

    for changes in ({"mode": "joint"}, {"visibility": "after_both"}):
        response = counselor.post(url, details(app, version=version, **changes))
        assert "A safety check-in is answered by each partner on their own" in text_of(response)

    saved = exercises.read(exercise_id)
    assert (saved["mode"], saved["visibility"], saved["is_safety_check"]) == (
        "individual",
        "private",
        True,
    )
    allowed = counselor.post(url, details(app, version=version, visibility="private"))
    assert allowed.status_code == 302


def test_a_csrf_failure_keeps_the_typed_text(app, counselor, exercises):
    response = counselor.client.post("/exercises/new", data=details(app, csrf_token="stale"))

    page = text_of(response)
    assert response.status_code == 200
    assert TYPED in page
    assert "Nothing was saved" in page


# --- deleting ----------------------------------------------------------------------------------


def test_a_never_assigned_exercise_can_be_deleted(counselor, exercises):
    exercise_id = exercises.own(title="Draft idea")

    response = counselor.post(f"/exercises/{exercise_id}/delete", token_from="/")

    assert response.status_code == 302
    assert exercises.read(exercise_id) is None
    assert "“Draft idea” was deleted." in text_of(counselor.get("/exercises/"))


def test_an_assigned_exercise_is_kept_with_a_clear_message(app, counselor, exercises):
    exercise_id = exercises.own(title="Given to a couple")
    exercises.assign(exercise_id)

    response = counselor.post(
        f"/exercises/{exercise_id}/delete", token_from="/", follow_redirects=True
    )

    assert "was given to couples, so it is kept" in text_of(response)
    assert exercises.read(exercise_id) is not None
    assert "Delete exercise" not in text_of(counselor.get(f"/exercises/{exercise_id}"))


def test_an_exercise_assigned_while_it_is_being_deleted_is_kept(counselor, exercises, monkeypatch):
    """The delete's "never assigned" check passed, then another request assigned it: the
    delete would break the assignment (a 500); it is refused like any assigned exercise."""
    exercise_id = exercises.own(title="Given in the same instant")
    check = services.was_assigned

    def checked_then_assigned_elsewhere(exercise):
        assigned = check(exercise)
        exercises.assign(exercise_id)
        return assigned

    monkeypatch.setattr(services, "was_assigned", checked_then_assigned_elsewhere)
    response = counselor.post(
        f"/exercises/{exercise_id}/delete", token_from="/", follow_redirects=True
    )

    assert response.status_code == 200
    assert "was given to couples, so it is kept" in text_of(response)
    assert exercises.read(exercise_id) is not None
