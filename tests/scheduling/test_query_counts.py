"""The busy pages cost a fixed number of SQL statements, whatever the number of sessions or
couples on them (no query per row)."""

from datetime import UTC, datetime, time, timedelta

import pytest

from tests.helpers import counting_queries
from tests.workshops.builders import in_days
from workshop.models import utcnow

SPACING = timedelta(hours=5)


def monday_in(weeks: int) -> datetime:
    today = utcnow().date()
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=weeks)
    return datetime.combine(monday, time(8), tzinfo=UTC)


def busy_workshop(build, world, count: int, title: str, with_world_couple: bool = True):
    """A workshop with `count` couples (world's couple among them) and `count` sessions in
    the week that starts two Mondays from now."""
    couples = [world.couple_id] if with_world_couple else []
    couples += [
        build.couple(names=(f"Ann{n:02}", f"Ben{n:02}")) for n in range(count - len(couples))
    ]
    return build.workshop(
        title=title,
        capacity=50,
        couples=tuple(couples),
        sessions=count,
        first=monday_in(2),
        every=SPACING,
        minutes=60,
    )


def statements_for(app, browser, url: str) -> list[str]:
    browser.get(url)  # warm up: a first visit may refresh the login's last-seen time
    with counting_queries(app) as statements:
        assert browser.get(url).status_code == 200
    assert statements, "the listener saw no SQL: the count would prove nothing"
    return list(statements)


@pytest.mark.parametrize("url", ["/agenda", "/agenda/week?start={monday}", "/"])
def test_counselor_agenda_pages_cost_the_same_for_2_or_12_sessions(
    app, counselor, build, world, url
):
    url = url.format(monday=monday_in(2).date())
    busy_workshop(build, world, 2, "Small group")
    few = statements_for(app, counselor, url)
    busy_workshop(build, world, 10, "Big group", with_world_couple=False)
    many = statements_for(app, counselor, url)

    assert len(many) == len(few), "\n".join(many)


@pytest.mark.parametrize("suffix", ["", "/roster"])
def test_workshop_pages_cost_the_same_for_2_or_10_sessions_and_couples(
    app, counselor, build, world, suffix
):
    small = busy_workshop(build, world, 2, "Small group")
    big = busy_workshop(build, world, 10, "Big group", with_world_couple=False)
    build.couple(names=("Cleo", "Dev"))  # one couple left to offer on the roster forms

    few = statements_for(app, counselor, small.url(suffix))
    many = statements_for(app, counselor, big.url(suffix))

    assert len(many) == len(few), "\n".join(many)


def test_the_session_page_costs_the_same_for_2_or_10_couples(app, counselor, build, world):
    small = busy_workshop(build, world, 2, "Small group")
    big = busy_workshop(build, world, 10, "Big group", with_world_couple=False)
    build.attend(small.session_ids[0], build.partner_ids(world.couple_id)[0])

    few = statements_for(app, counselor, f"/sessions/{small.session_ids[0]}")
    many = statements_for(app, counselor, f"/sessions/{big.session_ids[0]}")

    assert len(many) == len(few), "\n".join(many)


def test_the_partner_home_costs_the_same_for_2_or_10_sessions(app, browser, build, world):
    browser.login(world.partner)
    busy_workshop(build, world, 2, "Small group")
    few = statements_for(app, browser, "/")
    other = build.workshop(
        title="Second group",
        couples=(world.couple_id,),
        sessions=8,
        first=in_days(30),
        every=timedelta(days=2),
    )
    assert other.session_ids
    many = statements_for(app, browser, "/")

    assert len(many) == len(few), "\n".join(many)
