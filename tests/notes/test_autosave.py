"""The note page's autosave: JSON in and out, the version check, clear refusals, never a 500."""

import re
from datetime import timedelta

from tests.notes.builders import SOAP_TEXT, autosave, note_url, version_on
from tests.workshops.builders import textarea_value
from workshop.models import utcnow


def test_the_first_autosave_creates_the_draft_and_answers_with_its_version(
    counselor, setting, build
):
    response = autosave(
        counselor,
        setting.session_id,
        setting.couple_id,
        {"version": 0, "format": "soap", "sections": {"plan": "Typed so far"}},
    )

    body = response.get_json()
    assert response.status_code == 200
    assert body["saved"] is True
    assert body["version"] == 1
    assert body["saved_at_text"]
    [note] = build.notes_of(setting.couple_id)
    assert note["sections"] == {
        "subjective": "",
        "objective": "",
        "assessment": "",
        "plan": "Typed so far",
    }
    page = counselor.get(note_url(setting.session_id, setting.couple_id)).get_data(as_text=True)
    assert textarea_value(page, "s_plan") == "Typed so far"
    assert version_on(page) == "1"


def test_autosaves_follow_the_version(counselor, setting, build):
    first = autosave(
        counselor,
        setting.session_id,
        setting.couple_id,
        {"version": 0, "format": "dap", "sections": {"data": "one"}},
    )
    second = autosave(
        counselor,
        setting.session_id,
        setting.couple_id,
        {"version": first.get_json()["version"], "format": "dap", "sections": {"data": "one two"}},
    )

    assert second.get_json()["version"] == 2
    assert build.notes_of(setting.couple_id)[0]["sections"]["data"] == "one two"


def test_a_stale_autosave_is_refused_with_409_and_saves_nothing(counselor, setting, build):
    build.note(setting.session_id, setting.couple_id)  # version 1

    response = autosave(
        counselor,
        setting.session_id,
        setting.couple_id,
        {"version": 0, "format": "soap", "sections": {"plan": "old tab"}},
    )

    assert response.status_code == 409
    assert response.get_json()["error"] == "stale"
    assert build.notes_of(setting.couple_id)[0]["sections"] == SOAP_TEXT


def test_an_autosave_of_a_signed_note_is_refused(counselor, setting, build):
    note_id = build.note(setting.session_id, setting.couple_id, signed=True)

    response = autosave(
        counselor,
        setting.session_id,
        setting.couple_id,
        {"version": 1, "format": "soap", "sections": {"plan": "late"}},
        token_from=f"/notes/{note_id}",
    )

    assert response.status_code == 409
    assert response.get_json()["error"] == "signed"
    assert build.note_row(note_id)["sections"] == SOAP_TEXT


def test_an_over_long_autosave_is_refused_with_the_cap(counselor, setting, build):
    response = autosave(
        counselor,
        setting.session_id,
        setting.couple_id,
        {"version": 0, "format": "free", "sections": {"text": "x" * 10_001}},
    )

    body = response.get_json()
    assert response.status_code == 422
    assert "10,000 characters" in body["errors"]["text"]
    assert "10,000 characters" in body["message"]
    assert build.notes_of(setting.couple_id) == []


def test_unreadable_autosaves_are_400_not_500(counselor, setting, build):
    for payload in (
        {"version": 0, "format": "haiku", "sections": {"text": "x"}},
        {"version": 0, "format": "free", "sections": ["x"]},
        {"version": 0, "format": "free", "sections": {"text": 42}},
    ):
        response = autosave(counselor, setting.session_id, setting.couple_id, payload)
        assert response.status_code == 400, payload
    assert build.notes_of(setting.couple_id) == []


def test_an_autosave_with_nothing_typed_makes_no_draft(counselor, setting, build):
    nothing = autosave(counselor, setting.session_id, setting.couple_id, {"version": 0})
    blank = autosave(
        counselor,
        setting.session_id,
        setting.couple_id,
        {"version": 0, "format": "soap", "sections": {"plan": "  "}},
    )

    assert nothing.get_json()["saved"] is False
    assert blank.get_json()["saved"] is False
    assert build.notes_of(setting.couple_id) == []


def test_an_autosave_without_the_csrf_header_is_refused(counselor, setting, build):
    response = counselor.client.post(
        note_url(setting.session_id, setting.couple_id, "/autosave"),
        json={"version": 0, "format": "free", "sections": {"text": "forged"}},
    )
    assert response.status_code == 400
    assert build.notes_of(setting.couple_id) == []


def test_a_stretch_of_autosaves_is_one_edit_in_the_audit_log(
    monkeypatch, counselor, setting, build
):
    note_id = build.note(setting.session_id, setting.couple_id)
    for version in (1, 2, 3):
        autosave(
            counselor,
            setting.session_id,
            setting.couple_id,
            {"version": version, "format": "soap", "sections": {"plan": f"v{version}"}},
        )
    assert len(build.events("note.edited")) == 1

    # Ten minutes later, typing again is another edit (the clock moves: audit events cannot).
    later = utcnow() + timedelta(minutes=11)
    monkeypatch.setattr("workshop.notes.services.utcnow", lambda: later)
    autosave(
        counselor,
        setting.session_id,
        setting.couple_id,
        {"version": 4, "format": "soap", "sections": {"plan": "v4"}},
    )
    edits = build.events("note.edited")
    assert len(edits) == 2
    assert {e["object_id"] for e in edits} == {note_id}


def test_the_page_loads_its_own_autosave_script_and_no_inline_script(counselor, setting):
    page = counselor.get(note_url(setting.session_id, setting.couple_id)).get_data(as_text=True)

    # The file's name carries a hash of its content (static files are cached for a year).
    assert re.search(r'src="/static/js/note_autosave\.[0-9a-f]{12}\.js"', page)
    assert "<script>" not in page
    assert (
        'data-note-autosave-url="' + note_url(setting.session_id, setting.couple_id, "/autosave")
        in page
    )
    script = counselor.get("/static/js/note_autosave.js")
    body = script.get_data(as_text=True)
    script.close()
    assert "X-CSRFToken" in body
    assert "localStorage" not in body  # clinical text is never copied to the device
