"""Counselors generate, preview, download and release reports; partners download released ones."""

import re
from datetime import date

from sqlalchemy import select

from tests.assignments.builders import STAND_ANSWERS, WHERE_I_STAND
from tests.helpers import text_of
from tests.reporting.builders import pdf_text
from tests.workshops.builders import in_days
from workshop.extensions import db
from workshop.models import User, utcnow


def reports_url(story) -> str:
    return f"/workshops/{story.workshop_id}/couples/{story.couple_id}/reports"


def generate(browser, story, **fields):
    data = {"edition": "couple"} | fields
    return browser.post(reports_url(story), data, token_from=reports_url(story))


def report_ids(page: str) -> list[int]:
    return sorted({int(i) for i in re.findall(r"/reports/(\d+)/download", page)})


def test_counselor_generates_previews_and_releases_a_report(browser, build, world):
    story = build.story()
    browser.login(world.counselor)
    assert generate(browser, story).status_code == 302
    page = browser.get(reports_url(story)).get_data(as_text=True)
    assert "<svg" in page  # the same charts as in the PDF
    [report_id] = report_ids(page)
    download = browser.get(f"/reports/{report_id}/download")
    assert download.status_code == 200
    assert download.headers["Cache-Control"] == "no-store"
    today = utcnow().date().isoformat()
    disposition = download.headers["Content-Disposition"]
    assert f"progress-report_alex-sam_{today}.pdf" in disposition
    assert "Alex & Sam" in pdf_text(download.get_data())
    preview = browser.get(f"/reports/{report_id}/download?preview=1")
    assert preview.headers["Content-Disposition"].startswith("inline")
    assert (
        browser.post(f"/reports/{report_id}/release", token_from=reports_url(story)).status_code
        == 302
    )
    actions = [e["action"] for e in build.events()]
    assert actions.count("report.generated") == 1
    assert actions.count("report.downloaded") == 2


def test_regenerating_keeps_every_version(browser, build, world):
    story = build.story()
    browser.login(world.counselor)
    generate(browser, story)
    generate(browser, story, edition="counselor", include_notes="y")
    page = browser.get(reports_url(story)).get_data(as_text=True)
    assert len(report_ids(page)) == 2
    assert "(with notes)" in page


def test_notes_cannot_go_into_the_couples_edition(browser, build, world):
    story = build.story()
    browser.login(world.counselor)
    response = generate(browser, story, edition="couple", include_notes="y")
    assert response.status_code == 400
    assert report_ids(browser.get(reports_url(story)).get_data(as_text=True)) == []


def test_partner_downloads_only_released_reports_of_their_own_couple(
    browser, make_browser, build, world
):
    story = build.story()
    counselor = make_browser()
    counselor.login(world.counselor)
    generate(counselor, story)
    [report_id] = report_ids(counselor.get(reports_url(story)).get_data(as_text=True))
    browser.login(world.partner)
    assert browser.get(f"/my/reports/{report_id}/download").status_code == 404
    assert "has not shared a report" in browser.get("/my/progress").get_data(as_text=True)
    counselor.post(f"/reports/{report_id}/release", token_from=reports_url(story))
    page = browser.get("/my/progress").get_data(as_text=True)
    assert f"/my/reports/{report_id}/download" in page
    assert "<svg" in page
    download = browser.get(f"/my/reports/{report_id}/download")
    assert download.status_code == 200
    assert download.headers["Cache-Control"] == "no-store"
    other = make_browser()
    other.login(world.other_couple_partner)
    assert other.get(f"/my/reports/{report_id}/download").status_code == 404


def test_counselor_edition_is_never_released(make_browser, build, world):
    story = build.story()
    counselor = make_browser()
    counselor.login(world.counselor)
    generate(counselor, story, edition="counselor")
    [report_id] = report_ids(counselor.get(reports_url(story)).get_data(as_text=True))
    counselor.post(f"/reports/{report_id}/release", token_from=reports_url(story))
    partner = make_browser()
    partner.login(world.partner)
    assert partner.get(f"/my/reports/{report_id}/download").status_code == 404


def test_another_counselor_can_neither_generate_nor_download(make_browser, build, world):
    story = build.story()
    owner = make_browser()
    owner.login(world.counselor)
    generate(owner, story)
    [report_id] = report_ids(owner.get(reports_url(story)).get_data(as_text=True))
    other = make_browser()
    other.login(world.other_counselor)
    assert other.get(reports_url(story)).status_code == 404
    assert other.post(reports_url(story), {"edition": "couple"}, token_from="/").status_code == 404
    # An invalid form is refused with the page again for the owner, and with a 404 here.
    assert other.post(reports_url(story), {"edition": "bogus"}, token_from="/").status_code == 404
    assert other.get(f"/reports/{report_id}/download").status_code == 404
    assert other.post(f"/reports/{report_id}/release", token_from="/").status_code == 404


def test_workshop_summary_is_generated_and_downloaded(browser, build, world):
    story = build.story()
    browser.login(world.counselor)
    url = f"/workshops/{story.workshop_id}/summary-reports"
    assert browser.post(url, token_from=url).status_code == 302
    [report_id] = report_ids(browser.get(url).get_data(as_text=True))
    download = browser.get(f"/reports/{report_id}/download")
    assert (
        f"workshop-summary_spring-group_{date.today().isoformat()}"
        in download.headers["Content-Disposition"]
    )
    assert "Workshop summary" in pdf_text(download.get_data())


def test_partner_progress_shows_each_workshop_once_with_both_partners(browser, build, world):
    story = build.story()
    later = build.workshop(couples=(story.couple_id,), sessions=2, first=in_days(-10))
    [stand] = build.give(later.id, [story.couple_id], WHERE_I_STAND)
    build.answer(stand, story.partner_ids[0], STAND_ANSWERS)
    browser.login(world.partner)
    page = browser.get("/my/progress").get_data(as_text=True)
    for workshop_id in (story.workshop_id, later.id):
        assert page.count(f'id="w{workshop_id}-heading"') == 1
    # Each workshop's charts have a line for each partner, in the legend by first name.
    assert page.count(">Alex</text>") == page.count(">Sam</text>") > 0


def test_the_archive_shows_each_version_with_its_author_and_offers_release_once(
    browser, build, world
):
    story = build.story()
    browser.login(world.counselor)
    generate(browser, story)
    generate(browser, story, edition="counselor")
    with build.database():
        author = db.session.scalar(select(User.name).where(User.email == world.counselor))

    before = text_of(browser.get(reports_url(story)))
    [couple_edition, _] = report_ids(before)
    browser.post(f"/reports/{couple_edition}/release", token_from=reports_url(story))
    after = text_of(browser.get(reports_url(story)))

    assert before.count(f"by {author}") == 2
    assert "For the couple" in before
    assert "Counselor edition" in before
    # Only the couple's edition can be released, and only once.
    assert before.count("Release to the couple") == 1
    assert after.count("Release to the couple") == 0
