"""The couple's timeline read in one statement: the sessions' stage titles and the addenda
folded in, and each note's read recorded (by that same statement on PostgreSQL)."""

from tests.helpers import counting_queries, text_of
from tests.workshops.builders import in_days
from workshop.curriculum.stages import STAGES

TITLES = {stage["key"]: stage["title"] for stage in STAGES}


def _timeline(app, counselor, setting, page: int = 1):
    with counting_queries(app) as statements:
        response = counselor.get(f"/couples/{setting.couple_id}/notes?page={page}")
    return response, list(statements)


def test_a_merged_sessions_note_is_headed_by_its_stages_in_stage_order(
    app, counselor, setting, build
):
    # Given out of stage order: the heading follows the curriculum's order all the same.
    merged = build.session(setting.workshop_id, in_days(-1), stages=("trust", "pace"))
    build.note(merged, setting.couple_id, sections={"plan": "Merged session"})
    build.note(setting.session_id, setting.couple_id, sections={"plan": "One stage"})

    response, _ = _timeline(app, counselor, setting)

    page = text_of(response)
    assert f"{TITLES['pace']} + {TITLES['trust']}" in page
    assert page.count("Merged session") == 1  # one note, however many stages its session has
    assert page.index("Merged session") < page.index("One stage")


def test_addenda_are_shown_under_their_own_notes_oldest_first(app, counselor, setting, build):
    build.note(
        setting.session_id,
        setting.couple_id,
        sections={"plan": "First note"},
        addenda=("First addendum", "Second addendum"),
    )
    build.note(setting.later_session_id, setting.couple_id, sections={"plan": "Second note"})

    page = text_of(_timeline(app, counselor, setting)[0])

    assert page.index("Second note") < page.index("First note")
    assert page.index("First note") < page.index("First addendum") < page.index("Second addendum")
    assert page.count('<li class="addendum">') == 2


def test_the_addenda_take_a_statement_only_on_a_page_that_shows_some(
    app, counselor, setting, build
):
    build.note(setting.later_session_id, setting.couple_id, sections={"plan": "No addenda"})
    _, without = _timeline(app, counselor, setting)
    build.note(setting.session_id, setting.couple_id, addenda=("An addendum",))
    response, with_addenda = _timeline(app, counselor, setting)

    assert "An addendum" in text_of(response)
    assert len(with_addenda) == len(without) + 1
    assert not [s for s in without if "note_addendum.text" in s]


def test_a_page_beyond_the_last_is_a_404_and_records_no_read(app, counselor, setting, build):
    build.note(setting.session_id, setting.couple_id)

    response, _ = _timeline(app, counselor, setting, page=2)

    assert response.status_code == 404
    assert build.events("note.viewed") == []


def test_a_timeline_without_notes_records_no_read(app, counselor, setting, build):
    response, _ = _timeline(app, counselor, setting)

    assert response.status_code == 200
    assert "No notes on" in text_of(response)
    assert build.events("note.viewed") == []


def test_each_read_is_recorded_once_with_the_statement_that_reads_the_notes_where_it_can(
    app, counselor, setting, build, database_url
):
    sessions = (setting.session_id, setting.later_session_id)
    notes = [build.note(session_id, setting.couple_id) for session_id in sessions]

    _, statements = _timeline(app, counselor, setting)

    assert sorted(read["object_id"] for read in build.events("note.viewed")) == sorted(notes)
    inserts = [s for s in statements if "INSERT INTO audit_event" in s]
    assert len(inserts) == 1
    if database_url.startswith("postgresql"):  # an INSERT in the reading statement's WITH
        assert "FROM session_note" in inserts[0]
