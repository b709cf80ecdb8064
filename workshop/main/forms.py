"""The user's own settings."""

from wtforms import SubmitField

from workshop.forms import BaseForm
from workshop.workshops.forms import timezone_field


class SettingsForm(BaseForm):
    timezone = timezone_field(
        "Your timezone", description="Session times are shown on this clock everywhere in the app."
    )
    submit = SubmitField("Save settings")
