"""iCalendar (RFC 5545) files of sessions, built with the `icalendar` library.

One function builds every calendar the app serves: the counselor's feed, the couple's feed
and the one-event download. Events carry only what every subscriber may see: the session, its
stages, workshop, place and video link; never a roster, an attendee or a note.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import current_app
from icalendar import Alarm, Calendar, Event, vDuration

from workshop.models import WorkshopSession, utcnow

PRODID = "-//Couples Workshop//Session calendar//EN"
# How often subscribed clients should fetch again (most treat this as a hint).
REFRESH_INTERVAL = timedelta(hours=1)
# One hour leaves time to travel to a room or find a quiet place for a video call.
ALARM_BEFORE = timedelta(hours=1)


def build_calendar(name: str, sessions: Iterable[WorkshopSession]) -> bytes:
    """A VCALENDAR with one VEVENT per session (cancelled ones kept as such) and its VTIMEZONEs."""
    sessions = list(sessions)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    stamp = utcnow()
    for session in sessions:
        calendar.add_component(session_event(session, stamp))
    if sessions:
        first, last = _years_covered(sessions)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


def session_event(session: WorkshopSession, stamp: datetime) -> Event:
    """The VEVENT of one session, at local times in the workshop's timezone."""
    zone = ZoneInfo(session.workshop.timezone)
    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", stamp)
    event.add("created", session.created_at)
    event.add("sequence", session.ics_sequence)
    event.add("dtstart", session.starts_at.astimezone(zone))
    event.add("dtend", session.ends_at.astimezone(zone))
    event.add("summary", _summary(session))
    event.add("description", _description(session))
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    # Private: someone who can see a partner's calendar need not learn it is a counseling session.
    event.add("class", "PRIVATE")
    if session.location or session.video_url:
        event.add("location", session.location or session.video_url)
    if session.video_url:
        event.add("url", session.video_url)
    if not session.is_cancelled:
        event.add_component(_alarm(session))
    return event


def session_uid(session: WorkshopSession) -> str:
    """Stable for the life of the session, and unique to this installation."""
    host = urlsplit(current_app.config["PUBLIC_URL"]).hostname or "localhost"
    return f"session-{session.id}@{host}"


def _summary(session: WorkshopSession) -> str:
    summary = f"{session.title} · {session.workshop.title}"
    # Many clients do not show STATUS; the word in the title makes a cancellation visible.
    return f"Cancelled: {summary}" if session.is_cancelled else summary


def _description(session: WorkshopSession) -> str:
    parts = [f"Workshop: {session.workshop.title}"]
    parts += [f"{stage.title}: {stage.summary}" for stage in session.stages]
    if session.video_url:
        parts.append(f"Join by video: {session.video_url}")
    if session.is_cancelled:
        parts.insert(0, "This session is cancelled.")
    return "\n\n".join(parts)


def _alarm(session: WorkshopSession) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Soon: {session.title}")
    alarm.add("trigger", -ALARM_BEFORE)
    return alarm


def _years_covered(sessions: list[WorkshopSession]) -> tuple[date, date]:
    """A timezone range around the sessions, with a year to spare on each side."""
    first = min(session.starts_at for session in sessions)
    last = max(session.ends_at for session in sessions)
    return date(first.year - 1, 1, 1), date(last.year + 2, 1, 1)
