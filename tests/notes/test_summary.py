"""The couple's progress summary: shared with the couple, apart from the private notes."""

from tests.helpers import text_of
from tests.notes.builders import form_error_text
from tests.workshops.builders import field_error, textarea_value


def summary_url(couple_id: int) -> str:
    return f"/couples/{couple_id}/summary"


def test_the_summary_page_says_the_couple_will_read_it(counselor, setting):
    page = text_of(counselor.get(summary_url(setting.couple_id)))
    assert "Shared with the couple." in page
    assert "not a private note" in page


def test_writing_the_summary_saves_it_and_records_the_edit(counselor, setting, build, world):
    response = counselor.post(
        summary_url(setting.couple_id),
        {"summary": "Calmer weeks.", "next_steps": "Keep the walks.", "version": "0"},
    )

    assert response.status_code == 302
    saved = build.summary_of(setting.couple_id)
    assert saved["summary"] == "Calmer weeks."
    assert saved["next_steps"] == "Keep the walks."
    assert saved["version"] == 1
    [event] = build.events("summary.edited")
    assert event["couple_id"] == setting.couple_id
    page = counselor.get(summary_url(setting.couple_id)).get_data(as_text=True)
    assert textarea_value(page, "summary") == "Calmer weeks."


def test_the_staler_summary_save_is_refused_and_its_text_kept(counselor, setting, build):
    url = summary_url(setting.couple_id)
    counselor.post(url, {"summary": "First", "next_steps": "", "version": "0"})

    refused = counselor.post(url, {"summary": "From an old tab", "next_steps": "", "version": "0"})

    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "someone saved this summary" in form_error_text(text_of(refused))
    assert textarea_value(page, "summary") == "From an old tab"
    assert build.summary_of(setting.couple_id)["summary"] == "First"


def test_an_over_long_summary_is_a_field_error_with_the_cap(counselor, setting, build):
    response = counselor.post(
        summary_url(setting.couple_id), {"summary": "z" * 5001, "next_steps": "", "version": "0"}
    )
    assert "5,000 characters" in field_error(response.get_data(as_text=True), "summary")
    assert build.summary_of(setting.couple_id) is None


def test_other_counselors_and_partners_cannot_reach_the_summary(login, setting, world):
    for who in ("other_counselor", "other_practice_counselor"):
        assert login(getattr(world, who)).get(summary_url(setting.couple_id)).status_code == 404
    for who in ("partner", "admin"):
        assert login(getattr(world, who)).get(summary_url(setting.couple_id)).status_code == 403


def test_the_couple_page_links_notes_and_summary(counselor, setting):
    page = counselor.get(f"/couples/{setting.couple_id}").get_data(as_text=True)
    assert f'href="/couples/{setting.couple_id}/notes"' in page
    assert f'href="{summary_url(setting.couple_id)}"' in page
