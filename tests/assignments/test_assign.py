"""A counselor assigns an exercise to one couple, several, or the whole workshop."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tests.assignments.builders import SAFETY_CHECK_IN, SHARED_GOAL, WHERE_I_STAND
from tests.helpers import text_of
from tests.workshops.builders import checked_values, field_error, input_value, textarea_value
from workshop.extensions import db
from workshop.models import Assignment, utcnow


def assign_url(workshop_id: int) -> str:
    return f"/workshops/{workshop_id}/homework/assign"


def local_today(zone: str = "UTC"):
    return utcnow().astimezone(ZoneInfo(zone)).date()


def assign_form(group, key=WHERE_I_STAND, couples=None, **changes) -> dict:
    today = local_today()
    return {
        "exercise": str(group.exercises[key]),
        "couples": [str(c) for c in (couples if couples is not None else group.couple_ids)],
        "session": "",
        "opens_on": today.isoformat(),
        "due_on": (today + timedelta(days=7)).isoformat(),
        "due_time": "20:00",
        "extra_instructions": "",
        **changes,
    }


def assignments_in(app, workshop_id: int) -> list[Assignment]:
    with app.app_context():
        rows = list(
            db.session.scalars(
                select(Assignment)
                .where(Assignment.workshop_id == workshop_id)
                .order_by(Assignment.couple_id)
            )
        )
        for row in rows:
            row.title = row.exercise_version.title
        db.session.expunge_all()
        return rows


def test_the_form_starts_with_every_enrolled_couple_today_and_a_week_to_do_it(counselor, group):
    page = text_of(counselor.get(assign_url(group.workshop_id)))
    assert checked_values(page, "couples") == [str(c) for c in group.couple_ids]
    assert input_value(page, "opens_on") == local_today().isoformat()
    assert input_value(page, "due_on") == (local_today() + timedelta(days=7)).isoformat()
    assert input_value(page, "due_time") == "20:00"


def test_exercises_are_grouped_by_stage_with_built_ins_and_the_counselors_own(
    counselor, group, hw, world
):
    hw.own_exercise(world.counselor, "Dana's gratitude letter")
    hw.own_exercise(world.other_counselor, "Priya's secret exercise")
    page = text_of(counselor.get(assign_url(group.workshop_id)))
    assert '<optgroup label="1. Can this even work?">' in page
    assert "Where I stand (each partner)" in page
    assert "Our shared goal (together)" in page
    assert "Dana's gratitude letter (each partner, yours)" in page
    assert "Priya's secret exercise" not in page


def test_counselor_assigns_to_the_whole_workshop_and_partners_are_emailed(
    app, counselor, group, outbox
):
    response = counselor.post(
        assign_url(group.workshop_id),
        assign_form(group, extra_instructions="Take your time with this one."),
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/workshops/{group.workshop_id}/homework"
    made = assignments_in(app, group.workshop_id)
    assert [a.couple_id for a in made] == sorted(group.couple_ids)
    assert {a.title for a in made} == {"Where I stand"}
    assert all(a.extra_instructions == "Take your time with this one." for a in made)
    assert len(outbox) == 4  # both partners of both couples
    assert all("Take your time with this one." in message.body for message in outbox)


def test_counselor_assigns_to_one_couple_tied_to_a_session(app, counselor, group, outbox):
    counselor.post(
        assign_url(group.workshop_id),
        assign_form(group, couples=[group.couple_ids[1]], session=str(group.session_ids[1])),
    )

    [made] = assignments_in(app, group.workshop_id)
    assert made.couple_id == group.couple_ids[1]
    assert made.session_id == group.session_ids[1]
    assert len(outbox) == 2


def test_dates_are_read_on_the_workshops_clock(app, counselor, hw, world):
    exercises = hw.library()
    tokyo = hw.workshop(timezone="Asia/Tokyo", couples=(world.couple_id,))
    today = local_today("Asia/Tokyo")
    counselor.post(
        assign_url(tokyo.id),
        {
            "exercise": str(exercises[WHERE_I_STAND]),
            "couples": [str(world.couple_id)],
            "opens_on": today.isoformat(),
            "due_on": (today + timedelta(days=3)).isoformat(),
            "due_time": "09:30",
        },
    )

    [made] = assignments_in(app, tokyo.id)
    zone = ZoneInfo("Asia/Tokyo")
    assert made.opens_at.astimezone(zone).date() == today
    assert made.opens_at.astimezone(zone).strftime("%H:%M") == "00:00"
    assert made.due_at.astimezone(zone).date() == today + timedelta(days=3)
    assert made.due_at.astimezone(zone).strftime("%H:%M") == "09:30"


def test_a_resent_form_assigns_nothing_twice(app, counselor, group, outbox):
    form = assign_form(group)
    counselor.post(assign_url(group.workshop_id), form)
    again = counselor.post(assign_url(group.workshop_id), form, follow_redirects=True)

    assert "already assigned" in text_of(again)
    assert len(assignments_in(app, group.workshop_id)) == 2
    assert len(outbox) == 4


def test_the_same_exercise_may_be_given_again_with_another_due_date(app, counselor, group):
    counselor.post(assign_url(group.workshop_id), assign_form(group))
    later = (local_today() + timedelta(days=14)).isoformat()
    counselor.post(assign_url(group.workshop_id), assign_form(group, due_on=later))
    assert len(assignments_in(app, group.workshop_id)) == 4


def tomorrow() -> str:
    return (local_today() + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"opens_on": tomorrow(), "due_on": local_today().isoformat()},
            "due_on",
            "must come after the open date",
        ),
        (
            {"due_on": (local_today() - timedelta(days=1)).isoformat()},
            "due_on",
            "must come after the open date",
        ),
        (
            {"opens_on": (local_today() - timedelta(days=3)).isoformat()},
            "opens_on",
            "today or a later date",
        ),
        (
            {"due_on": (local_today() + timedelta(days=500)).isoformat()},
            "due_on",
            "within the next year",
        ),
        ({"opens_on": "9999-12-31"}, "opens_on", "within the next year"),
        ({"due_on": "0001-01-01"}, "due_on", "must come after the open date"),
        ({"due_on": "2026-02-30"}, "due_on", "Enter a real date"),
        ({"opens_on": "soon"}, "opens_on", "Enter a real date"),
        ({"due_time": "25:99"}, "due_time", "Enter a time like 18:00"),
        ({"due_on": ""}, "due_on", "Choose the due date"),
        ({"couples": []}, "couples", "Choose at least one couple"),
        ({"couples": ["abc"]}, "couples", "Choose couples from this workshop's roster"),
        ({"session": "abc"}, "session", "Choose a session of this workshop"),
        ({"session": "999999"}, "session", "Choose a session of this workshop"),
        ({"exercise": "999999"}, "exercise", "Choose an exercise from the list"),
        ({"exercise": "x"}, "exercise", "Choose an exercise from the list"),
        ({"extra_instructions": "x" * 2001}, "extra_instructions", "at most 2,000 characters"),
    ],
)
def test_bad_input_is_explained_on_its_field_and_the_typed_text_kept(
    app, counselor, group, outbox, changes, field, message
):
    typed = "Please do this <b>before</b> Friday."
    form = assign_form(group, extra_instructions=typed) | changes
    response = counselor.post(assign_url(group.workshop_id), form)

    assert response.status_code == 200
    page = text_of(response)
    assert message in field_error(page, field)
    if field != "extra_instructions":
        assert textarea_value(page, "extra_instructions") == typed
        assert "&lt;b&gt;before&lt;/b&gt;" in response.get_data(as_text=True)
    assert assignments_in(app, group.workshop_id) == []
    assert outbox == []


def test_due_time_earlier_today_has_already_passed(app, counselor, hw, world):
    exercises = hw.library()
    workshop = hw.workshop(couples=(world.couple_id,), timezone="Pacific/Kiritimati")
    now = utcnow().astimezone(ZoneInfo("Pacific/Kiritimati"))
    if now.hour == 0 and now.minute < 2:
        pytest.skip("too close to midnight on Kiritimati for an earlier time today")
    response = counselor.post(
        assign_url(workshop.id),
        {
            "exercise": str(exercises[WHERE_I_STAND]),
            "couples": [str(world.couple_id)],
            "opens_on": now.date().isoformat(),
            "due_on": now.date().isoformat(),
            "due_time": "00:01",
        },
    )
    assert "already passed" in field_error(text_of(response), "due_on")
    assert assignments_in(app, workshop.id) == []


def test_a_couple_not_enrolled_here_posted_by_hand_is_refused(app, counselor, group, hw, world):
    elsewhere = hw.couple(names=("Wren", "Quinn"))  # the counselor's, but not on this roster
    form = assign_form(group, couples=[group.couple_ids[0], elsewhere, world.other_couple_id])
    response = counselor.post(assign_url(group.workshop_id), form)

    assert "roster" in field_error(text_of(response), "couples")
    assert assignments_in(app, group.workshop_id) == []


def test_a_withdrawn_couple_is_not_offered(app, counselor, group):
    from workshop.models import Enrollment, EnrollmentStatus

    with app.app_context():
        enrollment = db.session.scalar(
            select(Enrollment).where(Enrollment.couple_id == group.couple_ids[1])
        )
        enrollment.status = EnrollmentStatus.WITHDRAWN
        db.session.commit()
    page = text_of(counselor.get(assign_url(group.workshop_id)))
    assert checked_values(page, "couples") == [str(group.couple_ids[0])]
    response = counselor.post(assign_url(group.workshop_id), assign_form(group))
    assert "roster" in field_error(text_of(response), "couples")


def test_another_counselors_own_exercise_posted_by_hand_is_refused(
    app, counselor, group, hw, world
):
    theirs = hw.own_exercise(world.other_counselor, "Priya's exercise")
    elsewhere = hw.own_exercise(world.other_practice_counselor, "Other practice exercise")
    for exercise_id in (theirs, elsewhere):
        form = assign_form(group) | {"exercise": str(exercise_id)}
        response = counselor.post(assign_url(group.workshop_id), form)
        assert "Choose an exercise from the list" in field_error(text_of(response), "exercise")
    assert assignments_in(app, group.workshop_id) == []


def test_the_counselors_own_exercise_can_be_assigned(app, counselor, group, hw, world):
    mine = hw.own_exercise(world.counselor, "Dana's letter")
    counselor.post(assign_url(group.workshop_id), assign_form(group) | {"exercise": str(mine)})
    assert {a.title for a in assignments_in(app, group.workshop_id)} == {"Dana's letter"}


def test_an_exercise_without_questions_is_not_offered(app, counselor, group, hw, world):
    from workshop.models import Exercise

    empty = hw.own_exercise(world.counselor, "Empty draft exercise")
    with app.app_context():
        db.session.get(Exercise, empty).fields = []
        db.session.commit()
    page = text_of(counselor.get(assign_url(group.workshop_id)))
    assert "Empty draft exercise" not in page
    response = counselor.post(
        assign_url(group.workshop_id), assign_form(group) | {"exercise": str(empty)}
    )
    assert "Choose an exercise from the list" in field_error(text_of(response), "exercise")


def test_a_workshop_without_couples_says_so(counselor, hw):
    hw.library()
    empty = hw.workshop(title="Empty group")
    page = text_of(counselor.get(assign_url(empty.id)))
    assert "No couples are enrolled" in page


def test_safety_check_in_and_joint_exercises_can_be_assigned(app, counselor, group):
    for key in (SAFETY_CHECK_IN, SHARED_GOAL):
        counselor.post(assign_url(group.workshop_id), assign_form(group, key=key))
    titles = sorted({a.title for a in assignments_in(app, group.workshop_id)})
    assert titles == ["Our shared goal", "Private safety check-in"]


def test_a_partner_without_email_is_not_emailed(app, counselor, hw, world, outbox):
    exercises = hw.library()
    quiet = hw.couple(names=("Noor", "Lee"), emails=("noor@example.org", None))
    workshop = hw.workshop(couples=(quiet,))
    today = local_today()
    counselor.post(
        assign_url(workshop.id),
        {
            "exercise": str(exercises[WHERE_I_STAND]),
            "couples": [str(quiet)],
            "opens_on": today.isoformat(),
            "due_on": (today + timedelta(days=2)).isoformat(),
            "due_time": "20:00",
        },
    )
    assert [message.to for message in outbox] == [["noor@example.org"]]


def test_a_due_date_in_year_one_east_of_utc_is_a_field_error(app, counselor, hw, world):
    exercises = hw.library()
    tokyo = hw.workshop(timezone="Asia/Tokyo", couples=(world.couple_id,))
    response = counselor.post(
        assign_url(tokyo.id),
        {
            "exercise": str(exercises[WHERE_I_STAND]),
            "couples": [str(world.couple_id)],
            "opens_on": local_today("Asia/Tokyo").isoformat(),
            "due_on": "0001-01-01",
            "due_time": "00:30",
        },
    )
    assert response.status_code == 200
    assert "after the open date" in field_error(text_of(response), "due_on")
