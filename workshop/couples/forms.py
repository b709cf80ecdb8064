"""Forms for adding couples and managing their partners' accounts."""

from wtforms import EmailField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from workshop.forms import BaseForm
from workshop.practice.forms import email_validators, name_field


class AddCoupleForm(BaseForm):
    first_name = name_field("First partner's name")
    first_email = EmailField(
        "First partner's email",
        validators=email_validators(required=False),
        description="They get an email with a link to set their password.",
    )
    second_name = name_field("Second partner's name")
    second_email = EmailField(
        "Second partner's email",
        validators=email_validators(required=False),
        description="Leave empty if you do not have it yet; you can add it later.",
    )
    submit = SubmitField("Add couple")

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not self.first_email.data and not self.second_email.data:
            self.first_email.errors.append("Enter an email address for at least one partner.")
            return False
        if (self.first_email.data or "").lower() == (self.second_email.data or "").lower():
            self.second_email.errors.append("Each partner needs their own email address.")
            return False
        return True

    def email_field(self, email: str) -> EmailField:
        """The field in which this (normalised) address was typed."""
        if (self.second_email.data or "").lower() == email:
            return self.second_email
        return self.first_email


class EditPartnerForm(BaseForm):
    name = StringField(
        "Name",
        validators=[
            DataRequired("Enter the partner's name."),
            Length(max=120, message="Use at most 120 characters."),
        ],
    )
    email = EmailField(
        "Email",
        validators=email_validators(required=False),
        description="Saving a new address sends an invitation to it.",
    )
    submit = SubmitField("Save")


class InvitePartnerForm(BaseForm):
    submit = SubmitField("Send invitation")
