"""The rules hold in the services themselves, whatever page or request calls them."""

import pytest
from sqlalchemy import select

from tests.notes.builders import SOAP_TEXT
from tests.workshops.builders import user_id
from workshop.extensions import db
from workshop.models import Couple, SessionNote, User, WorkshopSession
from workshop.notes import formats, services


@pytest.fixture
def signed(app, setting, build):
    """In an app context: the counselor and their signed note."""
    note_id = build.note(setting.session_id, setting.couple_id, signed=True)
    with app.test_request_context():
        note = db.session.get(SessionNote, note_id)
        author = db.session.get(User, note.author_id)
        yield author, note
        db.session.rollback()


def test_a_signed_note_refuses_edits_in_the_service(signed):
    author, note = signed
    session = db.session.get(WorkshopSession, note.session_id)
    couple = db.session.get(Couple, note.couple_id)
    with pytest.raises(services.NoteLocked):
        services.save_draft(
            author, session, couple, formats.FORMATS["soap"], {"plan": "changed"}, note.version
        )
    assert note.sections == SOAP_TEXT


def test_a_signed_note_refuses_deletion_and_signing_again_in_the_service(signed):
    author, note = signed
    with pytest.raises(services.NoteLocked):
        services.delete_draft(note, author)
    with pytest.raises(services.NoteLocked):
        services.sign_note(note, author)
    assert db.session.scalar(select(SessionNote.id).where(SessionNote.id == note.id))


def test_only_the_author_changes_a_draft_in_the_service(app, setting, build):
    note_id = build.note(setting.session_id, setting.couple_id)
    with app.test_request_context():
        note = db.session.get(SessionNote, note_id)
        colleague = db.session.get(User, user_id(setting.co_counselor))
        with pytest.raises(services.NotAuthor):
            services.sign_note(note, colleague)
        with pytest.raises(services.NotAuthor):
            services.delete_draft(note, colleague)


def test_the_service_refuses_to_sign_an_empty_draft(app, setting, build):
    note_id = build.note(setting.session_id, setting.couple_id, sections={"plan": " "})
    with app.test_request_context():
        note = db.session.get(SessionNote, note_id)
        with pytest.raises(services.EmptyNote):
            services.sign_note(note, db.session.get(User, note.author_id))
        assert note.status == "draft"
