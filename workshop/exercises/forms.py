"""Forms for the exercise library: an exercise's details, and one form per question type."""

from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from workshop.forms import BaseForm, as_choices
from workshop.homework.fields import (
    HARD_CAP,
    LIST_ITEM_MAX,
    LONG_TEXT_MAX,
    MAX_LIST_ITEMS,
    MEASURES,
    SCALE_LIMITS,
    SHORT_TEXT_MAX,
)
from workshop.models import AnswerMode, Visibility
from workshop.workshops.forms import VersionField

MIN_OPTIONS, MAX_OPTIONS = 2, 20
LOW, HIGH = SCALE_LIMITS


def _length(limit: int) -> Length:
    return Length(max=limit, message=f"Use at most {limit:,} characters.")


class ExerciseForm(BaseForm):
    title = StringField(
        "Title",
        validators=[DataRequired("Give the exercise a title."), _length(120)],
    )
    stage = SelectField(
        "Stage",
        coerce=int,
        validate_choice=True,
        invalid_choice_message="Choose a stage from the list.",
        invalid_value_message="Choose a stage from the list.",
        validators=[InputRequired("Choose a stage.")],
    )
    instructions = TextAreaField(
        "Instructions",
        description="What the couple should do and how. Shown above the questions.",
        validators=[_length(5000)],
    )
    mode = RadioField(
        "Who answers",
        choices=as_choices(
            [
                (AnswerMode.INDIVIDUAL, "Each partner on their own"),
                (AnswerMode.JOINT, "The couple once, together"),
            ]
        ),
        default=AnswerMode.INDIVIDUAL,
        invalid_choice_message="Choose one of the two ways to answer.",
        validators=[InputRequired("Choose who answers.")],
    )
    visibility = RadioField(
        "Who reads an answer given on one's own",
        description="You always read both. Answers given together are shared by nature.",
        choices=as_choices(
            [
                (Visibility.PRIVATE, "Only the counselor"),
                (Visibility.AFTER_BOTH, "The other partner too, once both have submitted"),
            ]
        ),
        default=Visibility.PRIVATE,
        invalid_choice_message="Choose one of the two options.",
        validators=[InputRequired("Choose who reads the answers.")],
    )
    version = VersionField()
    submit = SubmitField("Save exercise")


# --- questions ---------------------------------------------------------------------------------


class FieldForm(BaseForm):
    """What every question has: yes/no and date questions need nothing more."""

    label = StringField(
        "Question",
        description="As the partner will read it.",
        validators=[DataRequired("Write the question."), _length(300)],
    )
    help_text = TextAreaField(
        "Help",
        description="Optional: a hint shown under the question.",
        validators=[_length(500)],
        render_kw={"rows": 2},
    )
    required = BooleanField("An answer is needed to submit", default=True)
    version = VersionField()
    submit = SubmitField("Save question")

    def spec(self) -> dict:
        """The question's settings as stored in the exercise's fields."""
        return {
            "label": self.label.data,
            "help": self.help_text.data or "",
            "required": bool(self.required.data),
        }

    @classmethod
    def initial(cls, field: dict) -> dict:
        """Form values from a stored question."""
        return {
            "label": field["label"],
            "help_text": field.get("help", ""),
            "required": bool(field.get("required")),
        }


class TextFieldForm(FieldForm):
    max_length = IntegerField(
        "Longest answer (characters)",
        description=f"At most {HARD_CAP:,}.",
        validators=[
            InputRequired("Enter the longest answer allowed."),
            NumberRange(min=1, max=HARD_CAP, message=f"Enter a number from 1 to {HARD_CAP:,}."),
        ],
    )

    def spec(self) -> dict:
        return {**super().spec(), "max_length": self.max_length.data}

    @classmethod
    def initial(cls, field: dict) -> dict:
        default = LONG_TEXT_MAX if field["type"] == "long_text" else SHORT_TEXT_MAX
        return {**super().initial(field), "max_length": field.get("max_length") or default}


def _scale_end(label: str) -> IntegerField:
    return IntegerField(
        label,
        validators=[
            InputRequired(f"Enter the {label.lower()}."),
            NumberRange(min=LOW, max=HIGH, message=f"Enter a number from {LOW} to {HIGH}."),
        ],
    )


def _end_label(label: str) -> StringField:
    return StringField(label, validators=[DataRequired(f"Write the {label.lower()}."), _length(60)])


class ScaleFieldForm(FieldForm):
    scale_min = _scale_end("Lowest number")
    scale_max = _scale_end("Highest number")
    min_label = _end_label("Label for the lowest number")
    max_label = _end_label("Label for the highest number")
    measure = SelectField(
        "Progress measure",
        description="Tag the scale to follow its answers over the weeks, or leave it untagged.",
        choices=as_choices([("", "None"), *MEASURES.items()]),
        validate_choice=True,
        invalid_choice_message="Choose a measure from the list.",
    )

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.scale_min.data >= self.scale_max.data:
            self.scale_max.errors.append("The highest number must be above the lowest.")
            return False
        return True

    def spec(self) -> dict:
        return {
            **super().spec(),
            "min": self.scale_min.data,
            "max": self.scale_max.data,
            "min_label": self.min_label.data,
            "max_label": self.max_label.data,
            "measure": self.measure.data or None,
        }

    @classmethod
    def initial(cls, field: dict) -> dict:
        return {
            **super().initial(field),
            "scale_min": field.get("min", 1),
            "scale_max": field.get("max", 10),
            "min_label": field.get("min_label", ""),
            "max_label": field.get("max_label", ""),
            "measure": field.get("measure", ""),
        }


class ChoiceFieldForm(FieldForm):
    options = TextAreaField(
        "Options",
        description=f"One per line, {MIN_OPTIONS} to {MAX_OPTIONS}.",
        render_kw={"rows": 6},
    )

    def validate_options(self, field):
        lines = option_lines(field.data)
        if len(lines) < MIN_OPTIONS:
            raise ValidationError(f"Give at least {MIN_OPTIONS} options, one per line.")
        if len(lines) > MAX_OPTIONS:
            raise ValidationError(f"Give at most {MAX_OPTIONS} options.")
        if any(len(line) > LIST_ITEM_MAX for line in lines):
            raise ValidationError(f"Keep each option under {LIST_ITEM_MAX} characters.")
        seen = set()
        for line in lines:
            if line.casefold() in seen:
                raise ValidationError(f"“{line}” is listed twice: each option once.")
            seen.add(line.casefold())

    def spec(self) -> dict:
        return {**super().spec(), "options": option_lines(self.options.data)}

    @classmethod
    def initial(cls, field: dict) -> dict:
        return {**super().initial(field), "options": "\n".join(field.get("options", []))}


class ListFieldForm(FieldForm):
    items = IntegerField(
        "Number of items",
        validators=[
            InputRequired("Enter how many items to ask for."),
            NumberRange(
                min=1, max=MAX_LIST_ITEMS, message=f"Enter a number from 1 to {MAX_LIST_ITEMS}."
            ),
        ],
    )

    def spec(self) -> dict:
        return {**super().spec(), "items": self.items.data}

    @classmethod
    def initial(cls, field: dict) -> dict:
        return {**super().initial(field), "items": field.get("items", 3)}


FORM_FOR_TYPE: dict[str, type[FieldForm]] = {
    "short_text": TextFieldForm,
    "long_text": TextFieldForm,
    "scale": ScaleFieldForm,
    "single_choice": ChoiceFieldForm,
    "multi_choice": ChoiceFieldForm,
    "yes_no": FieldForm,
    "date": FieldForm,
    "list": ListFieldForm,
}


def option_lines(text: str | None) -> list[str]:
    """The options typed one per line, without blank lines or stray spaces."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def field_form(
    field_type: str, field: dict | None = None, version: int | None = None, **kwargs
) -> FieldForm:
    """The form for a question of this type, filled from the stored question (if any)."""
    form_class = FORM_FOR_TYPE[field_type]
    data = form_class.initial(field or {"type": field_type, "label": "", "required": True})
    return form_class(data={**data, "version": version}, **kwargs)
