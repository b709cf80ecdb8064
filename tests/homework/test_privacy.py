"""Privacy: a partner reaches only their own couple's homework, never their partner's private
answers or safety check-in, and staff have no partner pages. Unique markers planted in one
partner's answers must not appear on any page the other can open."""

import pytest
from flask import url_for

from tests.assignments.builders import (
    SAFE_CHECK_IN,
    SAFETY_CHECK_IN,
    SHARED_GOAL,
    STAND_ANSWERS,
)
from tests.helpers import text_of
from tests.homework.pages import answers_form, autosave, draft_url, page_url, submissions_of
from workshop.access import ROUTE_ACCESS
from workshop.models import Role

PRIVATE_MARKER = "zq-private-4417"
SAFETY_MARKER = "zq-safety-9082"
DRAFT_MARKER = "zq-draft-3315"
OTHER_COUPLE_MARKER = "zq-other-couple-7730"
TRUST = "trust-understanding-causes"  # individual and private


def give(hw, couple, key, **options) -> int:
    [assignment_id] = hw.give(couple.workshop_id, [couple.couple_id], key, **options)
    return assignment_id


def partner_pages(app, assignment_ids: list[int]) -> list[str]:
    """Every page a partner may GET whose URL values we can fill (assignment ids)."""
    urls = []
    with app.test_request_context():
        for url_rule in app.url_map.iter_rules():
            rule = ROUTE_ACCESS[url_rule.endpoint]
            partner_may = rule.is_public or Role.PARTNER in rule.roles
            if "GET" not in url_rule.methods or not partner_may or url_rule.endpoint == "static":
                continue
            if not url_rule.arguments:
                urls.append(url_for(url_rule.endpoint))
            elif set(url_rule.arguments) == {"assignment_id"}:
                urls += [url_for(url_rule.endpoint, assignment_id=i) for i in assignment_ids]
    return urls


@pytest.fixture
def alex_answered_everything(hw, couple):
    """Alex submitted a private exercise and a safety check-in, and left an "after both"
    exercise as a draft; Sam submitted all three. Assignment ids."""
    alex_id, sam_id = couple.partner_ids
    trust = give(hw, couple, TRUST)
    check_in = give(hw, couple, SAFETY_CHECK_IN)
    stand = give(hw, couple, "readiness-where-we-stand")
    hw.answer(
        trust, alex_id, {"factors": [PRIVATE_MARKER], "my_part": PRIVATE_MARKER, "trust_now": "4"}
    )
    hw.answer(check_in, alex_id, {**SAFE_CHECK_IN, "afraid": "yes", "private_note": SAFETY_MARKER})
    hw.answer(stand, alex_id, {"hope": DRAFT_MARKER}, submit=False)
    hw.answer(trust, sam_id, {"factors": ["Distance"], "my_part": "Silence", "trust_now": "5"})
    hw.answer(check_in, sam_id, SAFE_CHECK_IN)
    hw.answer(stand, sam_id, STAND_ANSWERS)
    hw.mark_safety_reviewed(couple.couple_id)
    return [trust, check_in, stand]


def test_alexs_private_answers_never_appear_on_any_page_sam_can_open(
    app, sam, alex_answered_everything
):
    urls = partner_pages(app, alex_answered_everything)
    assert {"/", "/homework", page_url(alex_answered_everything[0])} <= set(urls)

    for url in urls:
        response = sam.get(url, follow_redirects=True)
        page = text_of(response)
        for marker in (PRIVATE_MARKER, SAFETY_MARKER, DRAFT_MARKER):
            assert marker not in page, f"{marker} leaked on {url}"


def test_a_safety_check_in_stays_private_even_once_both_have_submitted(
    alex, sam, hw, couple, alex_answered_everything
):
    check_in = alex_answered_everything[1]
    assert [s["status"] for s in submissions_of(hw, check_in)] == ["submitted", "submitted"]

    sams_view = text_of(sam.get(page_url(check_in)))
    assert SAFETY_MARKER not in sams_view
    assert "Alex’s answers" not in sams_view
    assert SAFETY_MARKER in text_of(alex.get(page_url(check_in)))  # Alex sees their own


def test_a_private_exercise_shows_no_partner_answers_even_once_both_submitted(
    sam, alex_answered_everything
):
    page = text_of(sam.get(page_url(alex_answered_everything[0])))
    assert "Distance" in page  # Sam's own answer
    assert PRIVATE_MARKER not in page
    assert "Alex’s answers" not in page


def test_autosave_answers_never_echo_the_other_partners_answers(sam, alex_answered_everything):
    stand = alex_answered_everything[2]
    response = autosave(sam, stand, {"version": 1, "answers": {"hope": "x"}})
    assert DRAFT_MARKER not in response.get_data(as_text=True)


def test_another_couples_homework_is_404_like_a_missing_one(couple, hw, world, make_browser):
    assignment_id = give(hw, couple, "readiness-where-we-stand", extra=OTHER_COUPLE_MARKER)
    stranger = make_browser()
    stranger.login(world.other_couple_partner)

    assert stranger.get(page_url(assignment_id)).status_code == 404
    assert stranger.get(page_url(assignment_id + 1000)).status_code == 404
    posted = stranger.post(
        page_url(assignment_id), answers_form({"hope": "intruding"}), token_from="/homework"
    )
    assert posted.status_code == 404
    assert OTHER_COUPLE_MARKER not in text_of(stranger.get("/homework"))
    assert submissions_of(hw, assignment_id) == []


@pytest.mark.parametrize("who", ["counselor", "admin", "other_practice_counselor"])
def test_staff_have_no_partner_homework_pages(couple, hw, world, make_browser, who):
    assignment_id = give(hw, couple, SHARED_GOAL)
    staff = make_browser()
    staff.login(getattr(world, who))

    assert staff.get("/homework").status_code == 403
    assert staff.get(page_url(assignment_id)).status_code == 403
    assert (
        staff.post(page_url(assignment_id), answers_form({"goal": "x"}), token_from="/").status_code
        == 403
    )
    assert (
        staff.client.post(
            draft_url(assignment_id),
            json={"answers": {}},
            headers={"X-CSRFToken": staff.csrf_token("/")},
        ).status_code
        == 403
    )


def test_anonymous_visitors_are_sent_to_log_in(client, couple, hw):
    assignment_id = give(hw, couple, SHARED_GOAL)
    for url in ("/homework", page_url(assignment_id)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")


def test_the_service_refuses_answers_from_a_partner_of_another_couple(app, hw, couple, world):
    """Even if a view forgot its scoped query, the service would not save the answers."""
    from sqlalchemy import select

    from workshop.extensions import db
    from workshop.homework import services
    from workshop.models import Assignment, User

    assignment_id = give(hw, couple, TRUST)
    with app.app_context():
        stranger = db.session.scalar(select(User).where(User.email == world.other_couple_partner))
        assignment = db.session.get(Assignment, assignment_id)
        with pytest.raises(PermissionError):
            services.save_answers(assignment, stranger, {}, None, submit=False)
