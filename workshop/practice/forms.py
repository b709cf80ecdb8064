"""Forms of the practice administration."""

from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, RadioField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from workshop.forms import BaseForm, as_choices
from workshop.models.people import PAPER_SIZES


def name_field(label: str, **kwargs) -> StringField:
    return StringField(
        label,
        validators=[
            DataRequired(f"Enter the {label.lower()}."),
            Length(max=120, message="Use at most 120 characters."),
        ],
        **kwargs,
    )


def email_validators(required: bool) -> list:
    rules = [
        Length(max=254, message="An email address has at most 254 characters."),
        Email("Enter an email address like name@example.org."),
    ]
    # Optional() stops the chain on an empty field: Email() alone refuses "" as malformed.
    return [DataRequired("Enter an email address."), *rules] if required else [Optional(), *rules]


class InviteCounselorForm(BaseForm):
    name = name_field("Full name")
    email = EmailField("Email", validators=email_validators(required=True))
    submit = SubmitField("Send invitation")


class ResendInvitationForm(BaseForm):
    submit = SubmitField("Send the invitation again")


class BrandingForm(BaseForm):
    """The practice's name and report paper size; the logo is checked in services.logo_mime."""

    name = name_field("Practice name", description="Shown on the cover of every report.")
    paper_size = RadioField(
        "Report paper size",
        choices=as_choices(
            (size, "US Letter" if size == "Letter" else size) for size in PAPER_SIZES
        ),
        validators=[InputRequired("Choose a paper size.")],
    )
    logo = FileField(
        "Logo",
        description="A PNG or JPEG image of at most 1 MB, shown on the cover of reports.",
        render_kw={"accept": "image/png,image/jpeg"},
    )
    remove_logo = BooleanField("Remove the current logo (reports show the standard mark)")
    submit = SubmitField("Save branding")


class SignInPolicyForm(BaseForm):
    require_staff_two_factor = BooleanField(
        "Require two-factor sign-in for all counselors and administrators",
        description=(
            "Staff without it are asked to set it up right after their password at their next "
            "login, before they reach anything else. Partners may choose it for themselves."
        ),
    )
    submit = SubmitField("Save")


class AccountStatusForm(BaseForm):
    """The button that disables or re-enables an account (nothing to type)."""

    submit = SubmitField("Disable")
