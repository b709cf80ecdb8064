"""A counselor creates and edits workshops; bad input is explained field by field."""

import re

import pytest
from sqlalchemy import func, select

from tests.helpers import text_of
from tests.workshops.builders import (
    checked_values,
    field_error,
    input_value,
    textarea_value,
    user_id,
)
from workshop.extensions import db
from workshop.models import Workshop

NEW_WORKSHOP = {
    "title": "Winter group",
    "description": "Twelve evenings for couples starting over.",
    "format": "group",
    "location": "Room 4, Garden Street 1",
    "video_url": "https://meet.example.org/winter",
    "timezone": "Europe/Berlin",
    "capacity": "6",
}


def workshop_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Workshop.id)))


def only_workshop(app) -> dict:
    with app.app_context():
        workshop = db.session.scalars(select(Workshop)).one()
        return {
            "id": workshop.id,
            "title": workshop.title,
            "description": workshop.description,
            "format": workshop.format,
            "location": workshop.location,
            "video_url": workshop.video_url,
            "timezone": workshop.timezone,
            "capacity": workshop.capacity,
            "lead_id": workshop.lead_id,
            "co_counselor_ids": sorted(c.id for c in workshop.co_counselors),
        }


def ids_of(app, *emails) -> list[int]:
    with app.app_context():
        return [user_id(email) for email in emails]


# Creating


def test_counselor_creates_a_workshop_and_goes_on_to_plan_its_sessions(app, counselor, world):
    response = counselor.post("/workshops/new", NEW_WORKSHOP)

    saved = only_workshop(app)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/workshops/{saved['id']}/plan"
    assert saved | {"id": 0} == {
        "id": 0,
        "title": "Winter group",
        "description": "Twelve evenings for couples starting over.",
        "format": "group",
        "location": "Room 4, Garden Street 1",
        "video_url": "https://meet.example.org/winter",
        "timezone": "Europe/Berlin",
        "capacity": 6,
        "lead_id": ids_of(app, world.counselor)[0],
        "co_counselor_ids": [],
    }
    assert "Winter group" in text_of(counselor.get("/workshops/"))
    page = text_of(counselor.get(f"/workshops/{saved['id']}"))
    assert "Winter group" in page
    assert "Europe/Berlin" in page.replace(" ", "_") or "Europe/Berlin" in page


def test_the_new_workshop_form_starts_on_the_counselors_own_timezone(counselor, build, world):
    build.set_timezone(world.counselor, "America/New_York")
    page = text_of(counselor.get("/workshops/new"))
    assert re.search(
        r'<option selected value="America/New_York"|'
        r'<option value="America/New_York" selected',
        page,
    )


def test_an_online_only_workshop_needs_no_location(app, counselor):
    data = {**NEW_WORKSHOP, "location": ""}
    assert counselor.post("/workshops/new", data).status_code == 302
    assert only_workshop(app)["location"] == ""


def test_co_counselors_are_chosen_from_the_counselors_own_practice(app, counselor, world):
    (other_id,) = ids_of(app, world.other_counselor)

    page = text_of(counselor.get("/workshops/new"))
    response = counselor.post("/workshops/new", {**NEW_WORKSHOP, "co_counselors": [other_id]})

    assert f'value="{other_id}"' in page
    assert response.status_code == 302
    assert only_workshop(app)["co_counselor_ids"] == [other_id]


def test_a_counselor_of_another_practice_posted_by_hand_is_refused(app, counselor, world):
    (stranger_id,) = ids_of(app, world.other_practice_counselor)

    page = text_of(counselor.get("/workshops/new"))
    response = counselor.post("/workshops/new", {**NEW_WORKSHOP, "co_counselors": [stranger_id]})

    assert f'value="{stranger_id}"' not in page
    assert response.status_code == 200
    assert field_error(text_of(response), "co_counselors")
    assert workshop_count(app) == 0


def test_an_admin_or_partner_of_the_practice_cannot_be_made_co_counselor(app, counselor, world):
    admin_id, partner_id = ids_of(app, world.admin, world.partner)

    for user in (admin_id, partner_id):
        response = counselor.post("/workshops/new", {**NEW_WORKSHOP, "co_counselors": [user]})
        assert response.status_code == 200
    assert workshop_count(app) == 0


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Give the workshop a title."),
        ({"title": "x" * 121}, "title", "Use at most 120 characters."),
        ({"location": "", "video_url": ""}, "location", "Give a location, a video link, or both."),
        ({"video_url": "meet example org"}, "video_url", "Enter a full link"),
        ({"video_url": "javascript:alert(1)"}, "video_url", "Enter a full link"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone", "Choose a timezone from the list."),
        ({"timezone": ""}, "timezone", "Choose a timezone from the list."),
        ({"capacity": "0"}, "capacity", "Enter a number from 1 to 50."),
        ({"capacity": "51"}, "capacity", "Enter a number from 1 to 50."),
        ({"capacity": "abc"}, "capacity", "Enter a number from 1 to 50."),
        ({"capacity": ""}, "capacity", "Enter how many couples can join."),
        ({"format": "retreat"}, "format", "Choose one of the two formats."),
    ],
)
def test_bad_input_is_explained_on_its_field_and_the_typed_text_kept(
    app, counselor, changes, field, message
):
    data = {**NEW_WORKSHOP, "description": "Kept <as typed> & safe", **changes}

    response = counselor.post("/workshops/new", data)

    page = text_of(response)
    assert response.status_code == 200
    assert message in field_error(page, field)
    assert textarea_value(page, "description") == "Kept <as typed> & safe"
    if field != "title":
        assert input_value(page, "title") == "Winter group"
    assert workshop_count(app) == 0


def test_a_private_program_is_for_exactly_one_couple(app, counselor):
    response = counselor.post(
        "/workshops/new", {**NEW_WORKSHOP, "format": "couple", "capacity": "8"}
    )

    assert response.status_code == 302
    assert only_workshop(app)["capacity"] == 1
    assert only_workshop(app)["format"] == "couple"


# Editing


def edit_data(page: str, **changes) -> dict:
    """The edit form as the page shows it, with some fields changed."""
    shown = {
        "version": input_value(page, "version"),
        "co_counselors": checked_values(page, "co_counselors"),
    }
    return {**NEW_WORKSHOP, **shown, **changes}


def test_counselor_edits_a_workshop(app, counselor, build):
    workshop = build.workshop(title="Spring group")
    page = text_of(counselor.get(workshop.url("/edit")))

    response = counselor.post(workshop.url("/edit"), edit_data(page, title="Spring group 2"))

    assert response.status_code == 302
    assert response.headers["Location"] == workshop.url()
    assert only_workshop(app)["title"] == "Spring group 2"
    assert input_value(page, "title") == "Spring group"


def test_capacity_cannot_drop_below_the_couples_enrolled(app, counselor, build, world):
    second = build.couple()
    third = build.couple(names=("Kim", "Lee"))
    workshop = build.workshop(capacity=5, couples=(world.couple_id, second, third))
    page = text_of(counselor.get(workshop.url("/edit")))

    response = counselor.post(workshop.url("/edit"), edit_data(page, capacity="2"))

    assert response.status_code == 200
    assert "3 couples are enrolled" in field_error(text_of(response), "capacity")
    assert input_value(text_of(response), "capacity") == "2"
    assert only_workshop(app)["capacity"] == 5


def test_turning_a_full_group_into_a_private_program_is_refused(app, counselor, build, world):
    second = build.couple()
    workshop = build.workshop(capacity=4, couples=(world.couple_id, second))
    page = text_of(counselor.get(workshop.url("/edit")))

    response = counselor.post(workshop.url("/edit"), edit_data(page, format="couple"))

    assert response.status_code == 200
    assert "2 couples are enrolled" in field_error(text_of(response), "capacity")
    assert only_workshop(app)["format"] == "group"


def test_capacity_can_be_lowered_to_exactly_the_couples_enrolled(app, counselor, build, world):
    workshop = build.workshop(capacity=5, couples=(world.couple_id,))
    page = text_of(counselor.get(workshop.url("/edit")))

    assert counselor.post(workshop.url("/edit"), edit_data(page, capacity="1")).status_code == 302
    assert only_workshop(app)["capacity"] == 1


def test_the_second_of_two_simultaneous_edits_is_refused_and_kept_in_the_form(
    app, build, world, make_browser
):
    colleague = build.counselor("Dana Colleague")
    workshop = build.workshop(title="Spring group", co=(colleague,))
    first, second = make_browser(), make_browser()
    first.login(world.counselor)
    second.login(colleague)
    first_page = text_of(first.get(workshop.url("/edit")))
    second_page = text_of(second.get(workshop.url("/edit")))

    first.post(workshop.url("/edit"), edit_data(first_page, title="Saved by the lead"))
    response = second.post(
        workshop.url("/edit"), edit_data(second_page, title="Typed by the colleague")
    )

    page = text_of(response)
    assert response.status_code == 200
    assert "Someone else saved this workshop" in page
    assert input_value(page, "title") == "Typed by the colleague"
    assert only_workshop(app)["title"] == "Saved by the lead"
    # Having seen the warning, the colleague may deliberately save over it.
    again = second.post(workshop.url("/edit"), edit_data(page, title="Typed by the colleague"))
    assert again.status_code == 302
    assert only_workshop(app)["title"] == "Typed by the colleague"


def test_an_edit_without_a_version_is_treated_as_stale(app, counselor, build):
    workshop = build.workshop(title="Spring group")

    response = counselor.post(workshop.url("/edit"), {**NEW_WORKSHOP, "title": "Blind write"})

    assert "Someone else saved this workshop" in text_of(response)
    assert only_workshop(app)["title"] == "Spring group"


def test_changing_only_the_co_counselors_still_counts_as_a_save(app, build, world, make_browser):
    colleague = build.counselor("Dana Colleague")
    other_id, colleague_id = ids_of(app, world.other_counselor, colleague)
    workshop = build.workshop(title="Spring group", co=(colleague,))
    first, second = make_browser(), make_browser()
    first.login(world.counselor)
    second.login(colleague)
    first_page = text_of(first.get(workshop.url("/edit")))
    second_page = text_of(second.get(workshop.url("/edit")))
    same = {"title": "Spring group", "location": "Room 4, Garden Street 1", "video_url": ""}

    first.post(
        workshop.url("/edit"), edit_data(first_page, co_counselors=[colleague_id, other_id], **same)
    )
    response = second.post(
        workshop.url("/edit"), edit_data(second_page, title="Renamed", co_counselors=[colleague_id])
    )

    assert "Someone else saved this workshop" in text_of(response)
    assert only_workshop(app)["co_counselor_ids"] == sorted([colleague_id, other_id])
