"""Forms for assigning homework and reviewing answers.

The assign form's choices (exercises, couples, sessions) come from scoped queries, so a value
posted by hand that is not among them (another counselor's exercise, a couple of another
workshop) is a field error. Dates are on the workshop's clock; `validate` turns them into UTC.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from wtforms import HiddenField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from workshop.forms import BaseForm, as_choices
from workshop.homework import services
from workshop.models import AnswerMode
from workshop.scheduling.forms import ClearDateField, ClearTimeField
from workshop.scheduling.plan import to_utc
from workshop.workshops.forms import MultiCheckboxField

EXTRA_INSTRUCTIONS_MAX = 2_000
FEEDBACK_MAX = 5_000
DAYS_AHEAD = 365  # neither date may lie further out than this
DEFAULT_DUE_TIME = time(20, 0)
DEFAULT_DAYS_TO_DO = 7


def optional_int(value) -> int | None:
    """ "" (no session) as None; anything else must be a whole number."""
    return None if value in (None, "") else int(value)


class AssignForm(BaseForm):
    exercise = SelectField(
        "Exercise",
        description=(
            "Grouped by stage: built-in exercises first, then your own. Each couple gets the "
            "exercise as it is today; editing it later never changes homework already given."
        ),
        coerce=int,
        validate_choice=True,
        invalid_value_message="Choose an exercise from the list.",
        invalid_choice_message="Choose an exercise from the list.",
    )
    couples = MultiCheckboxField(
        "Couples",
        coerce=int,
        validate_choice=True,
        description="One couple, several, or the whole workshop.",
        invalid_value_message="Choose couples from this workshop's roster.",
        invalid_choice_message="Choose couples from this workshop's roster.",
    )
    session = SelectField(
        "Session (optional)",
        coerce=optional_int,
        validate_choice=True,
        description="The session this homework prepares for or follows up.",
        invalid_value_message="Choose a session of this workshop, or none.",
        invalid_choice_message="Choose a session of this workshop, or none.",
    )
    opens_on = ClearDateField("Opens on", validators=[InputRequired("Choose the open date.")])
    due_on = ClearDateField("Due on", validators=[InputRequired("Choose the due date.")])
    due_time = ClearTimeField("Due at", validators=[InputRequired("Choose the due time.")])
    extra_instructions = TextAreaField(
        "Extra instructions (optional)",
        description="A personal note shown with the exercise and in the email.",
        validators=[
            Length(
                max=EXTRA_INSTRUCTIONS_MAX,
                message=f"Use at most {EXTRA_INSTRUCTIONS_MAX:,} characters.",
            )
        ],
    )
    submit = SubmitField("Assign homework")

    # Set by assign_form: the workshop's clock and the moment the form is judged against.
    timezone: str = "UTC"
    now: datetime

    @property
    def today(self) -> date:
        return self.now.astimezone(ZoneInfo(self.timezone)).date()

    @property
    def opens_at(self) -> datetime:
        return to_utc(self.opens_on.data, time(0, 0), self.timezone)

    @property
    def due_at(self) -> datetime:
        return to_utc(self.due_on.data, self.due_time.data, self.timezone)

    def validate_couples(self, field) -> None:
        if not field.data:
            field.errors.append("Choose at least one couple.")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.opens_on.errors or self.due_on.errors or self.due_time.errors):
            valid = self._check_dates() and valid
        return valid

    def _check_dates(self) -> bool:
        latest = self.today + timedelta(days=DAYS_AHEAD)
        checks = [
            (self.opens_on, self.opens_on.data < self.today, "Choose today or a later date."),
            (self.opens_on, self.opens_on.data > latest, "Choose a date within the next year."),
            (self.due_on, self.due_on.data > latest, "Choose a date within the next year."),
        ]
        for field, failed, message in checks:
            if failed:
                field.errors.append(message)
        if self.opens_on.errors or self.due_on.errors:
            return False
        # Compared as dates first: a far-past due date never reaches the UTC conversion.
        if self.due_on.data < self.opens_on.data or self.due_at <= self.opens_at:
            self.due_on.errors.append("The due date must come after the open date.")
        elif self.due_at <= self.now:
            self.due_on.errors.append("This due time has already passed. Choose a later one.")
        return not self.due_on.errors


def assign_form(workshop, options, now: datetime) -> AssignForm:
    """The assign form for this workshop, its choices filled from `options` (queries)."""
    form = AssignForm()
    form.timezone, form.now = workshop.timezone, now
    form.exercise.choices = [
        SelectChoice(e.id, _exercise_label(e), optgroup=f"{e.stage.position}. {e.stage.title}")
        for e in options.exercises
    ]
    form.couples.choices = as_choices((c.id, c.name) for c in options.couples)
    zone = ZoneInfo(workshop.timezone)
    form.session.choices = as_choices(
        [("", "Not tied to a session")]
        + [
            (s.id, f"{s.starts_at.astimezone(zone):%a %d %b %Y, %H:%M} · {s.title}")
            for s in options.sessions
        ]
    )
    if not form.is_submitted():
        form.couples.data = [couple.id for couple in options.couples]
        form.opens_on.data = form.today
        form.due_on.data = form.today + timedelta(days=DEFAULT_DAYS_TO_DO)
        form.due_time.data = DEFAULT_DUE_TIME
    return form


def assignment_request(form: AssignForm, workshop, options) -> services.AssignmentRequest:
    """What the checked form asks for, with the objects its ids name (from `options`)."""
    return services.AssignmentRequest(
        exercise=options.exercise(form.exercise.data),
        workshop=workshop,
        couples=options.chosen_couples(form.couples.data),
        session=options.session(form.session.data),
        opens_at=form.opens_at,
        due_at=form.due_at,
        extra_instructions=form.extra_instructions.data or "",
    )


def _exercise_label(exercise) -> str:
    notes = ["together" if exercise.mode == AnswerMode.JOINT else "each partner"]
    if not exercise.is_builtin:
        notes.append("yours")
    return f"{exercise.title} ({', '.join(notes)})"


class ReviewForm(BaseForm):
    feedback = TextAreaField(
        "Feedback",
        description="The partner reads this with their answers.",
        validators=[Length(max=FEEDBACK_MAX, message=f"Use at most {FEEDBACK_MAX:,} characters.")],
    )
    submit = SubmitField("Save feedback and mark reviewed")


def review_form(submission, **kwargs) -> ReviewForm:
    """A review form with ids unique to its submission (several share one page)."""
    form = ReviewForm(**kwargs)
    form.feedback.id = form.feedback.label.field_id = f"feedback-{submission.id}"
    return form


class ReopenForm(BaseForm):
    submit = SubmitField("Reopen for editing")


class SafetyReviewedForm(BaseForm):
    next = HiddenField()
    submit = SubmitField("Mark the check-in reviewed")
