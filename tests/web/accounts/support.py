"""Helpers for the account tests: the seeded tenancy, codes read from the fake sender, and
walking the create-account journey through the real forms (CSRF included)."""

from __future__ import annotations

import re
from typing import Any

from tests.support.forms import submit

TENANCY = "TEN-100001"
POSTCODE = "NB1 2AB"
DOB = {"day": "14", "month": "3", "year": "1971"}
MOBILE = "07700 900123"
MOBILE_E164 = "+447700900123"
PASSWORD = "kettle orchard window"


def last_code(sms: Any, number: str = MOBILE_E164) -> str:
    texts = sms.sent_to(number)
    assert texts, f"no text was sent to {number}"
    match = re.search(r"\b(\d{6})\b", texts[-1].body)
    assert match, f"no code in {texts[-1].body!r}"
    return match.group(1)


def dob_form(
    day: str = DOB["day"], month: str = DOB["month"], year: str = DOB["year"]
) -> list[tuple[str, str]]:
    return [("date_of_birth", day), ("date_of_birth", month), ("date_of_birth", year)]


def post(client: Any, url: str, data: Any, **kwargs: Any) -> Any:
    """Like tests.support.forms.submit, but the data may repeat a name (the date input)."""
    from tests.support.forms import csrf_token_from

    page = client.get(kwargs.pop("form_page", url))
    token = csrf_token_from(page.text)
    items = list(data.items()) if isinstance(data, dict) else list(data)
    items.append(("csrf_token", token))
    from werkzeug.datastructures import MultiDict

    return client.post(url, data=MultiDict(items), **kwargs)


def answer_tenancy(
    client: Any, tenancy: str = TENANCY, postcode: str = POSTCODE, **dob: str
) -> Any:
    submit(client, "/create-account/tenancy-reference", {"tenancy_reference": tenancy})
    submit(client, "/create-account/postcode", {"postcode": postcode})
    return post(client, "/create-account/date-of-birth", dob_form(**dob))


def create_account(
    client: Any,
    sms: Any,
    *,
    sign_in_name: str = "tenant@example.com",
    mobile: str = MOBILE,
    password: str = PASSWORD,
    tenancy: str = TENANCY,
) -> Any:
    """The whole journey; returns the response to 'Create account' (a redirect)."""
    response = answer_tenancy(client, tenancy)
    assert response.headers["Location"].endswith("/create-account/sign-in-name"), response.text[
        :500
    ]
    response = submit(client, "/create-account/sign-in-name", {"sign_in_name": sign_in_name})
    if not sign_in_name.startswith(("0", "+")):
        assert response.headers["Location"].endswith("/create-account/mobile")
        response = submit(client, "/create-account/mobile", {"mobile": mobile})
    assert response.headers["Location"].endswith("/create-account/code"), response.text[:800]
    number = "+44" + re.sub(r"\D", "", mobile)[1:]
    response = submit(client, "/create-account/code", {"code": last_code(sms, number)})
    assert response.headers["Location"].endswith("/create-account/password")
    response = submit(client, "/create-account/password", {"password": password})
    assert response.headers["Location"].endswith("/create-account/check"), response.text[:800]
    return submit(client, "/create-account/check", {})


def sign_in(
    client: Any, name: str = "tenant@example.com", password: str = PASSWORD, **kw: Any
) -> Any:
    return submit(client, "/sign-in", {"sign_in_name": name, "password": password}, **kw)


def sign_out(client: Any) -> Any:
    return submit(client, "/sign-out", {})
