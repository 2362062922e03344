"""The terminal's tenancy check (R43): tenancy reference, postcode and date of birth."""

from __future__ import annotations

import re
from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import Field, StringField
from wtforms.validators import ValidationError

from portal.accounts.forms import DateOfBirthField, normalise_postcode
from repairs.refs import TenancyRef

_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


def _text(field: Field) -> str:
    return field.data.strip() if isinstance(field.data, str) else ""


class TenancyCheckForm(FlaskForm):
    today: date

    tenancy_reference = StringField(
        "Tenancy reference",
        widget=GovTextInput(),
        description="It is on your tenancy agreement and rent statements, like TEN-100001",
    )
    postcode = StringField("Postcode of your home", widget=GovTextInput())
    date_of_birth = DateOfBirthField("Date of birth", description="For example, 27 3 1980")

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

    def validate_postcode(self, field: Field) -> None:
        text = normalise_postcode(_text(field))
        if not text:
            raise ValidationError("Enter your postcode")
        if not _POSTCODE.match(text):
            raise ValidationError("Enter a real postcode, like NB1 2AB")
        field.data = text
