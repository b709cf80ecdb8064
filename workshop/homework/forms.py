"""Answer forms, built with WTForms from an exercise version's fields.

The form only renders fields and collects what was typed; the rules (lengths, ranges, options,
required on submit) live in workshop/homework/fields.py and their messages are put back on the
fields, so the partner's form, the autosave endpoint and the tests all apply the same checks.
"""

from wtforms import FieldList, HiddenField, RadioField, StringField, SubmitField, TextAreaField

from workshop.forms import BaseForm, as_choices
from workshop.homework.fields import list_size, max_length, options
from workshop.workshops.forms import MultiCheckboxField

FIELD_PREFIX = "a_"  # keeps answer names clear of the form's own attributes ("data", "submit")


def field_name(field: dict) -> str:
    return FIELD_PREFIX + field["key"]


def _build_field(field: dict):
    label, help_text, kind = field["label"], field.get("help", ""), field["type"]
    if kind in ("short_text", "date"):
        render = {"maxlength": max_length(field)} if kind == "short_text" else {"type": "date"}
        return StringField(label, description=help_text, render_kw=render)
    if kind == "long_text":
        return TextAreaField(
            label, description=help_text, render_kw={"maxlength": max_length(field), "rows": 6}
        )
    if kind == "scale":
        numbers = range(int(field["min"]), int(field["max"]) + 1)
        return RadioField(
            label,
            description=help_text,
            validate_choice=False,
            choices=as_choices((str(n), str(n)) for n in numbers),
        )
    if kind == "single_choice":
        return RadioField(
            label,
            description=help_text,
            validate_choice=False,
            choices=as_choices((o, o) for o in options(field)),
        )
    if kind == "multi_choice":
        return MultiCheckboxField(
            label,
            description=help_text,
            validate_choice=False,
            choices=as_choices((o, o) for o in options(field)),
        )
    if kind == "yes_no":
        return RadioField(
            label,
            description=help_text,
            validate_choice=False,
            choices=as_choices([("yes", "Yes"), ("no", "No")]),
        )
    if kind == "list":
        # No max_entries: WTForms would drop extra items silently; fields.check_answers refuses
        # them with a message instead, and the form shows them back.
        return FieldList(
            StringField(render_kw={"maxlength": 200}),
            label=label,
            description=help_text,
            min_entries=list_size(field),
        )
    raise ValueError(f"unknown field type {kind!r}")


def answer_form(fields: list[dict], answers: dict | None = None, **kwargs) -> BaseForm:
    """A form for these fields, filled with saved `answers` unless a POST brings new ones."""

    class AnswerForm(BaseForm):
        version = HiddenField()
        save_draft = SubmitField("Save draft")
        submit = SubmitField("Submit")

    for field in fields:
        setattr(AnswerForm, field_name(field), _build_field(field))
    data = {field_name(f): _as_form_value(f, (answers or {}).get(f["key"])) for f in fields}
    return AnswerForm(data=data, **kwargs)


def raw_answers(form, fields: list[dict]) -> dict:
    """What was typed, by field key, for the services to check."""
    return {field["key"]: form[field_name(field)].data for field in fields}


def show_errors(form, errors: dict[str, str]) -> None:
    """Put the services' messages on the fields they are about."""
    for key, message in errors.items():
        form[FIELD_PREFIX + key].errors = [message]


def _as_form_value(field: dict, value):
    if value is None:
        return [] if field["type"] in ("multi_choice", "list") else None
    if field["type"] == "scale":
        return str(value)
    return value
