"""A counselor plans a workshop's sessions from the curriculum, on the workshop's local clock."""

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from tests.helpers import text_of
from tests.workshops.builders import STAGE_KEYS, checked_values, field_error, input_value
from workshop.models import utcnow

THURSDAY = 3


def next_offset_change(zone: str, after: date) -> date:
    """The first day after `after` whose noon has another UTC offset than the day before."""
    tz = ZoneInfo(zone)
    day = after
    while True:
        noon = datetime.combine(day, time(12), tzinfo=tz).utcoffset()
        following = datetime.combine(day + timedelta(days=1), time(12), tzinfo=tz).utcoffset()
        if noon != following:
            return day + timedelta(days=1)
        day += timedelta(days=1)


def plan_data(first: date, **changes) -> dict:
    return {
        "stages": STAGE_KEYS,
        "first_date": first.isoformat(),
        "weekday": str(THURSDAY),
        "start_time": "18:00",
        "every_weeks": "1",
        "duration": "90",
        **changes,
    }


def in_weeks(weeks: int) -> date:
    return utcnow().date() + timedelta(weeks=weeks)


def test_the_plan_form_offers_all_twelve_stages_ticked_in_curriculum_order(counselor, build):
    workshop = build.workshop()

    page = text_of(counselor.get(workshop.url("/plan")))

    assert checked_values(page, "stages") == STAGE_KEYS
    assert page.index("Can this even work?") < page.index("Seeking help")


def test_weekly_plan_makes_one_session_per_stage_in_curriculum_order(counselor, build):
    workshop = build.workshop(timezone="Europe/Lisbon")
    first = in_weeks(2)

    response = counselor.post(workshop.url("/plan"), plan_data(first))

    assert response.status_code == 302
    assert response.headers["Location"] == workshop.url()
    sessions = build.sessions_of(workshop.id)
    assert [s.stage_list for s in sessions] == [[key] for key in STAGE_KEYS]
    lisbon = ZoneInfo("Europe/Lisbon")
    local_starts = [s.starts_at.astimezone(lisbon) for s in sessions]
    assert {start.weekday() for start in local_starts} == {THURSDAY}
    assert {start.time() for start in local_starts} == {time(18, 0)}
    assert [b.date() - a.date() for a, b in pairwise(local_starts)] == [timedelta(weeks=1)] * 11
    assert local_starts[0].date() - first < timedelta(weeks=1)
    assert {s.duration for s in sessions} == {timedelta(minutes=90)}
    assert "12 sessions planned" in text_of(counselor.get(workshop.url()))


def test_fortnightly_plan_of_chosen_stages_respects_the_length(counselor, build):
    workshop = build.workshop()
    chosen = ["trust", "readiness", "support"]  # posted out of order on purpose

    counselor.post(
        workshop.url("/plan"), plan_data(in_weeks(1), stages=chosen, every_weeks="2", duration="75")
    )

    sessions = build.sessions_of(workshop.id)
    assert [s.stage_list for s in sessions] == [["readiness"], ["trust"], ["support"]]
    assert [b.starts_at - a.starts_at for a, b in pairwise(sessions)] == [timedelta(weeks=2)] * 2
    assert {s.duration for s in sessions} == {timedelta(minutes=75)}


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York"])
def test_a_weekly_18_00_session_stays_18_00_across_the_next_daylight_saving_change(
    counselor, build, zone
):
    workshop = build.workshop(timezone=zone)
    change = next_offset_change(zone, utcnow().date() + timedelta(days=21))

    counselor.post(
        workshop.url("/plan"), plan_data(change - timedelta(days=14), stages=STAGE_KEYS[:4])
    )

    sessions = build.sessions_of(workshop.id)
    tz = ZoneInfo(zone)
    assert {s.starts_at.astimezone(tz).time() for s in sessions} == {time(18, 0)}
    before = [
        s.starts_at.astimezone(tz).utcoffset() for s in sessions if s.starts_at.date() < change
    ]
    after = [
        s.starts_at.astimezone(tz).utcoffset() for s in sessions if s.starts_at.date() >= change
    ]
    assert before
    assert after
    assert len(set(before)) == 1
    assert len(set(after)) == 1
    assert before[0] != after[0]
    utc_hours = {s.starts_at.astimezone(UTC).hour for s in sessions}
    assert len(utc_hours) == 2  # the UTC time moves by an hour, the local time does not


def test_the_plan_is_shown_on_the_workshops_clock(counselor, build, world):
    build.set_timezone(world.counselor, "Asia/Tokyo")
    workshop = build.workshop(timezone="America/New_York")

    counselor.post(workshop.url("/plan"), plan_data(in_weeks(1), stages=["readiness"]))

    assert "18:00–19:30" in text_of(counselor.get(workshop.url()))


FAR_FUTURE = (utcnow() + timedelta(days=5 * 365 + 30)).date().isoformat()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"stages": []}, "stages", "Choose at least one stage."),
        ({"stages": ["readiness", "astrology"]}, "stages", "Choose stages from the curriculum."),
        ({"first_date": "2001-01-01"}, "first_date", "Choose a first date between today"),
        ({"first_date": "9999-12-31"}, "first_date", "Choose a first date between today"),
        ({"first_date": "0001-01-01"}, "first_date", "Choose a first date between today"),
        ({"first_date": FAR_FUTURE}, "first_date", "Choose a first date between today"),
        ({"first_date": "2027-02-30"}, "first_date", "Enter a real date"),
        ({"first_date": "31/12/2027"}, "first_date", "Enter a real date"),
        ({"first_date": "99999-01-01"}, "first_date", "Enter a real date"),
        ({"first_date": ""}, "first_date", "Choose the first date."),
        ({"start_time": "25:00"}, "start_time", "Enter a time like 18:00."),
        ({"start_time": "six pm"}, "start_time", "Enter a time like 18:00."),
        ({"start_time": ""}, "start_time", "Choose a start time."),
        ({"duration": "0"}, "duration", "Enter 15 to 480 minutes."),
        ({"duration": "481"}, "duration", "Enter 15 to 480 minutes."),
        ({"duration": "long"}, "duration", "Enter 15 to 480 minutes."),
        ({"weekday": "9"}, "weekday", "Choose a day of the week."),
        ({"weekday": "Thursday"}, "weekday", ""),  # posted by hand: any error will do
        ({"every_weeks": "3"}, "every_weeks", "Choose every week or every two weeks."),
    ],
)
def test_bad_plan_input_is_explained_on_its_field_and_nothing_is_planned(
    counselor, build, changes, field, message
):
    workshop = build.workshop()

    response = counselor.post(workshop.url("/plan"), plan_data(in_weeks(1), **changes))

    page = text_of(response)
    assert response.status_code == 200
    assert field_error(page, field)
    assert message in field_error(page, field)
    assert build.sessions_of(workshop.id) == []
    if field != "start_time":
        assert input_value(page, "start_time") == "18:00"


def test_a_plan_running_past_five_years_is_refused(counselor, build):
    workshop = build.workshop()
    late_start = utcnow().date() + timedelta(days=5 * 365 - 30)

    response = counselor.post(workshop.url("/plan"), plan_data(late_start, every_weeks="2"))

    assert response.status_code == 200
    assert "five years" in field_error(text_of(response), "first_date")
    assert build.sessions_of(workshop.id) == []


def test_a_plan_starting_today_at_an_hour_already_past_is_refused(counselor, build):
    workshop = build.workshop()
    today = utcnow().date()
    past_hour = "00:00"

    response = counselor.post(
        workshop.url("/plan"),
        plan_data(today, weekday=str(today.weekday()), start_time=past_hour, stages=["readiness"]),
    )

    assert response.status_code == 200
    assert "already passed" in field_error(text_of(response), "first_date")
    assert build.sessions_of(workshop.id) == []
