"""Encryption at rest: note text, addenda and homework answers (private answers, safety
check-ins) are stored as Fernet tokens. Markers written through the app, as a counselor and as
a partner, must appear nowhere in the database's raw bytes (SQLite) or rows as text
(PostgreSQL), while the right people still read them in the app."""

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests.assignments.builders import SAFE_CHECK_IN, SAFETY_CHECK_IN
from tests.helpers import text_of
from tests.homework.pages import answers_form, page_url
from tests.notes.builders import NotesBuilder, note_form, note_url
from tests.workshops.builders import in_days
from workshop.extensions import db

NOTE_MARKER = "zqnotemarker5521"
ADDENDUM_MARKER = "zqaddendummarker7310"
PRIVATE_MARKER = "zqprivatemarker2290"
SAFETY_MARKER = "zqsafetymarker8846"
SECRET_MARKERS = (NOTE_MARKER, ADDENDUM_MARKER, PRIVATE_MARKER, SAFETY_MARKER)
# Not encrypted on purpose (a workshop's title): proves the raw search would find a marker.
VISIBLE_MARKER = "zqvisibletitle4067"
TRUST = "trust-understanding-causes"  # individual and private


@pytest.fixture
def written(app, world, make_browser):
    """A signed note with an addendum (counselor), a private answer and a safety check-in
    (partner), all sent through the pages. Returns the ids the checks need."""
    build = NotesBuilder(app, world)
    build.library()
    workshop = build.workshop(couples=(world.couple_id,), title=f"Group {VISIBLE_MARKER}")
    session_id = build.session(workshop.id, in_days(-2))
    [trust] = build.give(workshop.id, [world.couple_id], TRUST)
    [check_in] = build.give(workshop.id, [world.couple_id], SAFETY_CHECK_IN)

    counselor = make_browser()
    counselor.login(world.counselor)
    url = note_url(session_id, world.couple_id)
    sections = {"subjective": f"They said {NOTE_MARKER}.", "plan": "Next week."}
    signed = counselor.post(url, note_form(sections, sign=True))
    assert signed.status_code == 302
    note_path = signed.headers["Location"]
    added = counselor.post(f"{note_path}/addenda", {"text": f"Also {ADDENDUM_MARKER}."})
    assert added.status_code == 302

    partner = make_browser()
    partner.login(world.partner)
    trust_answers = {"factors": (PRIVATE_MARKER,), "my_part": PRIVATE_MARKER, "trust_now": "4"}
    assert (
        partner.post(page_url(trust), answers_form(trust_answers, submit=True)).status_code == 302
    )
    check_in_answers = {**SAFE_CHECK_IN, "private_note": SAFETY_MARKER}
    sent = partner.post(page_url(check_in), answers_form(check_in_answers, submit=True))
    assert sent.status_code == 302
    return {
        "note_path": note_path,
        "trust": trust,
        "check_in": check_in,
        "c": counselor,
        "p": partner,
    }


def raw_database_text(app, database_url: str) -> str:
    """Everything the database holds, as an attacker with a copy of it would read it."""
    if make_url(database_url).get_backend_name() == "sqlite":
        with app.app_context():
            db.engine.dispose()  # nothing held in a connection: all is in the files
        path = Path(make_url(database_url).database)
        files = [path, *(path.with_name(path.name + s) for s in ("-wal", "-journal"))]
        raw = b"".join(f.read_bytes() for f in files if f.exists())
        return raw.decode("latin-1")
    with app.app_context(), db.engine.connect() as connection:
        rows = []
        for table in db.metadata.sorted_tables:
            query = text(f'SELECT t::text FROM "{table.name}" t')  # noqa: S608 - our tables
            rows += connection.execute(query).scalars()
        return "\n".join(rows)


def test_private_text_written_through_the_app_is_nowhere_in_the_database(
    app, database_url, written
):
    stored = raw_database_text(app, database_url)

    assert VISIBLE_MARKER in stored  # the search does see what is stored in the clear
    for marker in SECRET_MARKERS:
        assert marker not in stored, f"{marker} is stored in the clear"


def test_the_counselor_still_reads_the_note_the_addendum_and_the_answers(app, written):
    counselor = written["c"]
    note_page = text_of(counselor.get(written["note_path"]))
    assert NOTE_MARKER in note_page
    assert ADDENDUM_MARKER in note_page
    assert PRIVATE_MARKER in text_of(counselor.get(f"/assignments/{written['trust']}"))
    assert SAFETY_MARKER in text_of(counselor.get(f"/assignments/{written['check_in']}"))


def test_searching_notes_still_finds_encrypted_text(written):
    results = text_of(written["c"].get(f"/notes/search?q={NOTE_MARKER}"))
    assert "They said" in results
    assert text_of(written["c"].get(f"/notes/search?q={ADDENDUM_MARKER}")).count(ADDENDUM_MARKER)


def test_the_partner_reads_their_own_answers_and_their_partner_does_not(
    written, make_browser, world
):
    partner = written["p"]
    assert PRIVATE_MARKER in text_of(partner.get(page_url(written["trust"])))
    assert SAFETY_MARKER in text_of(partner.get(page_url(written["check_in"])))
    other = make_browser()
    other.login(world.other_partner_same_couple)
    for assignment in (written["trust"], written["check_in"]):
        assert PRIVATE_MARKER not in text_of(other.get(page_url(assignment)))
        assert SAFETY_MARKER not in text_of(other.get(page_url(assignment)))
