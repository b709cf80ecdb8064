"""The form builder: add, edit, reorder and remove questions of every type, each with its own
checks; every change is made on the working copy, so assignments keep their version."""

import pytest

from tests.exercises.builders import scale, version_in, yes_no
from tests.helpers import text_of
from workshop.homework.fields import HARD_CAP

LABEL = "What did we notice about listening?"

# A valid form for each type, and the question it should store.
GOOD = {
    "short_text": ({"max_length": "120"}, {"max_length": 120}),
    "long_text": ({"max_length": "4000"}, {"max_length": 4000}),
    "scale": (
        {
            "scale_min": "0",
            "scale_max": "5",
            "min_label": "Not at all",
            "max_label": "Fully",
            "measure": "communication",
        },
        {
            "min": 0,
            "max": 5,
            "min_label": "Not at all",
            "max_label": "Fully",
            "measure": "communication",
        },
    ),
    "single_choice": (
        {"options": "Tea\r\n\r\n  Coffee  \r\nWater"},
        {"options": ["Tea", "Coffee", "Water"]},
    ),
    "multi_choice": ({"options": "Walk\nTalk"}, {"options": ["Walk", "Talk"]}),
    "yes_no": ({}, {}),
    "date": ({}, {}),
    "list": ({"items": "5"}, {"items": 5}),
}


def add(browser, exercise_id: int, field_type: str, data: dict, version: str | None = None):
    url = f"/exercises/{exercise_id}/fields/new?type={field_type}"
    if version is None:
        version = version_in(text_of(browser.get(url)))
    return browser.post(url, {"label": LABEL, "required": "y", **data, "version": version})


@pytest.mark.parametrize("field_type", list(GOOD))
def test_counselor_adds_a_question_of_each_type(counselor, exercises, field_type):
    exercise_id = exercises.own(fields=[yes_no()])
    sent, stored = GOOD[field_type]

    response = add(counselor, exercise_id, field_type, {**sent, "help_text": "Be honest."})

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/exercises/{exercise_id}#questions")
    fields = exercises.read(exercise_id)["fields"]
    assert fields[0] == yes_no()
    assert fields[1] == {
        "key": "what_did_we_notice_about_listening",
        "type": field_type,
        "label": LABEL,
        "help": "Be honest.",
        "required": True,
        **stored,
    }
    preview = text_of(counselor.get(f"/exercises/{exercise_id}")).split("Preview:")[1]
    assert LABEL in preview


def test_an_optional_question_and_an_untagged_scale(counselor, exercises):
    exercise_id = exercises.own(fields=[])
    sent = {**GOOD["scale"][0], "measure": ""}

    counselor.post(
        f"/exercises/{exercise_id}/fields/new?type=scale",
        {
            "label": "Rate it",
            **sent,
            "version": version_in(text_of(counselor.get(f"/exercises/{exercise_id}/edit"))),
        },
    )

    (field,) = exercises.read(exercise_id)["fields"]
    assert field["required"] is False
    assert "measure" not in field


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("How safe do I feel?", "how_safe_do_i_feel"),
        ("Één ding dat hielp", "een_ding_dat_hielp"),
        ("3 good moments", "q_3_good_moments"),
        ("!!!", "question"),
        ("A very long question " * 5, "a_very_long_question_a_very_long_que"),
    ],
)
def test_question_keys_are_slugs_of_the_label(counselor, exercises, label, key):
    exercise_id = exercises.own(fields=[])

    add(counselor, exercise_id, "yes_no", {"label": label})

    assert exercises.read(exercise_id)["fields"][0]["key"] == key


def test_question_keys_are_unique_within_the_exercise(counselor, exercises):
    exercise_id = exercises.own(fields=[yes_no("how_are_you", "How are you?")])

    add(counselor, exercise_id, "yes_no", {"label": "How are you?"})
    add(counselor, exercise_id, "yes_no", {"label": "How are you?"})

    keys = [f["key"] for f in exercises.read(exercise_id)["fields"]]
    assert keys == ["how_are_you", "how_are_you_2", "how_are_you_3"]


def test_without_a_type_the_counselor_chooses_one(counselor, exercises):
    exercise_id = exercises.own()

    response = counselor.get(f"/exercises/{exercise_id}/fields/new")

    assert response.status_code == 200
    page = text_of(response)
    assert "Scale (a number in a range)" in page
    assert f"/exercises/{exercise_id}/fields/new?type=list" in page


@pytest.mark.parametrize("field_type", ["essay", "SCALE", "<script>", "__class__"])
def test_an_unknown_question_type_is_a_clear_404(counselor, exercises, field_type):
    exercise_id = exercises.own()
    url = f"/exercises/{exercise_id}/fields/new?type={field_type}"

    for response in (counselor.get(url), counselor.post(url, {"label": LABEL}, token_from="/")):
        assert response.status_code == 404
        assert "There is no question type called" in text_of(response)
        assert "<script>" not in response.get_data(as_text=True)
    assert len(exercises.read(exercise_id)["fields"]) == 1


def test_an_unknown_question_key_is_a_404(counselor, exercises):
    exercise_id = exercises.own()

    assert counselor.get(f"/exercises/{exercise_id}/fields/nope/edit").status_code == 404
    for action in ("move/up", "move/down", "delete"):
        url = f"/exercises/{exercise_id}/fields/nope/{action}"
        assert counselor.post(url, token_from="/").status_code == 404
    url = f"/exercises/{exercise_id}/fields/ok/move/sideways"
    assert counselor.post(url, token_from="/").status_code == 404


# --- bad input ---------------------------------------------------------------------------------


BAD = [
    ("yes_no", {"label": ""}, "Write the question."),
    ("yes_no", {"label": "   "}, "Write the question."),
    ("date", {"label": "q" * 301}, "Use at most 300 characters."),
    ("yes_no", {"help_text": "h" * 501}, "Use at most 500 characters."),
    ("short_text", {"max_length": "0"}, f"Enter a number from 1 to {HARD_CAP:,}."),
    ("long_text", {"max_length": str(HARD_CAP + 1)}, f"Enter a number from 1 to {HARD_CAP:,}."),
    ("long_text", {"max_length": "lots"}, "Not a valid integer value."),
    ("long_text", {"max_length": ""}, "Enter the longest answer allowed."),
    ("scale", {"scale_min": "5", "scale_max": "5"}, "The highest number must be above the lowest."),
    ("scale", {"scale_min": "7", "scale_max": "3"}, "The highest number must be above the lowest."),
    ("scale", {"scale_min": "-1"}, "Enter a number from 0 to 100."),
    ("scale", {"scale_max": "101"}, "Enter a number from 0 to 100."),
    ("scale", {"min_label": ""}, "Write the label for the lowest number."),
    ("scale", {"max_label": "m" * 61}, "Use at most 60 characters."),
    ("scale", {"measure": "happiness"}, "Choose a measure from the list."),
    ("single_choice", {"options": "Only one"}, "Give at least 2 options"),
    ("single_choice", {"options": "\n \n"}, "Give at least 2 options"),
    ("multi_choice", {"options": "Walk\nTalk\nwalk"}, "“walk” is listed twice"),
    (
        "multi_choice",
        {"options": "\n".join(f"O{n}" for n in range(21))},
        "Give at most 20 options.",
    ),
    ("single_choice", {"options": "Short\n" + "o" * 201}, "Keep each option under 200"),
    ("list", {"items": "0"}, "Enter a number from 1 to 10."),
    ("list", {"items": "11"}, "Enter a number from 1 to 10."),
]


@pytest.mark.parametrize(("field_type", "changes", "message"), BAD)
def test_bad_question_settings_are_refused_with_the_typed_text_kept(
    counselor, exercises, field_type, changes, message
):
    exercise_id = exercises.own(fields=[])
    sent = {**GOOD[field_type][0], "help_text": "Typed help stays.", **changes}

    response = add(counselor, exercise_id, field_type, sent)

    assert response.status_code == 200
    page = text_of(response)
    assert message in page
    if "label" not in changes:
        assert LABEL in page
    if "help_text" not in changes:
        assert "Typed help stays." in page
    if field_type == "multi_choice" and "O1" not in changes.get("options", ""):
        assert "Walk\nTalk\nwalk" in page
    assert exercises.read(exercise_id)["fields"] == []


def test_bad_settings_on_edit_keep_the_typed_text(counselor, exercises):
    exercise_id = exercises.own(fields=[scale()])
    url = f"/exercises/{exercise_id}/fields/trust_now/edit"
    version = version_in(text_of(counselor.get(url)))

    response = counselor.post(
        url,
        {
            "label": "Retyped question",
            "scale_min": "9",
            "scale_max": "2",
            "min_label": "Low",
            "max_label": "High",
            "version": version,
        },
    )

    page = text_of(response)
    assert "The highest number must be above the lowest." in page
    assert "Retyped question" in page
    assert exercises.read(exercise_id)["fields"] == [scale()]


def test_an_exercise_asks_at_most_thirty_questions(counselor, exercises):
    exercise_id = exercises.own(fields=[yes_no(f"q{n}") for n in range(30)])

    response = add(counselor, exercise_id, "yes_no", {})

    assert "An exercise asks at most 30 questions." in text_of(response)
    assert len(exercises.read(exercise_id)["fields"]) == 30


# --- editing, moving, removing -----------------------------------------------------------------


def test_editing_a_question_keeps_its_key_and_type(counselor, exercises):
    exercise_id = exercises.own(fields=[scale(), yes_no()])
    url = f"/exercises/{exercise_id}/fields/trust_now/edit"
    page = text_of(counselor.get(url))
    assert 'value="Not at all"' in page
    assert '<option selected value="trust">' in page

    response = counselor.post(
        url,
        {
            "label": "A new wording",
            "type": "long_text",
            "key": "hijacked",
            "scale_min": "0",
            "scale_max": "4",
            "min_label": "Low",
            "max_label": "High",
            "measure": "hope",
            "required": "y",
            "version": version_in(page),
        },
    )

    assert response.status_code == 302
    fields = exercises.read(exercise_id)["fields"]
    assert fields[0] == {
        **scale(),
        "label": "A new wording",
        "min": 0,
        "max": 4,
        "min_label": "Low",
        "max_label": "High",
        "measure": "hope",
    }
    assert fields[1] == yes_no()


def test_editing_a_safety_question_keeps_its_risk_rule(counselor, exercises):
    builtin = exercises.built_in("readiness-safety-check-in")
    copy = counselor.post(f"/exercises/{builtin}/copy", token_from="/")
    copy_id = int(copy.headers["Location"].rsplit("/", 1)[1])
    url = f"/exercises/{copy_id}/fields/afraid/edit"

    counselor.post(
        url,
        {
            "label": "Are you ever afraid at home?",
            "required": "y",
            "version": version_in(text_of(counselor.get(url))),
        },
    )

    afraid = exercises.read(copy_id)["fields"][0]
    assert afraid["label"] == "Are you ever afraid at home?"
    assert afraid["risk_when"] == {"equals": "yes"}


def test_a_stale_question_edit_is_refused_with_the_typed_text_kept(counselor, exercises):
    exercise_id = exercises.own(fields=[yes_no()])
    url = f"/exercises/{exercise_id}/fields/ok/edit"
    stale = version_in(text_of(counselor.get(url)))
    add(counselor, exercise_id, "date", {"label": "When?"})  # another tab adds a question

    response = counselor.post(url, {"label": "Typed in the old tab", "version": stale})

    page = text_of(response)
    assert "changed in another tab" in page
    assert "Typed in the old tab" in page
    assert exercises.read(exercise_id)["fields"][0] == yes_no()
    again = counselor.post(url, {"label": "Typed in the old tab", "version": version_in(page)})
    assert again.status_code == 302
    assert exercises.read(exercise_id)["fields"][0]["label"] == "Typed in the old tab"


def test_adding_on_a_stale_page_is_refused_too(counselor, exercises):
    exercise_id = exercises.own(fields=[yes_no()])

    response = add(counselor, exercise_id, "yes_no", {"label": "Late question"}, version="0")

    assert "changed in another tab" in text_of(response)
    assert "Late question" in text_of(response)
    assert len(exercises.read(exercise_id)["fields"]) == 1


def test_questions_move_up_and_down(counselor, exercises):
    exercise_id = exercises.own(fields=[yes_no("a"), yes_no("b"), yes_no("c")])

    def keys():
        return [f["key"] for f in exercises.read(exercise_id)["fields"]]

    def move(key, towards):
        url = f"/exercises/{exercise_id}/fields/{key}/move/{towards}"
        return counselor.post(url, token_from=f"/exercises/{exercise_id}")

    assert move("c", "up").status_code == 302
    assert keys() == ["a", "c", "b"]
    move("a", "down")
    assert keys() == ["c", "a", "b"]
    assert move("c", "up").status_code == 302  # already first: nothing moves, nothing breaks
    move("b", "down")
    assert keys() == ["c", "a", "b"]


def test_removing_a_question(counselor, exercises):
    exercise_id = exercises.own(fields=[yes_no("a", "Keep me?"), yes_no("b", "Remove me?")])

    response = counselor.post(
        f"/exercises/{exercise_id}/fields/b/delete", token_from="/", follow_redirects=True
    )

    assert "Question removed: “Remove me?”" in text_of(response)
    assert exercises.read(exercise_id)["fields"] == [yes_no("a", "Keep me?")]


def test_every_change_raises_the_exercise_version(counselor, exercises):
    exercise_id = exercises.own(fields=[yes_no("a"), yes_no("b")])
    versions = [exercises.read(exercise_id)["version"]]

    add(counselor, exercise_id, "date", {"label": "When?"})
    versions.append(exercises.read(exercise_id)["version"])
    counselor.post(f"/exercises/{exercise_id}/fields/a/move/down", token_from="/")
    versions.append(exercises.read(exercise_id)["version"])
    counselor.post(f"/exercises/{exercise_id}/fields/b/delete", token_from="/")
    versions.append(exercises.read(exercise_id)["version"])

    assert versions == sorted(set(versions))


# --- assignments keep their version ------------------------------------------------------------


def test_editing_an_assigned_exercise_never_changes_the_assignment(app, counselor, exercises):
    exercise_id = exercises.own(title="Given as it was", fields=[scale(), yes_no()])
    assignment_id = exercises.assign(exercise_id)
    given = exercises.given_version(assignment_id)

    edit_url = f"/exercises/{exercise_id}/edit"
    counselor.post(
        edit_url,
        {
            "title": "Changed later",
            "stage": str(exercises.read(exercise_id)["stage_id"]),
            "instructions": "New instructions",
            "mode": "joint",
            "visibility": "private",
            "version": version_in(text_of(counselor.get(edit_url))),
        },
    )
    field_url = f"/exercises/{exercise_id}/fields/trust_now/edit"
    counselor.post(
        field_url,
        {
            "label": "Reworded",
            "scale_min": "0",
            "scale_max": "3",
            "min_label": "a",
            "max_label": "b",
            "measure": "",
            "version": version_in(text_of(counselor.get(field_url))),
        },
    )
    counselor.post(f"/exercises/{exercise_id}/fields/ok/move/up", token_from="/")
    counselor.post(f"/exercises/{exercise_id}/fields/ok/delete", token_from="/")
    add(counselor, exercise_id, "list", {"label": "New question", "items": "3"})

    assert exercises.given_version(assignment_id) == given
    assert given["title"] == "Given as it was"
    assert given["fields"] == [scale(), yes_no()]
    current = exercises.read(exercise_id)
    assert current["title"] == "Changed later"
    assert [f["label"] for f in current["fields"]] == ["Reworded", "New question"]
    assert exercises.versions(exercise_id) == 1  # only assigning freezes a version


def test_the_next_assignment_gets_the_edited_version(counselor, exercises):
    exercise_id = exercises.own(fields=[yes_no()])
    first = exercises.assign(exercise_id)
    counselor.post(f"/exercises/{exercise_id}/fields/ok/delete", token_from="/")

    second = exercises.assign(exercise_id)

    assert exercises.given_version(first)["fields"] == [yes_no()]
    assert exercises.given_version(second)["fields"] == []
    assert exercises.given_version(second)["number"] == 2


def test_a_risk_rule_only_names_options_the_question_still_offers(counselor, exercises):
    question = {
        "key": "often",
        "type": "single_choice",
        "label": "How often are you afraid?",
        "help": "",
        "required": True,
        "options": ["Never", "Sometimes", "Often"],
        "risk_when": {"any_of": ["Sometimes", "Often"]},
    }
    exercise_id = exercises.own(fields=[question], is_safety_check=True)
    url = f"/exercises/{exercise_id}/fields/often/edit"
    page = text_of(counselor.get(url))
    assert "flags the couple for you when the answer is" in page

    counselor.post(
        url,
        {
            "label": question["label"],
            "options": "Never\nSometimes\nVery often",
            "required": "y",
            "version": version_in(page),
        },
    )

    saved = exercises.read(exercise_id)["fields"][0]
    assert saved["options"] == ["Never", "Sometimes", "Very often"]
    assert saved["risk_when"] == {"any_of": ["Sometimes"]}
