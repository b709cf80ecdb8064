"""Forms of the calendar page."""

from wtforms import SubmitField

from workshop.forms import BaseForm


class RotateTokenForm(BaseForm):
    """Issue a new secret feed address; the form only carries the CSRF token."""

    submit = SubmitField("Make a new address")
