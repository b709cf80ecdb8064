"""Forms for planning and changing sessions, and recording attendance."""

from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange

from workshop.forms import BaseForm, as_choices
from workshop.workshops.forms import (
    MultiCheckboxField,
    VersionField,
    location_field,
    video_url_field,
)

ATTENDANCE_CHOICES = [("present", "Present"), ("absent", "Absent"), ("excused", "Excused")]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class ClearDateField(DateField):
    """A date field whose parse error says what to type."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError("Enter a real date, like 2026-12-31.") from error


class ClearTimeField(TimeField):
    """A time field whose parse error says what to type."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError("Enter a time like 18:00.") from error


def stages_field(label: str = "Stages") -> MultiCheckboxField:
    return MultiCheckboxField(
        label,
        validate_choice=True,
        invalid_choice_message="Choose stages from the curriculum.",
        validators=[InputRequired("Choose at least one stage.")],
    )


def confirm_overlap_field() -> BooleanField:
    return BooleanField("Schedule it anyway, although it overlaps the sessions listed above")


class PlanForm(BaseForm):
    stages = stages_field("Stages to plan, one session each")
    first_date = ClearDateField(
        "First possible date", validators=[InputRequired("Choose the first date.")]
    )
    weekday = SelectField(
        "Day of the week",
        coerce=int,
        validate_choice=True,
        invalid_choice_message="Choose a day of the week.",
        choices=as_choices(enumerate(WEEKDAYS)),
    )
    start_time = ClearTimeField(
        "Start time (workshop's local time)", validators=[InputRequired("Choose a start time.")]
    )
    every_weeks = RadioField(
        "How often",
        coerce=int,
        default=1,
        validate_choice=True,
        invalid_choice_message="Choose every week or every two weeks.",
        choices=as_choices([(1, "Every week"), (2, "Every two weeks")]),
    )
    duration = IntegerField(
        "Length in minutes",
        default=90,
        validators=[
            InputRequired("Enter the length in minutes."),
            NumberRange(min=15, max=480, message="Enter 15 to 480 minutes."),
        ],
    )
    confirm_overlap = confirm_overlap_field()
    submit = SubmitField("Create sessions")


class SessionTimeForm(BaseForm):
    """Date, start and end on the workshop's clock, plus place."""

    date = ClearDateField("Date", validators=[InputRequired("Choose a date.")])
    start_time = ClearTimeField("Starts", validators=[InputRequired("Choose a start time.")])
    end_time = ClearTimeField("Ends", validators=[InputRequired("Choose an end time.")])
    location = location_field()
    video_url = video_url_field()
    confirm_overlap = confirm_overlap_field()


class AddSessionForm(SessionTimeForm):
    stages = stages_field("Stages this session covers")
    submit = SubmitField("Add session")


class EditSessionForm(SessionTimeForm):
    version = VersionField()
    submit = SubmitField("Save changes")


class CancelSessionForm(BaseForm):
    reason = TextAreaField(
        "Message to the couples (optional)",
        description="Sent with the cancellation email, e.g. when the session will be made up.",
        validators=[Length(max=1000, message="Use at most 1,000 characters.")],
    )
    submit = SubmitField("Cancel this session")


class ActionForm(BaseForm):
    """A button that changes something; the form only carries the CSRF token."""

    submit = SubmitField("Go")


def attendance_form(partners) -> BaseForm:
    """A form with one present/absent/excused choice per partner."""

    class AttendanceForm(BaseForm):
        submit = SubmitField("Save attendance")

    for partner in partners:
        setattr(
            AttendanceForm,
            f"partner_{partner.id}",
            RadioField(
                partner.name,
                choices=as_choices(ATTENDANCE_CHOICES),
                validate_choice=True,
                invalid_choice_message="Choose present, absent or excused.",
                validators=[
                    InputRequired(f"Choose present, absent or excused for {partner.name}.")
                ],
            ),
        )
    return AttendanceForm()
