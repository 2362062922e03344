"""Whatever a caller sends, the answer is a documented NG code, never a 500."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import HEADERS, raise_job

pytestmark = pytest.mark.integration

FIELDS = [
    "TENANCY_REF",
    "PROP_REF",
    "SOR_CODE",
    "PRIORITY",
    "DESCRIPTION",
    "ACCESS_NOTES",
    "EXT_REF",
    "POSTCODE",
    "DOB",
    "APPT_DATE",
    "APPT_SLOT",
    "REASON",
    "STATUS",
]
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=300),
    st.sampled_from(["TEN-100001", "00200001", "PL0103", "U", "03/03/2026", "AM", "31/02/2026"]),
    st.lists(st.integers(), max_size=3),
)
BODIES = st.one_of(
    st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=8),
    st.lists(st.integers(), max_size=3),
    st.text(max_size=20),
)
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(body=BODIES)
def test_any_body_posted_to_any_write_endpoint_gets_a_4xx_or_success(
    client: FlaskClient, body: object
) -> None:
    number = raise_job(client)["JOB_NO"]
    for method, path in [
        ("post", "/api/v1/jobs"),
        ("post", "/api/v1/tenancies/verify"),
        ("post", f"/api/v1/jobs/{number}/appointment"),
        ("post", f"/api/v1/jobs/{number}/cancel"),
        ("post", "/_sim/faults"),
        ("post", f"/_sim/jobs/{number}/status"),
    ]:
        response = getattr(client, method)(path, json=body, headers=HEADERS)
        assert response.status_code < 500, (path, body, response.json)
        if response.status_code >= 400:
            assert response.json["ERROR_CODE"].startswith("NG-")
    client.post("/_sim/reset", headers=HEADERS)


@FUZZ
@given(query=st.text(max_size=40))
def test_any_query_string_gets_a_4xx_or_success(client: FlaskClient, query: str) -> None:
    for path in ["/api/v1/jobs/changes", "/api/v1/jobs", "/api/v1/tenancies/TEN-100008/jobs"]:
        for name in ["SINCE_SEQ", "LIMIT", "EXT_REF", "PAGE"]:
            response = client.get(path, query_string={name: query}, headers=HEADERS)
            assert response.status_code < 500, (path, name, query)
