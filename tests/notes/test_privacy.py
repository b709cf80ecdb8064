"""No partner ever sees a counselor's note: a unique marker planted in every section of a note,
in its addendum and in a draft must not appear on any page, feed or download a partner reaches.

Each partner (both of the couple the notes are about, and of another couple in the same group)
starts from their home page, follows every same-site link, and also opens every GET route of
ROUTE_ACCESS a partner may reach, and every note URL too (which must refuse them).
"""

from collections import deque
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from flask import url_for
from sqlalchemy import select

from tests.assignments.builders import STAND_ANSWERS
from tests.notes.builders import note_form, note_url
from tests.reporting.builders import pdf_text
from workshop.access import ROUTE_ACCESS
from workshop.extensions import db
from workshop.models import Couple, Role, User

MARKER = "qx-note-secret-5521"
ADDENDUM_MARKER = "qx-addendum-secret-8830"
DRAFT_MARKER = "qx-draft-secret-1147"
MARKERS = (MARKER, ADDENDUM_MARKER, DRAFT_MARKER)
CRAWL_LIMIT = 400


def links_of(page: str, base: str) -> list[str]:
    """Same-site addresses in href and src attributes (absolute ones to our host included)."""
    import re

    found = []
    for raw in re.findall(r'(?:href|src|action)="([^"]+)"', page):
        target = urlsplit(urljoin("http://localhost" + base, unescape(raw)))
        if target.scheme in ("http", "https", "webcal") and target.hostname in (
            "localhost",
            "127.0.0.1",
        ):
            found.append(target.path + (f"?{target.query}" if target.query else ""))
    return found


def partner_routes(app, values: dict) -> list[str]:
    """Every GET route a partner may reach (or a public one), filled with `values`."""
    urls = []
    with app.test_request_context():
        for url_rule in app.url_map.iter_rules():
            rule = ROUTE_ACCESS[url_rule.endpoint]
            if "GET" not in url_rule.methods or url_rule.endpoint == "static":
                continue
            if not (rule.is_public or Role.PARTNER in rule.roles):
                continue
            missing = set(url_rule.arguments) - set(values)
            assert not missing, f"the crawl cannot fill {missing} of {url_rule.endpoint}"
            urls.append(url_for(url_rule.endpoint, **{a: values[a] for a in url_rule.arguments}))
    return urls


def crawl(browser, start: list[str]) -> dict[str, str]:
    """GET every page reachable from `start` by same-site links; their bodies by URL."""
    seen, queue, bodies = set(), deque(start), {}
    while queue and len(seen) < CRAWL_LIMIT:
        url = queue.popleft()
        if url in seen or url.startswith("/logout"):
            continue
        seen.add(url)
        response = browser.get(url)
        if response.content_type == "application/pdf":
            body = pdf_text(response.data)  # a released report: read its text, not its bytes
        else:
            body = response.get_data(as_text=True)
        response.close()
        bodies[url] = body
        if response.status_code in (301, 302, 303):
            queue.append(urlsplit(response.headers["Location"]).path)
        if "html" in (response.content_type or ""):
            queue.extend(links_of(body, url))
    return bodies


@pytest.fixture
def notes_written(app, counselor, setting, build, world, outbox):
    """Through the pages: a signed note with the marker in every section and an addendum, a
    colleague's draft with another marker, and a progress summary; homework given and answered
    so the partners' pages have something to show. URL values for the crawl."""
    other_couple = build.couple(names=("Robin", "Casey"))
    with build.database():
        from workshop.models import Enrollment

        db.session.add(Enrollment(workshop_id=setting.workshop_id, couple_id=other_couple))
    build.library()
    assignments = build.give(setting.workshop_id, [setting.couple_id, other_couple])
    build.answer(assignments[0], setting.partner_ids[0], STAND_ANSWERS)
    build.attend(setting.session_id, setting.partner_ids[0])

    url = note_url(setting.session_id, setting.couple_id)
    everywhere = {
        key: f"{key}: {MARKER}" for key in ("subjective", "objective", "assessment", "plan")
    }
    signed = counselor.post(url, note_form(everywhere, sign=True))
    note_path = signed.headers["Location"]
    counselor.post(note_path + "/addenda", {"text": ADDENDUM_MARKER})
    build.note(
        setting.later_session_id,
        setting.couple_id,
        author=setting.co_counselor,
        fmt="free",
        sections={"text": DRAFT_MARKER},
    )
    counselor.post(
        f"/couples/{setting.couple_id}/summary",
        {"summary": "Doing well.", "next_steps": "Keep going.", "version": "0"},
    )
    with app.app_context():
        tokens = dict(db.session.execute(select(Couple.id, Couple.calendar_token)).all())
        report_id = released_report(setting, world)
    return {
        "other_couple": other_couple,
        "note_path": note_path,
        "values": {
            "session_id": setting.session_id,
            "assignment_id": assignments[0],
            "couple_token": tokens.get(setting.couple_id) or "none",
            "counselor_token": "none",
            "token": "none",
            "report_id": report_id,
        },
    }


def released_report(setting, world) -> int:
    """The couple's progress report, generated (counselor asked for notes: ignored in the
    couple edition) and released to them. Call inside an app context."""
    from workshop.models import Workshop
    from workshop.reporting import services as reporting

    workshop = db.session.get(Workshop, setting.workshop_id)
    couple = db.session.get(Couple, setting.couple_id)
    counselor = db.session.scalar(select(User).where(User.email == world.counselor))
    report = reporting.generate_couple_report(workshop, couple, counselor, include_notes=True)
    reporting.release_report(report, counselor)
    db.session.commit()
    return report.id


def partner_emails(app, couple_ids) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(User.email).where(User.couple_id.in_(couple_ids)).order_by(User.id)
            )
        )


def test_no_page_a_partner_reaches_ever_shows_a_note(
    app, make_browser, setting, world, notes_written, outbox
):
    note_path = notes_written["note_path"]
    note_id = int(note_path.rsplit("/", 1)[1])
    couples = [setting.couple_id, notes_written["other_couple"]]
    emails = partner_emails(app, couples) + [world.other_couple_partner]
    assert len(emails) == 5
    note_urls = [
        note_path,
        f"/couples/{setting.couple_id}/notes",
        f"/couples/{setting.couple_id}/summary",
        note_url(setting.session_id, setting.couple_id),
        f"/notes/search?q={MARKER}",
        "/practice/audit",
        "/practice/audit.csv",
        f"/notes/{note_id + 1}",
    ]
    for email in emails:
        browser = make_browser()
        browser.login(email)
        browser.get("/calendar")  # the first visit makes the couple's feed address
        values = dict(notes_written["values"])
        with app.app_context():
            values["couple_token"] = db.session.scalar(
                select(Couple.calendar_token)
                .join(User, User.couple_id == Couple.id)
                .where(User.email == email)
            )
        pages = crawl(browser, ["/", *partner_routes(app, values), *note_urls])
        assert len(pages) > 8, f"{email} reached too little for a meaningful crawl"
        assert "/homework" in pages
        leaks = [(url, m) for url, body in pages.items() for m in MARKERS if m in body]
        assert leaks == [], f"{email}: {leaks}"
        for url in note_urls:
            assert browser.get(url).status_code in (403, 404), (email, url)
    # Nor does any email the app sent while all this happened.
    assert not [m for m in outbox for marker in MARKERS if marker in str(m.message())]


def test_the_counselor_does_see_the_marker_so_the_crawl_would_catch_a_leak(
    counselor, setting, notes_written
):
    page = counselor.get(notes_written["note_path"]).get_data(as_text=True)
    assert MARKER in page
    assert ADDENDUM_MARKER in page
