"""The progress pages read what they show in few statements and draw it cheaply: each chart's
widths in one pass, the generate form's fields made once, the archive with the heading."""

import re
from datetime import date

import pytest

from tests.assignments.builders import STAND_ANSWERS, WHERE_I_STAND
from tests.helpers import counting_queries, without_tokens
from tests.reporting.test_views import generate, reports_url
from tests.workshops.builders import in_days
from workshop.reporting.charts import NARROW_WIDTH, WIDTH, Series, line_chart, line_charts

NOTES_REFUSED = "Notes can go only in the counselor edition."


def downloads_in_page_order(page: str, prefix: str = "/reports") -> list[int]:
    return [int(i) for i in re.findall(rf'"{prefix}/(\d+)/download"', page)]


def test_each_width_of_line_charts_is_the_chart_line_chart_draws():
    days = [date(2026, 1, 1), date(2026, 1, 2), date(2026, 2, 1), date(2026, 3, 15)]
    cases = [
        [Series("Alex", [(d, i + 2) for i, d in enumerate(days)]), Series("<Sam>", [(days[1], 4)])],
        [Series("Alex", [(days[0], 12)]), Series("Sam"), Series("Together", [(days[3], 0.5)])],
        [Series("Alex"), Series("Sam")],  # no answers: the message
    ]
    for series in cases:
        drawn = line_charts("Hope & trust", series, (1, 10), "Hope", widths=(NARROW_WIDTH, WIDTH))
        assert drawn == [
            line_chart("Hope & trust", series, (1, 10), "Hope", width=NARROW_WIDTH),
            line_chart("Hope & trust", series, (1, 10), "Hope", width=WIDTH),
        ]
        assert f'viewBox="0 0 {NARROW_WIDTH} 250"' in drawn[0]
        assert "<Sam>" not in drawn[0] + drawn[1]  # escaped, in both widths


def test_the_generate_form_shows_its_errors_and_the_next_view_is_clean_again(browser, build, world):
    story = build.story()
    browser.login(world.counselor)
    fresh = browser.get(reports_url(story)).get_data(as_text=True)
    refused = generate(browser, story, edition="couple", include_notes="y")
    assert refused.status_code == 400
    refused_page = refused.get_data(as_text=True)
    assert NOTES_REFUSED in refused_page
    assert re.search(r'<input checked id="include_notes"', refused_page)  # as the user sent it
    again = browser.get(reports_url(story)).get_data(as_text=True)
    assert NOTES_REFUSED not in again
    assert 'checked id="include_notes"' not in again
    assert re.search(r'<input checked id="edition-0" name="edition" type="radio"', again)
    assert without_tokens(again) == without_tokens(fresh)


def test_the_couple_page_lists_each_version_once_newest_first_with_the_couple(
    browser, build, world
):
    story = build.story()
    browser.login(world.counselor)
    generate(browser, story)
    generate(browser, story, edition="counselor", include_notes="y")
    generate(browser, story, edition="counselor")
    page = browser.get(reports_url(story)).get_data(as_text=True)
    versions = downloads_in_page_order(page)
    assert len(versions) == len(set(versions)) == 3
    assert versions == sorted(versions, reverse=True)
    assert "<title>Reports: Alex &amp; Sam" in page
    assert page.count('class="card report-chart"') >= 1


def test_the_couple_page_shows_its_versions_ten_at_a_time_newest_first(browser, build, world):
    story = build.story()
    made = build.versions(story, 12)  # oldest first
    browser.login(world.counselor)

    first = browser.get(reports_url(story)).get_data(as_text=True)
    second = browser.get(f"{reports_url(story)}?page=2").get_data(as_text=True)

    assert downloads_in_page_order(first) == made[::-1][:10]
    assert downloads_in_page_order(second) == made[::-1][10:]
    assert "Versions (12)" in first
    assert f'href="{reports_url(story)}?page=2">Older versions' in first
    assert f'href="{reports_url(story)}?page=1">Newer versions' in second
    assert second.count('class="card report-chart"') == first.count('class="card report-chart"')


def test_a_page_of_versions_past_the_end_says_so_and_leads_back(browser, build, world):
    story = build.story()
    build.versions(story, 3)
    browser.login(world.counselor)

    response = browser.get(f"{reports_url(story)}?page=2")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert downloads_in_page_order(page) == []
    assert "Nothing on this page" in page
    assert f'href="{reports_url(story)}">Back to the newest versions' in page


def summaries_url(story) -> str:
    return f"/workshops/{story.workshop_id}/summary-reports"


def test_the_workshop_summaries_show_ten_at_a_time_newest_first(app, browser, build, world):
    story = build.story()
    made = build.versions(story, 12, workshop_summaries=True)  # oldest first
    browser.login(world.counselor)

    with counting_queries(app) as full_page:
        first = browser.get(summaries_url(story)).get_data(as_text=True)
    with counting_queries(app) as short_page:
        second = browser.get(f"{summaries_url(story)}?page=2").get_data(as_text=True)
    past_end = browser.get(f"{summaries_url(story)}?page=3")

    assert downloads_in_page_order(first) == made[::-1][:10]
    assert downloads_in_page_order(second) == made[::-1][10:]
    assert "Versions (12)" in first
    assert f'href="{summaries_url(story)}?page=2">Older versions' in first
    assert f'href="{summaries_url(story)}?page=1">Newer versions' in second
    assert past_end.status_code == 200
    assert downloads_in_page_order(past_end.get_data(as_text=True)) == []
    assert f'href="{summaries_url(story)}">Back to the newest versions' in past_end.get_data(
        as_text=True
    )
    assert len(full_page) == len(short_page) <= 3  # the login, the workshop, the page


def test_the_workshop_summaries_of_another_counselor_are_not_found_on_any_page(
    make_browser, build, world
):
    story = build.story()
    build.versions(story, 12, workshop_summaries=True)
    other = make_browser()
    other.login(world.other_counselor)
    for page in ("", "?page=2"):
        assert other.get(f"{summaries_url(story)}{page}").status_code == 404


def test_the_partner_sees_the_released_editions_of_every_workshop_latest_first(
    browser, make_browser, build, world
):
    story = build.story()
    later = build.workshop(couples=(story.couple_id,), sessions=2, first=in_days(-10))
    [stand] = build.give(later.id, [story.couple_id], WHERE_I_STAND)
    build.answer(stand, story.partner_ids[0], STAND_ANSWERS)
    counselor = make_browser()
    counselor.login(world.counselor)
    released = []
    for workshop_id in (later.id, story.workshop_id):
        url = f"/workshops/{workshop_id}/couples/{story.couple_id}/reports"
        counselor.post(url, {"edition": "couple"}, token_from=url)
        [report_id] = downloads_in_page_order(counselor.get(url).get_data(as_text=True))
        counselor.post(f"/reports/{report_id}/release", token_from=url)
        released.append(report_id)
    generate(counselor, story, edition="counselor")  # never shown to the couple
    browser.login(world.partner)
    page = browser.get("/my/progress").get_data(as_text=True)
    assert downloads_in_page_order(page, "/my/reports") == released[::-1]
    for workshop_id in (story.workshop_id, later.id):
        assert page.count(f'id="w{workshop_id}-heading"') == 1


@pytest.mark.parametrize("asked", ["0", "-3", "abc", "99999999999"])
def test_a_bad_page_number_of_summaries_is_the_first_page_or_an_empty_one(
    browser, build, world, asked
):
    story = build.story()
    made = build.versions(story, 3, workshop_summaries=True)
    browser.login(world.counselor)

    response = browser.get(f"{summaries_url(story)}?page={asked}")

    assert response.status_code == 200
    shown = downloads_in_page_order(response.get_data(as_text=True))
    # The first page; a number past any page (capped at HIGHEST_PAGE) is the empty page.
    assert shown == ([] if asked == "99999999999" else made[::-1])
