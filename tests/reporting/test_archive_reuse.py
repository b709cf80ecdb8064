"""A report whose data has not changed since its last archived version is served from the
archive: generating again renders nothing and adds no version; any change renders anew."""

import re
from pathlib import Path

import pytest
from sqlalchemy import select, update

from tests.reporting.builders import pdf_text
from workshop.extensions import db
from workshop.models import ProgressSummary, Report
from workshop.reporting import services


@pytest.fixture
def renders(monkeypatch):
    """Every PDF render of this test, by template name (the real render still runs)."""
    calls = []
    real_render = services.render_pdf

    def counting_render(template_name, data):
        calls.append(template_name)
        return real_render(template_name, data)

    monkeypatch.setattr(services, "render_pdf", counting_render)
    return calls


def reports_url(story) -> str:
    return f"/workshops/{story.workshop_id}/couples/{story.couple_id}/reports"


def generate(browser, story, edition="couple"):
    url = reports_url(story)
    return browser.post(url, {"edition": edition}, token_from=url, follow_redirects=True)


def versions(app, story) -> list[tuple[int, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(Report.number, Report.sha256)
            .where(Report.couple_id == story.couple_id)
            .order_by(Report.number)
        )
        return [tuple(row) for row in rows]


def change_summary(app, story, text: str) -> None:
    with app.app_context():
        db.session.execute(
            update(ProgressSummary)
            .where(ProgressSummary.couple_id == story.couple_id)
            .values(summary=text)
        )
        db.session.commit()


def test_generating_twice_with_unchanged_data_renders_once(app, browser, build, world, renders):
    story = build.story()
    browser.login(world.counselor)
    generate(browser, story)
    page = generate(browser, story).get_data(as_text=True)
    assert renders == ["couple_report.html"]
    assert len(versions(app, story)) == 1
    assert "Nothing has changed since version 1" in page
    assert len(build.events("report.generated")) == 1


def test_a_change_in_the_data_renders_a_new_version(app, browser, build, world, renders):
    story = build.story()
    browser.login(world.counselor)
    generate(browser, story)
    change_summary(app, story, "NEWSUMMARY-after-the-sixth-session")
    page = generate(browser, story).get_data(as_text=True)
    assert renders == ["couple_report.html", "couple_report.html"]
    assert [number for number, _ in versions(app, story)] == [1, 2]
    assert "Report version 2 generated" in page
    [newest] = re.findall(r"/reports/(\d+)/download", page)[:1]
    pdf = browser.get(f"/reports/{newest}/download").get_data()
    assert "NEWSUMMARY-after-the-sixth-session" in pdf_text(pdf)


def test_unchanged_data_after_a_new_version_is_served_from_that_version(
    app, browser, build, world, renders
):
    story = build.story()
    browser.login(world.counselor)
    generate(browser, story)
    change_summary(app, story, "A second summary.")
    generate(browser, story)
    generate(browser, story)
    assert len(renders) == 2
    assert [number for number, _ in versions(app, story)] == [1, 2]


def test_each_edition_is_rendered_on_its_own(app, browser, build, world, renders):
    story = build.story()
    browser.login(world.counselor)
    generate(browser, story, "couple")
    generate(browser, story, "counselor")
    generate(browser, story, "counselor")
    assert len(renders) == 2


def test_an_archived_file_gone_missing_is_rendered_again(app, browser, build, world, renders):
    story = build.story()
    browser.login(world.counselor)
    generate(browser, story)
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.couple_id == story.couple_id))
        Path(app.config["REPORTS_DIR"], report.file_path).unlink()
    generate(browser, story)
    assert len(renders) == 2
    assert len(versions(app, story)) == 2


def test_the_service_says_whether_it_reused_the_archive(app, build, renders):
    story = build.story()
    with app.app_context():
        workshop, couple, counselor = build.loaded(story.workshop_id, story.couple_id)
        first, first_reused = services.generate_or_reuse_couple_report(workshop, couple, counselor)
        db.session.commit()
        again, again_reused = services.generate_or_reuse_couple_report(workshop, couple, counselor)
        assert (first_reused, again_reused) == (False, True)
        assert again.id == first.id
    assert len(renders) == 1
