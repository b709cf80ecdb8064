"""The exercise library: built-ins for every stage, a counselor's own exercises for that
counselor only, copies, and the preview exactly as the partner will see it."""

import re

import pytest

from tests.exercises.builders import scale, yes_no
from tests.helpers import counting_queries, text_of
from tests.workshops.builders import STAGE_KEYS
from workshop.homework.library import LIBRARY

STAGE_TITLES = [
    "Can this even work?",
    "The right time",
    "Mutual cooperation",
    "Communication is key",
    "Don't rush",
    "Try something new",
    "Rebuilding trust",
    "Trusting yourself",
    "Keeping positive",
    "Don't dwell on the past",
    "Healing from betrayal",
    "Seeking help",
]


def test_library_lists_the_twelve_stages_in_curriculum_order(counselor, exercises):
    page = text_of(counselor.get("/exercises/"))

    headings = re.findall(r'id="stage-(\w+)-heading"', page)
    assert headings == STAGE_KEYS


def test_every_stage_has_a_built_in_exercise(counselor, exercises):
    page = text_of(counselor.get("/exercises/"))

    sections = page.split('class="card exercise-stage"')[1:]
    assert len(sections) == 12
    for section in sections:
        assert "Built-in" in section
    for data in LIBRARY:
        assert data["title"] in page


def test_library_shows_how_each_exercise_is_answered(counselor, exercises):
    page = text_of(counselor.get("/exercises/"))

    readiness = page.split('id="stage-readiness"')[1].split('id="stage-timing"')[0]
    assert "Where I stand" in readiness
    assert "On their own" in readiness
    assert "Shared once both submit" in readiness
    assert "Safety check-in" in readiness
    cooperation = page.split('id="stage-cooperation"')[1].split('id="stage-communication"')[0]
    assert "Together" in cooperation
    assert "Shared once both submit" not in cooperation  # visibility means nothing when joint


def test_safety_badge_marks_only_the_safety_check_in(counselor, exercises):
    page = text_of(counselor.get("/exercises/"))

    assert page.count("badge--safety") == 1


def test_counselor_sees_own_exercises_but_never_a_colleagues(counselor, exercises, world):
    exercises.own(title="My breathing exercise", stage="pace")
    exercises.own(world.other_counselor, title="Colleague's private exercise")
    exercises.own(world.other_practice_counselor, title="Other practice's exercise")

    page = text_of(counselor.get("/exercises/"))

    pace = page.split('id="stage-pace"')[1].split('id="stage-novelty"')[0]
    assert "My breathing exercise" in pace
    assert "Yours" in pace
    assert "Colleague's private exercise" not in page
    assert "Other practice's exercise" not in page


def test_library_costs_the_same_sql_for_few_or_many_exercises(app, counselor, exercises):
    exercises.own(title="First own")
    few = statements_for(app, counselor, "/exercises/")
    for number in range(12):
        exercises.own(title=f"Own {number}", stage=STAGE_KEYS[number])

    many = statements_for(app, counselor, "/exercises/")

    assert len(many) == len(few), "\n".join(many)


def statements_for(app, browser, url: str) -> list[str]:
    browser.get(url)  # warm up: a first visit may refresh the login's last-seen time
    with counting_queries(app) as statements:
        response = browser.get(url)
        assert response.status_code == 200
    assert statements, "the listener saw no SQL: the count would prove nothing"
    return list(statements)


def test_the_library_is_in_the_counselors_menu(counselor, exercises):
    assert 'href="/exercises/"' in text_of(counselor.get("/"))


# --- one exercise ------------------------------------------------------------------------------


@pytest.mark.parametrize("key", [data["key"] for data in LIBRARY])
def test_every_built_in_exercise_previews_as_the_partner_will_see_it(counselor, exercises, key):
    data = next(d for d in LIBRARY if d["key"] == key)

    page = text_of(counselor.get(f"/exercises/{exercises.built_in(key)}"))

    assert data["title"] in page
    preview = page.split("Preview: as the partner will see it")[1]
    assert "<fieldset disabled" in preview
    for field in data["fields"]:
        assert field["label"] in preview
        assert f'name="a_{field["key"]}' in preview
    assert "csrf_token" not in preview  # nothing in the preview can be sent


def test_preview_renders_each_question_type(counselor, exercises):
    fields = [
        scale(),
        yes_no(),
        {"key": "when", "type": "date", "label": "When?", "required": True},
        {"key": "three", "type": "list", "label": "Three things", "required": True, "items": 3},
        {
            "key": "pick",
            "type": "single_choice",
            "label": "Pick",
            "required": True,
            "options": ["Tea", "Coffee"],
        },
        {
            "key": "many",
            "type": "multi_choice",
            "label": "Many",
            "required": False,
            "options": ["Walk", "Talk", "Cook"],
        },
        {
            "key": "note",
            "type": "long_text",
            "label": "A note",
            "required": False,
            "max_length": 800,
        },
    ]
    exercise_id = exercises.own(fields=fields)

    preview = text_of(counselor.get(f"/exercises/{exercise_id}")).split("Preview:")[1]

    assert preview.count('name="a_trust_now"') == 10  # 1 to 10
    assert "1 = Not at all" in preview
    assert 'type="date"' in preview
    assert preview.count('name="a_three-') == 3
    assert 'value="Coffee"' in preview
    assert preview.count('name="a_many"') == 3
    assert 'maxlength="800"' in preview
    assert "disabled" in preview


def test_built_in_exercise_is_read_only(counselor, exercises):
    builtin = exercises.built_in("readiness-where-we-stand")

    page = text_of(counselor.get(f"/exercises/{builtin}"))

    assert "Make my own copy" in page
    assert "Edit details" not in page
    assert "/fields/" not in page
    assert counselor.get(f"/exercises/{builtin}/edit").status_code == 404
    assert (
        counselor.post(
            f"/exercises/{builtin}/edit", {"title": "Mine now"}, token_from="/"
        ).status_code
        == 404
    )
    assert counselor.get(f"/exercises/{builtin}/fields/new?type=scale").status_code == 404
    assert (
        counselor.post(f"/exercises/{builtin}/fields/willing/delete", token_from="/").status_code
        == 404
    )
    assert counselor.post(f"/exercises/{builtin}/delete", token_from="/").status_code == 404
    assert exercises.read(builtin)["title"] == "Where I stand"


def test_own_exercise_shows_the_builder(counselor, exercises):
    exercise_id = exercises.own(fields=[yes_no("first", "First?"), yes_no("second", "Second?")])

    page = text_of(counselor.get(f"/exercises/{exercise_id}"))

    assert "Edit details" in page
    assert f"/exercises/{exercise_id}/fields/first/edit" in page
    assert f"/exercises/{exercise_id}/fields/first/move/down" in page
    assert f"/exercises/{exercise_id}/fields/first/move/up" not in page
    assert f"/exercises/{exercise_id}/fields/second/move/up" in page
    assert "Add a question" in page
    assert "Delete exercise" in page


def test_html_in_an_exercise_is_shown_escaped(counselor, exercises):
    exercise_id = exercises.own(
        title="<script>alert(1)</script>",
        fields=[yes_no(label="<b>bold?</b>")],
        instructions="<img src=x onerror=alert(1)>",
    )

    for url in ("/exercises/", f"/exercises/{exercise_id}"):
        raw = counselor.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in raw
        assert "<img src=x" not in raw
        assert "<b>bold?" not in raw


# --- copies ------------------------------------------------------------------------------------


def test_copy_of_a_built_in_is_the_counselors_own_editable_exercise(counselor, exercises, world):
    builtin = exercises.built_in("positivity-good-moments")

    response = counselor.post(f"/exercises/{builtin}/copy", token_from=f"/exercises/{builtin}")

    assert response.status_code == 302
    copy_id = int(response.headers["Location"].rsplit("/", 1)[1])
    copy, original = exercises.read(copy_id), exercises.read(builtin)
    assert copy["title"] == "Three good moments this week (my copy)"
    assert copy["key"] is None
    assert copy["owner_id"] is not None
    assert copy["fields"] == original["fields"]
    assert (copy["stage_id"], copy["mode"], copy["visibility"]) == (
        original["stage_id"],
        original["mode"],
        original["visibility"],
    )
    assert counselor.get(f"/exercises/{copy_id}/edit").status_code == 200


def test_a_copy_is_independent_of_its_original(counselor, exercises):
    builtin = exercises.built_in("positivity-good-moments")
    response = counselor.post(f"/exercises/{builtin}/copy", token_from="/")
    copy_id = int(response.headers["Location"].rsplit("/", 1)[1])

    counselor.post(f"/exercises/{copy_id}/fields/moments/delete", token_from="/")

    assert [f["key"] for f in exercises.read(copy_id)["fields"]] == ["positive"]
    assert [f["key"] for f in exercises.read(builtin)["fields"]] == ["moments", "positive"]


def test_copy_of_the_safety_check_in_stays_a_private_safety_check_in(counselor, exercises):
    builtin = exercises.built_in("readiness-safety-check-in")

    response = counselor.post(f"/exercises/{builtin}/copy", token_from="/")

    copy = exercises.read(int(response.headers["Location"].rsplit("/", 1)[1]))
    assert copy["is_safety_check"] is True
    assert (copy["mode"], copy["visibility"]) == ("individual", "private")
    assert copy["fields"][0]["risk_when"] == {"equals": "yes"}


def test_copying_a_long_title_stays_within_the_title_limit(counselor, exercises):
    exercise_id = exercises.own(title="x" * 120)

    response = counselor.post(f"/exercises/{exercise_id}/copy", token_from="/")

    copy = exercises.read(int(response.headers["Location"].rsplit("/", 1)[1]))
    assert len(copy["title"]) == 120
    assert copy["title"].endswith(" (my copy)")
