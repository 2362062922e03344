"""The Tenancies port: the same answers from the fake and from Northgate over HTTP.

R3, R17, R36.
"""

from __future__ import annotations

from datetime import date

import pytest

from repairs.calendar import Division
from repairs.ports import BackendRejected, Tenure
from repairs.refs import TenancyRef
from tests.contract.housing.conftest import Housing

pytestmark = pytest.mark.contract

DEMO = TenancyRef("TEN-100001")
DEMO_POSTCODE = "NB1 2AB"
DEMO_BIRTHDAY = date(1971, 3, 14)


class TestTenancies:
    def test_a_tenant_matches_with_reference_postcode_and_date_of_birth(
        self, housing: Housing
    ) -> None:
        tenancy = housing.backend.match_tenant(DEMO, DEMO_POSTCODE, DEMO_BIRTHDAY)

        assert tenancy is not None
        assert tenancy.ref == DEMO
        assert tenancy.tenure is Tenure.SECURE
        assert tenancy.active
        assert tenancy.tenant_name.strip()
        home = tenancy.property
        assert home.ref.value == "00200001"  # leading zeros kept
        assert home.postcode == "NB1 2AB"
        assert home.maintainable
        assert home.division is Division.ENGLAND_AND_WALES
        assert home.address_lines and all(line.strip() for line in home.address_lines)
        assert home.uprn.isdigit()

    @pytest.mark.parametrize("postcode", ["nb12ab", "  nb1   2ab ", "NB12AB"])
    def test_the_postcode_matches_whatever_its_case_and_spacing(
        self, housing: Housing, postcode: str
    ) -> None:
        assert housing.backend.match_tenant(DEMO, postcode, DEMO_BIRTHDAY) is not None

    @pytest.mark.parametrize(
        ("postcode", "birthday"),
        [
            ("NB1 2AC", DEMO_BIRTHDAY),
            ("NB2 4DE", DEMO_BIRTHDAY),  # another tenant's postcode
            (DEMO_POSTCODE, date(1971, 3, 15)),
            (DEMO_POSTCODE, date(1917, 3, 14)),  # right day and month, wrong year
            ("", DEMO_BIRTHDAY),
            ("   ", DEMO_BIRTHDAY),
        ],
    )
    def test_any_one_wrong_answer_gives_no_match(
        self, housing: Housing, postcode: str, birthday: date
    ) -> None:
        assert housing.backend.match_tenant(DEMO, postcode, birthday) is None

    def test_an_unknown_tenancy_reference_is_no_match_rather_than_an_error(
        self, housing: Housing
    ) -> None:
        # R36: an error here would tell a caller which references exist.
        unknown = TenancyRef("TEN-999999")
        assert housing.backend.match_tenant(unknown, DEMO_POSTCODE, DEMO_BIRTHDAY) is None

    def test_an_ended_tenancy_still_matches_but_is_not_active(self, housing: Housing) -> None:
        tenancy = housing.backend.match_tenant(
            TenancyRef("TEN-100004"), "NB4 8HJ", date(1990, 1, 30)
        )
        assert tenancy is not None
        assert not tenancy.active

    def test_reading_a_tenancy_gives_what_matching_gave(self, housing: Housing) -> None:
        matched = housing.backend.match_tenant(DEMO, "nb1 2ab", DEMO_BIRTHDAY)
        assert housing.backend.tenancy(DEMO) == matched

    def test_a_property_the_landlord_does_not_maintain_says_so(self, housing: Housing) -> None:
        tenancy = housing.backend.tenancy(TenancyRef("TEN-100003"))  # R17
        assert tenancy.tenure is Tenure.LEASEHOLD
        assert not tenancy.property.maintainable

    def test_an_introductory_tenancy_is_told_from_a_secure_one(self, housing: Housing) -> None:
        assert housing.backend.tenancy(TenancyRef("TEN-100002")).tenure is Tenure.INTRODUCTORY

    @pytest.mark.parametrize(
        ("ref", "division"),
        [
            ("TEN-100001", Division.ENGLAND_AND_WALES),
            ("TEN-100005", Division.SCOTLAND),
            ("TEN-100006", Division.NORTHERN_IRELAND),
        ],
    )
    def test_each_property_carries_its_own_bank_holiday_division(
        self, housing: Housing, ref: str, division: Division
    ) -> None:
        assert housing.backend.tenancy(TenancyRef(ref)).property.division is division  # R3

    def test_vulnerability_flags_arrive_in_our_words(self, housing: Housing) -> None:
        flags = housing.backend.tenancy(TenancyRef("TEN-100007")).vulnerability_flags
        assert set(flags) == {"mobility", "hearing"}
        assert housing.backend.tenancy(DEMO).vulnerability_flags == ()

    def test_reading_an_unknown_tenancy_is_rejected(self, housing: Housing) -> None:
        with pytest.raises(BackendRejected):
            housing.backend.tenancy(TenancyRef("TEN-999999"))
