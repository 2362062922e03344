"""The one-question satisfaction survey (R45)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovRadioInput
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from repairs.tracking import SURVEY_COMMENT_MAX

SCORES = {
    "5": "Very satisfied",
    "4": "Satisfied",
    "3": "Neither satisfied nor dissatisfied",
    "2": "Dissatisfied",
    "1": "Very dissatisfied",
}


class SurveyForm(FlaskForm):  # type: ignore[misc]
    score = RadioField(
        "How satisfied are you with this repair?",
        choices=[SelectChoice(value, label) for value, label in SCORES.items()],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select how satisfied you are with this repair")],
    )
    comment = TextAreaField(
        "Tell us more (optional)",
        widget=GovCharacterCount(),
        validators=[
            Optional(),
            Length(
                max=SURVEY_COMMENT_MAX,
                message=f"Your comment must be {SURVEY_COMMENT_MAX} characters or fewer",
            ),
        ],  # fmt: skip
    )
