"""Sending answer forms and the autosave, and reading the homework pages, as a browser would."""

import re
from html import unescape

from tests.assignments.builders import HomeworkBuilder
from tests.workshops.builders import user_id
from workshop.extensions import db
from workshop.models import Exercise, Submission, User

ALL_KINDS = "test-all-kinds"  # key of the custom exercise below
ALL_KINDS_FIELDS = [
    {"key": "short", "type": "short_text", "label": "A word for this week", "max_length": 40},
    {"key": "long", "type": "long_text", "label": "Tell us more", "max_length": 50_000},
    {
        "key": "scale",
        "type": "scale",
        "label": "How calm?",
        "min": 1,
        "max": 5,
        "min_label": "Not calm",
        "max_label": "Very calm",
    },
    {
        "key": "choice",
        "type": "single_choice",
        "label": "Tea or coffee?",
        "options": ["Tea", "Coffee"],
    },
    {
        "key": "many",
        "type": "multi_choice",
        "label": "What did we do?",
        "options": ["Walk", "Cook", "Read"],
    },
    {"key": "yes", "type": "yes_no", "label": "Did we talk?"},
    {"key": "day", "type": "date", "label": "Which day?"},
    {"key": "items", "type": "list", "label": "Three good moments", "items": 3},
]


def all_kinds_exercise(hw: HomeworkBuilder, counselor: str, **columns) -> int:
    """A counselor's exercise with one question of every kind, none required."""
    with hw.database():
        author = db.session.get(User, user_id(counselor))
        exercise = Exercise(
            key=ALL_KINDS,
            practice_id=author.practice_id,
            owner_id=author.id,
            stage_id=1,
            title="Every kind of question",
            instructions="Answer what you like.",
            mode="individual",
            visibility="private",
            fields=ALL_KINDS_FIELDS,
            **columns,
        )
        db.session.add(exercise)
        db.session.flush()
        return exercise.id


def answers_form(answers: dict, version: int | str = 0, submit: bool = False) -> dict:
    """Form data for the answer page. A tuple is a list question's items ("a_key-0", ...); a
    list is the ticked boxes of a multiple choice."""
    data = {"version": str(version), ("submit" if submit else "save_draft"): "pressed"}
    for key, value in answers.items():
        if isinstance(value, tuple):
            data |= {f"a_{key}-{index}": item for index, item in enumerate(value)}
        else:
            data[f"a_{key}"] = value
    return data


def page_url(assignment_id: int) -> str:
    return f"/homework/{assignment_id}"


def draft_url(assignment_id: int) -> str:
    return f"/homework/{assignment_id}/draft"


def autosave(browser, assignment_id: int, payload, token: str | None = ""):
    """POST the autosave as autosave.js does: JSON, with the page's CSRF token in a header.
    token "" takes it from the page; None sends no token."""
    if token == "":
        token = browser.csrf_token(page_url(assignment_id))
    headers = {"Accept": "application/json"}
    if token is not None:
        headers["X-CSRFToken"] = token
    return browser.client.post(draft_url(assignment_id), json=payload, headers=headers)


def version_on(page: str) -> str:
    found = re.search(r'<input[^>]*name="version"[^>]*value="([^"]*)"', page)
    return found.group(1) if found else ""


def field_error(page: str, key: str) -> str:
    """The error message shown with a question ('' when there is none)."""
    found = re.search(rf'id="a_{key}-error"[^>]*>(.*?)</p>', page, re.DOTALL)
    return unescape(found.group(1)).strip() if found else ""


def submissions_of(hw: HomeworkBuilder, assignment_id: int) -> list[dict]:
    """Every submission row of the assignment, as plain dicts."""
    with hw.app.app_context():
        rows = db.session.scalars(
            db.select(Submission)
            .where(Submission.assignment_id == assignment_id)
            .order_by(Submission.id)
        )
        return [
            {
                "respondent": s.respondent,
                "status": s.status,
                "answers": s.answers,
                "version": s.version,
            }
            for s in rows
        ]
