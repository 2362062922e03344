"""Target dates: the earliest of the landlord's, the statutory and Awaab's Law deadlines (R8)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType

from repairs.awaabs_law import DAMP_AND_MOULD, AwaabsLawPolicy
from repairs.calendar import Division, WorkingDayCalendar
from repairs.clock import require_utc
from repairs.local_time import local_date
from repairs.periods import Deadline, Period, TargetRule, deadline_after, deadline_after_day
from repairs.ports import Tenure
from repairs.priorities import Priority
from repairs.right_to_repair import RightToRepairPolicy

_PRIORITY_NAMES = {
    Priority.EMERGENCY: "emergency",
    Priority.URGENT: "urgent",
    Priority.ROUTINE: "routine",
    Priority.DAMP_AND_MOULD: "damp and mould",
}


@dataclass(frozen=True)
class PriorityTarget:
    """R1: the landlord's own target; some landlords also measure the first visit."""

    complete: Period
    attend: Period | None = None


@dataclass(frozen=True)
class Target:
    due: Deadline  # R8: the earliest deadline; due.rule says which rule set it
    candidates: tuple[Deadline, ...]  # every deadline that applied, earliest first
    attend: Deadline | None  # R1: only when the landlord configures an attend target
    reported_at: datetime  # R11: the instant every deadline was counted from
    awaabs_law_case: bool  # R9: never booked as an ordinary routine job
    right_to_repair: bool  # R7: compensation can become due if missed twice

    @property
    def rule(self) -> TargetRule:
        return self.due.rule

    @property
    def due_on(self) -> date:
        return self.due.due_on

    @property
    def explanation(self) -> str:
        return self.due.reason


@dataclass(frozen=True)
class TargetPolicy:
    priorities: Mapping[Priority, PriorityTarget]
    right_to_repair: RightToRepairPolicy
    awaabs_law: AwaabsLawPolicy
    emergency_hazard: Period = Period.hours(24)  # R10

    def __post_init__(self) -> None:
        missing = [p.value for p in Priority if p not in self.priorities]
        if missing:
            raise ValueError(f"no target configured for priority: {', '.join(missing)}")
        object.__setattr__(self, "priorities", MappingProxyType(dict(self.priorities)))

    def target_for(
        self,
        calendar: WorkingDayCalendar,
        *,
        reported_at: datetime,
        priority: Priority,
        tenure: Tenure,
        division: Division,
        defect: str | None = None,
        hazard: str | None = None,
        emergency_hazard: bool = False,
        estimated_cost_pence: int | None = None,
    ) -> Target:
        """R8: the earliest deadline from every rule that applies to this report.

        `reported_at` is the R11 awareness instant. `defect` is a Right to Repair defect code
        (R5); `hazard` an Awaab's Law hazard code (R12), implied by the damp and mould priority
        (R9); `emergency_hazard` marks a suspected emergency hazard (R10).
        """
        report = _Report(calendar, require_utc(reported_at), tenure, division)
        if hazard is None and priority is Priority.DAMP_AND_MOULD:
            hazard = DAMP_AND_MOULD
        right_to_repair = self._right_to_repair_deadline(report, defect, estimated_cost_pence)
        awaabs_law = self._awaabs_law_deadline(report, hazard)
        candidates = [
            deadline
            for deadline in (
                self._priority_deadline(report, priority, attend=False),
                right_to_repair,
                awaabs_law,
                self._emergency_hazard_deadline(report) if emergency_hazard else None,
            )
            if deadline is not None
        ]
        ordered = tuple(sorted(candidates, key=lambda d: d.sort_key))
        return Target(
            due=ordered[0],
            candidates=ordered,
            attend=self._priority_deadline(report, priority, attend=True),
            reported_at=report.reported_at,
            awaabs_law_case=awaabs_law is not None,
            right_to_repair=right_to_repair is not None,
        )

    def _right_to_repair_deadline(
        self, report: _Report, defect: str | None, estimated_cost_pence: int | None
    ) -> Deadline | None:
        if defect is None:
            return None
        chosen = self.right_to_repair.defect(defect)  # an unknown code is a triage bug: raise
        if not self.right_to_repair.qualifies(report.tenure, report.division, estimated_cost_pence):
            return None
        days = Period.working_days(chosen.working_days_on(report.reported_on))
        reason = f"Right to Repair: {chosen.description.lower()}, {days.describe()}"
        return deadline_after_day(
            report.reported_on, days, report.calendar, report.division,
            rule=TargetRule.RIGHT_TO_REPAIR, reason=reason,
        )  # fmt: skip

    def _awaabs_law_deadline(self, report: _Report, hazard: str | None) -> Deadline | None:
        if hazard is None:
            return None
        self.awaabs_law.hazard(hazard)  # an unknown code is a triage bug: raise
        law = self.awaabs_law
        if not law.opens_case(hazard, report.reported_on, report.tenure, report.division):
            return None
        return law.investigation_due(hazard, report.reported_on, report.calendar, report.division)

    def _emergency_hazard_deadline(self, report: _Report) -> Deadline:
        reason = f"Emergency hazard: made safe within {self.emergency_hazard.describe()}"
        return deadline_after(
            report.reported_at, self.emergency_hazard, report.calendar, report.division,
            rule=TargetRule.EMERGENCY_HAZARD, reason=reason,
        )  # fmt: skip

    def _priority_deadline(
        self, report: _Report, priority: Priority, *, attend: bool
    ) -> Deadline | None:
        """R1: the completion target, or the attend target when the landlord configures one."""
        target = self.priorities[priority]
        period = target.attend if attend else target.complete
        if period is None:
            return None
        what = "attending " if attend else ""
        reason = f"Our target for {what}{_PRIORITY_NAMES[priority]} repairs: {period.describe()}"
        return deadline_after(
            report.reported_at, period, report.calendar, report.division,
            rule=TargetRule.PRIORITY, reason=reason,
        )  # fmt: skip


@dataclass(frozen=True)
class _Report:
    calendar: WorkingDayCalendar
    reported_at: datetime
    tenure: Tenure
    division: Division

    @property
    def reported_on(self) -> date:
        return local_date(self.reported_at)
