"""Forms for workshops and their rosters."""

from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from workshop.forms import BaseForm, as_choices
from workshop.models import WorkshopFormat
from workshop.timezones import timezone_names

MAX_CAPACITY = 50


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes: friendlier than a multiple select, above all on phones."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def timezone_field(label: str = "Timezone", **kwargs) -> SelectField:
    return SelectField(
        label,
        choices=as_choices((name, name.replace("_", " ")) for name in timezone_names()),
        validate_choice=True,
        invalid_choice_message="Choose a timezone from the list.",
        validators=[DataRequired("Choose a timezone from the list.")],
        **kwargs,
    )


def video_url_field() -> StringField:
    return StringField(
        "Video link",
        description="For online sessions, e.g. https://meet.example.org/room. Leave empty if none.",
        validators=[
            Optional(),
            Length(max=500, message="Use at most 500 characters."),
            URL(require_tld=True, message="Enter a full link starting with https://."),
        ],
    )


def location_field() -> StringField:
    return StringField(
        "Location",
        description="Address or room. Leave empty for online-only sessions.",
        validators=[Length(max=200, message="Use at most 200 characters.")],
    )


class VersionField(HiddenField):
    """The version the form was opened on. A post without one reads as None (a stale edit),
    never as the object's current version, which the form would otherwise fall back to."""

    def process_formdata(self, valuelist):
        self.data = valuelist[0] if valuelist else None


class WorkshopForm(BaseForm):
    title = StringField(
        "Title",
        validators=[
            DataRequired("Give the workshop a title."),
            Length(max=120, message="Use at most 120 characters."),
        ],
    )
    description = TextAreaField(
        "Description",
        description="What couples can expect. Shown to enrolled couples.",
        validators=[Length(max=5000, message="Use at most 5,000 characters.")],
    )
    format = RadioField(
        "Format",
        choices=as_choices(
            [
                (WorkshopFormat.GROUP, "A group of couples"),
                (WorkshopFormat.COUPLE, "One couple's private program"),
            ]
        ),
        default=WorkshopFormat.GROUP,
        invalid_choice_message="Choose one of the two formats.",
        validators=[InputRequired("Choose a format.")],
    )
    location = location_field()
    video_url = video_url_field()
    timezone = timezone_field(description="Session times are planned on this clock.")
    capacity = IntegerField(
        "Capacity (couples)",
        default=8,
        validators=[
            InputRequired("Enter how many couples can join."),
            NumberRange(
                min=1, max=MAX_CAPACITY, message=f"Enter a number from 1 to {MAX_CAPACITY}."
            ),
        ],
    )
    co_counselors = MultiCheckboxField(
        "Co-counselors",
        coerce=int,
        validate_choice=True,
        invalid_choice_message="Choose co-counselors from your practice's list.",
    )
    version = VersionField()
    submit = SubmitField("Save workshop")

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not self.location.data and not self.video_url.data:
            self.location.errors.append("Give a location, a video link, or both.")
            return False
        return True


def id_or_none(value) -> int | None:
    """An id from the form; None (which no choice has) for anything else, so that a crafted
    value gets the field's own message rather than WTForms' "Invalid Choice: could not
    coerce"."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class EnrollCoupleForm(BaseForm):
    couple = SelectField(
        "Couple",
        coerce=id_or_none,
        validate_choice=True,
        invalid_choice_message="Choose a couple from the list.",
        validators=[InputRequired("Choose a couple.")],
    )
    submit = SubmitField("Enroll")


class FindCoupleForm(BaseForm):
    """The roster's search for a couple to enroll (a GET form: nothing changes, so no CSRF
    token)."""

    class Meta:
        csrf = False

    q = StringField(
        "Find a couple by a partner's name",
        validators=[Optional(), Length(max=120, message="Use at most 120 characters.")],
    )


class WithdrawForm(BaseForm):
    submit = SubmitField("Withdraw")
