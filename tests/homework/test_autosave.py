"""The autosave endpoint: JSON in and out, the version check, clear refusals, never a 500."""

from datetime import timedelta

import pytest

from tests.assignments.builders import (
    RISKY_CHECK_IN,
    SAFETY_CHECK_IN,
    SHARED_GOAL,
    STAND_ANSWERS,
)
from tests.homework.pages import autosave, draft_url, page_url, submissions_of, version_on
from tests.workshops.builders import textarea_value


def give(hw, couple, key="readiness-where-we-stand", **options) -> int:
    [assignment_id] = hw.give(couple.workshop_id, [couple.couple_id], key, **options)
    return assignment_id


def test_autosave_saves_a_draft_and_answers_with_the_new_version(alex, couple, hw):
    assignment_id = give(hw, couple)

    response = autosave(
        alex,
        assignment_id,
        {
            "version": 0,
            "answers": {"hope": "Typed on the bus", "patterns": ["Codependency"], "willing": "6"},
        },
    )

    assert response.status_code == 200
    body = response.get_json()
    assert body["saved"] is True
    assert body["version"] == 1
    assert body["saved_at"]
    assert body["saved_at_text"]
    [draft] = submissions_of(hw, assignment_id)
    assert draft["status"] == "draft"
    assert draft["answers"] == {
        "willing": 6,
        "patterns": ["Codependency"],
        "hope": "Typed on the bus",
        "hopeful": None,
    }
    page = alex.get(page_url(assignment_id)).get_data(as_text=True)
    assert textarea_value(page, "a_hope") == "Typed on the bus"
    assert version_on(page) == "1"


def test_successive_autosaves_follow_the_version(alex, couple, hw):
    assignment_id = give(hw, couple)
    first = autosave(alex, assignment_id, {"version": 0, "answers": {"hope": "one"}})
    second = autosave(
        alex,
        assignment_id,
        {"version": first.get_json()["version"], "answers": {"hope": "one two"}},
    )
    assert second.get_json()["version"] == 2
    assert submissions_of(hw, assignment_id)[0]["answers"]["hope"] == "one two"


def test_a_stale_autosave_is_refused_with_409(alex, couple, hw):
    assignment_id = give(hw, couple)
    autosave(alex, assignment_id, {"version": 0, "answers": {"hope": "newer, other tab"}})

    response = autosave(alex, assignment_id, {"version": 0, "answers": {"hope": "older tab"}})

    assert response.status_code == 409
    assert response.get_json()["error"] == "stale"
    assert "another tab" in response.get_json()["message"]
    assert submissions_of(hw, assignment_id)[0]["answers"]["hope"] == "newer, other tab"


@pytest.mark.parametrize(
    ("answers", "key"),
    [
        ({"hope": "x" * 5001}, "hope"),
        ({"willing": "11"}, "willing"),
        ({"patterns": ["Gambling"]}, "patterns"),
        ({"hope": {"nested": "object"}}, "hope"),
        ({"patterns": "Codependency"}, "patterns"),
        ({"patterns": [["deep"]]}, "patterns"),
        ({"willing": True}, "willing"),
    ],
)
def test_answers_that_do_not_fit_get_422_with_field_errors(alex, couple, hw, answers, key):
    assignment_id = give(hw, couple)

    response = autosave(alex, assignment_id, {"version": 0, "answers": answers})

    assert response.status_code == 422
    body = response.get_json()
    assert body["saved"] is False
    assert set(body["errors"]) == {key}
    assert body["message"].startswith("Not saved yet:")
    assert submissions_of(hw, assignment_id) == []


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '{"answers": [1]}', '"text"'])
def test_unreadable_json_gets_400_not_500(alex, couple, hw, body):
    assignment_id = give(hw, couple)
    token = alex.csrf_token(page_url(assignment_id))

    response = alex.client.post(
        draft_url(assignment_id),
        data=body,
        content_type="application/json",
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )

    assert response.status_code == 400
    assert response.get_json()["saved"] is False


def test_a_request_with_no_answers_saves_nothing(alex, couple, hw):
    assignment_id = give(hw, couple)
    response = autosave(alex, assignment_id, {"version": 0})
    assert response.status_code == 200
    assert response.get_json()["saved"] is False
    assert submissions_of(hw, assignment_id) == []


def test_autosave_without_the_csrf_header_is_refused(alex, couple, hw):
    assignment_id = give(hw, couple)

    response = autosave(alex, assignment_id, {"version": 0, "answers": {"hope": "x"}}, token=None)

    assert response.status_code == 400
    assert response.get_json() == {"error": 400}
    assert submissions_of(hw, assignment_id) == []


def test_autosave_after_submitting_is_refused(alex, couple, hw):
    assignment_id = give(hw, couple)
    hw.answer(assignment_id, couple.partner_ids[0], STAND_ANSWERS)

    response = autosave(alex, assignment_id, {"version": 1, "answers": {"hope": "late"}})

    assert response.status_code == 409
    assert response.get_json()["error"] == "submitted"
    assert submissions_of(hw, assignment_id)[0]["answers"]["hope"] == "More calm evenings."


def test_autosave_before_opening_or_while_paused_is_refused(alex, couple, hw):
    later = give(hw, couple, opened=-timedelta(days=1))
    check_in = give(hw, couple, SAFETY_CHECK_IN)
    hw.answer(check_in, couple.partner_ids[1], RISKY_CHECK_IN)
    joint = give(hw, couple, SHARED_GOAL)

    not_open = autosave(alex, later, {"version": 0, "answers": {"hope": "x"}})
    paused = autosave(alex, joint, {"version": 0, "answers": {"goal": "x"}})

    assert (not_open.status_code, not_open.get_json()["error"]) == (409, "not_open")
    assert (paused.status_code, paused.get_json()["error"]) == (409, "paused")
    assert "safety" not in paused.get_json()["message"].lower()


def test_an_ended_login_is_sent_to_log_in_not_given_an_error(alex, couple, hw):
    assignment_id = give(hw, couple)
    token = alex.csrf_token(page_url(assignment_id))
    alex.logout()

    response = alex.client.post(
        draft_url(assignment_id),
        json={"version": 0, "answers": {}},
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert submissions_of(hw, assignment_id) == []


def test_another_couples_autosave_url_is_404(couple, hw, world, make_browser):
    assignment_id = give(hw, couple)
    stranger = make_browser()
    stranger.login(world.other_couple_partner)

    response = autosave(
        stranger,
        assignment_id,
        {"version": 0, "answers": {"hope": "x"}},
        token=stranger.csrf_token("/homework"),
    )

    assert response.status_code == 404
    assert submissions_of(hw, assignment_id) == []


@pytest.mark.parametrize("version", [True, 1.0, "one", None, [1]])
def test_a_draft_version_that_is_not_a_whole_number_counts_as_stale(alex, couple, hw, version):
    assignment_id = give(hw, couple)
    autosave(alex, assignment_id, {"version": 0, "answers": {"hope": "saved"}})

    response = autosave(alex, assignment_id, {"version": version, "answers": {"hope": "x"}})

    assert response.status_code == 409
    assert submissions_of(hw, assignment_id)[0]["answers"]["hope"] == "saved"
