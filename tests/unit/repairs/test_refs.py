from __future__ import annotations

import uuid

import pytest

from repairs.refs import (
    REPAIR_REF_ALPHABET,
    JobNumber,
    PropertyRef,
    RepairRef,
    SubmissionId,
    TenancyRef,
)

pytestmark = pytest.mark.unit


def test_a_generated_repair_reference_is_rr_and_six_unambiguous_characters() -> None:
    ref = RepairRef.generate()
    assert ref.value.startswith("RR-")
    assert len(ref.value) == 9
    assert set(ref.value[3:]) <= set(REPAIR_REF_ALPHABET)
    assert not set("01OILU") & set(REPAIR_REF_ALPHABET)


def test_generated_repair_references_do_not_repeat() -> None:
    assert len({RepairRef.generate() for _ in range(2000)}) == 2000


def test_a_repair_reference_typed_loosely_is_understood() -> None:
    assert RepairRef.parse(" rr 7k3m9q ") == RepairRef("RR-7K3M9Q")
    assert RepairRef.parse("RR7K3M9Q") == RepairRef("RR-7K3M9Q")


@pytest.mark.parametrize(
    "bad", ["RR-7K3M9", "RR-7K3M9QQ", "RR-7K3M0Q", "XX-7K3M9Q", "", "rr-7k3m9q"]
)
def test_a_malformed_repair_reference_is_refused_with_a_clear_message(bad: str) -> None:
    with pytest.raises(ValueError, match="repair reference .* is not valid"):
        RepairRef(bad)


def test_a_tenancy_reference_from_a_tenant_is_normalised() -> None:
    assert TenancyRef.parse(" ten-100001 ") == TenancyRef("TEN-100001")


@pytest.mark.parametrize("kind", [TenancyRef, PropertyRef, JobNumber])
@pytest.mark.parametrize("bad", ["", "-TEN1", "TEN 1", "ten-1", "A" * 31, "TEN-1-", "TEN_1"])
def test_malformed_backend_references_are_refused(kind: type, bad: str) -> None:
    with pytest.raises(ValueError, match="is not valid"):
        kind(bad)


def test_backend_references_accept_the_forms_housing_systems_use() -> None:
    assert str(PropertyRef("PR/0042")) == "PR/0042"
    assert str(JobNumber("40012345")) == "40012345"
    assert str(TenancyRef("TEN-100001")) == "TEN-100001"


def test_references_of_different_kinds_are_never_equal() -> None:
    assert TenancyRef("X1") != PropertyRef("X1")  # type: ignore[comparison-overlap]


def test_a_submission_id_is_a_canonical_uuid4() -> None:
    generated = SubmissionId.generate()
    assert uuid.UUID(generated.value).version == 4
    with pytest.raises(ValueError, match="lower-case uuid4"):
        SubmissionId(str(uuid.uuid1()))
    with pytest.raises(ValueError, match="lower-case uuid4"):
        SubmissionId(generated.value.upper())
    with pytest.raises(ValueError, match="lower-case uuid4"):
        SubmissionId("not-a-uuid")
