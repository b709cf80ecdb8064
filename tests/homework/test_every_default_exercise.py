"""Every built-in exercise can be filled in and submitted through its web form."""

import pytest

from tests.homework.pages import answers_form, page_url, submissions_of
from workshop.homework.fields import list_size, options
from workshop.homework.library import LIBRARY


def a_valid_answer(field: dict):
    """What a partner might type or tick for this question."""
    kind = field["type"]
    if kind == "scale":
        return str(field["max"])  # also safe for the check-in's "feel safe" scale
    if kind == "single_choice":
        return options(field)[0]
    if kind == "multi_choice":
        return options(field)[:2]
    if kind == "yes_no":
        return "no"  # no risk: the check-in must not lock the couple's joint exercises
    if kind == "date":
        return "2026-12-05"
    if kind == "list":
        return tuple(f"Item {n + 1}" for n in range(list_size(field)))
    return f"An answer to: {field['label'][:40]}"


@pytest.mark.parametrize("exercise", LIBRARY, ids=[e["key"] for e in LIBRARY])
def test_a_partner_fills_in_and_submits_the_exercise(alex, couple, hw, exercise):
    [assignment_id] = hw.give(couple.workshop_id, [couple.couple_id], exercise["key"])
    answers = {field["key"]: a_valid_answer(field) for field in exercise["fields"]}

    response = alex.post(page_url(assignment_id), answers_form(answers, submit=True))

    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    [submission] = submissions_of(hw, assignment_id)
    assert submission["status"] == "submitted"
    assert set(submission["answers"]) == {field["key"] for field in exercise["fields"]}
    assert all(value not in (None, "", []) for value in submission["answers"].values())
