"""The admin's audit log: every note read is there with who, what, when and where; filters,
pages, the CSV export; only the admin's own practice; nothing edits or deletes an event."""

import csv
import io
from datetime import UTC, datetime, timedelta

from tests.helpers import text_of
from tests.notes.builders import note_form, note_url
from tests.workshops.builders import field_error, user_id
from workshop.audit_log import queries
from workshop.extensions import db
from workshop.models import User, utcnow


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_a_counselor_reads_a_note_and_the_admin_finds_the_event(
    make_browser, admin, build, held_session, world
):
    note_id = build.note(held_session, world.couple_id, signed=True)
    counselor = make_browser()
    counselor.login(world.counselor)
    before = utcnow().replace(microsecond=0)
    counselor.get(f"/notes/{note_id}", environ_base={"REMOTE_ADDR": "198.51.100.23"})

    page = admin.get("/practice/audit?action=note.viewed")

    assert page.status_code == 200
    rows = text_of(page).split("<tr>")[2:]  # after the header row
    assert len(rows) == 1
    row = rows[0]
    [event] = build.events("note.viewed")
    assert event["at"] >= before
    with build.app.app_context():
        name = db.session.get(User, user_id(world.counselor)).name
    assert name in row
    assert "Read a session note" in row
    assert f"Session note #{note_id}" in row
    assert "Alex & Sam" in row
    assert "198.51.100.23" in row
    # the time in the <time> element, to the second (HTML allows 3 fraction digits at most)
    assert event["at"].isoformat(timespec="seconds") in row


def test_every_kind_of_note_action_reaches_the_log(make_browser, admin, build, held_session, world):
    counselor = make_browser()
    counselor.login(world.counselor)
    url = note_url(held_session, world.couple_id)
    counselor.post(url, note_form({"plan": "first"}))
    counselor.post(url, note_form({"plan": "second"}, version=1))
    signed = counselor.post(url, note_form({"plan": "third"}, version=2, sign=True))
    counselor.post(signed.headers["Location"] + "/addenda", {"text": "later"})
    counselor.post(
        f"/couples/{world.couple_id}/summary", {"summary": "s", "next_steps": "n", "version": "0"}
    )

    actions = {event["action"] for event in build.events()}

    assert {
        "note.created",
        "note.edited",
        "note.signed",
        "note.viewed",
        "note.addendum_added",
        "summary.edited",
    } <= actions
    page = text_of(admin.get("/practice/audit"))
    for label in (
        "Started a session note",
        "Edited a draft note",
        "Signed a session note",
        "Added an addendum to a note",
        "Edited a progress summary",
    ):
        assert label in page


def test_filters_by_user_couple_action_and_dates(admin, build, world):
    day = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    build.event(world.counselor, "note.viewed", at=day, couple_id=world.couple_id, ip="192.0.2.10")
    build.event(
        world.other_counselor,
        "note.viewed",
        at=day,
        couple_id=world.other_couple_id,
        ip="192.0.2.20",
    )
    build.event(
        world.counselor,
        "note.signed",
        at=day + timedelta(days=5),
        couple_id=world.couple_id,
        ip="192.0.2.30",
    )
    counselor_id = build.user_id(world.counselor)

    def shown(query: str) -> set[str]:
        page = text_of(admin.get("/practice/audit?" + query))
        return {ip for ip in ("192.0.2.10", "192.0.2.20", "192.0.2.30") if ip in page}

    assert shown("") == {"192.0.2.10", "192.0.2.20", "192.0.2.30"}
    assert shown(f"user={counselor_id}") == {"192.0.2.10", "192.0.2.30"}
    assert shown("couple=Riley") == {"192.0.2.20"}
    assert shown("action=note.signed") == {"192.0.2.30"}
    assert shown("date_from=2026-03-12") == {"192.0.2.30"}
    assert shown("date_to=2026-03-10") == {"192.0.2.10", "192.0.2.20"}
    assert shown(
        f"date_from=2026-03-01&date_to=2026-03-31&user={counselor_id}&action=note.viewed"
    ) == {"192.0.2.10"}


def test_dates_are_whole_days_on_the_admins_clock(admin, build, world):
    with build.database():
        db.session.get(User, user_id(world.admin)).timezone = "America/New_York"
    # 02:30 UTC on the 2nd is 21:30 on the 1st in New York.
    build.event(world.counselor, at=datetime(2026, 3, 2, 2, 30, tzinfo=UTC), ip="192.0.2.44")

    assert "192.0.2.44" in text_of(
        admin.get("/practice/audit?date_from=2026-03-01&date_to=2026-03-01")
    )
    assert "192.0.2.44" not in text_of(admin.get("/practice/audit?date_from=2026-03-02"))


def test_bad_dates_are_field_errors_not_500s(admin, build, world):
    build.event(world.counselor, ip="192.0.2.55")

    for query, field in (
        ("date_from=2026-13-45", "date_from"),
        ("date_to=yesterday", "date_to"),
        ("date_from=2026-03-05&date_to=2026-03-01", "date_to"),
    ):
        response = admin.get(f"/practice/audit?{query}")
        page = response.get_data(as_text=True)
        assert response.status_code == 200, query
        assert field_error(page, field), query
        assert "192.0.2.55" not in page  # no events until the filters are fixed


def test_choices_outside_the_practice_are_field_errors(admin, build, world):
    outsider = build.user_id(world.other_practice_counselor)
    response = admin.get(f"/practice/audit?user={outsider}&action=nope")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_error(page, "user") == "Choose a user from the list."
    assert field_error(page, "action") == "Choose an action from the list."


def test_only_the_admins_own_practice_is_shown(admin, make_browser, build, world):
    build.event(world.counselor, ip="192.0.2.61")
    build.event(world.other_practice_counselor, ip="192.0.2.62")
    other_admin = make_browser()
    other_admin.login(world.other_practice_admin)

    mine = text_of(admin.get("/practice/audit"))
    theirs = text_of(other_admin.get("/practice/audit"))

    assert "192.0.2.61" in mine
    assert "192.0.2.62" not in mine
    assert "192.0.2.62" in theirs
    assert "192.0.2.61" not in theirs
    exported = admin.get("/practice/audit.csv").get_data(as_text=True)
    assert "192.0.2.61" in exported
    assert "192.0.2.62" not in exported


def test_the_log_is_paginated_newest_first_and_keeps_its_filters(admin, build, world):
    start = utcnow() - timedelta(days=1)
    last = queries.PAGE_SIZE + 4  # five events on page 2
    for n in range(last + 1):
        build.event(
            world.counselor,
            at=start + timedelta(minutes=n),
            couple_id=world.couple_id,
            ip=f"10.0.0.{n}",
        )

    first = admin.get("/practice/audit?action=note.viewed&couple=sam").get_data(as_text=True)
    second = text_of(admin.get("/practice/audit?action=note.viewed&couple=sam&page=2"))

    assert first.index(f"10.0.0.{last}<") < first.index(f"10.0.0.{last - 1}<")  # newest first
    assert "10.0.0.5<" in first
    assert "10.0.0.4<" not in first
    assert "Page 1 of 2" in first
    assert "page=2" in first
    pager = first.split("Page 1 of 2")[1]
    assert "action=note.viewed" in pager
    assert "couple=sam" in pager
    assert "10.0.0.4<" in second
    assert "10.0.0.0<" in second


def test_the_csv_export_has_the_same_filters_and_is_recorded(admin, build, world):
    build.event(world.counselor, "note.viewed", couple_id=world.couple_id, ip="192.0.2.71")
    build.event(world.counselor, "note.signed", couple_id=world.couple_id, ip="192.0.2.72")

    build.event(world.counselor, "note.signed", couple_id=world.other_couple_id, ip="192.0.2.73")

    response = admin.get("/practice/audit.csv?action=note.signed&couple=alex")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0][:5] == ["When (UTC)", "User", "User email", "Role", "Action"]
    assert len(rows) == 2
    assert rows[1][5] == "note.signed"
    assert rows[1][-1] == "192.0.2.72"
    assert rows[1][7] == "Alex & Sam"
    assert [e["action"] for e in build.events("audit.exported")] == ["audit.exported"]


def test_the_csv_export_neutralises_spreadsheet_formulas(admin, build, world):
    with build.database():
        counselor = db.session.get(User, user_id(world.counselor))
        counselor.name = '=HYPERLINK("http://evil.example","click")'
        partner = db.session.get(User, world.partner_id)
        partner.name = "@SUM(1+1) Alex"
    build.event(world.counselor, couple_id=world.couple_id)

    [header, *rows] = csv_rows(admin.get("/practice/audit.csv"))
    [row] = [row for row in rows if row[5] == "note.viewed"]

    assert header[1] == "User"
    assert row[1] == '\'=HYPERLINK("http://evil.example","click")'
    assert row[7].startswith("'@SUM")
    for cell in row:
        assert not cell.startswith(("=", "+", "-", "@"))


def test_bad_filters_on_the_csv_lead_back_to_the_page_with_the_errors(admin):
    response = admin.get("/practice/audit.csv?date_from=31/02/2026")
    assert response.status_code == 302
    assert response.headers["Location"] == "/practice/audit?date_from=31/02/2026"


def test_no_route_edits_or_deletes_an_audit_event(app):
    audit_rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("audit.")]
    assert {rule.rule for rule in audit_rules} == {"/practice/audit", "/practice/audit.csv"}
    assert all(rule.methods <= {"GET", "HEAD", "OPTIONS"} for rule in audit_rules)
    for rule in app.url_map.iter_rules():  # nothing anywhere answers PUT or DELETE
        assert not rule.methods & {"PUT", "PATCH", "DELETE"}, rule.rule


def test_only_admins_open_the_audit_log(make_browser, world):
    for who in ("counselor", "partner"):
        browser = make_browser()
        browser.login(getattr(world, who))
        assert browser.get("/practice/audit").status_code == 403
        assert browser.get("/practice/audit.csv").status_code == 403


def test_the_admins_menu_has_the_audit_log(admin):
    assert 'href="/practice/audit"' in admin.get("/").get_data(as_text=True)


def test_a_long_log_is_counted_only_a_few_pages_ahead(admin, build, world, monkeypatch):
    """The pager does not count the whole log on every view: past the pages it counts, it
    says so, and the next page is still there."""
    monkeypatch.setattr(queries, "PAGES_COUNTED_AHEAD", 1)
    start = utcnow() - timedelta(days=1)
    for n in range(queries.PAGE_SIZE + 5):
        build.event(world.counselor, at=start + timedelta(minutes=n), ip=f"10.0.1.{n}")

    first = text_of(admin.get("/practice/audit"))
    second = text_of(admin.get("/practice/audit?page=2"))

    assert "Page 1 of 2 or more" in first
    assert "page=2" in first
    assert "Page 2 of 2" in second
    assert "10.0.1.0<" in second
    assert admin.get("/practice/audit?page=9").status_code == 200  # past the end: empty
