"""Session plans: when each session of a series starts, on the local wall clock.

Times are computed in the workshop's timezone and only then turned into UTC, so a weekly
18:00 session stays at 18:00 local time when daylight saving time starts or ends.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def first_weekday_on_or_after(start: date, weekday: int) -> date:
    """The first date on or after `start` that falls on `weekday` (Monday is 0)."""
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def series_starts(
    first_date: date,
    weekday: int,
    local_time: time,
    every_weeks: int,
    count: int,
    timezone: str,
) -> list[datetime]:
    """UTC start times of `count` sessions on `weekday` at `local_time`, every N weeks.

    A local time that does not exist on a given day (inside the spring-forward gap) is
    resolved the way zoneinfo resolves it: with the offset in force before the change.
    """
    zone = ZoneInfo(timezone)
    day = first_weekday_on_or_after(first_date, weekday)
    return [
        datetime.combine(
            day + timedelta(weeks=index * every_weeks), local_time, tzinfo=zone
        ).astimezone(UTC)
        for index in range(count)
    ]


def to_utc(local_day: date, local_time: time, timezone: str) -> datetime:
    """A wall-clock date and time in `timezone` as an aware UTC datetime."""
    return datetime.combine(local_day, local_time, tzinfo=ZoneInfo(timezone)).astimezone(UTC)
