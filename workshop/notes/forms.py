"""Forms of the notes area: the note (any format), the addendum, the summary and the search.

The note form holds a text field for every section key of every format; the page shows (and
the view reads) only the chosen format's sections, labelled for that format.
"""

from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional, ValidationError

from workshop.forms import BaseForm
from workshop.notes import formats

FIELD_PREFIX = "s_"  # keeps section names clear of the form's own attributes
ADDENDUM_MAX_LENGTH = 5_000
SUMMARY_MAX_LENGTH = 5_000
SEARCH_MAX_LENGTH = 200


OUT_OF_DATE = "This page is incomplete or out of date: reload it, then save again."


def _cap(limit: int) -> Length:
    return Length(max=limit, message=f"Keep this to {limit:,} characters or fewer.")


def field_name(key: str) -> str:
    return FIELD_PREFIX + key


class NoteForm(BaseForm):
    """A note in one format: its sections, the version it was based on, save or sign."""

    format = HiddenField(
        validators=[AnyOf(list(formats.FORMATS), message="Choose one of the note formats.")]
    )
    version = HiddenField()
    save = SubmitField("Save draft")
    sign = SubmitField("Sign note")

    def validate(self, extra_validators=None) -> bool:
        return _has_version(self) & super().validate(extra_validators)

    def use_format(self, fmt: formats.Format) -> None:
        """Label the chosen format's sections (their help states the length cap)."""
        self.format.data = fmt.key
        for section in fmt.sections:
            field = self[field_name(section.key)]
            field.label.text = section.label
            field.description = f"{section.help} {formats.CAP_TEXT}"

    def sections_of(self, fmt: formats.Format) -> dict[str, str]:
        return {key: self[field_name(key)].data or "" for key in fmt.keys}

    def fill(self, sections: dict[str, str]) -> None:
        for key, text in sections.items():
            self[field_name(key)].data = text

    def section_fields(self, fmt: formats.Format) -> list:
        return [self[field_name(key)] for key in fmt.keys]


def _section_length(form, field) -> None:
    message = formats.length_error(field.data or "")
    if message:
        raise ValidationError(message)


for _key in formats.ALL_SECTION_KEYS:
    setattr(
        NoteForm,
        field_name(_key),
        TextAreaField(_key.title(), validators=[_section_length], render_kw={"rows": 7}),
    )


class AddendumForm(BaseForm):
    text = TextAreaField(
        "Addendum",
        description=(
            "A correction or addition to the signed note above. It is dated and signed with "
            f"your name when you add it, and cannot be changed afterwards. "
            f"Up to {ADDENDUM_MAX_LENGTH:,} characters."
        ),
        validators=[
            InputRequired(message="Write the addendum before adding it."),
            _cap(ADDENDUM_MAX_LENGTH),
        ],
        render_kw={"rows": 4},
    )
    submit = SubmitField("Sign and add addendum")


class SummaryForm(BaseForm):
    summary = TextAreaField(
        "Progress so far",
        description=(
            "How the couple is doing, in words they will read. "
            f"Up to {SUMMARY_MAX_LENGTH:,} characters."
        ),
        validators=[_cap(SUMMARY_MAX_LENGTH)],
        render_kw={"rows": 7},
    )
    next_steps = TextAreaField(
        "Next steps",
        description=(
            f"What you suggest they work on next. Up to {SUMMARY_MAX_LENGTH:,} characters."
        ),
        validators=[_cap(SUMMARY_MAX_LENGTH)],
        render_kw={"rows": 5},
    )
    version = HiddenField()
    submit = SubmitField("Save summary")

    def validate(self, extra_validators=None) -> bool:
        return _has_version(self) & super().validate(extra_validators)


def _has_version(form) -> bool:
    """The version the page was based on must come back (it decides which save is stale)."""
    if str(form.version.data or "").isdigit():
        return True
    form.form_errors.append(OUT_OF_DATE)
    return False


class SearchForm(BaseForm):
    """The search box (a GET form: nothing changes, so no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(
        "Search your notes",
        description="Words that appear in the note (all of them), the couple's names or the stage.",
        validators=[Optional(), _cap(SEARCH_MAX_LENGTH)],
    )
