"""Read what the calendar page and the feeds answer."""

import re

from icalendar import Calendar

FEED_PATH = re.compile(r'value="https?://[^/"]+(/feeds/(?:counselor|couple)/[A-Za-z0-9_-]+\.ics)"')


def feed_path_on(page_html: str) -> str:
    """The path of the feed address shown on the calendar page."""
    found = FEED_PATH.search(page_html)
    assert found, "no feed address on the calendar page"
    return found.group(1)


def parse(response) -> Calendar:
    """The calendar an .ics response carries, checked to be one."""
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.get_data())


def events_by_uid(calendar: Calendar) -> dict:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}
