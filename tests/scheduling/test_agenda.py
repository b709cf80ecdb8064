"""The counselor's agenda, week view and session page, and recording attendance."""

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tests.helpers import text_of
from tests.workshops.builders import checked_values, in_days
from workshop.extensions import db
from workshop.models import Attendance, utcnow
from workshop.scheduling.services import HORIZON, MAX_DURATION


def section(page: str, heading_id: str, next_heading_id: str | None = None) -> str:
    start = page.index(f'id="{heading_id}"')
    end = page.index(f'id="{next_heading_id}"') if next_heading_id else len(page)
    return page[start:end]


def this_monday(zone: str) -> date:
    today = utcnow().astimezone(ZoneInfo(zone)).date()
    return today - timedelta(days=today.weekday())


# Agenda


def test_the_agenda_shows_today_and_what_comes_across_workshops(counselor, build, world):
    now = utcnow().replace(second=0, microsecond=0)
    led = build.workshop(title="Evening group")
    co_led = build.workshop(world.other_counselor, title="Shared group", co=(world.counselor,))
    build.workshop(world.other_counselor, title="Not mine")
    build.session(led.id, now - timedelta(minutes=30), stages=("trust",))  # under way
    build.session(co_led.id, in_days(3), stages=("pace",))
    build.session(led.id, in_days(-2), stages=("novelty",))  # over
    not_mine = build.workshop(world.other_counselor, title="Other counselor's group")
    build.session(not_mine.id, in_days(4), stages=("support",))

    page = text_of(counselor.get("/agenda"))

    today = section(page, "today-heading", "upcoming-heading")
    coming = section(page, "upcoming-heading")
    assert "Rebuilding trust" in today
    assert "Evening group" in today
    assert "Don't rush" in coming
    assert "Shared group" in coming
    assert "Try something new" not in page
    assert "Other counselor's group" not in page
    assert "Seeking help" not in page


def test_the_agenda_lists_the_longest_session_under_way_and_the_farthest_one(counselor, build):
    # The agenda's statement reads sessions starting within scheduling.queries.start_bounds:
    # sessions at the very edges of what scheduling allows are still listed.
    now = utcnow().replace(second=0, microsecond=0)
    workshop = build.workshop(title="Evening group")
    longest = int(MAX_DURATION.total_seconds() // 60)
    build.session(workshop.id, now - MAX_DURATION + timedelta(minutes=5), longest, ("trust",))
    build.session(workshop.id, now + HORIZON - timedelta(hours=1), stages=("support",))

    page = text_of(counselor.get("/agenda"))

    assert "Rebuilding trust" in page
    assert "Seeking help" in page


def test_the_agenda_shows_times_on_the_counselors_clock(counselor, build, world):
    build.set_timezone(world.counselor, "Asia/Kolkata")  # UTC+05:30
    workshop = build.workshop(timezone="Europe/London")
    build.session(workshop.id, in_days(3, 12))

    assert "17:30–19:00" in text_of(counselor.get("/agenda"))


def test_an_empty_agenda_points_to_the_workshops(counselor):
    page = text_of(counselor.get("/agenda"))
    assert "No sessions today" in page
    assert "Nothing scheduled yet" in page


def test_the_agenda_names_sessions_by_their_stages_links_them_and_marks_cancelled_ones(
    counselor, build
):
    workshop = build.workshop(title="Evening group")
    merged = build.session(workshop.id, in_days(3), stages=("trust", "pace"))
    cancelled = build.session(workshop.id, in_days(5), stages=("support",))
    counselor.post(f"/sessions/{cancelled}/cancel", {})

    page = text_of(counselor.get("/agenda"))

    assert "Don't rush + Rebuilding trust" in page  # in curriculum order
    assert f'href="/sessions/{merged}"' in page
    later = page[page.index(f'href="/sessions/{cancelled}"') :]
    assert "Seeking help" in later
    assert "Cancelled" in later
    assert "Cancelled" not in page[: page.index(f'href="/sessions/{cancelled}"')]


# Week view


def week_days(page: str) -> list[str]:
    """The text of each day of the week view, Monday first."""
    return re.split(r'<section class="week__day"', page)[1:]


def test_the_week_runs_monday_to_sunday_on_the_counselors_clock(counselor, build, world):
    zone = "Pacific/Auckland"
    build.set_timezone(world.counselor, zone)
    monday = this_monday(zone) + timedelta(weeks=2)
    auckland = ZoneInfo(zone)
    workshop = build.workshop(timezone=zone)

    def at(day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=auckland).astimezone(UTC)

    build.session(workshop.id, at(monday, 0, 30), minutes=60, stages=("readiness",))
    build.session(workshop.id, at(monday + timedelta(days=6), 22), minutes=60, stages=("support",))
    build.session(
        workshop.id, at(monday - timedelta(days=1), 23), minutes=30, stages=("trust",)
    )  # the Sunday before
    build.session(
        workshop.id, at(monday + timedelta(days=7), 0, 15), minutes=30, stages=("pace",)
    )  # the Monday after

    page = text_of(counselor.get(f"/agenda/week?start={monday + timedelta(days=2)}"))

    days = week_days(page)
    assert f"Week of {monday.strftime('%d %B %Y')}" in page
    assert len(days) == 7
    assert monday.strftime("%a %d %b") in days[0]
    assert (monday + timedelta(days=6)).strftime("%a %d %b") in days[6]
    assert "00:30" in days[0]
    assert "Can this even work?" in days[0]
    assert "22:00" in days[6]
    assert "Seeking help" in days[6]
    assert "Rebuilding trust" not in page
    assert "Don't rush" not in page
    assert f"start={monday - timedelta(days=7)}" in page
    assert f"start={monday + timedelta(days=7)}" in page


def test_the_week_links_each_session_with_its_workshop(counselor, build):
    monday = this_monday("UTC") + timedelta(weeks=1)
    workshop = build.workshop(title="Evening group")
    session_id = build.session(
        workshop.id, datetime.combine(monday, time(18), tzinfo=UTC), stages=("trust",)
    )

    days = week_days(text_of(counselor.get(f"/agenda/week?start={monday}")))

    assert f'href="/sessions/{session_id}"' in days[0]
    assert "Rebuilding trust" in days[0]
    assert "Evening group" in days[0]
    assert all("Free" in day for day in days[1:])


@pytest.mark.parametrize(
    "start",
    [
        "",
        "abc",
        "2027-02-30",
        "9999-12-31",
        "0001-01-01",
        "1999-12-31",
        "2026-13-01",
        "<script>",
        "2026-01-01T00:00",
        "%00",
    ],
)
def test_a_bad_week_start_shows_this_week(counselor, build, world, start):
    build.set_timezone(world.counselor, "America/Los_Angeles")

    response = counselor.get("/agenda/week", query_string={"start": start})

    assert response.status_code == 200
    monday = this_monday("America/Los_Angeles")
    assert f"Week of {monday.strftime('%d %B %Y')}" in text_of(response)


def test_the_week_view_lists_no_one_elses_sessions(counselor, build, world):
    other = build.workshop(world.other_counselor, title="Hidden group")
    build.session(other.id, in_days(1), stages=("support",))
    build.session(other.id, in_days(8), stages=("support",))

    for week in ("", f"?start={in_days(8).date()}"):
        page = text_of(counselor.get(f"/agenda/week{week}"))
        assert "Hidden group" not in page
        assert "Seeking help" not in page


# The session page


def test_the_session_page_shows_stage_time_place_and_couples(counselor, build, world):
    build.set_timezone(world.counselor, "America/New_York")
    workshop = build.workshop(
        title="Evening group",
        timezone="Europe/Berlin",
        couples=(world.couple_id,),
        video_url="https://meet.example.org/r1",
    )
    session_id = build.session(workshop.id, in_days(10, 17), stages=("trust",))
    local = in_days(10, 17).astimezone(ZoneInfo("America/New_York"))

    page = text_of(counselor.get(f"/sessions/{session_id}"))

    assert "Rebuilding trust" in page
    assert local.strftime("%A %d %B %Y, %H:%M") in page
    assert "Workshop time: 18:00 Europe/Berlin" in page
    assert "Room 4, Garden Street 1" in page
    assert 'href="https://meet.example.org/r1"' in page
    assert "Alex & Sam" in page
    assert "Jordan & Riley" not in page
    partner_ids = build.partner_ids(world.couple_id)
    assert all(f'name="partner_{pid}"' in page for pid in partner_ids)


def test_counselor_records_attendance_and_sees_it_again(app, counselor, build, world):
    workshop = build.workshop(couples=(world.couple_id,))
    session_id = build.session(workshop.id, in_days(-1))
    first, second = build.partner_ids(world.couple_id)
    url = f"/sessions/{session_id}"

    response = counselor.post(
        f"{url}/attendance",
        {f"partner_{first}": "present", f"partner_{second}": "excused"},
        token_from=url,
    )

    assert response.status_code == 302
    page = text_of(counselor.get(url))
    assert checked_values(page, f"partner_{first}") == ["present"]
    assert checked_values(page, f"partner_{second}") == ["excused"]

    counselor.post(
        f"{url}/attendance",
        {f"partner_{first}": "absent", f"partner_{second}": "excused"},
        token_from=url,
    )

    with app.app_context():
        saved = {a.partner_id: a.status for a in db.session.scalars(select(Attendance))}
    assert saved == {first: "absent", second: "excused"}


def test_attendance_needs_a_choice_for_every_partner(app, counselor, build, world):
    workshop = build.workshop(couples=(world.couple_id,))
    session_id = build.session(workshop.id, in_days(-1))
    first, _ = build.partner_ids(world.couple_id)
    url = f"/sessions/{session_id}"

    response = counselor.post(
        f"{url}/attendance", {f"partner_{first}": "present"}, token_from=url, follow_redirects=True
    )

    assert "Choose present, absent or excused for every partner" in text_of(response)
    with app.app_context():
        assert db.session.scalars(select(Attendance)).all() == []


def test_attendance_of_a_partner_outside_the_roster_is_ignored(app, counselor, build, world):
    workshop = build.workshop(couples=(world.couple_id,))
    session_id = build.session(workshop.id, in_days(-1))
    first, second = build.partner_ids(world.couple_id)
    stranger, _ = build.partner_ids(world.other_couple_id)
    url = f"/sessions/{session_id}"

    counselor.post(
        f"{url}/attendance",
        {
            f"partner_{first}": "present",
            f"partner_{second}": "present",
            f"partner_{stranger}": "present",
        },
        token_from=url,
    )

    with app.app_context():
        recorded = {a.partner_id for a in db.session.scalars(select(Attendance))}
    assert recorded == {first, second}


def test_a_made_up_attendance_status_is_refused(app, counselor, build, world):
    workshop = build.workshop(couples=(world.couple_id,))
    session_id = build.session(workshop.id, in_days(-1))
    first, second = build.partner_ids(world.couple_id)
    url = f"/sessions/{session_id}"

    counselor.post(
        f"{url}/attendance",
        {f"partner_{first}": "late", f"partner_{second}": "present"},
        token_from=url,
    )

    with app.app_context():
        assert db.session.scalars(select(Attendance)).all() == []


def _on_postgresql(app) -> bool:
    with app.app_context():
        return db.engine.dialect.name == "postgresql"


def test_the_database_refuses_a_session_longer_than_scheduling_allows(app, build):
    # start_bounds trusts that no session lasts longer than MAX_DURATION: on PostgreSQL (where
    # production runs) a CHECK holds that rule even for writes that skip check_times.
    if not _on_postgresql(app):
        pytest.skip("PostgreSQL only: SQLite keeps the rule in scheduling.services alone")
    workshop = build.workshop(title="Evening group")
    longest = int(MAX_DURATION.total_seconds() // 60)
    starts_at = utcnow() + timedelta(days=2)

    build.session(workshop.id, starts_at, longest)  # exactly the longest allowed: stored
    with pytest.raises(IntegrityError, match="lasts_at_most_8_hours"):
        build.session(workshop.id, starts_at + timedelta(days=1), longest + 1)
