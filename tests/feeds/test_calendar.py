"""What the feeds say: valid iCalendar, one event per session, kept in step with changes."""

from datetime import time, timedelta

from tests.feeds.builders import add_sessions
from tests.feeds.conftest import MARKER_NAME
from tests.feeds.ics import events_by_uid, parse
from workshop.extensions import db
from workshop.models import User, Workshop, WorkshopSession, utcnow
from workshop.scheduling import services as scheduling

ALEX_AND_SAM = ("Alex", "Sam")


def test_couple_feed_has_one_event_per_session_of_the_12_session_workshop(
    client, feed_world, feed_path
):
    calendar = parse(client.get(feed_path(feed_world.partner)))
    events = calendar.walk("VEVENT")
    assert len(events) == 12
    assert calendar["VERSION"] == "2.0"
    assert "Couples Workshop" in str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"])
    assert b"X-PUBLISHED-TTL:PT1H" in calendar.to_ical()


def test_events_start_at_18_00_berlin_time_with_their_timezone_definition(
    client, feed_world, feed_path
):
    calendar = parse(client.get(feed_path(feed_world.partner)))
    for event in calendar.walk("VEVENT"):
        assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
        assert event["DTEND"].params["TZID"] == "Europe/Berlin"
        assert event.decoded("DTSTART").time() == time(18, 0)
        assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=90)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_event_carries_stage_workshop_place_video_link_and_a_reminder(
    client, app, feed_world, feed_path
):
    events = events_by_uid(parse(client.get(feed_path(feed_world.partner))))
    first = events[f"session-{feed_world.session_ids[0]}@localhost"]
    assert str(first["SUMMARY"]) == "Can this even work? · Rebuilding together"
    assert str(first["STATUS"]) == "CONFIRMED"
    assert str(first["LOCATION"]) == "Garden Room, 5 Linden Street"
    assert str(first["URL"]) == "https://video.example.org/garden-room"
    assert "https://video.example.org/garden-room" in str(first["DESCRIPTION"])
    assert "Can this even work?:" in str(first["DESCRIPTION"])
    assert int(first["SEQUENCE"]) == 0
    assert first.decoded("DTSTAMP").tzinfo is not None
    for event in events.values():
        alarms = event.walk("VALARM")
        assert len(alarms) == 1
        assert str(alarms[0]["ACTION"]) == "DISPLAY"
        assert alarms[0].decoded("TRIGGER") == -timedelta(hours=1)


def test_a_rescheduled_session_keeps_its_uid_and_raises_its_sequence(
    client, app, feed_world, feed_path
):
    path = feed_path(feed_world.partner)
    uid = f"session-{feed_world.session_ids[3]}@localhost"
    before = events_by_uid(parse(client.get(path)))[uid]
    with app.test_request_context():  # the service renders emails
        session = db.session.get(WorkshopSession, feed_world.session_ids[3])
        counselor = db.session.get(User, feed_world.counselor_id)
        change = scheduling.SessionChange(
            starts_at=session.starts_at + timedelta(hours=1),
            ends_at=session.ends_at + timedelta(hours=1),
            location="Blue Room, 9 Elm Road",
            video_url=session.video_url,
            seen_version=session.version,
        )
        assert scheduling.reschedule_session(session, change, counselor)
        db.session.commit()
    after = events_by_uid(parse(client.get(path)))
    assert len(after) == 12
    moved = after[uid]
    assert int(moved["SEQUENCE"]) > int(before["SEQUENCE"])
    assert moved.decoded("DTSTART") == before.decoded("DTSTART") + timedelta(hours=1)
    assert str(moved["LOCATION"]) == "Blue Room, 9 Elm Road"


def test_a_cancelled_session_stays_in_the_feed_marked_cancelled_without_alarm(
    client, app, feed_world, feed_path
):
    path = feed_path(feed_world.partner)
    with app.test_request_context():  # the service renders emails
        session = db.session.get(WorkshopSession, feed_world.session_ids[5])
        scheduling.cancel_session(session, "The counselor is ill.")
        db.session.commit()
    events = events_by_uid(parse(client.get(path)))
    assert len(events) == 12
    cancelled = events[f"session-{feed_world.session_ids[5]}@localhost"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) == 1
    assert str(cancelled["SUMMARY"]).startswith("Cancelled: ")
    assert cancelled.walk("VALARM") == []
    statuses = [str(event["STATUS"]) for event in events.values()]
    assert statuses.count("CONFIRMED") == 11


def test_couple_feed_names_no_other_couple_or_partner(client, feed_world, feed_path):
    body = client.get(feed_path(feed_world.partner)).get_data(as_text=True)
    assert "Quillfeather" not in body
    assert MARKER_NAME.split()[0] not in body
    assert "Morgan" not in body
    assert "ATTENDEE" not in body
    assert "@example.net" not in body  # nobody's email address


def test_the_other_couple_gets_its_own_feed_without_the_first_couples_names(
    client, feed_world, feed_path
):
    path = feed_path(feed_world.marker_partner)
    assert path != feed_path(feed_world.partner)
    body = client.get(path).get_data(as_text=True)
    assert len(parse(client.get(path)).walk("VEVENT")) == 12
    for name in ALEX_AND_SAM:
        assert name not in body


def test_counselor_feed_has_their_workshops_only(client, feed_world, feed_path):
    mine = parse(client.get(feed_path(feed_world.counselor)))
    theirs = parse(client.get(feed_path(feed_world.counselor2)))
    assert len(mine.walk("VEVENT")) == 12
    assert "Kestrel evenings" not in mine.to_ical().decode()
    assert [str(event["UID"]) for event in theirs.walk("VEVENT")] == [
        f"session-{feed_world.other_session_id}@localhost"
    ]
    assert "Rebuilding together" not in theirs.to_ical().decode()
    assert [str(tz["TZID"]) for tz in theirs.walk("VTIMEZONE")] == ["America/New_York"]


def test_co_counselor_feed_has_the_workshop_they_co_lead(client, feed_world, feed_path):
    calendar = parse(client.get(feed_path(feed_world.co_counselor)))
    assert len(calendar.walk("VEVENT")) == 12


def test_counselor_feed_names_no_couple(client, feed_world, feed_path):
    body = client.get(feed_path(feed_world.counselor)).get_data(as_text=True)
    for name in (*ALEX_AND_SAM, "Quillfeather", "Morgan", "Wren"):
        assert name not in body


def test_a_withdrawn_couples_feed_has_no_sessions_left(client, feed_world, feed_path):
    calendar = parse(client.get(feed_path(feed_world.withdrawn_partner)))
    assert calendar.walk("VEVENT") == []


def test_a_deactivated_counselors_feed_stops_answering(client, app, feed_world, feed_path):
    path = feed_path(feed_world.counselor)
    with app.app_context():
        db.session.get(User, feed_world.counselor_id).is_active = False
        db.session.commit()
    assert client.get(path).status_code == 404


def test_one_event_download_is_the_same_event_as_in_the_feed(
    client, browser, feed_world, feed_path
):
    in_feed = events_by_uid(parse(client.get(feed_path(feed_world.partner))))
    browser.login(feed_world.partner)
    response = browser.get(f"/sessions/{feed_world.session_ids[2]}/calendar.ics")
    download = parse(response)
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="session-{feed_world.session_ids[2]}.ics"'
    )
    [event] = download.walk("VEVENT")
    uid = str(event["UID"])
    assert uid == f"session-{feed_world.session_ids[2]}@localhost"
    for name in ("SUMMARY", "DTSTART", "DTEND", "SEQUENCE", "STATUS", "LOCATION", "URL"):
        assert event[name].to_ical() == in_feed[uid][name].to_ical()
    assert [str(tz["TZID"]) for tz in download.walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_the_feeds_keep_a_year_of_past_sessions(app, client, feed_world, feed_path):
    with app.app_context():
        workshop = db.session.get(Workshop, feed_world.workshop_id)
        now = utcnow()
        old, recent = add_sessions(workshop, [now - timedelta(days=400), now - timedelta(days=300)])
        db.session.commit()
        uid_of = {session.id: f"session-{session.id}@localhost" for session in (old, recent)}

    for who in (feed_world.counselor, feed_world.co_counselor, feed_world.partner):
        uids = events_by_uid(parse(client.get(feed_path(who))))
        assert uid_of[recent.id] in uids
        assert uid_of[old.id] not in uids
        assert len(uids) == 13  # the twelve to come, and the one of 300 days ago
