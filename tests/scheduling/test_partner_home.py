"""A partner sees their couple's coming sessions on their own clock."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from tests.helpers import text_of
from tests.workshops.builders import in_days, input_value
from workshop.curriculum.stages import STAGES
from workshop.models import utcnow
from workshop.scheduling.services import HORIZON, MAX_DURATION

WHEN = "%a %d %b %Y"


def test_partners_of_one_couple_see_the_same_session_on_their_own_clocks(
    build, world, make_browser
):
    build.set_timezone(world.partner, "America/New_York")
    build.set_timezone(world.other_partner_same_couple, "Asia/Tokyo")
    workshop = build.workshop(
        title="Evening group", timezone="Europe/Berlin", couples=(world.couple_id,)
    )
    start = in_days(5, 17)
    build.session(workshop.id, start, stages=("trust",))
    pages = {}
    for email in (world.partner, world.other_partner_same_couple):
        browser = make_browser()
        browser.login(email)
        pages[email] = text_of(browser.get("/"))

    for email, zone in [
        (world.partner, "America/New_York"),
        (world.other_partner_same_couple, "Asia/Tokyo"),
    ]:
        local = start.astimezone(ZoneInfo(zone))
        end = (start + timedelta(minutes=90)).astimezone(ZoneInfo(zone))
        assert local.strftime(WHEN) in pages[email]
        assert f"{local:%H:%M}–{end:%H:%M}" in pages[email]
        assert zone.replace("_", " ") in pages[email]
    new_york = start.astimezone(ZoneInfo("America/New_York"))
    tokyo = start.astimezone(ZoneInfo("Asia/Tokyo"))
    assert f"{new_york:%H:%M}" != f"{tokyo:%H:%M}"
    assert f"{tokyo:%H:%M}–" not in pages[world.partner]


def test_the_partner_sees_stage_summary_place_and_video_link(browser, build, world):
    workshop = build.workshop(
        title="Evening group",
        couples=(world.couple_id,),
        location="Hall B, River Road 9",
        video_url="https://meet.example.org/evening",
    )
    build.session(workshop.id, in_days(5), stages=("communication",))
    browser.login(world.partner)

    page = text_of(browser.get("/"))

    assert "Communication is key" in page
    summary = next(stage["summary"] for stage in STAGES if stage["key"] == "communication")
    assert summary in page
    assert "Hall B, River Road 9" in page
    assert 'href="https://meet.example.org/evening"' in page
    assert "Evening group" in page


def test_the_partner_sees_coming_sessions_in_order_and_not_past_ones(browser, build, world):
    workshop = build.workshop(couples=(world.couple_id,))
    build.session(workshop.id, in_days(-3), stages=("readiness",))
    build.session(workshop.id, in_days(9), stages=("pace",))
    build.session(workshop.id, in_days(2), stages=("timing",))
    browser.login(world.partner)

    page = text_of(browser.get("/"))

    assert "Can this even work?" not in page.split("Your sessions", 1)[1].split("How this", 1)[0]
    assert page.index("The right time") < page.index("Don't rush")


def test_the_partner_sees_the_longest_session_under_way_and_the_farthest_one(browser, build, world):
    now = utcnow().replace(second=0, microsecond=0)
    workshop = build.workshop(couples=(world.couple_id,))
    longest = int(MAX_DURATION.total_seconds() // 60)
    build.session(workshop.id, now - MAX_DURATION + timedelta(minutes=5), longest, ("trust",))
    build.session(workshop.id, now + HORIZON - timedelta(hours=1), stages=("support",))
    browser.login(world.partner)

    sessions = text_of(browser.get("/")).split("Your sessions", 1)[1]

    assert "Rebuilding trust" in sessions
    assert "Seeking help" in sessions


def test_a_cancelled_session_is_shown_as_cancelled_without_its_video_link(
    browser, build, world, make_browser
):
    workshop = build.workshop(couples=(world.couple_id,), video_url="https://meet.example.org/off")
    session_id = build.session(workshop.id, in_days(4))
    counselor = make_browser()
    counselor.login(world.counselor)
    counselor.post(f"/sessions/{session_id}/cancel", {})
    browser.login(world.partner)

    page = text_of(browser.get("/"))

    assert "Cancelled" in page
    assert "https://meet.example.org/off" not in page


def test_a_partner_with_nothing_scheduled_is_told_so(browser, world):
    browser.login(world.partner)
    assert "No sessions are scheduled yet" in text_of(browser.get("/"))


def test_a_rescheduled_session_shows_its_new_time_to_the_partner(
    browser, build, world, make_browser
):
    workshop = build.workshop(couples=(world.couple_id,), sessions=1, first=in_days(6, 17))
    counselor = make_browser()
    counselor.login(world.counselor)
    session_id = workshop.session_ids[0]
    edit = text_of(counselor.get(f"/sessions/{session_id}/edit"))
    version = input_value(edit, "version")
    counselor.post(
        f"/sessions/{session_id}/edit",
        {
            "date": in_days(6).date().isoformat(),
            "start_time": "19:15",
            "end_time": "20:45",
            "location": "Room 4, Garden Street 1",
            "video_url": "",
            "version": version,
        },
    )
    browser.login(world.partner)

    assert "19:15–20:45" in text_of(browser.get("/"))
