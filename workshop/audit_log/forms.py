"""The audit log's filters: a GET form, so a filtered view is a link that can be shared."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional
from wtforms.widgets import Select

from workshop.audit_log.queries import ACTION_LABELS, EventFilters
from workshop.forms import BaseForm, as_choices
from workshop.scheduling.forms import ClearDateField

ANY = ""


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


def _day_start(day, timezone: str) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day, time(0, 0), tzinfo=ZoneInfo(timezone)).astimezone(UTC)
