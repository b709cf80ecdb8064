"""A session with notes keeps them: taking it out of the plan is refused, never a failure."""

from tests.notes.builders import SOAP_TEXT


def test_removing_a_session_that_has_a_note_is_refused(counselor, setting, build):
    note_id = build.note(setting.later_session_id, setting.couple_id)

    response = counselor.post(
        f"/sessions/{setting.later_session_id}/remove",
        token_from=f"/sessions/{setting.later_session_id}",
    )

    assert response.status_code == 302
    assert build.note_row(note_id)["sections"] == SOAP_TEXT
