"""The counselor reads both partners' answers side by side, writes feedback, marks them
reviewed, or reopens them so the partner can edit."""

import re

import pytest
from sqlalchemy import func, select

from tests.assignments.builders import GOAL_ANSWERS, SHARED_GOAL, STAND_ANSWERS
from tests.helpers import text_of
from tests.workshops.builders import field_error, input_value, textarea_value
from workshop.extensions import db
from workshop.homework.services import NotEditable
from workshop.models import MeasurePoint, Submission

HTML_ANSWER = '<script>alert("x")</script> & <b>bold</b>'


def review_url(assignment_id: int, submission_id: int, action: str = "review") -> str:
    return f"/assignments/{assignment_id}/submissions/{submission_id}/{action}"


def answer_columns(page: str, label: str) -> list[str]:
    """The text of each respondent's answer to the question called `label`."""
    question = page.split(f'<h3 class="h3">{label}</h3>')[1].split('<div class="question">')[0]
    columns = [column.split(">", 1)[1] for column in question.split('<div class="hw-side__col')[1:]]
    return [" ".join(re.sub(r"<[^>]+>", " ", column).split()) for column in columns]


def test_both_partners_answers_side_by_side(counselor, group, hw):
    [given] = hw.give(group.workshop_id, [group.couple])
    alex, sam = group.partners
    hw.answer(given, alex, STAND_ANSWERS | {"hope": "Alex hopes for calm evenings."})
    hw.answer(given, sam, STAND_ANSWERS | {"hope": "Sam hopes for more walks.", "willing": "9"})

    page = counselor.get(f"/assignments/{given}").get_data(as_text=True)

    assert answer_columns(page, "What would I like to be different a few months from now?") == [
        "Alex Alex hopes for calm evenings.",
        "Sam Sam hopes for more walks.",
    ]
    willing = answer_columns(page, "How willing am I to work on this relationship right now?")
    assert willing[0].split()[:2] == ["Alex", "7"]
    assert willing[1].split()[:2] == ["Sam", "9"]
    assert (
        "Codependency"
        in answer_columns(page, "Which old patterns do I think we need to work on?")[0]
    )


def test_answers_are_shown_escaped(counselor, group, hw):
    [given] = hw.give(group.workshop_id, [group.couple], extra="<i>note</i>")
    hw.answer(given, group.partners[0], STAND_ANSWERS | {"hope": HTML_ANSWER})
    raw = counselor.get(f"/assignments/{given}").get_data(as_text=True)
    assert "<script>alert" not in raw
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in raw
    assert "&lt;i&gt;note&lt;/i&gt;" in raw


def test_a_joint_exercise_has_one_column(counselor, group, hw):
    [joint] = hw.give(group.workshop_id, [group.couple], key=SHARED_GOAL)
    hw.answer(joint, group.partners[1], GOAL_ANSWERS)
    page = counselor.get(f"/assignments/{joint}").get_data(as_text=True)
    columns = answer_columns(page, "In one sentence, what are we working towards together?")
    assert columns == ["Together Talk every evening"]


def test_a_draft_stays_the_partners_until_submitted(counselor, group, hw):
    [given] = hw.give(group.workshop_id, [group.couple])
    hw.answer(given, group.partners[0], {"hope": "Half-written thought"}, submit=False)
    page = text_of(counselor.get(f"/assignments/{given}"))
    assert "Half-written thought" not in page
    assert "A draft is in progress" in page
    assert "Not started yet" in page  # the other partner


def test_counselor_writes_feedback_and_marks_reviewed(app, counselor, group, hw):
    [given] = hw.give(group.workshop_id, [group.couple])
    submission = hw.answer(given, group.partners[0], STAND_ANSWERS)

    response = counselor.post(
        review_url(given, submission), {"feedback": "Thank you, that is honest."}
    )

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/assignments/{given}#submission-{submission}")
    saved = hw.submission(submission)
    assert saved["status"] == "reviewed"
    assert saved["feedback"] == "Thank you, that is honest."
    page = text_of(counselor.get(f"/assignments/{given}"))
    assert "Reviewed" in page
    assert textarea_value(page, "feedback") == "Thank you, that is honest."


def test_a_resent_review_changes_nothing(app, counselor, group, hw):
    [given] = hw.give(group.workshop_id, [group.couple])
    submission = hw.answer(given, group.partners[0], STAND_ANSWERS)
    counselor.post(review_url(given, submission), {"feedback": "Well done."})
    first = hw.submission(submission)

    again = counselor.post(review_url(given, submission), {"feedback": "Well done."})

    assert again.status_code == 302
    assert hw.submission(submission) == first  # same reviewed_at, same version


def test_feedback_can_be_changed_after_review(counselor, group, hw):
    [given] = hw.give(group.workshop_id, [group.couple])
    submission = hw.answer(given, group.partners[0], STAND_ANSWERS)
    counselor.post(review_url(given, submission), {"feedback": "Well done."})
    counselor.post(review_url(given, submission), {"feedback": "Well done, and thank you."})
    assert hw.submission(submission)["feedback"] == "Well done, and thank you."


def test_feedback_too_long_is_refused_with_the_text_kept(counselor, group, hw):
    [given] = hw.give(group.workshop_id, [group.couple])
    submission = hw.answer(given, group.partners[0], STAND_ANSWERS)
    typed = "<b>Careful</b> " + "x" * 5_000

    response = counselor.post(review_url(given, submission), {"feedback": typed})

    assert response.status_code == 200
    page = text_of(response)
    assert "at most 5,000 characters" in field_error(page, f"feedback-{submission}")
    assert typed.strip() in page
    assert hw.submission(submission)["status"] == "submitted"


def test_each_feedback_form_has_its_own_field_id(counselor, group, hw):
    [given] = hw.give(group.workshop_id, [group.couple])
    first = hw.answer(given, group.partners[0], STAND_ANSWERS)
    second = hw.answer(given, group.partners[1], STAND_ANSWERS)
    page = counselor.get(f"/assignments/{given}").get_data(as_text=True)
    assert f'<label class="field__label" for="feedback-{first}">' in page
    assert f'id="feedback-{second}"' in page


def test_reopen_then_the_partner_edits_and_resubmits(app, counselor, group, hw):
    [given] = hw.give(group.workshop_id, [group.couple])
    alex = group.partners[0]
    submission = hw.answer(given, alex, STAND_ANSWERS)
    counselor.post(review_url(given, submission), {"feedback": "Could you say more?"})

    response = counselor.post(review_url(given, submission, "reopen"))

    assert response.status_code == 302
    assert hw.submission(submission)["status"] == "draft"
    assert measure_points(app, submission) == 0  # progress data waits for the new answers
    hw.answer(given, alex, STAND_ANSWERS | {"hope": "More walks, and more talking."}, submit=False)
    hw.answer(given, alex, STAND_ANSWERS | {"hope": "More walks, and more talking."})
    saved = hw.submission(submission)
    assert saved["status"] == "submitted"
    assert saved["answers"]["hope"] == "More walks, and more talking."
    assert saved["feedback"] == "Could you say more?"
    assert measure_points(app, submission) == 2


def measure_points(app, submission_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count(MeasurePoint.id)).where(MeasurePoint.submission_id == submission_id)
        )


def test_a_submitted_answer_cannot_be_edited_until_reopened(app, group, hw):
    [given] = hw.give(group.workshop_id, [group.couple])
    hw.answer(given, group.partners[0], STAND_ANSWERS)
    with pytest.raises(NotEditable):
        hw.answer(given, group.partners[0], {"hope": "changed"}, submit=False)


def test_a_resent_reopen_changes_nothing(counselor, group, hw):
    [given] = hw.give(group.workshop_id, [group.couple])
    submission = hw.answer(given, group.partners[0], STAND_ANSWERS)
    counselor.post(review_url(given, submission, "reopen"))
    reopened = hw.submission(submission)
    counselor.post(review_url(given, submission, "reopen"))
    assert hw.submission(submission) == reopened


def test_a_review_sent_after_the_answers_were_reopened_is_not_saved(
    counselor, group, hw, make_browser, world
):
    [given] = hw.give(group.workshop_id, [group.couple])
    submission = hw.answer(given, group.partners[0], STAND_ANSWERS)
    counselor.get(f"/assignments/{given}")  # the review form is open in this tab
    colleague_tab = make_browser()
    colleague_tab.login(world.counselor)
    colleague_tab.post(review_url(given, submission, "reopen"), token_from="/")

    response = counselor.post(
        review_url(given, submission), {"feedback": "Lovely."}, follow_redirects=True
    )

    assert "reopened and are a draft again" in text_of(response)
    assert hw.submission(submission)["feedback"] == ""
    assert hw.submission(submission)["status"] == "draft"


def test_a_submission_of_another_assignment_is_a_404(counselor, group, hw):
    first, second = hw.give(group.workshop_id, group.couple_ids)
    submission = hw.answer(second, group.partner_ids[group.couple_ids[1]][0], STAND_ANSWERS)
    assert counselor.post(review_url(first, submission), {"feedback": "x"}).status_code == 404
    assert counselor.post(review_url(first, submission, "reopen")).status_code == 404
    assert hw.submission(submission)["status"] == "submitted"


def test_a_co_counselor_reviews_too(app, group, hw, world, make_browser):
    colleague = hw.counselor("Co Counselor")
    with hw.database():
        from workshop.models import User, Workshop

        workshop = db.session.get(Workshop, group.workshop_id)
        workshop.co_counselors.append(
            db.session.scalar(select(User).where(User.email == colleague))
        )
    [given] = hw.give(group.workshop_id, [group.couple])
    submission = hw.answer(given, group.partners[0], STAND_ANSWERS)
    browser = make_browser()
    browser.login(colleague)
    assert browser.get(f"/assignments/{given}").status_code == 200
    browser.post(review_url(given, submission), {"feedback": "From the co-counselor."})
    assert hw.submission(submission)["status"] == "reviewed"


def test_reviewed_answers_count_once(app, counselor, group, hw):
    [given] = hw.give(group.workshop_id, [group.couple])
    submission = hw.answer(given, group.partners[0], STAND_ANSWERS)
    for _ in range(2):
        counselor.post(review_url(given, submission), {"feedback": "Noted."})
    with app.app_context():
        rows = db.session.scalar(
            select(func.count(Submission.id)).where(Submission.assignment_id == given)
        )
    assert rows == 1


def test_after_reopening_the_partner_edits_on_their_own_page_and_the_counselor_reads_it(
    counselor, group, hw, world, make_browser
):
    [given] = hw.give(group.workshop_id, [group.couple])
    submission = hw.answer(given, world.partner_id, STAND_ANSWERS)
    counselor.post(review_url(given, submission, "reopen"))

    partner = make_browser()
    partner.login(world.partner)
    page = text_of(partner.get(f"/homework/{given}"))
    version = input_value(page, "version")
    answers = {f"a_{key}": value for key, value in STAND_ANSWERS.items()}
    response = partner.post(
        f"/homework/{given}",
        answers | {"a_hope": "Second thoughts, <em>kept</em>.", "version": version, "submit": "1"},
    )

    assert response.status_code == 302
    assert hw.submission(submission)["status"] == "submitted"
    raw = counselor.get(f"/assignments/{given}").get_data(as_text=True)
    assert "Second thoughts, &lt;em&gt;kept&lt;/em&gt;." in raw
