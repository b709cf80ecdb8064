"""Addenda: dated, signed corrections under a signed note, by a counselor who can read it."""

from tests.helpers import text_of
from tests.notes.builders import SOAP_TEXT, form_error_text
from tests.workshops.builders import field_error


def test_a_co_counselor_adds_a_dated_signed_addendum_under_a_signed_note(login, setting, build):
    note_id = build.note(setting.session_id, setting.couple_id, signed=True)
    colleague = login(setting.co_counselor)

    response = colleague.post(f"/notes/{note_id}/addenda", {"text": "Sam called on Friday."})

    assert response.status_code == 302
    assert response.headers["Location"] == f"/notes/{note_id}#addenda"
    [addendum] = build.addenda_of(note_id)
    assert addendum["text"] == "Sam called on Friday."
    assert addendum["signed_at"] is not None
    page = text_of(colleague.get(f"/notes/{note_id}"))
    assert "Sam called on Friday." in page
    assert "signed by Robin Colleague" in page
    assert build.note_row(note_id)["sections"] == SOAP_TEXT  # the note itself never changes
    [event] = build.events("note.addendum_added")
    assert event["object_id"] == note_id


def test_addenda_go_under_signed_notes_only(counselor, setting, build):
    note_id = build.note(setting.session_id, setting.couple_id)

    response = counselor.post(f"/notes/{note_id}/addenda", {"text": "Too early"})

    assert response.status_code == 409
    assert "still a draft" in form_error_text(text_of(response))
    assert build.addenda_of(note_id) == []


def test_an_empty_or_over_long_addendum_is_a_field_error(counselor, setting, build):
    note_id = build.note(setting.session_id, setting.couple_id, signed=True)

    empty = counselor.post(f"/notes/{note_id}/addenda", {"text": "   "})
    too_long = counselor.post(f"/notes/{note_id}/addenda", {"text": "y" * 5001})

    assert "Write the addendum" in field_error(empty.get_data(as_text=True), "text")
    assert "5,000 characters" in field_error(too_long.get_data(as_text=True), "text")
    assert "y" * 5001 in too_long.get_data(as_text=True)  # the text is kept
    assert build.addenda_of(note_id) == []


def test_addenda_are_never_editable_no_route_changes_one(app):
    addendum_rules = [rule for rule in app.url_map.iter_rules() if "addend" in rule.rule]
    assert [(rule.rule, rule.methods - {"OPTIONS"}) for rule in addendum_rules] == [
        ("/notes/<int:note_id>/addenda", {"POST"})
    ]


def test_a_signed_note_page_offers_an_addendum_not_an_edit(counselor, setting, build):
    note_id = build.note(setting.session_id, setting.couple_id, signed=True)

    page = counselor.get(f"/notes/{note_id}").get_data(as_text=True)

    assert f'action="/notes/{note_id}/addenda"' in page
    assert "Edit draft" not in page
    assert f'action="/notes/{note_id}/delete"' not in page
