from __future__ import annotations

import pytest

from repairs.statuses import BackendStatus, StatusMapping, TenantStatus

pytestmark = pytest.mark.unit


def honest_statuses() -> dict[BackendStatus, TenantStatus]:
    return {
        BackendStatus.LOGGED: TenantStatus("Received", True, False),
        BackendStatus.ISSUED: TenantStatus("With the repairs team", True, False),
        BackendStatus.APPOINTMENT_MADE: TenantStatus("Appointment booked", True, False),
        BackendStatus.IN_PROGRESS: TenantStatus("Work started", True, False),
        BackendStatus.NO_ACCESS: TenantStatus("No access \u2013 please rebook", True, True),
        BackendStatus.FURTHER_WORK: TenantStatus("Further work needed", True, False),
        BackendStatus.COMPLETED: TenantStatus("Job closed as completed", False, False),
        BackendStatus.CANCELLED: TenantStatus("Cancelled", False, False),
    }


def test_every_backend_status_has_its_own_tenant_status() -> None:
    # R46
    mapping = StatusMapping(honest_statuses())
    assert mapping[BackendStatus.NO_ACCESS].tenant_should_act
    assert mapping[BackendStatus.FURTHER_WORK].label == "Further work needed"
    assert not mapping[BackendStatus.COMPLETED].is_open


def test_a_mapping_missing_a_status_is_refused() -> None:
    statuses = honest_statuses()
    del statuses[BackendStatus.FURTHER_WORK]
    with pytest.raises(ValueError, match="further_work: no tenant status configured"):
        StatusMapping(statuses)


def test_no_access_cannot_share_a_label_with_another_status() -> None:
    # R46: "no access - please rebook" is a status of its own
    statuses = honest_statuses()
    statuses[BackendStatus.NO_ACCESS] = TenantStatus("Appointment booked", True, True)
    with pytest.raises(ValueError, match="also used by appointment_made"):
        StatusMapping(statuses)


def test_a_closed_job_may_not_be_called_fixed() -> None:
    # R46: "closed" is not "fixed"
    statuses = honest_statuses()
    statuses[BackendStatus.COMPLETED] = TenantStatus("Fixed", False, False)
    with pytest.raises(ValueError, match="not proof the problem is fixed"):
        StatusMapping(statuses)


def test_completed_and_cancelled_must_be_closed_and_the_rest_open() -> None:
    statuses = honest_statuses()
    statuses[BackendStatus.CANCELLED] = TenantStatus("Cancelled", True, False)
    with pytest.raises(ValueError, match="cancelled: must be closed"):
        StatusMapping(statuses)
    statuses = honest_statuses()
    statuses[BackendStatus.NO_ACCESS] = TenantStatus("No access", False, True)
    with pytest.raises(ValueError, match="no_access: must be open"):
        StatusMapping(statuses)
