"""The counselor's agenda: today, what comes next, and a week at a time."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from workshop.models import User, WorkshopSession, utcnow
from workshop.scheduling import queries


@dataclass
class Week:
    start: date
    days: list[tuple[date, list[WorkshopSession]]]

    @property
    def previous_start(self) -> date:
        return self.start - timedelta(days=7)

    @property
    def next_start(self) -> date:
        return self.start + timedelta(days=7)


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=zone)


def today_and_upcoming(
    user: User, limit: int = queries.AGENDA_LENGTH
) -> tuple[list[WorkshopSession], list[WorkshopSession]]:
    """Sessions of the user's today (their clock), then later ones not yet over."""
    zone = ZoneInfo(user.timezone)
    now = utcnow()
    tomorrow = _local_midnight(now.astimezone(zone).date() + timedelta(days=1), zone)
    sessions = queries.upcoming_sessions(user, now, limit=limit)
    today = [s for s in sessions if s.starts_at < tomorrow]
    return today, [s for s in sessions if s.starts_at >= tomorrow]


def week_of(user: User, start_text: str | None) -> Week:
    """Monday-to-Sunday around the requested day (default: this week), in one query."""
    zone = ZoneInfo(user.timezone)
    day = _parse_day(start_text) or utcnow().astimezone(zone).date()
    monday = day - timedelta(days=day.weekday())
    sessions = queries.sessions_between(
        user, _local_midnight(monday, zone), _local_midnight(monday + timedelta(days=7), zone)
    )
    days = [
        (
            monday + timedelta(days=offset),
            [
                s
                for s in sessions
                if s.starts_at.astimezone(zone).date() == monday + timedelta(days=offset)
            ],
        )
        for offset in range(7)
    ]
    return Week(start=monday, days=days)


def _parse_day(text: str | None) -> date | None:
    """A yyyy-mm-dd date within a sane range; anything else means "this week"."""
    try:
        day = date.fromisoformat(text or "")
    except ValueError:
        return None
    return day if date(2000, 1, 1) <= day <= date(2100, 12, 31) else None
