"""Writing a note: the reference panel, drafts, signing, deleting, formats and bad input."""

from datetime import timedelta

from tests.assignments.builders import STAND_ANSWERS
from tests.helpers import text_of
from tests.notes.builders import SOAP_TEXT, form_error_text, note_form, note_url, version_on
from tests.workshops.builders import field_error, textarea_value


def test_the_note_page_shows_stage_attendance_and_recent_homework(counselor, setting, build):
    build.library()
    [assignment_id] = build.give(
        setting.workshop_id, [setting.couple_id], opened=timedelta(days=4), due_in=timedelta(days=3)
    )
    build.answer(assignment_id, setting.partner_ids[0], STAND_ANSWERS)
    build.attend(setting.session_id, setting.partner_ids[0], "present")
    build.attend(setting.session_id, setting.partner_ids[1], "excused")

    page = text_of(counselor.get(note_url(setting.session_id, setting.couple_id)))

    assert "Rebuilding trust" in page  # the session's stage
    assert "Present" in page
    assert "Excused" in page
    assert "Where I stand" in page  # the homework title
    assert "Submitted" in page
    assert "Not started" in page
    assert "Alex" in page
    assert "Sam" in page
    assert STAND_ANSWERS["hope"] not in page  # titles and states only, never the answers


def test_saving_a_draft_keeps_the_text_and_records_its_creation(counselor, setting, build):
    response = counselor.post(note_url(setting.session_id, setting.couple_id), note_form(SOAP_TEXT))

    assert response.status_code == 302
    [note] = build.notes_of(setting.couple_id)
    assert note["status"] == "draft"
    assert note["sections"] == SOAP_TEXT
    page = counselor.get(response.headers["Location"]).get_data(as_text=True)
    assert textarea_value(page, "s_plan") == SOAP_TEXT["plan"]
    assert version_on(page) == "1"
    assert [e["action"] for e in build.events("note.created")] == ["note.created"]


def test_signing_locks_the_note_and_sends_the_author_to_read_it(counselor, setting, build):
    response = counselor.post(
        note_url(setting.session_id, setting.couple_id), note_form(SOAP_TEXT, sign=True)
    )

    [note] = build.notes_of(setting.couple_id)
    assert response.headers["Location"] == f"/notes/{note['id']}"
    row = build.note_row(note["id"])
    assert row["status"] == "signed"
    assert row["signed_at"] is not None
    again = counselor.get(note_url(setting.session_id, setting.couple_id))
    assert again.status_code == 302  # the write page of a signed note leads to the note
    assert again.headers["Location"] == f"/notes/{note['id']}"
    assert [e["action"] for e in build.events("note.signed")] == ["note.signed"]


def test_signing_an_empty_note_is_a_form_error(counselor, setting, build):
    empty = {"subjective": "", "objective": "  ", "assessment": "", "plan": ""}

    response = counselor.post(
        note_url(setting.session_id, setting.couple_id), note_form(empty, sign=True)
    )

    assert response.status_code == 200
    assert "needs some text before you sign it" in form_error_text(text_of(response))
    assert build.notes_of(setting.couple_id) == []


def test_signing_a_draft_emptied_in_the_form_is_refused_and_the_draft_kept(
    counselor, setting, build
):
    build.note(setting.session_id, setting.couple_id)
    empty = dict.fromkeys(SOAP_TEXT, "")

    response = counselor.post(
        note_url(setting.session_id, setting.couple_id), note_form(empty, version=1, sign=True)
    )

    assert "needs some text" in form_error_text(text_of(response))
    [note] = build.notes_of(setting.couple_id)
    assert note["status"] == "draft"
    assert note["sections"] == SOAP_TEXT  # one transaction: the emptying was not saved either


def test_an_over_long_section_is_a_field_error_stating_the_cap_and_the_text_is_kept(
    counselor, setting, build
):
    too_long = "word " * 2001  # 10,005 characters
    sections = {**SOAP_TEXT, "objective": too_long}

    response = counselor.post(note_url(setting.session_id, setting.couple_id), note_form(sections))

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "10,000 characters" in field_error(page, "s_objective")
    assert textarea_value(page, "s_objective") == too_long.strip()
    assert textarea_value(page, "s_plan") == SOAP_TEXT["plan"]
    assert build.notes_of(setting.couple_id) == []


def test_a_couple_not_enrolled_in_the_sessions_workshop_gets_a_clear_404(
    counselor, setting, build, world
):
    stranger = build.couple(names=("Noa", "Kit"))  # the counselor's couple, never enrolled here

    page = counselor.get(note_url(setting.session_id, stranger))
    sent = counselor.post(note_url(setting.session_id, stranger), note_form(SOAP_TEXT))

    assert page.status_code == 404
    assert "Noa & Kit are not in this workshop" in text_of(page)
    assert sent.status_code == 404
    assert build.notes_of(stranger) == []


def test_a_couple_the_counselor_does_not_know_is_a_plain_404(counselor, setting, world):
    response = counselor.get(note_url(setting.session_id, world.other_couple_id))
    assert response.status_code == 404
    assert "Jordan" not in text_of(response)  # nothing about the other counselor's couple


def test_a_withdrawn_couple_keeps_their_sessions_notes(counselor, setting, build):
    from workshop.extensions import db
    from workshop.models import Enrollment

    with build.database():
        enrollment = db.session.query(Enrollment).filter_by(couple_id=setting.couple_id).one()
        enrollment.status = "withdrawn"

    response = counselor.post(note_url(setting.session_id, setting.couple_id), note_form(SOAP_TEXT))

    assert response.status_code == 302


def test_switching_format_carries_the_drafts_text_into_the_new_sections(counselor, setting, build):
    build.note(setting.session_id, setting.couple_id)

    page = counselor.get(note_url(setting.session_id, setting.couple_id) + "?format=dap")

    html = page.get_data(as_text=True)
    assert textarea_value(html, "s_data").startswith("Subjective:\n" + SOAP_TEXT["subjective"])
    assert SOAP_TEXT["objective"] in textarea_value(html, "s_data")
    assert textarea_value(html, "s_plan") == SOAP_TEXT["plan"]
    assert textarea_value(html, "s_subjective") is None  # SOAP's own sections are gone
    assert "changes to DAP when you save" in text_of(page)


def test_saving_in_another_format_replaces_the_sections(counselor, setting, build):
    note_id = build.note(setting.session_id, setting.couple_id)

    counselor.post(
        note_url(setting.session_id, setting.couple_id),
        note_form({"text": "All in one."}, fmt="free", version=1),
    )

    row = build.note_row(note_id)
    assert row["format"] == "free"
    assert row["sections"] == {"text": "All in one."}


def test_an_unknown_format_is_refused_without_a_500(counselor, setting, build):
    response = counselor.post(
        note_url(setting.session_id, setting.couple_id), note_form(SOAP_TEXT, fmt="poem")
    )
    assert response.status_code == 200
    assert build.notes_of(setting.couple_id) == []


def test_the_author_deletes_a_draft(counselor, setting, build):
    note_id = build.note(setting.session_id, setting.couple_id)

    response = counselor.post(f"/notes/{note_id}/delete", token_from=f"/notes/{note_id}")

    assert response.status_code == 302
    assert build.notes_of(setting.couple_id) == []
    [deleted] = build.events("note.deleted")
    assert deleted["object_id"] == note_id


def test_a_co_counselor_reads_a_draft_but_cannot_delete_it(login, setting, build):
    note_id = build.note(setting.session_id, setting.couple_id)
    colleague = login(setting.co_counselor)

    page = colleague.get(f"/notes/{note_id}")
    deleting = colleague.post(f"/notes/{note_id}/delete", token_from=f"/notes/{note_id}")

    assert page.status_code == 200
    assert SOAP_TEXT["assessment"] in text_of(page)
    assert "only Counselor" in text_of(page) or "can edit or sign it" in text_of(page)
    assert deleting.status_code == 403
    assert build.note_row(note_id) is not None


def test_a_co_counselor_writes_their_own_note_not_the_authors(login, setting, build):
    author_note = build.note(setting.session_id, setting.couple_id)
    colleague = login(setting.co_counselor)

    page = colleague.get(note_url(setting.session_id, setting.couple_id))
    colleague.post(
        note_url(setting.session_id, setting.couple_id),
        note_form({**SOAP_TEXT, "plan": "Colleague's plan"}),
    )

    assert textarea_value(page.get_data(as_text=True), "s_plan") == ""  # a new note, empty
    assert f"/notes/{author_note}" in page.get_data(as_text=True)  # the author's is linked
    assert build.note_row(author_note)["sections"] == SOAP_TEXT  # untouched
    assert len(build.notes_of(setting.couple_id)) == 2


def test_a_signed_note_refuses_a_direct_edit_post_and_keeps_the_sent_text(
    counselor, setting, build
):
    note_id = build.note(setting.session_id, setting.couple_id, signed=True)
    changed = {**SOAP_TEXT, "assessment": "Rewritten after signing"}

    response = counselor.post(
        note_url(setting.session_id, setting.couple_id),
        note_form(changed, version=1),
        token_from=f"/notes/{note_id}",
    )

    assert response.status_code == 409
    assert "Rewritten after signing" in text_of(response)  # shown back, to copy into an addendum
    assert build.note_row(note_id)["sections"] == SOAP_TEXT
    assert build.events("note.edited") == []


def test_a_signed_note_refuses_a_direct_delete_post(counselor, setting, build):
    note_id = build.note(setting.session_id, setting.couple_id, signed=True)

    response = counselor.post(f"/notes/{note_id}/delete", token_from=f"/notes/{note_id}")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/notes/{note_id}"
    assert "cannot be deleted" in text_of(counselor.get(response.headers["Location"]))
    assert build.note_row(note_id)["status"] == "signed"
    assert build.events("note.deleted") == []


def test_the_staler_of_two_tabs_is_refused_and_its_text_kept(counselor, setting, build):
    url = note_url(setting.session_id, setting.couple_id)
    build.note(setting.session_id, setting.couple_id)
    first_tab = counselor.get(url).get_data(as_text=True)
    second_tab = counselor.get(url).get_data(as_text=True)
    assert version_on(first_tab) == version_on(second_tab) == "1"

    counselor.post(url, note_form({**SOAP_TEXT, "plan": "From the first tab"}, version=1))
    refused = counselor.post(
        url, note_form({**SOAP_TEXT, "plan": "From the second tab"}, version=1)
    )

    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "saved from another tab" in form_error_text(text_of(refused))
    assert textarea_value(page, "s_plan") == "From the second tab"
    assert "From the first tab" in text_of(refused)  # the saved version, to compare
    assert "data-autosave-paused" in page  # no autosave over the other tab's text
    [note] = build.notes_of(setting.couple_id)
    assert note["sections"]["plan"] == "From the first tab"
    # A deliberate save after comparing goes through (the page now carries the saved version).
    counselor.post(
        url, note_form({**SOAP_TEXT, "plan": "From the second tab"}, version=int(version_on(page)))
    )
    assert build.notes_of(setting.couple_id)[0]["sections"]["plan"] == "From the second tab"


def test_two_new_tabs_do_not_make_two_drafts(counselor, setting, build):
    url = note_url(setting.session_id, setting.couple_id)

    counselor.post(url, note_form({**SOAP_TEXT, "plan": "first"}, version=0))
    refused = counselor.post(url, note_form({**SOAP_TEXT, "plan": "second"}, version=0))

    assert refused.status_code == 409
    assert len(build.notes_of(setting.couple_id)) == 1


def test_a_missing_version_is_refused_not_guessed(counselor, setting, build):
    build.note(setting.session_id, setting.couple_id)
    data = note_form({**SOAP_TEXT, "plan": "no version"}, version=1)
    del data["version"]

    response = counselor.post(note_url(setting.session_id, setting.couple_id), data)

    assert response.status_code == 200
    assert "out of date" in form_error_text(text_of(response))
    assert build.notes_of(setting.couple_id)[0]["sections"] == SOAP_TEXT


def test_a_future_session_can_have_a_note_too(counselor, setting, build):
    response = counselor.post(
        note_url(setting.later_session_id, setting.couple_id), note_form(SOAP_TEXT)
    )
    assert response.status_code == 302  # prepared ahead: a draft like any other


def test_the_session_page_links_a_note_for_each_enrolled_couple(counselor, setting):
    page = counselor.get(f"/sessions/{setting.session_id}").get_data(as_text=True)
    assert note_url(setting.session_id, setting.couple_id) in page


def test_a_stale_csrf_token_shows_the_form_again_with_the_typed_text(counselor, setting, build):
    data = {
        **note_form({**SOAP_TEXT, "plan": "Typed before the token expired"}),
        "csrf_token": "stale",
    }

    response = counselor.client.post(note_url(setting.session_id, setting.couple_id), data=data)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nothing was saved" in text_of(response)
    assert textarea_value(page, "s_plan") == "Typed before the token expired"
    assert build.notes_of(setting.couple_id) == []
