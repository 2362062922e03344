"""Awaab's Law (England, in force 27 October 2025): hazards and their deadlines (R9, R10, R12)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from repairs.calendar import Division, WorkingDayCalendar
from repairs.periods import Deadline, Period, TargetRule, deadline_after_day
from repairs.ports import Tenure

DAMP_AND_MOULD = "damp_and_mould"


@dataclass(frozen=True)
class Hazard:
    """R12: which hazards count is configuration with the date each came into force."""

    code: str
    name: str
    in_force_from: date


class UnknownHazard(ValueError):
    pass


@dataclass(frozen=True)
class AwaabsLawFollowUps:
    """R9: what is due once the investigation is done, all counted from its date."""

    written_summary: Deadline
    safety_work: Deadline
    further_work_begun: Deadline


@dataclass(frozen=True)
class AwaabsLawPolicy:
    # False for a landlord outside England, where the Act does not apply.
    applies: bool
    tenures: frozenset[Tenure]
    hazards: Mapping[str, Hazard]
    investigate: Period = Period.working_days(10)
    written_summary: Period = Period.working_days(3)
    safety_work: Period = Period.working_days(5)
    further_work_begun: Period = Period.working_days(5)

    def __post_init__(self) -> None:
        object.__setattr__(self, "hazards", MappingProxyType(dict(self.hazards)))
        object.__setattr__(self, "tenures", frozenset(self.tenures))

    def hazard(self, code: str) -> Hazard:
        try:
            return self.hazards[code]
        except KeyError:
            raise UnknownHazard(f"Awaab's Law hazard {code!r} is not configured") from None

    def opens_case(
        self, hazard_code: str, reported_on: date, tenure: Tenure, division: Division
    ) -> bool:
        """R9, R12: an English social tenancy, and the hazard in force on the report date."""
        if not self.applies or tenure not in self.tenures:
            return False
        if division is not Division.ENGLAND_AND_WALES:
            return False
        return reported_on >= self.hazard(hazard_code).in_force_from

    def investigation_due(
        self, hazard_code: str, reported_on: date, calendar: WorkingDayCalendar, division: Division
    ) -> Deadline:
        """R9: investigate within 10 working days of the report."""
        name = self.hazard(hazard_code).name
        reason = f"Awaab's Law: {name.lower()} investigated within {self.investigate.describe()}"
        return deadline_after_day(
            reported_on,
            self.investigate,
            calendar,
            division,
            rule=TargetRule.AWAABS_LAW,
            reason=reason,
        )

    def follow_ups(
        self, investigated_on: date, calendar: WorkingDayCalendar, division: Division
    ) -> AwaabsLawFollowUps:
        """R9: summary in 3 working days, safety work in 5, further work begun in 5."""

        def due(period: Period, what: str) -> Deadline:
            reason = f"Awaab's Law: {what} within {period.describe()} of the investigation"
            return deadline_after_day(
                investigated_on,
                period,
                calendar,
                division,
                rule=TargetRule.AWAABS_LAW,
                reason=reason,
            )

        return AwaabsLawFollowUps(
            written_summary=due(self.written_summary, "written summary sent"),
            safety_work=due(self.safety_work, "safety work done"),
            further_work_begun=due(self.further_work_begun, "further work begun"),
        )
