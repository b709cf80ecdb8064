"""Find the forms of the app and what they send; snapshot who owns what, to compare after.

Field names are read from the pages themselves (the form whose action is the route), so a new
field is fuzzed without anyone listing it here.
"""

from datetime import date, timedelta
from html.parser import HTMLParser

from flask import Flask
from sqlalchemy import select

from workshop.extensions import db


class _FormFields(HTMLParser):
    """The field names of each POST form on a page, by the form's action, and the values the
    page fills in (what a browser would send if the person changed nothing)."""

    def __init__(self, page_path: str, method: str = "post"):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.method = method
        self.forms: dict[str, list[str]] = {}
        self.values: dict[str, dict[str, str]] = {}
        self._form: str | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form" and attributes.get("method", "get").lower() == self.method:
            self._form = (attributes.get("action") or self.page_path).split("?")[0]
            self.forms.setdefault(self._form, [])
            self.values.setdefault(self._form, {})
        elif self._form is None:
            return
        elif tag in ("input", "textarea", "select", "button"):
            self._field(tag, attributes)
        elif tag == "option" and self._select is not None:
            values = self.values[self._form]
            if self._select not in values or "selected" in attributes:
                values[self._select] = attributes.get("value", "")

    def _field(self, tag, attributes):
        name = attributes.get("name")
        if not name or name == "csrf_token":
            return
        if name not in self.forms[self._form]:
            self.forms[self._form].append(name)
        values = self.values[self._form]
        kind = attributes.get("type", "text").lower()
        if tag == "select":
            self._select = name
        elif tag == "textarea":
            self._textarea = name
            values[name] = ""  # its text, if any, follows as data
        elif kind in ("checkbox", "radio"):
            if "checked" in attributes or (kind == "radio" and name not in values):
                values[name] = attributes.get("value", "on")
        elif tag == "input" and kind not in ("submit", "file"):
            values[name] = attributes.get("value") or plausible(name, kind)

    def handle_data(self, data):
        if self._form is not None and self._textarea is not None:
            self.values[self._form][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            values = self.values[self._form] if self._form is not None else {}
            if self._textarea in values and not values[self._textarea].strip():
                values[self._textarea] = "Plausible text"
            self._textarea = None


# What a person would type into an empty input of each type, so that a form is valid as a
# whole and the fuzzed field is the one being tried.
PLAUSIBLE = {
    "email": "someone@example.net",
    "date": (date.today() + timedelta(days=30)).isoformat(),
    "time": "18:00",
    "number": "1",
    "url": "https://example.net/room",
    "password": "a long and private passphrase",
    "hidden": "",
}


def plausible(name: str, kind: str) -> str:
    """A value for an empty input; emails are unique per example ({n} is filled when sent)."""
    if kind == "email" or "email" in name:
        return f"{name}.{{n}}@example.net"
    if "url" in name:
        return PLAUSIBLE["url"]
    return PLAUSIBLE.get(kind, "Plausible text")


def post_forms(page_path: str, html: str, method: str = "post") -> dict[str, list[str]]:
    """{action path: field names} for every POST (or GET) form of the page."""
    parser = _FormFields(page_path, method)
    parser.feed(html)
    return parser.forms


def filled_in(page_path: str, html: str, action: str) -> dict[str, str]:
    """What the page's form posting to `action` sends as it stands (empty: no such form)."""
    parser = _FormFields(page_path)
    parser.feed(html)
    return parser.values.get(action, {})


def endpoint_of(app: Flask, path: str) -> str | None:
    """The endpoint a POST to this path reaches (None for a path outside the app)."""
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(path, method="POST")
    except Exception:  # noqa: BLE001 - not a route of ours: no endpoint
        return None
    return endpoint


# Columns that say who owns a row or where it belongs: no form may change them by accident.
GUARDED_COLUMNS = frozenset(
    {
        "role",
        "practice_id",
        "author_id",
        "couple_id",
        "user_id",
        "owner_id",
        "counselor_id",
        "partner_id",
        "lead_id",
        "actor_id",
        "workshop_id",
        "generated_by_id",
    }
)


def ownership_snapshot(app: Flask) -> dict[tuple, tuple]:
    """{(table, primary key): guarded values} of every row that has a guarded column."""
    snapshot = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            guarded = [column for column in table.columns if column.name in GUARDED_COLUMNS]
            if not guarded or not table.primary_key.columns:
                continue
            keys = list(table.primary_key.columns)
            for row in db.session.execute(select(*keys, *guarded)):
                values = tuple(row)
                snapshot[(table.name, values[: len(keys)])] = values[len(keys) :]
    return snapshot


def changed_ownership(before: dict, after: dict) -> list[str]:
    """Rows that existed before and after, whose owner or place changed."""
    return [
        f"{key[0]} {key[1]}: {before[key]} -> {after[key]}"
        for key in before.keys() & after.keys()
        if before[key] != after[key]
    ]
