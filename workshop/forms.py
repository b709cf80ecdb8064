"""The base form, and the CSRF check that keeps what the user typed when it fails.

Flask-WTF's global check answers a failed CSRF token with a bare 400, and the user loses
their text. We run the same check ourselves: routes that render a form are marked with
@keeps_typed_input, and a failed check there lets the view re-render the form (its csrf_token
field fails validation, so nothing is saved) with the typed text and a message. Every other
state-changing request with a bad token is refused with 400.
"""

from collections.abc import Callable, Hashable

from flask import Flask, current_app, g, request
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from werkzeug.datastructures import FileStorage
from wtforms import FieldList, FormField, PasswordField, SelectChoice

from workshop.extensions import csrf

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_FAILED_MESSAGE = (
    "This page was open for too long, or you signed in again elsewhere, so it was not sent. "
    "Nothing was saved, and what you typed is still here: check it and send it again."
)


# PostgreSQL cannot store NUL (code 0) in text, and no keyboard types one: it comes from pasted
# binary or a crafted request. We refuse it with a message rather than strip it, so what is
# stored is always exactly what the person sent (a clinical record is never silently altered),
# and SQLite behaves the same as PostgreSQL.
UNSTORABLE_TEXT_MESSAGE = (
    "This contains a character that cannot be stored (an invisible NUL character, often left "
    "by copying from another program). Remove it and send again."
)


def has_unstorable_text(value) -> bool:
    """Whether a value (text, or a list or dict of them) holds a character we cannot store."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_unstorable_text(item) for item in (*value.keys(), *value.values()))
    if isinstance(value, list | tuple):
        return any(has_unstorable_text(item) for item in value)
    return False


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):
    """A FlaskForm that strips surrounding whitespace from every text field."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", [])
            # Passwords are taken exactly as typed; every other field loses stray spaces.
            # (FieldList takes no filters: its entries are cleaned where they are checked.)
            unfiltered = (PasswordField, FieldList)
            if unbound_field.field_class not in unfiltered and _strip not in filters:
                unbound_field.kwargs["filters"] = [_strip, *filters]
            return unbound_field.bind(form=form, **options)

    def validate(self, extra_validators=None) -> bool:
        """WTForms' validation, then: no field may hold text the database cannot store."""
        valid = super().validate(extra_validators)
        return _refuse_unstorable_text(self) and valid

    @property
    def csrf_failed(self) -> bool:
        """Whether the form was refused because its CSRF token was missing or stale."""
        token_field = getattr(self, "csrf_token", None)
        return bool(token_field is not None and token_field.errors)


def _refuse_unstorable_text(form) -> bool:
    """Put the message on every field (or list entry) holding a NUL; False if there was one."""
    clean = True
    for field in form:
        entries = field.entries if isinstance(field, FieldList) else [field]
        for entry in entries:
            if isinstance(entry, FormField):
                clean = _refuse_unstorable_text(entry.form) and clean
                continue
            if isinstance(entry.data, FileStorage) or not has_unstorable_text(entry.data):
                continue
            entry.errors = [*entry.errors, UNSTORABLE_TEXT_MESSAGE]
            clean = False
    return clean


def keeps_typed_input(view):
    """Mark a form view: on a failed CSRF check it re-renders the form instead of a 400."""
    view.keeps_typed_input = True
    return view


def init_app(app: Flask) -> None:
    app.before_request(check_csrf)
    # A global, not a context variable: the field macros are imported without context,
    # and a context variable would render there as an empty notice.
    app.add_template_global(CSRF_FAILED_MESSAGE, "csrf_failed_message")


def check_csrf():
    """Run Flask-WTF's CSRF check on unsafe requests, sparing form views their typed text."""
    if request.method not in UNSAFE_METHODS or not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    try:
        csrf.protect()
    except CSRFError:
        view = current_app.view_functions.get(request.endpoint or "")
        if view is None or not getattr(view, "keeps_typed_input", False):
            raise
        g.csrf_failed = True


def as_choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the choices WTForms expects for selects, radios and checkboxes."""
    return [SelectChoice(value, label) for value, label in pairs]


def seen_version(value) -> int:
    """The record version a form (or JSON body) was based on; anything unreadable is -1,
    which matches no real version, so such a save counts as stale instead of overwriting."""
    if isinstance(value, bool | float):
        return -1  # JSON true or 1.5 is no version number
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


class RenderedFields:
    """Form fields as rendered, kept per process by what they show (`key`): a form viewed on
    every visit to a busy page renders the same few states again and again, and its macros and
    WTForms' widgets cost a large share of such a page (0.1-0.3 ms a field). The key must hold
    everything the HTML depends on that can differ between views; what comes from the form
    class (label, help, id) may be left out. Emptied when `kept` states are held, so typed
    values cannot grow it without bound."""

    def __init__(self, kept: int):
        self.kept = kept
        self._html: dict[Hashable, Markup] = {}

    def get(self, key: Hashable, render: Callable[[], Markup]) -> Markup:
        html = self._html.get(key)
        if html is None:
            html = render()
            if len(self._html) >= self.kept:
                self._html.clear()
            self._html[key] = html
        return html

    def __len__(self) -> int:
        return len(self._html)
