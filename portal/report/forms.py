"""Forms for the report journey: one question each, GOV.UK error messages, CSRF always on.

Radio answers are checked twice: an empty answer is the tenant's mistake (an error message), an
answer that was never offered is a tampered or stale form (the view answers 400).
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from notifications.phone_numbers import NotAUkMobile, parse_uk_mobile
from repairs.ports import MAX_DESCRIPTION_LENGTH

MAX_ACCESS_NOTES = 255  # the backend's ACCESS_NOTES limit


class ChoiceForm(FlaskForm):  # type: ignore[misc]
    answer = RadioField(choices=[], validate_choice=False)

    def __init__(self, choices: list[str], required_message: str, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.offered = choices
        self.answer.choices = [(value, value) for value in choices]
        self.answer.validators = [InputRequired(message=required_message)]

    def tampered(self) -> bool:
        """An answer was sent that the page never offered."""
        value = self.answer.raw_data[0] if self.answer.raw_data else ""
        return bool(value) and value not in self.offered


class DescriptionForm(FlaskForm):  # type: ignore[misc]
    # R18: required and no longer than the backend accepts.
    description = TextAreaField(
        validators=[
            InputRequired(message="Describe the problem"),
            Length(
                max=MAX_DESCRIPTION_LENGTH,
                message=f"Description must be {MAX_DESCRIPTION_LENGTH} characters or less",
            ),
        ]
    )

    def validate_description(self, field: TextAreaField) -> None:
        if not (field.data or "").strip():
            raise ValidationError("Describe the problem")


class PhotoForm(FlaskForm):  # type: ignore[misc]
    photo = FileField()


class AccessForm(FlaskForm):  # type: ignore[misc]
    access_notes = TextAreaField(
        validators=[
            Length(
                max=MAX_ACCESS_NOTES,
                message=f"What we need to know must be {MAX_ACCESS_NOTES} characters or less",
            )
        ]
    )


class ContactForm(FlaskForm):  # type: ignore[misc]
    mobile = StringField(validators=[InputRequired(message="Enter a mobile phone number")])

    def validate_mobile(self, field: StringField) -> None:
        try:
            self.e164 = parse_uk_mobile(field.data or "")  # R26
        except NotAUkMobile as error:
            raise ValidationError(error.reason) from None


class EmptyForm(FlaskForm):  # type: ignore[misc]
    """A button that posts: CSRF only."""
