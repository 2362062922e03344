"""Tenancy verification and reads, the SOR catalogue, and the API key."""

from __future__ import annotations

import csv

import pytest
from flask.testing import FlaskClient

from simulators.northgate.catalogue import CATALOGUE_FILE, TRADES

from .conftest import HEADERS

pytestmark = pytest.mark.integration

FIRST_DEMO = {"TENANCY_REF": "TEN-100001", "POSTCODE": "NB1 2AB", "DOB": "14/03/1971"}


def verify(client: FlaskClient, **changes: str) -> tuple[int, dict[str, str]]:
    response = client.post("/api/v1/tenancies/verify", json=FIRST_DEMO | changes, headers=HEADERS)
    return response.status_code, response.json  # type: ignore[return-value]


@pytest.mark.parametrize(
    "path", ["/api/v1/tenancies/TEN-100001", "/api/v1/sor", "/_sim/faults", "/api/v1/nowhere"]
)
def test_a_call_without_the_api_key_is_refused_with_an_ng_error(
    client: FlaskClient, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 401
    assert response.json == {"ERROR_CODE": "NG-0401", "ERROR_TEXT": "Missing or invalid X-API-Key"}


def test_a_call_with_the_wrong_api_key_is_refused(client: FlaskClient) -> None:
    response = client.get("/api/v1/sor", headers={"X-API-Key": "demo-northgate-key-wrong"})
    assert response.status_code == 401
    assert response.json["ERROR_CODE"] == "NG-0401"


def test_the_first_demo_tenant_matches_with_tenure_and_status(client: FlaskClient) -> None:
    status, body = verify(client)
    assert status == 200
    assert body == {
        "MATCH": "Y",
        "TENANCY_REF": "TEN-100001",
        "PROP_REF": "00200001",
        "TENURE": "SEC",
        "TEN_STATUS": "CUR",
    }


def test_the_postcode_compare_ignores_case_and_spaces(client: FlaskClient) -> None:
    assert verify(client, POSTCODE=" nb12 ab ", TENANCY_REF="ten-100001")[1]["MATCH"] == "Y"


@pytest.mark.parametrize(
    "changes",
    [{"DOB": "15/03/1971"}, {"POSTCODE": "NB1 2AC"}, {"TENANCY_REF": "TEN-999999"}],
)
def test_a_wrong_detail_or_unknown_tenancy_is_no_match_and_reveals_nothing(
    client: FlaskClient, changes: dict[str, str]
) -> None:
    assert verify(client, **changes) == (200, {"MATCH": "N"})


def test_an_ended_tenancy_still_matches_and_says_it_has_ended(client: FlaskClient) -> None:
    status, body = verify(client, TENANCY_REF="TEN-100004", POSTCODE="NB4 8HJ", DOB="30/01/1990")
    assert (status, body["MATCH"], body["TEN_STATUS"]) == (200, "Y", "END")


def test_a_leaseholder_matches_with_the_leasehold_tenure(client: FlaskClient) -> None:
    status, body = verify(client, TENANCY_REF="TEN-100003", POSTCODE="NB3 6FG", DOB="23/07/1958")
    assert (body["MATCH"], body["TENURE"]) == ("Y", "LSH")


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"DOB": "1971-03-14"}, "NG-1002"),
        ({"DOB": "31/02/1971"}, "NG-1002"),
        ({"DOB": ""}, "NG-1001"),
    ],
)
def test_a_malformed_date_of_birth_is_a_400(
    client: FlaskClient, changes: dict[str, str], code: str
) -> None:
    status, body = verify(client, **changes)
    assert (status, body["ERROR_CODE"]) == (400, code)


def test_a_body_that_is_not_a_json_object_is_a_400(client: FlaskClient) -> None:
    response = client.post("/api/v1/tenancies/verify", data="[1, 2]", headers=HEADERS)
    assert (response.status_code, response.json["ERROR_CODE"]) == (400, "NG-1000")


def test_a_tenancy_reads_with_name_tenure_status_and_vulnerability_codes(
    client: FlaskClient,
) -> None:
    body = client.get("/api/v1/tenancies/TEN-100007", headers=HEADERS).json
    assert body["TENURE"] == "SEC" and body["TEN_STATUS"] == "CUR"
    assert body["VULN_FLAGS"] == ["VUL-MOB", "VUL-HEA"]
    assert body["TENANT_NAME"].endswith(body["TENANT_SURNAME"])
    assert body["END_DATE"] == ""
    assert "DOB" not in body


def test_an_unknown_tenancy_is_a_404(client: FlaskClient) -> None:
    response = client.get("/api/v1/tenancies/TEN-000001", headers=HEADERS)
    assert (response.status_code, response.json["ERROR_CODE"]) == (404, "NG-1100")


def test_a_property_reads_with_address_postcode_uprn_and_flags(client: FlaskClient) -> None:
    body = client.get("/api/v1/properties/00200001", headers=HEADERS).json
    assert body["POSTCODE"] == "NB1 2AB"
    assert (body["MAINT_FLAG"], body["BH_REGION"]) == ("Y", "EAW")
    assert body["ADDR_LINE_1"] and len(body["UPRN"]) == 12
    scottish = client.get("/api/v1/properties/00200005", headers=HEADERS).json
    assert scottish["BH_REGION"] == "SCO"


def test_an_unknown_property_is_a_404(client: FlaskClient) -> None:
    response = client.get("/api/v1/properties/200001", headers=HEADERS)
    assert (response.status_code, response.json["ERROR_CODE"]) == (404, "NG-1101")


def test_the_catalogue_has_at_least_sixty_codes_covering_every_trade(client: FlaskClient) -> None:
    body = client.get("/api/v1/sor", headers=HEADERS).json
    assert body["TOTAL"] == len(body["ITEMS"]) >= 60
    assert {item["TRADE"] for item in body["ITEMS"]} == set(TRADES)
    assert {item["DEFAULT_PRIORITY"] for item in body["ITEMS"]} == {"E", "U", "R", "D"}


def test_the_catalogue_endpoint_agrees_with_the_shipped_csv(client: FlaskClient) -> None:
    with CATALOGUE_FILE.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert client.get("/api/v1/sor", headers=HEADERS).json["ITEMS"] == rows


def test_one_sor_code_reads_and_an_unknown_one_is_a_404(client: FlaskClient) -> None:
    item = client.get("/api/v1/sor/dm0701", headers=HEADERS).json
    assert (item["TRADE"], item["DEFAULT_PRIORITY"]) == ("DAMP", "D")
    missing = client.get("/api/v1/sor/XX9999", headers=HEADERS)
    assert (missing.status_code, missing.json["ERROR_CODE"]) == (404, "NG-1103")


def test_the_catalogue_filters_by_trade(client: FlaskClient) -> None:
    items = client.get("/api/v1/sor?TRADE=GLAZ", headers=HEADERS).json["ITEMS"]
    assert items and {item["TRADE"] for item in items} == {"GLAZ"}
