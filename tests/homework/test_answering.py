"""Filling in homework: drafts, submitting once, two tabs, what shows after submitting."""

import re
from datetime import timedelta

from tests.assignments.builders import (
    RISKY_CHECK_IN,
    SAFETY_CHECK_IN,
    SHARED_GOAL,
    STAND_ANSWERS,
)
from tests.helpers import text_of
from tests.homework.pages import (
    answers_form,
    field_error,
    page_url,
    submissions_of,
    version_on,
)
from tests.workshops.builders import textarea_value
from workshop.forms import CSRF_FAILED_MESSAGE
from workshop.homework import services
from workshop.models import Assignment

STAND_FORM = {
    "willing": "7",
    "patterns": ["Codependency"],
    "hope": "More calm evenings.",
    "hopeful": "6",
}
GOAL_FORM = {"goal": "Talk every evening", "effort": "Twenty minutes each", "balance": "5"}


def give(hw, couple, key="readiness-where-we-stand", **options) -> int:
    [assignment_id] = hw.give(couple.workshop_id, [couple.couple_id], key, **options)
    return assignment_id


def test_the_page_shows_the_exercise_the_note_the_due_time_and_the_questions(alex, couple, hw):
    assignment_id = give(hw, couple, extra="Bring this to Thursday's session.")
    due_at = hw.read(Assignment, assignment_id, "due_at")["due_at"]

    response = alex.get(page_url(assignment_id))

    page = text_of(response)
    assert response.status_code == 200
    assert "Where I stand" in page
    assert "Answer on your own, honestly." in page
    assert "Bring this to Thursday's session." in page
    assert f"Due {due_at:%a %d %b %Y, %H:%M}" in page
    assert "How willing am I to work on this relationship right now?" in page
    assert 'value="Save draft"' in page
    assert 'value="Submit"' in page
    assert version_on(page) == "0"


def test_save_draft_keeps_the_answers_and_shows_them_again(alex, couple, hw):
    assignment_id = give(hw, couple)

    response = alex.post(page_url(assignment_id), answers_form({"hope": "Fewer fights"}))

    assert response.status_code == 302
    page = text_of(alex.get(page_url(assignment_id)))
    assert "Draft saved at" in page
    assert textarea_value(page, "a_hope") == "Fewer fights"
    assert version_on(page) == "1"
    [draft] = submissions_of(hw, assignment_id)
    assert draft["status"] == "draft"
    assert draft["answers"]["hope"] == "Fewer fights"


def test_submit_makes_the_answers_read_only(alex, couple, hw):
    assignment_id = give(hw, couple)

    response = alex.post(
        page_url(assignment_id), answers_form(STAND_FORM, submit=True), follow_redirects=True
    )

    page = text_of(response)
    assert "Submitted." in page
    assert "More calm evenings." in page
    assert '<form method="post" novalidate' not in page
    assert 'name="a_hope"' not in page
    [submission] = submissions_of(hw, assignment_id)
    assert submission["status"] == "submitted"


def test_submitting_with_a_question_unanswered_names_it_and_keeps_a_draft(alex, couple, hw):
    assignment_id = give(hw, couple)
    partly = {"willing": "7", "hope": "Calm evenings"}

    response = alex.post(page_url(assignment_id), answers_form(partly, submit=True))

    page = text_of(response)
    assert response.status_code == 200
    assert field_error(page, "patterns") == "Please answer this question before submitting."
    assert field_error(page, "hopeful") == "Please answer this question before submitting."
    assert field_error(page, "hope") == ""
    assert "saved as a draft but not submitted yet" in page
    assert textarea_value(page, "a_hope") == "Calm evenings"
    [draft] = submissions_of(hw, assignment_id)
    assert (draft["status"], draft["answers"]["hope"]) == ("draft", "Calm evenings")
    assert version_on(page) == str(draft["version"])


def test_submitting_twice_makes_one_submission(alex, couple, hw):
    assignment_id = give(hw, couple)
    sent = answers_form(STAND_FORM, submit=True)

    first = alex.post(page_url(assignment_id), sent)
    again = alex.post(page_url(assignment_id), sent, follow_redirects=True)

    assert first.status_code == 302
    assert again.status_code == 200
    assert "already submitted" in text_of(again)
    assert [s["status"] for s in submissions_of(hw, assignment_id)] == ["submitted"]


def test_a_different_text_sent_after_submitting_is_shown_back_not_dropped(alex, couple, hw):
    assignment_id = give(hw, couple)
    alex.post(page_url(assignment_id), answers_form(STAND_FORM, submit=True))

    late = alex.post(
        page_url(assignment_id), answers_form({**STAND_FORM, "hope": "A late second thought"}, 1)
    )

    page = text_of(late)
    assert late.status_code == 200
    assert "was not saved" in page
    assert "A late second thought" in page
    [submission] = submissions_of(hw, assignment_id)
    assert submission["answers"]["hope"] == "More calm evenings."


def test_two_tabs_the_staler_save_is_refused_and_its_text_kept(alex, couple, hw):
    assignment_id = give(hw, couple)
    hw.answer(assignment_id, couple.partner_ids[0], {"hope": "first words"}, submit=False)
    seen = version_on(text_of(alex.get(page_url(assignment_id))))
    alex.post(page_url(assignment_id), answers_form({"hope": "tab one"}, seen))

    stale = alex.post(page_url(assignment_id), answers_form({"hope": "tab two"}, seen))

    page = text_of(stale)
    assert stale.status_code == 200
    assert "saved from another tab or device" in page
    assert textarea_value(page, "a_hope") == "tab two"
    assert "tab one" in page  # the version saved elsewhere, to compare
    [draft] = submissions_of(hw, assignment_id)
    assert draft["answers"]["hope"] == "tab one"
    # Having compared, the partner saves again deliberately: now it is kept.
    again = alex.post(page_url(assignment_id), answers_form({"hope": "tab two"}, version_on(page)))
    assert again.status_code == 302
    assert submissions_of(hw, assignment_id)[0]["answers"]["hope"] == "tab two"


def test_two_first_saves_racing_make_one_draft_and_the_loser_keeps_its_text(
    alex, couple, hw, monkeypatch
):
    assignment_id = give(hw, couple)
    hw.answer(assignment_id, couple.partner_ids[0], {"hope": "the winner"}, submit=False)
    page_version = "0"  # this tab opened the page before any draft existed
    real = services.submission_for
    calls = []

    def not_yet_seen(assignment, partner):
        """The row the other request just inserted is not visible yet (the race)."""
        calls.append(1)
        return None if len(calls) <= 2 else real(assignment, partner)

    monkeypatch.setattr(services, "submission_for", not_yet_seen)
    response = alex.post(page_url(assignment_id), answers_form({"hope": "the loser"}, page_version))

    assert response.status_code == 200
    assert "saved from another tab or device" in text_of(response)
    assert textarea_value(text_of(response), "a_hope") == "the loser"
    assert [s["answers"]["hope"] for s in submissions_of(hw, assignment_id)] == ["the winner"]


def test_a_failed_csrf_check_saves_nothing_and_keeps_the_text(alex, couple, hw):
    assignment_id = give(hw, couple)

    response = alex.client.post(
        page_url(assignment_id), data=answers_form({"hope": "typed before the token expired"})
    )

    page = text_of(response)
    assert response.status_code == 200
    assert CSRF_FAILED_MESSAGE in page
    assert textarea_value(page, "a_hope") == "typed before the token expired"
    assert submissions_of(hw, assignment_id) == []


def test_not_open_yet_says_when_it_opens(alex, couple, hw):
    assignment_id = give(hw, couple, opened=-timedelta(days=2))
    opens_at = hw.read(Assignment, assignment_id, "opens_at")["opens_at"]

    page = text_of(alex.get(page_url(assignment_id)))

    assert f"This exercise opens on <strong>{opens_at:%a %d %b %Y, %H:%M}</strong>" in page
    assert 'name="a_hope"' not in page


def test_a_save_before_opening_is_refused_with_the_text_shown_back(alex, couple, hw):
    assignment_id = give(hw, couple, opened=-timedelta(days=2))

    response = alex.post(page_url(assignment_id), answers_form({"hope": "Too early"}))

    assert response.status_code == 200
    assert "Too early" in text_of(response)
    assert submissions_of(hw, assignment_id) == []


def test_joint_exercises_wait_calmly_while_a_check_in_is_unreviewed(alex, sam, couple, hw):
    check_in = give(hw, couple, SAFETY_CHECK_IN)
    hw.answer(check_in, couple.partner_ids[1], RISKY_CHECK_IN)
    joint = give(hw, couple, SHARED_GOAL)

    for browser in (alex, sam):
        page = text_of(browser.get(page_url(joint)))
        assert "Paused for now" in page
        assert 'name="a_goal"' not in page
        assert "safety" not in page.lower()  # never says why: that could endanger someone
    refused = alex.post(page_url(joint), answers_form(GOAL_FORM))
    assert "Talk every evening" in text_of(refused)  # shown back to be copied
    assert submissions_of(hw, joint) == []

    hw.mark_safety_reviewed(couple.couple_id)
    assert 'name="a_goal"' in text_of(alex.get(page_url(joint)))


def test_a_joint_exercise_is_one_shared_answer(alex, sam, couple, hw):
    joint = give(hw, couple, SHARED_GOAL)
    alex.post(page_url(joint), answers_form({"goal": "Alex started this"}))

    page = text_of(sam.get(page_url(joint)))
    assert 'value="Alex started this"' in page
    sam.post(
        page_url(joint),
        answers_form({**GOAL_FORM, "goal": "Finished by Sam"}, version_on(page), submit=True),
    )

    assert "Finished by Sam" in text_of(alex.get(page_url(joint)))
    assert [(s["respondent"], s["status"]) for s in submissions_of(hw, joint)] == [
        ("joint", "submitted")
    ]


def test_feedback_shows_once_the_counselor_has_reviewed(alex, couple, hw):
    assignment_id = give(hw, couple)
    submission_id = hw.answer(assignment_id, couple.partner_ids[0], STAND_ANSWERS)
    assert "feedback" not in text_of(alex.get(page_url(assignment_id))).lower()

    hw.review(submission_id, "You named something important here.")

    page = text_of(alex.get(page_url(assignment_id)))
    assert "Your counselor’s feedback" in page
    assert "You named something important here." in page


def test_a_reopened_answer_can_be_edited_again(alex, couple, hw):
    assignment_id = give(hw, couple)
    submission_id = hw.answer(assignment_id, couple.partner_ids[0], STAND_ANSWERS)
    hw.reopen(submission_id)

    page = text_of(alex.get(page_url(assignment_id)))

    assert textarea_value(page, "a_hope") == "More calm evenings."
    response = alex.post(
        page_url(assignment_id),
        answers_form({**STAND_FORM, "hope": "Added more"}, version_on(page), submit=True),
    )
    assert response.status_code == 302
    assert submissions_of(hw, assignment_id)[0]["answers"]["hope"] == "Added more"


def test_the_other_partners_answers_show_only_once_both_have_submitted(alex, sam, couple, hw):
    assignment_id = give(hw, couple)
    hw.answer(assignment_id, couple.partner_ids[1], {**STAND_ANSWERS, "hope": "Sam's hope"})
    assert "Sam's hope" not in text_of(alex.get(page_url(assignment_id)))

    alex.post(page_url(assignment_id), answers_form(STAND_FORM, submit=True))

    page = text_of(alex.get(page_url(assignment_id)))
    assert "Sam’s answers" in page
    assert "Sam's hope" in page
    assert "More calm evenings." in text_of(sam.get(page_url(assignment_id)))


def test_answers_keep_the_questions_they_were_given_with(alex, couple, hw):
    assignment_id = give(hw, couple)
    hw.edit_exercise(
        "readiness-where-we-stand",
        title="Renamed later",
        fields=[{"key": "other", "type": "short_text", "label": "A new question"}],
    )

    page = text_of(alex.get(page_url(assignment_id)))

    assert "Where I stand" in page
    assert "Renamed later" not in page
    assert 'name="a_hope"' in page
    assert "A new question" not in page


def test_the_page_loads_autosave_as_a_deferred_file_with_no_inline_script(alex, couple, hw):
    assignment_id = give(hw, couple)
    page = alex.get(page_url(assignment_id)).get_data(as_text=True)

    scripts = re.findall(r"<script[^>]*>", page)
    # The file's name carries a hash of its content (static files are cached for a year).
    plain_names = [re.sub(r"\.[0-9a-f]{12}\.js", ".js", script) for script in scripts]
    assert '<script src="/static/js/autosave.js" defer>' in plain_names
    assert all(re.fullmatch(r'<script src="/static/js/[\w.]+" defer>', s) for s in scripts)
    assert re.search(r"<script[^>]*>\s*[^<\s]", page) is None  # nothing between the tags
    assert f'data-autosave-url="/homework/{assignment_id}/draft"' in page
    assert '<meta name="csrf-token"' in page
    static = alex.get("/static/js/autosave.js")
    assert static.status_code == 200
    assert "X-CSRFToken" in static.get_data(as_text=True)
    static.close()


def test_safety_check_ins_are_never_copied_to_the_device(alex, couple, hw):
    assignment_id = give(hw, couple, SAFETY_CHECK_IN)
    page = alex.get(page_url(assignment_id)).get_data(as_text=True)
    assert 'data-autosave-local="off"' in page


def test_an_answer_sent_after_the_login_ended_is_shown_back_to_copy(alex, couple, hw):
    assignment_id = give(hw, couple)
    token = alex.csrf_token(page_url(assignment_id))
    alex.logout()

    response = alex.client.post(
        page_url(assignment_id),
        data={**answers_form({"hope": "A long answer written slowly"}), "csrf_token": token},
    )

    assert response.status_code == 401
    page = text_of(response)
    assert "A long answer written slowly" in page
    assert 'name="password"' in page
    assert submissions_of(hw, assignment_id) == []
