"""The counselor's agenda: today, what comes next, and a week at a time."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from workshop.models import User, utcnow
from workshop.scheduling import queries
from workshop.scheduling.queries import SessionSummary


@dataclass
class Week:
    start: date
    days: list[tuple[date, list[SessionSummary]]]

    @property
    def previous_start(self) -> date:
        return self.start - timedelta(days=7)

    @property
    def next_start(self) -> date:
        return self.start + timedelta(days=7)


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=zone)


def today_and_upcoming(
    counselor: User, limit: int = queries.AGENDA_LENGTH
) -> tuple[list[SessionSummary], list[SessionSummary]]:
    """Sessions of the counselor's today (their clock), then later ones not yet over."""
    zone = ZoneInfo(counselor.timezone)
    now = utcnow()
    tomorrow = _local_midnight(now.astimezone(zone).date() + timedelta(days=1), zone)
    sessions = queries.upcoming_summaries(counselor, now, limit=limit)
    today = [s for s in sessions if s.starts_at < tomorrow]
    return today, [s for s in sessions if s.starts_at >= tomorrow]


def week_of(counselor: User, start_text: str | None) -> Week:
    """Monday-to-Sunday around the requested day (default: this week), in one query."""
    zone = ZoneInfo(counselor.timezone)
    day = _parse_day(start_text) or utcnow().astimezone(zone).date()
    monday = day - timedelta(days=day.weekday())
    sessions = queries.summaries_between(
        counselor, _local_midnight(monday, zone), _local_midnight(monday + timedelta(days=7), zone)
    )
    by_day = {monday + timedelta(days=offset): [] for offset in range(7)}
    for session in sessions:
        # .get: where a DST change skips midnight, a session could fall just outside the
        # seven local days; it is left out rather than failing the page.
        of_its_day = by_day.get(session.starts_at.astimezone(zone).date())
        if of_its_day is not None:
            of_its_day.append(session)
    return Week(start=monday, days=list(by_day.items()))


def _parse_day(text: str | None) -> date | None:
    """A yyyy-mm-dd date within a sane range; anything else means "this week"."""
    try:
        day = date.fromisoformat(text or "")
    except ValueError:
        return None
    return day if date(2000, 1, 1) <= day <= date(2100, 12, 31) else None
