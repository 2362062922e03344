"""Forms for the account pages: GOV.UK widgets, GOV.UK error wording, nothing trusted."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovPasswordInput,
    GovRadioInput,
    GovTextInput,
)
from wtforms import Field, HiddenField, PasswordField, RadioField, SelectChoice, StringField
from wtforms.validators import ValidationError

from notifications.phone_numbers import NotAUkMobile, parse_uk_mobile
from repairs.refs import TenancyRef

# The UK postcode shape (outward code, space, inward code), before asking the housing system.
_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_EMAIL = 254
MAX_PASSWORD_INPUT = 1024  # the policy's own limit is lower; this only bounds the work


def _text(field: Field) -> str:
    return (field.data or "").strip() if isinstance(field.data, str) else ""


def normalise_postcode(text: str) -> str:
    squashed = re.sub(r"\s+", "", text).upper()
    return f"{squashed[:-3]} {squashed[-3:]}" if len(squashed) > 3 else squashed


def parse_sign_in_name(text: str) -> str:
    """An email address (lower-cased) or a UK mobile in E.164; ValueError with a message."""
    text = text.strip()
    if not text:
        raise ValueError("Enter your email address or mobile phone number")
    if "@" in text:
        if len(text) > MAX_EMAIL or not _EMAIL.match(text):
            raise ValueError("Enter an email address in the correct format, like name@example.com")
        return text.lower()
    try:
        return parse_uk_mobile(text)
    except NotAUkMobile as problem:
        raise ValueError(problem.reason) from None


class DateOfBirthField(Field):
    """Three inputs (day, month, year) under one name, as GovDateInput renders them, with
    GOV.UK's messages for each way a date can be wrong."""

    widget = GovDateInput()

    def process_formdata(self, valuelist: list[Any]) -> None:
        parts = [str(value).strip() for value in valuelist[:3]]
        parts += [""] * (3 - len(parts))
        self.raw_data = parts  # the widget unpacks exactly three values
        self.data = None
        self._problem = _date_problem(*parts)
        if self._problem is None:
            self.data = date(int(parts[2]), int(parts[1]), int(parts[0]))

    def _value(self) -> str:
        return self.data.strftime("%d %m %Y") if isinstance(self.data, date) else ""

    def pre_validate(self, form: Any) -> None:
        problem = getattr(self, "_problem", "Enter your date of birth")
        if problem:
            raise ValidationError(problem)
        assert isinstance(self.data, date)
        # The view sets `form.today` from the injected clock.
        if self.data >= form.today:
            raise ValidationError("Your date of birth must be in the past")
        if self.data.year < 1900:
            raise ValidationError("Your date of birth must be after 1900")


def _date_problem(day: str, month: str, year: str) -> str | None:
    if not (day or month or year):
        return "Enter your date of birth"
    missing = [name for name, value in (("day", day), ("month", month), ("year", year))
               if not value]  # fmt: skip
    if missing:
        return f"Your date of birth must include a {' and a '.join(missing)}"
    if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
        return "Your date of birth must be a real date, like 27 3 1980"
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        return "Your date of birth must be a real date, like 27 3 1980"
    return None


class TenancyReferenceForm(FlaskForm):
    tenancy_reference = StringField(
        "What is your tenancy reference?",
        widget=GovTextInput(),
        description="It is on your tenancy agreement and rent statements, like TEN-100001",
    )

    def validate_tenancy_reference(self, field: Field) -> None:
        text = _text(field)
        if not text:
            raise ValidationError("Enter your tenancy reference")
        try:
            field.data = TenancyRef.parse(text).value
        except ValueError:
            raise ValidationError(
                "Enter your tenancy reference as it is on your rent statement, like TEN-100001"
            ) from None


class PostcodeForm(FlaskForm):
    postcode = StringField("What is the postcode of your home?", widget=GovTextInput())

    def validate_postcode(self, field: Field) -> None:
        text = normalise_postcode(_text(field))
        if not text:
            raise ValidationError("Enter your postcode")
        if not _POSTCODE.match(text):
            raise ValidationError("Enter a real postcode, like NB1 2AB")
        field.data = text


class DateOfBirthForm(FlaskForm):
    today: date

    date_of_birth = DateOfBirthField(
        "What is your date of birth?", description="For example, 27 3 1980"
    )


class SignInNameForm(FlaskForm):
    sign_in_name = StringField(
        "Email address or mobile phone number",
        widget=GovTextInput(),
        description="You will use this to sign in",
    )

    def validate_sign_in_name(self, field: Field) -> None:
        try:
            field.data = parse_sign_in_name(_text(field))
        except ValueError as problem:
            raise ValidationError(str(problem)) from None


class MobileForm(FlaskForm):
    mobile = StringField(
        "Mobile phone number",
        widget=GovTextInput(),
        description="We will text a security code to this number. For example, 07700 900123",
    )

    def validate_mobile(self, field: Field) -> None:
        try:
            field.data = parse_uk_mobile(_text(field))
        except NotAUkMobile as problem:
            raise ValidationError(problem.reason) from None


class CodeForm(FlaskForm):
    code = StringField("Security code", widget=GovTextInput(), description="The code has 6 numbers")

    def validate_code(self, field: Field) -> None:
        text = re.sub(r"[\s-]", "", _text(field))
        if not text:
            raise ValidationError("Enter the security code")
        if not (text.isascii() and text.isdigit()) or len(text) != 6:
            raise ValidationError("The security code must be 6 numbers")
        field.data = text


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        "Create a password",
        widget=GovPasswordInput(),
        description="Use 12 characters or more. Three random words is a good way to make "
        "a password that is long and hard to guess.",
    )

    def validate_password(self, field: Field) -> None:
        if not isinstance(field.data, str) or not field.data:
            raise ValidationError("Enter a password")
        if len(field.data) > MAX_PASSWORD_INPUT:
            raise ValidationError("Your password must be 256 characters or fewer")


class SignInForm(FlaskForm):
    sign_in_name = StringField("Email address or mobile phone number", widget=GovTextInput())
    password = PasswordField("Password", widget=GovPasswordInput())
    next = HiddenField()

    def validate_sign_in_name(self, field: Field) -> None:
        if not _text(field):
            raise ValidationError("Enter your email address or mobile phone number")
        if len(_text(field)) > MAX_EMAIL:
            raise ValidationError("Enter a correct email address or mobile phone number")

    def validate_password(self, field: Field) -> None:
        if not isinstance(field.data, str) or not field.data:
            raise ValidationError("Enter your password")
        if len(field.data) > MAX_PASSWORD_INPUT:
            raise ValidationError("Enter a correct password")


class ResetStartForm(FlaskForm):
    sign_in_name = StringField("Email address or mobile phone number", widget=GovTextInput())

    def validate_sign_in_name(self, field: Field) -> None:
        if not _text(field):
            raise ValidationError("Enter the email address or mobile phone number you sign in with")
        try:
            field.data = parse_sign_in_name(_text(field))
        except ValueError as problem:
            raise ValidationError(str(problem)) from None


class RemindersForm(FlaskForm):
    reminders = RadioField(
        "Do you want a text reminder the day before each repair appointment?",
        widget=GovRadioInput(),
        choices=[
            SelectChoice("yes", "Yes, text me reminders"),
            SelectChoice("no", "No, do not text me reminders"),
        ],
        validate_choice=False,
    )

    def validate_reminders(self, field: Field) -> None:
        if field.data not in ("yes", "no"):
            raise ValidationError("Select yes if you want text reminders")


class CurrentPasswordForm(FlaskForm):
    password = PasswordField("Your password", widget=GovPasswordInput())

    def validate_password(self, field: Field) -> None:
        if not isinstance(field.data, str) or not field.data:
            raise ValidationError("Enter your password")
        if len(field.data) > MAX_PASSWORD_INPUT:
            raise ValidationError("Enter a correct password")


class ChangeMobileForm(CurrentPasswordForm):
    mobile = StringField("New mobile phone number", widget=GovTextInput())

    def validate_mobile(self, field: Field) -> None:
        try:
            field.data = parse_uk_mobile(_text(field))
        except NotAUkMobile as problem:
            raise ValidationError(problem.reason) from None


class ConfirmForm(FlaskForm):
    """A POST with nothing but its CSRF token: check your answers, sign out, extend."""
