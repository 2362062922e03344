"""Whatever is posted to any account form, the answer is a page or a redirect, never a 500."""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from tests.support.forms import csrf_token_from
from tests.web.accounts.support import create_account, sign_in

pytestmark = pytest.mark.web

ANONYMOUS_FORMS = [
    "/sign-in",
    "/create-account/tenancy-reference",
    "/create-account/postcode",
    "/create-account/date-of-birth",
    "/create-account/sign-in-name",
    "/create-account/mobile",
    "/create-account/send-code",
    "/create-account/code",
    "/create-account/password",
    "/create-account/check",
    "/reset-password",
    "/reset-password/send-code",
    "/reset-password/code",
    "/reset-password/new-password",
    "/session/extend",
]
SIGNED_IN_FORMS = [
    "/account/text-reminders",
    "/account/mobile",
    "/account/mobile/code",
    "/account/delete",
    "/session/extend",
]
FIELDS = [
    "sign_in_name",
    "password",
    "next",
    "tenancy_reference",
    "postcode",
    "date_of_birth",
    "mobile",
    "code",
    "reminders",
    "unexpected",
]
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

values = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=60),
    st.sampled_from(
        [
            "TEN-100001",
            "NB1 2AB",
            "14",
            "3",
            "1971",
            "07700 900123",
            "yes",
            "no",
            "a@example.com",
            "//evil.example",
            "kettle orchard window",
            "000000",
        ]
    ),
    st.text(max_size=3).map(lambda s: s * 700),
)
payloads = st.lists(st.tuples(st.sampled_from(FIELDS), values), max_size=8)


def _post(client, url, fields, token_page="/sign-in"):
    token = csrf_token_from(client.get(token_page).text)
    data = MultiDict([*fields, ("csrf_token", token)])
    return client.post(url, data=data)


@given(url=st.sampled_from(ANONYMOUS_FORMS), fields=payloads)
@SETTINGS
def test_random_answers_to_the_public_forms_never_cause_a_server_error(client, url, fields):
    response = _post(client, url, fields)
    assert response.status_code < 500, response.text[:500]


@given(url=st.sampled_from(SIGNED_IN_FORMS), fields=payloads)
@SETTINGS
def test_random_answers_to_the_signed_in_forms_never_cause_a_server_error(
    app, sms, clock, url, fields
):
    client = app.extensions.setdefault("fuzz_client", app.test_client())
    clock.advance(timedelta(minutes=16))  # past any sign-in wait from earlier examples
    if client.get("/account/text-reminders").status_code != 200:
        name = f"fuzz{len(sms.sent)}@example.com"
        if sign_in(client, name).status_code != 302:  # deleted by an earlier example
            create_account(client, sms, sign_in_name=name)
    response = _post(client, url, fields, token_page="/account/text-reminders")
    assert response.status_code < 500, response.text[:500]
