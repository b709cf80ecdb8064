"""Series of sessions keep their local wall-clock time across daylight saving changes."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from workshop.scheduling.plan import first_weekday_on_or_after, series_starts, to_utc

THURSDAY = 3


def test_first_weekday_on_or_after_finds_the_same_day_or_the_next_one():
    assert first_weekday_on_or_after(date(2026, 10, 22), THURSDAY) == date(2026, 10, 22)
    assert first_weekday_on_or_after(date(2026, 10, 23), THURSDAY) == date(2026, 10, 29)


def test_weekly_18_00_in_berlin_stays_18_00_when_summer_time_ends():
    starts = series_starts(date(2026, 10, 15), THURSDAY, time(18, 0), 1, 3, "Europe/Berlin")
    # Summer time ends on Sunday 25 October 2026: 18:00 is 16:00 UTC before, 17:00 UTC after.
    assert starts == [
        datetime(2026, 10, 15, 16, 0, tzinfo=UTC),
        datetime(2026, 10, 22, 16, 0, tzinfo=UTC),
        datetime(2026, 10, 29, 17, 0, tzinfo=UTC),
    ]
    berlin = ZoneInfo("Europe/Berlin")
    assert {start.astimezone(berlin).time() for start in starts} == {time(18, 0)}


def test_every_two_weeks_in_new_york_across_the_spring_change():
    starts = series_starts(date(2026, 3, 1), 0, time(18, 0), 2, 3, "America/New_York")
    # US daylight time starts Sunday 8 March 2026.
    assert starts == [
        datetime(2026, 3, 2, 23, 0, tzinfo=UTC),
        datetime(2026, 3, 16, 22, 0, tzinfo=UTC),
        datetime(2026, 3, 30, 22, 0, tzinfo=UTC),
    ]


def test_to_utc_reads_the_wall_clock_of_the_given_zone():
    assert to_utc(date(2026, 7, 1), time(9, 30), "Asia/Tokyo") == datetime(
        2026, 7, 1, 0, 30, tzinfo=UTC
    )
