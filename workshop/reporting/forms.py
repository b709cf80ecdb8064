"""One form per reporting action."""

from flask import get_template_attribute
from markupsafe import Markup
from wtforms import BooleanField, RadioField, SubmitField

from workshop.forms import BaseForm, RenderedFields, as_choices

# GenerateReportForm's fields as rendered, by what they show (see GenerateReportForm.rendered).
# A field without errors shows its data only: a choice or a tick, so a handful of entries; the
# bound is a guard, should a field ever show more.
RENDERED_REPORT_FIELDS = RenderedFields(kept=32)


class GenerateReportForm(BaseForm):
    edition = RadioField(
        "Edition",
        choices=as_choices(
            [
                ("couple", "For the couple (what they may receive)"),
                ("counselor", "Counselor edition (both partners' answers side by side, flags)"),
            ]
        ),
        default="couple",
    )
    include_notes = BooleanField(
        "Include my session notes in this one report (counselor edition only)",
        description="Never in the couple's edition.",
    )
    submit = SubmitField("Generate report")

    def rendered(self, macro: str, name: str) -> Markup:
        """The field through its _forms.html macro, like every field, but made once per process
        for what it shows: the macros and WTForms' widgets cost ~0.25 ms for the three fields,
        on every view of the couple's progress page, for the same HTML. Its label, help, id and
        choices are the form class's; a field with errors is rendered each time."""
        field = self[name]

        def render() -> Markup:
            return get_template_attribute("_forms.html", macro)(field)

        if field.errors:
            return render()
        return RENDERED_REPORT_FIELDS.get((macro, name, field.data), render)

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.include_notes.data and self.edition.data != "counselor":
            self.include_notes.errors.append("Notes can go only in the counselor edition.")
            return False
        return True


class GenerateSummaryForm(BaseForm):
    submit = SubmitField("Generate workshop summary")
