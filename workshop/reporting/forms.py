"""One form per reporting action."""

from wtforms import BooleanField, RadioField, SubmitField

from workshop.forms import BaseForm, as_choices


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

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.include_notes.data and self.edition.data != "counselor":
            self.include_notes.errors.append("Notes can go only in the counselor edition.")
            return False
        return True


class GenerateSummaryForm(BaseForm):
    submit = SubmitField("Generate workshop summary")
