"""Forms for the staff pages: GOV.UK widgets and wording, nothing trusted."""

from __future__ import annotations

import re
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovPasswordInput,
    GovRadioInput,
    GovTextInput,
)
from wtforms import BooleanField, Field, HiddenField, PasswordField, RadioField, StringField
from wtforms.validators import ValidationError

from adapters.passwords import password_problem
from portal.accounts.forms import normalise_postcode
from portal.staff.totp import clean_code
from repairs.refs import TenancyRef

MAX_EMAIL = 254
MAX_PASSWORD_INPUT = 1024
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
_NAME = re.compile(r"^[^\x00-\x1f<>]{2,100}$")
_TERMINAL_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 '\-]{1,58}[A-Za-z0-9]$")


def _text(field: Field) -> str:
    return field.data.strip() if isinstance(field.data, str) else ""


def _code(field: Field) -> None:
    code = clean_code(_text(field))
    if not code:
        raise ValidationError("Enter the 6-digit code from your authenticator app")
    if not (code.isascii() and code.isdigit()) or len(code) != 6:
        raise ValidationError("The code must be the 6 numbers your authenticator app shows")
    field.data = code


class StaffSignInForm(FlaskForm):
    email = StringField("Work email address", widget=GovTextInput())
    password = PasswordField("Password", widget=GovPasswordInput())
    code = StringField(
        "Code from your authenticator app", widget=GovTextInput(), description="6 numbers"
    )
    next = HiddenField()

    def validate_email(self, field: Field) -> None:
        text = _text(field).lower()
        if not text:
            raise ValidationError("Enter your work email address")
        if len(text) > MAX_EMAIL or not EMAIL.match(text):
            raise ValidationError(
                "Enter an email address in the correct format, like name@example.com"
            )
        field.data = text

    def validate_password(self, field: Field) -> None:
        if not isinstance(field.data, str) or not field.data:
            raise ValidationError("Enter your password")
        if len(field.data) > MAX_PASSWORD_INPUT:
            raise ValidationError("Enter a correct password")

    def validate_code(self, field: Field) -> None:
        _code(field)


class SetupForm(FlaskForm):
    """Choose a password (R37) and prove the authenticator app works."""

    personal: tuple[str, ...] = ()

    password = PasswordField(
        "Create a password",
        widget=GovPasswordInput(),
        description="Use 12 characters or more. Three random words is a good way to make a "
        "password that is long and hard to guess.",
    )
    confirm_password = PasswordField("Enter the password again", widget=GovPasswordInput())
    code = StringField(
        "Code from your authenticator app",
        widget=GovTextInput(),
        description="After you add the account to the app, it shows a new 6-digit code "
        "every 30 seconds",
    )

    def validate_password(self, field: Field) -> None:
        if not isinstance(field.data, str) or not field.data:
            raise ValidationError("Enter a password")
        if len(field.data) > MAX_PASSWORD_INPUT:
            raise ValidationError("Your password must be 256 characters or fewer")
        problem = password_problem(field.data, self.personal)
        if problem:
            raise ValidationError(problem)

    def validate_confirm_password(self, field: Field) -> None:
        if field.data != self.password.data:
            raise ValidationError("The passwords do not match. Enter the same password twice")

    def validate_code(self, field: Field) -> None:
        _code(field)


class FindTenantForm(FlaskForm):
    """By tenancy reference, or by name and postcode when the tenant does not know it."""

    tenancy_reference = StringField(
        "Tenancy reference", widget=GovTextInput(), description="For example, TEN-100001"
    )
    name = StringField("Tenant's full name", widget=GovTextInput())
    postcode = StringField("Postcode of the home", widget=GovTextInput())

    def validate(self, extra_validators: Any = None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.tenancy_reference.data or (self.name.data and self.postcode.data):
            return True
        if self.name.data or self.postcode.data:
            missing = self.postcode if self.name.data else self.name
            missing.errors = [f"Enter the {'postcode' if missing is self.postcode else 'name'}"]
        else:
            self.tenancy_reference.errors = [
                "Enter the tenancy reference, or the tenant's name and postcode"
            ]
        return False

    def validate_tenancy_reference(self, field: Field) -> None:
        text = _text(field)
        if not text:
            field.data = ""
            return
        try:
            field.data = TenancyRef.parse(text).value
        except ValueError:
            raise ValidationError("Enter a tenancy reference like TEN-100001") from None

    def validate_name(self, field: Field) -> None:
        text = " ".join(_text(field).split())
        if text and not _NAME.match(text):
            raise ValidationError("Enter a name of 2 to 100 letters")
        field.data = text

    def validate_postcode(self, field: Field) -> None:
        text = normalise_postcode(_text(field))
        if text and not _POSTCODE.match(text):
            raise ValidationError("Enter a real postcode, like NB1 2AB")
        field.data = text


class IdentityForm(FlaskForm):
    """R41: how the advisor checked who they are serving, that the tenant agreed, and where."""

    tenancy = RadioField("Which tenancy?", widget=GovRadioInput(), validate_choice=False)
    identity_check = RadioField(
        "How did you check who the tenant is?", widget=GovRadioInput(), validate_choice=False
    )
    place = RadioField("Where are you helping them?", widget=GovRadioInput(), validate_choice=False)
    consent = BooleanField(
        "The tenant agrees to me using the service for them", widget=GovCheckboxInput()
    )

    def validate_tenancy(self, field: Field) -> None:
        if field.data not in {value for value, _ in field.choices or []}:
            raise ValidationError("Select the tenancy of the person you are helping")

    def validate_identity_check(self, field: Field) -> None:
        if field.data not in {value for value, _ in field.choices or []}:
            raise ValidationError("Select how you checked who the tenant is")

    def validate_place(self, field: Field) -> None:
        if field.data not in {value for value, _ in field.choices or []}:
            raise ValidationError("Select where you are helping the tenant")

    def validate_consent(self, field: Field) -> None:
        if field.data is not True:
            raise ValidationError("You can only help a tenant who agrees to it: ask them first")


class TerminalForm(FlaskForm):
    name = StringField(
        "Name of the terminal",
        widget=GovTextInput(),
        description="The name on the label on the device, like Civic Centre 1",
    )

    def validate_name(self, field: Field) -> None:
        text = " ".join(_text(field).split())
        if not text:
            raise ValidationError("Enter a name for the terminal")
        if not _TERMINAL_NAME.match(text):
            raise ValidationError("Use 3 to 60 letters, numbers, spaces, hyphens or apostrophes")
        field.data = text


class ConfirmForm(FlaskForm):
    """A POST with nothing but its CSRF token."""
