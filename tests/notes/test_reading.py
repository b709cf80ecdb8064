"""Who reads notes (the workshop's counselors only), the couple's timeline, and search."""

import pytest

from tests.helpers import counting_queries, text_of
from tests.notes.builders import SOAP_TEXT, note_form, note_url
from tests.workshops.builders import in_days
from workshop.curriculum.stages import STAGES
from workshop.extensions import db
from workshop.models import Couple

MARKER = "Kestrel-7 private remark"


def note_urls(setting, note_id: int) -> list[tuple[str, str]]:
    """Every URL that shows or changes a note, with its method."""
    write = note_url(setting.session_id, setting.couple_id)
    return [
        ("GET", f"/notes/{note_id}"),
        ("POST", f"/notes/{note_id}/addenda"),
        ("POST", f"/notes/{note_id}/delete"),
        ("GET", write),
        ("POST", write),
        ("POST", note_url(setting.session_id, setting.couple_id, "/autosave")),
        ("GET", f"/couples/{setting.couple_id}/notes"),
        ("GET", f"/notes/search?q={MARKER.split()[0]}"),
    ]


@pytest.mark.parametrize(
    "who",
    [
        "other_counselor",
        "other_practice_counselor",
        "admin",
        "other_practice_admin",
        "partner",
        "other_partner_same_couple",
        "other_couple_partner",
    ],
)
def test_nobody_outside_the_workshops_counselors_reaches_a_note(who, login, setting, build, world):
    signed = build.note(
        setting.session_id,
        setting.couple_id,
        signed=True,
        sections={**SOAP_TEXT, "plan": MARKER},
        addenda=(MARKER,),
    )
    draft = build.note(
        setting.session_id,
        setting.couple_id,
        author=setting.co_counselor,
        sections={"subjective": MARKER},
    )
    browser = login(getattr(world, who))
    for note_id in (signed, draft):
        for method, url in note_urls(setting, note_id):
            if method == "GET":
                response = browser.get(url)
            else:
                data = {"text": "x", **note_form({"plan": "intruder"}, version=1)}
                response = browser.post(url, data, token_from="/")
            if url.startswith("/notes/search"):  # counselors search only their own notes
                assert MARKER not in text_of(response)
                continue
            assert response.status_code in (403, 404), (who, method, url)
            assert MARKER not in text_of(response)
    assert build.note_row(signed)["sections"]["plan"] == MARKER
    assert len(build.addenda_of(signed)) == 1
    assert len(build.notes_of(setting.couple_id)) == 2


def test_a_co_counselor_reads_signed_notes_and_the_timeline(login, setting, build):
    note_id = build.note(setting.session_id, setting.couple_id, signed=True)
    colleague = login(setting.co_counselor)

    note_page = colleague.get(f"/notes/{note_id}")
    timeline = colleague.get(f"/couples/{setting.couple_id}/notes")

    assert SOAP_TEXT["plan"] in text_of(note_page)
    assert SOAP_TEXT["plan"] in text_of(timeline)


def test_reading_a_note_is_recorded_with_who_what_and_from_where(login, setting, build, world):
    note_id = build.note(setting.session_id, setting.couple_id, signed=True)
    colleague = login(setting.co_counselor)

    colleague.get(f"/notes/{note_id}", environ_base={"REMOTE_ADDR": "203.0.113.9"})

    [event] = build.events("note.viewed")
    assert event["object_type"] == "session_note"
    assert event["object_id"] == note_id
    assert event["couple_id"] == setting.couple_id
    assert event["ip_address"] == "203.0.113.9"
    assert event["practice_id"] == world.practice_id


def test_the_timeline_shows_the_couples_notes_latest_session_first(counselor, setting, build):
    build.note(
        setting.session_id,
        setting.couple_id,
        sections={"plan": "Earlier session"},
        signed=True,
        addenda=("Added later",),
    )
    build.note(setting.later_session_id, setting.couple_id, sections={"plan": "Later session"})

    page = text_of(counselor.get(f"/couples/{setting.couple_id}/notes"))

    assert page.index("Later session") < page.index("Earlier session")
    # Each note is headed by its session (its stages) and workshop.
    assert page.index("Don't rush") < page.index("Rebuilding trust")
    assert "Autumn group" in page
    assert "Added later" in page
    assert "Signed" in page
    assert "Draft" in page
    reads = build.events("note.viewed")
    assert len(reads) == 2  # each note shown is a read, with its time and address
    assert all(read["at"] and read["ip_address"] == "127.0.0.1" for read in reads)


def test_the_timeline_leaves_out_notes_of_workshops_the_counselor_does_not_lead(
    counselor, setting, build, world
):
    # The couple is also in a program of another counselor, who writes a note there.
    other = build.workshop(
        lead=world.other_counselor, couples=(world.couple_id,), title="Other program"
    )
    elsewhere = build.session(other.id, in_days(-1))
    build.note(
        elsewhere, setting.couple_id, author=world.other_counselor, sections={"plan": MARKER}
    )
    build.note(setting.session_id, setting.couple_id)

    page = text_of(counselor.get(f"/couples/{setting.couple_id}/notes"))

    assert SOAP_TEXT["plan"] in page
    assert MARKER not in page


def test_the_timeline_is_paginated(counselor, setting, build):
    sessions = [build.session(setting.workshop_id, in_days(-30 + n)) for n in range(12)]
    for number, session_id in enumerate(sessions):
        build.note(session_id, setting.couple_id, sections={"plan": f"Plan number {number:02}"})

    first = text_of(counselor.get(f"/couples/{setting.couple_id}/notes"))
    second = text_of(counselor.get(f"/couples/{setting.couple_id}/notes?page=2"))
    beyond = counselor.get(f"/couples/{setting.couple_id}/notes?page=3")

    assert "Plan number 11" in first
    assert "Plan number 02" in first
    assert "Plan number 01" not in first
    assert "Plan number 01" in second
    assert "Plan number 00" in second
    assert "Page 2 of 2" in second
    assert beyond.status_code == 404


def test_a_timeline_page_records_a_read_of_each_note_it_shows_and_no_other(
    counselor, setting, build, world
):
    sessions = [build.session(setting.workshop_id, in_days(-30 + n)) for n in range(12)]
    note_ids = [build.note(session_id, setting.couple_id) for session_id in sessions]

    counselor.get(
        f"/couples/{setting.couple_id}/notes?page=2", environ_base={"REMOTE_ADDR": "203.0.113.7"}
    )

    reads = build.events("note.viewed")
    # The second page holds the two earliest sessions' notes.
    assert sorted(read["object_id"] for read in reads) == sorted(note_ids[:2])
    for read in reads:
        assert read["object_type"] == "session_note"
        assert read["couple_id"] == setting.couple_id
        assert read["actor_id"] == build.user_id(world.counselor)
        assert read["practice_id"] == world.practice_id
        assert read["ip_address"] == "203.0.113.7"
        assert read["at"] == reads[0]["at"]


def _notes(build, setting, count: int, word: str = "calmer") -> None:
    for n in range(count):
        session_id = build.session(setting.workshop_id, in_days(-40 + n))
        build.note(
            session_id,
            setting.couple_id,
            signed=n % 2 == 0,
            sections={"plan": f"Week {n}: {word} evenings"},
            addenda=(f"Addendum {n}",) if n % 3 == 0 else (),
        )


def _statements(app, browser, url: str) -> list[str]:
    with counting_queries(app) as statements:
        response = browser.get(url)
        assert response.status_code == 200
    return list(statements)


def test_the_timeline_takes_the_same_number_of_queries_for_2_or_9_notes(
    app, counselor, setting, build
):
    url = f"/couples/{setting.couple_id}/notes"
    _notes(build, setting, 2)
    few = _statements(app, counselor, url)
    _notes(build, setting, 7)
    many = _statements(app, counselor, url)

    assert len(few) == len(many)


def test_search_takes_the_same_number_of_queries_and_never_matches_text_in_sql(
    app, counselor, setting, build
):
    url = "/notes/search?q=calmer"
    _notes(build, setting, 2)
    few = _statements(app, counselor, url)
    _notes(build, setting, 7)
    many = _statements(app, counselor, url)

    assert len(few) == len(many)
    assert not [s for s in many if "LIKE" in s.upper() or "calmer" in s]


def test_search_finds_the_counselors_own_notes_by_all_their_words_in_any_case(
    counselor, setting, build
):
    build.note(
        setting.session_id,
        setting.couple_id,
        sections={"assessment": "Sam spoke about the SILENT treatment at home."},
    )
    build.note(
        setting.later_session_id,
        setting.couple_id,
        sections={"assessment": "Silent walks went well."},
    )
    build.note(
        setting.session_id,
        setting.couple_id,
        author=setting.co_counselor,
        sections={"assessment": "Colleague: silent treatment again."},
    )

    page = counselor.get("/notes/search?q=silent+Treatment").get_data(as_text=True)

    assert "1 note with" in text_of(counselor.get("/notes/search?q=silent+Treatment"))
    assert "<mark>SILENT</mark>" in page
    assert "<mark>treatment</mark>" in page
    assert "Silent walks" not in page  # not every word
    assert "Colleague:" not in page  # only the counselor's own notes


def test_a_search_result_names_its_couple_session_workshop_date_and_state(
    counselor, setting, build
):
    titles = {stage["key"]: stage["title"] for stage in STAGES}
    merged = build.session(setting.workshop_id, in_days(-1), stages=("trust", "pace"))
    signed = build.note(merged, setting.couple_id, sections={"plan": "Lighthouse"}, signed=True)
    draft = build.note(setting.session_id, setting.couple_id, sections={"plan": "Lighthouse"})
    with build.database():
        couple_name = db.session.get(Couple, setting.couple_id).name

    page = text_of(counselor.get("/notes/search?q=lighthouse"))

    assert "2 notes with" in page
    newer, older = page.split('<li class="card">')[1:3]  # latest session first
    assert f'href="/notes/{signed}">{couple_name}: {titles["pace"]} + {titles["trust"]}<' in newer
    assert "Autumn group · Signed" in newer
    assert f'href="/notes/{draft}">{couple_name}: {titles["trust"]}<' in older
    assert "Autumn group · Draft" in older
    assert in_days(-1).strftime("%d %b %Y") in newer


def test_search_finds_notes_by_their_couple_and_session_too(counselor, setting, build):
    """Each note's text holds its couple's name and session's title, as its results show."""
    titles = {stage["key"]: stage["title"] for stage in STAGES}
    build.note(setting.session_id, setting.couple_id, sections={"plan": "Calm week"})
    build.note(setting.later_session_id, setting.couple_id, sections={"plan": "Calm again"})
    with build.database():
        first_name = db.session.get(Couple, setting.couple_id).partners[0].first_name

    assert "2 notes with" in text_of(counselor.get(f"/notes/search?q=calm+{first_name}"))
    by_stage = text_of(counselor.get(f"/notes/search?q=calm+{titles['pace'].split()[-1]}"))
    assert "1 note with" in by_stage
    assert "<mark>Calm</mark> again" in by_stage


def test_search_matches_addenda_and_records_the_search_without_its_words(counselor, setting, build):
    build.note(
        setting.session_id,
        setting.couple_id,
        signed=True,
        addenda=("Correction: the quarrel was on Tuesday.",),
    )

    page = text_of(counselor.get("/notes/search?q=quarrel"))

    assert "1 note with" in page
    [event] = build.events("note.searched")
    assert event["object_id"] is None
    assert "quarrel" not in str(event)


def test_search_results_are_paginated(counselor, setting, build):
    sessions = [build.session(setting.workshop_id, in_days(-60 + n)) for n in range(21)]
    for number, session_id in enumerate(sessions):
        build.note(session_id, setting.couple_id, sections={"plan": f"harbor walk {number}"})

    first = text_of(counselor.get("/notes/search?q=harbor"))
    second = text_of(counselor.get("/notes/search?q=harbor&page=2"))

    assert "21 notes with" in first
    assert "Page 1 of 2" in first
    assert first.count("<mark>harbor</mark> walk") == 20
    assert second.count("<mark>harbor</mark> walk") == 1
    assert counselor.get("/notes/search?q=harbor&page=3").status_code == 404


def test_the_notes_page_without_words_lists_the_counselors_drafts(counselor, setting, build):
    build.note(setting.session_id, setting.couple_id)
    build.note(setting.later_session_id, setting.couple_id, signed=True)

    page = counselor.get("/notes/search")

    assert "Drafts to finish and sign" in text_of(page)
    assert note_url(setting.session_id, setting.couple_id) in page.get_data(as_text=True)
    assert note_url(setting.later_session_id, setting.couple_id) not in page.get_data(as_text=True)


def test_note_pages_are_never_cached(counselor, setting, build):
    note_id = build.note(setting.session_id, setting.couple_id)
    for url in (
        f"/notes/{note_id}",
        f"/couples/{setting.couple_id}/notes",
        note_url(setting.session_id, setting.couple_id),
    ):
        assert counselor.get(url).headers["Cache-Control"] == "no-store"


def test_counselors_menu_has_notes(counselor):
    assert 'href="/notes/search"' in counselor.get("/").get_data(as_text=True)


def test_the_drafts_to_finish_are_listed_twenty_at_a_time_oldest_session_first(
    counselor, setting, build
):
    sessions = [build.session(setting.workshop_id, in_days(-60 + n)) for n in range(21)]
    for session_id in sessions:
        build.note(session_id, setting.couple_id)

    first = counselor.get("/notes/search")
    second = counselor.get("/notes/search?page=2").get_data(as_text=True)
    past_end = counselor.get("/notes/search?page=3")

    listed = [note_url(session_id, setting.couple_id) for session_id in sessions]
    assert [url for url in listed if url in first.get_data(as_text=True)] == listed[:20]
    assert [url for url in listed if url in second] == listed[20:]
    assert "Drafts to finish and sign (21)" in text_of(first)
    assert "Page 1 of 2" in text_of(first)
    assert past_end.status_code == 200
    assert "Back to the first drafts" in past_end.get_data(as_text=True)


@pytest.mark.parametrize("asked", ["0", "-3", "abc", "99999999999"])
def test_a_bad_page_number_of_drafts_is_the_first_page_or_an_empty_one(
    counselor, setting, build, asked
):
    build.note(setting.session_id, setting.couple_id)

    response = counselor.get(f"/notes/search?page={asked}")

    assert response.status_code == 200
    listed = note_url(setting.session_id, setting.couple_id) in response.get_data(as_text=True)
    assert listed == (asked != "99999999999")
