"""Forms of the practice administration."""

from wtforms import EmailField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from workshop.forms import BaseForm


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
