"""Forms for signing in and setting a password."""

from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from workshop.forms import BaseForm
from workshop.security import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH


class LoginForm(BaseForm):
    email = EmailField(
        "Email", validators=[DataRequired("Enter your email address."), Length(max=254)]
    )
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])
    submit = SubmitField("Log in")


class ForgotPasswordForm(BaseForm):
    email = EmailField(
        "Email",
        validators=[
            DataRequired("Enter the email address you log in with."),
            Length(max=254, message="An email address has at most 254 characters."),
            Email("Enter an email address like name@example.org."),
        ],
    )
    submit = SubmitField("Send me a link")


class SetPasswordForm(BaseForm):
    password = PasswordField(
        "New password",
        description=f"At least {MIN_PASSWORD_LENGTH} characters. A few unrelated words work well.",
        validators=[
            DataRequired("Choose a password."),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=MAX_PASSWORD_LENGTH,
                message=f"Use between {MIN_PASSWORD_LENGTH} and {MAX_PASSWORD_LENGTH} characters.",
            ),
        ],
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[
            DataRequired("Type the password again."),
            EqualTo("password", "The two passwords are not the same."),
        ],
    )
    submit = SubmitField("Save password")


def code_field(label: str, description: str) -> StringField:
    return StringField(
        label,
        description=description,
        validators=[
            DataRequired("Enter the code."),
            Length(max=40, message="That is longer than any code; check what you typed."),
        ],
    )


class SecondFactorForm(BaseForm):
    code = code_field(
        "Code",
        "The 6-digit code your authenticator app shows now, or one of your recovery codes.",
    )
    submit = SubmitField("Continue")


class EnrolTwoFactorForm(BaseForm):
    code = code_field("Code from the app", "The 6-digit code the app shows after scanning.")
    submit = SubmitField("Turn on two-factor sign-in")


class ConfirmPasswordForm(BaseForm):
    password = PasswordField(
        "Your password", validators=[DataRequired("Enter your password to confirm.")]
    )
    submit = SubmitField("Make new recovery codes")


class DisableTwoFactorForm(BaseForm):
    password = PasswordField(
        "Your password", validators=[DataRequired("Enter your password to confirm.")]
    )
    code = code_field("Code", "A code from your authenticator app, or a recovery code.")
    submit = SubmitField("Turn off two-factor sign-in")
