"""Builders shared by the reporting tests (unit, integration and web)."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path

import yaml

from adapters.bank_holidays import GovukBankHolidays
from repairs.calendar import Division, WorkingDayCalendar
from repairs.policy import RepairsPolicy
from repairs.ports import Tenure
from repairs.priorities import Priority
from repairs.refs import PropertyRef, RepairRef, SubmissionId, TenancyRef
from repairs.repair import Repair, RepairDetails
from repairs.reporting import Actor, ReportFacts, TenancyFacts
from repairs.triage import TriageTree

ROOT = Path(__file__).resolve().parents[3]
DEMO_TENANCY = TenancyRef("TEN-100001")
DEMO_PROPERTY = PropertyRef("00200001")
MOBILE = "+447700900123"


@cache
def policy() -> RepairsPolicy:
    landlord = yaml.safe_load((ROOT / "config" / "landlord.yaml").read_text())
    return RepairsPolicy.from_mapping(landlord["repairs"])


@cache
def calendar() -> WorkingDayCalendar:
    return policy().calendar(GovukBankHolidays())


@cache
def tree() -> TriageTree:
    return TriageTree.from_mapping(yaml.safe_load((ROOT / "config" / "triage.yaml").read_text()))


def demo_facts(**changes: object) -> TenancyFacts:
    values: dict[str, object] = {
        "tenancy_ref": DEMO_TENANCY,
        "property_ref": DEMO_PROPERTY,
        "tenure": Tenure.SECURE,
        "division": Division.ENGLAND_AND_WALES,
        "maintainable": True,
        "active": True,
    }
    values.update(changes)
    return TenancyFacts(**values)  # type: ignore[arg-type]


def new_repair(
    reported_at: datetime,
    *,
    ref: RepairRef | None = None,
    submission_id: SubmissionId | None = None,
    priority: Priority = Priority.URGENT,
    sor_code: str = "PL0103",
) -> Repair:
    from repairs.priorities import Channel, Trade

    target = policy().targets.target_for(
        calendar(),
        reported_at=reported_at,
        priority=priority,
        tenure=Tenure.SECURE,
        division=Division.ENGLAND_AND_WALES,
    )
    details = RepairDetails(
        ref=ref or RepairRef.generate(),
        submission_id=submission_id or SubmissionId.generate(),
        tenancy_ref=DEMO_TENANCY,
        property_ref=DEMO_PROPERTY,
        sor_code=sor_code,
        description="The kitchen sink will not drain",
        priority=priority,
        trade=Trade.PLUMBING,
        channel=Channel.ONLINE,
        reported_at=reported_at,
    )
    return Repair.report(details, target)


def facts(**changes: object) -> ReportFacts:
    values: dict[str, object] = {
        "triage_path": "kitchen/sink_and_taps/sink_blocked",
        "access_notes": "Dog in the garden",
        "contact_mobile": MOBILE,
        "actor": Actor.tenant(),
        "right_to_repair": True,
    }
    values.update(changes)
    return ReportFacts(**values)  # type: ignore[arg-type]
