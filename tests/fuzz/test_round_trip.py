"""What a person writes is what the app keeps: odd but valid text, stored and read back exactly.

For the forms where people write free text, each example fills one text field with text a
person could send (right-to-left marks, emoji, markup, control characters, up to the field's
limit), keeps the page's other values, and checks the saved row holds exactly that text (minus
surrounding whitespace, which every form strips) and that the page shows it. NUL is the one
character refused, with a message on the field, on SQLite as on PostgreSQL.
"""

from dataclasses import dataclass
from itertools import count

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from tests.fuzz.strategies import EMOJI, FUZZ, NUL, RIGHT_TO_LEFT, RIGHT_TO_LEFT_MARK, ZERO_WIDTH
from tests.fuzz.test_every_form import actor_for, logged_in, page_values, url_for_route
from tests.helpers import text_of
from tests.test_access import objects  # noqa: F401 - a fixture
from workshop.extensions import db
from workshop.forms import UNSTORABLE_TEXT_MESSAGE
from workshop.models import Exercise, ProgressSummary, SessionNote, Submission, User, Workshop


def storable_text(max_size: int):
    """Text a browser can send and the database can keep: anything but NUL, not blank."""
    tricky = st.sampled_from(
        [
            f"{RIGHT_TO_LEFT}gpj.exe",
            f"{RIGHT_TO_LEFT_MARK}שלום עליכם{RIGHT_TO_LEFT_MARK}",
            f"a{ZERO_WIDTH}b",
            EMOJI,
            "<script>alert(1)</script> &amp; {{ 7 * 7 }}",
            "line one\r\nline two\n\ttabbed",
            "\x1b[31m\x07bell",
            "\U0010ffff",
        ]
    )
    anything = st.text(st.characters(codec="utf-8", exclude_characters=NUL), max_size=max_size)
    long = st.just("long " * (max_size // 5))
    return st.one_of(tricky, anything, long).filter(lambda text: text.strip())


@dataclass(frozen=True)
class TextForm:
    """A form with a free-text field, and how to read the saved text back."""

    endpoint: str
    field: str
    max_length: int
    stored: callable  # (the walked objects) -> the text in the latest saved row
    page: callable = None  # () -> the page showing it; None: where the form's redirect leads


def _latest(model, column, *where):
    return db.session.scalars(select(column).where(*where).order_by(model.id.desc())).first()


def _first_partner_name(walked):
    """The first partner of the couple just added (their email is the page's first_email)."""
    return _latest(User, User.name, User.email.like("first_email.%"))


def _note_section(walked):
    note = db.session.scalars(
        select(SessionNote).where(SessionNote.session_id == walked["session_id"])
    ).first()
    return note.sections.get("subjective") if note else None


TEXT_FORMS = [
    TextForm("couples.add_couple", "first_name", 120, _first_partner_name),
    TextForm("workshops.new_workshop", "title", 120, lambda o: _latest(Workshop, Workshop.title)),
    TextForm(
        "workshops.new_workshop",
        "description",
        5000,
        lambda o: _latest(Workshop, Workshop.description),
        page=lambda: f"/workshops/{_latest(Workshop, Workshop.id)}",
    ),
    TextForm("exercises.new_exercise", "title", 120, lambda o: _latest(Exercise, Exercise.title)),
    TextForm(
        "exercises.new_exercise",
        "instructions",
        2000,
        lambda o: _latest(Exercise, Exercise.instructions),
    ),
    TextForm("practice.invite_counselor", "name", 120, lambda o: _latest(User, User.name)),
    TextForm("notes.write_note", "s_subjective", 5000, _note_section),
    TextForm(
        "assignments.review_submission",
        "feedback",
        2000,
        lambda o: _latest(Submission, Submission.feedback, Submission.id == o["submission_id"]),
    ),
    TextForm(
        "notes.edit_summary",
        "summary",
        2000,
        lambda o: _latest(ProgressSummary, ProgressSummary.summary),
    ),
]


@pytest.mark.parametrize("form", TEXT_FORMS, ids=lambda form: f"{form.endpoint}.{form.field}")
def test_valid_text_is_stored_and_shown_exactly_as_sent(app, world, objects, form):  # noqa: F811
    actor = actor_for(form.endpoint)
    browser, token = logged_in(app, world, actor)
    url = url_for_route(app, form.endpoint, objects)
    serial = count(1)

    @FUZZ
    @given(text=storable_text(form.max_length))
    def round_trip(text):
        values = page_values(app, browser, form.endpoint, url)
        values = {key: value.replace("{n}", str(next(serial))) for key, value in values.items()}
        response = browser.client.post(url, data={**values, form.field: text, "csrf_token": token})
        assert response.status_code == 302, f"{form.field}={text!r} refused: {_errors(response)}"
        with app.app_context():
            assert form.stored(objects) == text.strip()
            page = form.page() if form.page else response.headers["Location"]
        shown = text_of(browser.get(page, follow_redirects=True))
        assert text.strip() in shown

    round_trip()


@pytest.mark.parametrize("form", TEXT_FORMS, ids=lambda form: f"{form.endpoint}.{form.field}")
def test_a_nul_character_is_refused_on_the_field_and_the_text_kept(app, world, objects, form):  # noqa: F811
    actor = actor_for(form.endpoint)
    browser, token = logged_in(app, world, actor)
    url = url_for_route(app, form.endpoint, objects)
    values = page_values(app, browser, form.endpoint, url)
    values = {key: value.replace("{n}", "nul") for key, value in values.items()}
    typed = f"Pasted{NUL}from a PDF"
    response = browser.client.post(url, data={**values, form.field: typed, "csrf_token": token})
    assert response.status_code == 200
    page = text_of(response)
    assert UNSTORABLE_TEXT_MESSAGE in page
    assert "from a PDF" in page  # what was typed is still in the form
    with app.app_context():
        assert form.stored(objects) != typed.strip()


def _errors(response) -> str:
    import re

    page = text_of(response)
    return "; ".join(re.findall(r'class="field__error"[^>]*>([^<]+)<', page)) or page[:300]


@pytest.fixture
def open_homework(app, world) -> int:
    """An open assignment of the world's couple, not yet answered: its id."""
    from tests.assignments.builders import HomeworkBuilder

    build = HomeworkBuilder(app, world)
    workshop = build.workshop(couples=(world.couple_id,), sessions=1)
    build.library()
    [assignment_id] = build.give(workshop.id, [world.couple_id])
    return assignment_id


def test_a_private_answer_is_kept_exactly_through_the_autosave(app, world, open_homework):
    """Homework answers are encrypted at rest and saved by script: the same promise holds.
    (Answers keep their line breaks as \\n: a browser's \\r\\n is normalised on the way in.)"""
    browser, token = logged_in(app, world, "partner")
    url = f"/homework/{open_homework}"
    version = [0]

    @FUZZ
    @given(text=storable_text(2000))
    def round_trip(text):
        body = {"version": version[0], "answers": {"hope": text}}
        response = browser.client.post(f"{url}/draft", json=body, headers={"X-CSRFToken": token})
        assert response.status_code == 200, response.get_json()
        version[0] = response.get_json()["version"]
        expected = text.replace("\r\n", "\n").strip()
        with app.app_context():
            assert _latest(Submission, Submission.answers)["hope"] == expected
        assert expected in text_of(browser.get(url))

    round_trip()


def test_a_nul_in_an_autosaved_answer_is_refused_with_a_message(app, world, open_homework):
    browser, token = logged_in(app, world, "partner")
    body = {"version": 0, "answers": {"hope": f"Pasted{NUL}text"}}
    response = browser.client.post(
        f"/homework/{open_homework}/draft", json=body, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"hope": UNSTORABLE_TEXT_MESSAGE}
    with app.app_context():
        assert _latest(Submission, Submission.id) is None
