from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from repairs.ports import (
    MAX_DESCRIPTION_LENGTH,
    Appointment,
    BackendError,
    BackendRejected,
    BackendUnavailable,
    NewRepairOrder,
    SlotUnavailable,
    StatusChange,
)
from repairs.priorities import Priority
from repairs.refs import JobNumber, PropertyRef, SubmissionId, TenancyRef
from repairs.slots import Slot, SlotKind
from repairs.statuses import BackendStatus

pytestmark = pytest.mark.unit

JOB = JobNumber("40012345")


def order(description: str) -> NewRepairOrder:
    return NewRepairOrder(
        submission_id=SubmissionId.generate(),
        tenancy_ref=TenancyRef("TEN-100001"),
        property_ref=PropertyRef("PR-000001"),
        sor_code="PLU012",
        priority=Priority.URGENT,
        description=description,
    )


def test_the_description_limit_is_what_the_backend_accepts() -> None:
    # R18
    assert MAX_DESCRIPTION_LENGTH == 255
    assert order("x" * 255).description
    with pytest.raises(ValueError, match="the most the repairs system accepts is 255"):
        order("x" * 256)
    with pytest.raises(ValueError, match="description is required"):
        order("")


@pytest.mark.parametrize(
    "instant",
    [datetime(2026, 6, 8, 9, 0), datetime(2026, 6, 8, 10, 0, tzinfo=timezone(timedelta(hours=1)))],
)
def test_datetimes_crossing_the_ports_must_be_utc(instant: datetime) -> None:
    with pytest.raises(ValueError, match="timezone-aware UTC"):
        Appointment(JOB, Slot(date(2026, 6, 9), SlotKind.AM), instant)
    with pytest.raises(ValueError, match="timezone-aware UTC"):
        StatusChange(1, JOB, BackendStatus.ISSUED, instant, None)


def test_backend_errors_share_one_base_so_callers_can_catch_them_together() -> None:
    for error in (BackendUnavailable, BackendRejected, SlotUnavailable):
        assert issubclass(error, BackendError)
    assert Appointment(JOB, Slot(date(2026, 6, 9), SlotKind.AM), datetime(2026, 6, 8, tzinfo=UTC))
