"""Booking forms. The slot list is drawn by hand (radios grouped by day), so the form holds
one text field whose value is checked against the rules, never trusted."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired

CHOOSE_A_TIME = "Choose a time for your appointment"
SLOT_TAKEN = "That time has just been taken. Choose another time."


class ChooseSlotForm(FlaskForm):  # type: ignore[misc]
    slot = StringField("Appointment time", validators=[InputRequired(message=CHOOSE_A_TIME)])


class ConfirmForm(FlaskForm):  # type: ignore[misc]
    """Check and confirm: the slot travels in a hidden field and is checked again."""

    slot = StringField("Appointment time", validators=[InputRequired(message=CHOOSE_A_TIME)])


class CancelForm(FlaskForm):  # type: ignore[misc]
    """Only the CSRF token: the button is the answer."""
