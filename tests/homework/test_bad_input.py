"""Bad input on the answer form: a clear message on the question, a 200 (never a 500), nothing
saved, and everything typed still in the form. HTML is kept as typed and shown escaped."""

import pytest

from tests.homework.pages import (
    ALL_KINDS,
    all_kinds_exercise,
    answers_form,
    autosave,
    field_error,
    page_url,
    submissions_of,
    version_on,
)
from tests.workshops.builders import checked_values, input_value, textarea_value

KEPT = "keep this line"  # typed in a good question alongside each bad one
HTML = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def all_kinds(hw, couple, world) -> int:
    """An open assignment of the every-kind-of-question exercise for the world's couple."""
    all_kinds_exercise(hw, world.counselor)
    [assignment_id] = hw.give(couple.workshop_id, [couple.couple_id], ALL_KINDS)
    return assignment_id


BAD_ANSWERS = [
    pytest.param("short", "w" * 41, "Keep this under 40 characters (now 41).", id="field-max"),
    pytest.param(
        "long", "x" * 20_001, "Keep this under 20,000 characters (now 20,001).", id="hard-cap"
    ),
    pytest.param("scale", "9", "Choose a number from 1 to 5.", id="scale-out-of-range"),
    pytest.param("scale", "lots", "Choose a number on the scale.", id="scale-not-a-number"),
    pytest.param("choice", "Whisky", "Choose one of the options shown.", id="choice-not-offered"),
    pytest.param(
        "many", ["Walk", "Skydive"], "Choose only among the options shown.", id="multi-not-offered"
    ),
    pytest.param("yes", "maybe", "Choose yes or no.", id="yes-no"),
    pytest.param("day", "2026-13-45", "Enter a real date, like 2026-12-31.", id="bad-date"),
    pytest.param("day", "31/12/2026", "Enter a real date, like 2026-12-31.", id="date-format"),
    pytest.param("day", "0999-01-01", "Enter a date between 1900 and 2200.", id="date-range"),
    pytest.param(
        "items",
        ("one", "two", "three", "four", "five"),
        "Write at most 3 items.",
        id="list-too-many",
    ),
    pytest.param(
        "items", ("y" * 201,), "Keep each item under 200 characters.", id="list-item-too-long"
    ),
]


@pytest.mark.parametrize(("key", "value", "message"), BAD_ANSWERS)
@pytest.mark.parametrize("submit", [False, True], ids=["draft", "submit"])
def test_a_bad_answer_is_a_field_error_with_the_typed_text_kept(
    alex, hw, all_kinds, key, value, message, submit
):
    response = alex.post(
        page_url(all_kinds),
        answers_form({"short": KEPT, key: value}, submit=submit)
        if key != "short"
        else answers_form({key: value, "long": KEPT}, submit=submit),
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_error(page, key) == message
    assert "Nothing was saved yet" in page
    assert submissions_of(hw, all_kinds) == []
    if key == "short":
        assert textarea_value(page, "a_long") == KEPT
    else:
        assert input_value(page, "a_short") == KEPT
    assert_typed_value_shown(page, key, value)


def assert_typed_value_shown(page: str, key: str, value) -> None:
    """The bad answer itself is still in the form (a scale's or choice's impossible value has
    no radio button to show it in)."""
    if key == "long":
        assert textarea_value(page, "a_long") == value
    elif key in ("short", "day"):
        assert input_value(page, f"a_{key}") == value
    elif key == "items":
        assert [input_value(page, f"a_items-{n}") for n in range(len(value))] == list(value)
    elif key == "many":
        assert checked_values(page, "a_many") == ["Walk"]


def test_the_list_error_is_tied_to_its_question_for_screen_readers(alex, all_kinds):
    response = alex.post(page_url(all_kinds), answers_form({"items": ("a", "b", "c", "d")}))
    page = response.get_data(as_text=True)
    assert 'aria-describedby="a_items-error"' in page


def test_good_answers_of_every_kind_are_saved(alex, hw, all_kinds):
    good = {
        "short": "Calm",
        "long": "A long\nanswer",
        "scale": "4",
        "choice": "Tea",
        "many": ["Read", "Walk"],
        "yes": "yes",
        "day": "2026-05-17",
        "items": ("Breakfast", "", "A walk"),
    }

    response = alex.post(page_url(all_kinds), answers_form(good, submit=True))

    assert response.status_code == 302
    [submission] = submissions_of(hw, all_kinds)
    assert submission["answers"] == {
        "short": "Calm",
        "long": "A long\nanswer",
        "scale": 4,
        "choice": "Tea",
        "many": ["Walk", "Read"],
        "yes": "yes",
        "day": "2026-05-17",
        "items": ["Breakfast", "A walk"],
    }


def test_html_typed_in_an_answer_is_stored_as_typed_and_shown_escaped(alex, hw, all_kinds):
    typed = {"short": HTML, "long": f"Before {HTML} after", "items": (HTML,)}

    alex.post(page_url(all_kinds), answers_form(typed))

    [draft] = submissions_of(hw, all_kinds)
    assert draft["answers"]["short"] == HTML
    assert draft["answers"]["long"] == f"Before {HTML} after"
    assert draft["answers"]["items"] == [HTML]
    form_page = alex.get(page_url(all_kinds)).get_data(as_text=True)
    assert HTML not in form_page
    assert ESCAPED in form_page

    alex.post(page_url(all_kinds), answers_form(typed, version_on(form_page), submit=True))
    read_only = alex.get(page_url(all_kinds)).get_data(as_text=True)
    assert 'name="a_short"' not in read_only
    assert HTML not in read_only
    assert read_only.count(ESCAPED) == 3


def test_html_in_a_refused_answer_is_shown_back_escaped(alex, all_kinds):
    response = alex.post(page_url(all_kinds), answers_form({"short": HTML + "w" * 40}))
    page = response.get_data(as_text=True)
    assert HTML not in page
    assert ESCAPED in page


def test_html_is_escaped_on_the_other_partners_page_too(alex, sam, hw, couple):
    [stand] = hw.give(couple.workshop_id, [couple.couple_id])
    answers = {"willing": "7", "patterns": ["Codependency"], "hope": HTML, "hopeful": "6"}
    hw.answer(stand, couple.partner_ids[0], answers)
    hw.answer(stand, couple.partner_ids[1], answers)

    page = sam.get(page_url(stand)).get_data(as_text=True)

    assert "Alex’s answers" in page
    assert HTML not in page
    assert page.count(ESCAPED) == 2  # Sam's own answer and Alex's


def test_autosave_stores_html_as_typed(alex, hw, all_kinds):
    response = autosave(alex, all_kinds, {"version": 0, "answers": {"long": HTML}})
    assert response.status_code == 200
    assert submissions_of(hw, all_kinds)[0]["answers"]["long"] == HTML


def test_autosave_refuses_the_hard_cap_and_too_many_items(alex, hw, all_kinds):
    response = autosave(
        alex,
        all_kinds,
        {"version": 0, "answers": {"long": "x" * 20_001, "items": ["a", "b", "c", "d"]}},
    )
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "long": "Keep this under 20,000 characters (now 20,001).",
        "items": "Write at most 3 items.",
    }


def test_list_items_not_sent_are_empty_not_the_word_none(alex, hw, all_kinds):
    alex.post(page_url(all_kinds), answers_form({"items": ("only one",)}))
    autosave_reply = autosave(
        alex, all_kinds, {"version": 1, "answers": {"items": ["first", None, "third"]}}
    )

    assert autosave_reply.status_code == 200
    assert submissions_of(hw, all_kinds)[0]["answers"]["items"] == ["first", "third"]
