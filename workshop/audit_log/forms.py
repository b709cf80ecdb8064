"""The audit log's filters: a GET form, so a filtered view is a link that can be shared."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import get_template_attribute
from markupsafe import Markup, escape
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional
from wtforms.widgets import Select

from workshop.audit_log.queries import ACTION_LABELS, EventFilters
from workshop.forms import BaseForm, RenderedFields, as_choices
from workshop.scheduling.forms import ClearDateField

ANY = ""
# Filter fields as rendered, by what they show (see AuditFilterForm.rendered); a typed couple
# name makes each filtered view a new entry.
RENDERED_FILTERS = RenderedFields(kept=256)


class PlainSelect(Select):
    """WTForms' select, writing each plain option directly: its generic attribute writer
    costs several times more per option, and the user filter lists every staff member of
    the practice on each view of the log. The HTML is the same."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw or isinstance(choice.value, bool):
            return super().render_option(choice, **kwargs)
        selected = " selected" if choice.selected else ""
        label = escape(choice.label or choice.value)
        # Both values are escaped here; `selected` is one of two constants.
        return Markup(f'<option value="{escape(choice.value)}"{selected}>{label}</option>')  # nosec B704 # noqa: S704


class AuditFilterForm(BaseForm):
    class Meta:
        csrf = False  # a search: nothing changes

    user = SelectField(
        "User",
        default=ANY,
        invalid_choice_message="Choose a user from the list.",
        widget=PlainSelect(),
    )
    # A name typed, not a list: a practice has thousands of couples, too many to choose from
    # (and to send with every page).
    couple = StringField(
        "Couple",
        validators=[Optional(), Length(max=120, message="Type at most 120 characters.")],
        description="A partner's name, or part of it.",
    )
    action = SelectField(
        "Action",
        default=ANY,
        invalid_choice_message="Choose an action from the list.",
        widget=PlainSelect(),
    )
    date_from = ClearDateField("From", validators=[Optional()])
    date_to = ClearDateField("To (included)", validators=[Optional()])

    def set_choices(self, users) -> None:
        self.user.choices = as_choices(
            [(ANY, "Anyone"), *((str(u.id), f"{u.name} ({u.role})") for u in users)]
        )
        self.action.choices = as_choices([(ANY, "Any action"), *ACTION_LABELS.items()])

    def rendered(self, name: str, **options) -> Markup:
        """The field through the `field` macro of _forms.html, like every field, but made once
        per process for what it shows: the macro and WTForms' widgets cost ~0.1-0.3 ms a field
        (the user filter lists the whole staff), on every view of the log, for the same HTML."""
        field = self[name]
        return RENDERED_FILTERS.get(
            _shown_state(field, options),
            lambda: get_template_attribute("_forms.html", "field")(field, **options),
        )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        start, end = self.date_from.data, self.date_to.data
        if valid and start and end and start > end:
            self.date_to.errors.append("Choose a date on or after the “From” date.")
            return False
        return valid

    def filters(self, timezone: str) -> EventFilters:
        """The filters, with the dates as UTC bounds of whole days on the admin's clock."""
        return EventFilters(
            actor_id=int(self.user.data) if self.user.data else None,
            partner_name=self.couple.data or None,
            action=self.action.data or None,
            start=_day_start(self.date_from.data, timezone),
            end=_day_start(self.date_to.data + timedelta(days=1), timezone)
            if self.date_to.data
            else None,
        )

    def query_args(self) -> dict[str, str]:
        """The filters as URL arguments (for the pager and the CSV link)."""
        values = {
            "user": self.user.data,
            "couple": self.couple.data,
            "action": self.action.data,
            "date_from": self.date_from.raw_data[0] if self.date_from.raw_data else "",
            "date_to": self.date_to.raw_data[0] if self.date_to.raw_data else "",
        }
        return {name: value for name, value in values.items() if value}


def _shown_state(field, options: dict) -> tuple:
    """Everything the `field` macro shows of this field that can differ between views: its
    value (as typed, and as read), its errors, its choices (value and label: set_choices gives
    no others) and the macro's options. Its label, help, id and flags are the form class's."""
    choices = getattr(field, "choices", None)
    if choices is not None:  # a select shows its data as the option selected
        shown = (field.data, tuple((c.value, c.label) for c in choices))
    else:  # an input shows _value(): the text as typed, or its data written out
        shown = (field.data, field._value())  # noqa: SLF001
    return (field.name, shown, tuple(field.errors), tuple(sorted(options.items())))


def _day_start(day, timezone: str) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day, time(0, 0), tzinfo=ZoneInfo(timezone)).astimezone(UTC)
