"""The `repairs:` section of the landlord configuration, validated at start-up.

Configuration is data, never code: a bad value stops start-up with a PolicyError naming the
key path, e.g. `repairs.slots.am.start: "25:00" is not a time (24-hour "HH:MM")`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from repairs.awaabs_law import DAMP_AND_MOULD, AwaabsLawPolicy, Hazard
from repairs.calendar import BankHolidaySource, WorkingDayCalendar
from repairs.config_reader import Node, PolicyError
from repairs.periods import Period
from repairs.ports import Tenure
from repairs.priorities import Priority
from repairs.right_to_repair import (
    Compensation,
    MonthDay,
    RightToRepairDefect,
    RightToRepairPolicy,
    Season,
)
from repairs.slots import SlotKind, SlotTimes, SlotWindow
from repairs.statuses import BackendStatus, StatusMapping, TenantStatus
from repairs.targets import PriorityTarget, TargetPolicy

__all__ = ["PolicyError", "RepairsPolicy"]

_SECTIONS = (
    "priorities", "closure_days", "slots", "appointments", "statuses",
    "right_to_repair", "emergency_hazard", "awaabs_law",
)  # fmt: skip


@dataclass(frozen=True)
class RepairsPolicy:
    targets: TargetPolicy
    slot_times: SlotTimes
    statuses: StatusMapping
    closure_days: frozenset[date]
    change_cut_off_working_days: int  # R23

    @classmethod
    def from_mapping(cls, data: Mapping[str, object], path: str = "repairs") -> RepairsPolicy:
        """Build from the parsed `repairs:` section; raises PolicyError on the first problem."""
        root = Node(data, path).mapping(required=_SECTIONS)
        return cls(
            targets=TargetPolicy(
                priorities=_priorities(root["priorities"]),
                right_to_repair=_right_to_repair(root["right_to_repair"]),
                awaabs_law=_awaabs_law(root["awaabs_law"]),
                emergency_hazard=_period(root["emergency_hazard"], "clock_hours"),
            ),
            slot_times=_slot_times(root["slots"]),
            statuses=_statuses(root["statuses"]),
            closure_days=frozenset(day.calendar_date() for day in root["closure_days"].elements()),
            change_cut_off_working_days=root["appointments"]
            .mapping(required=("change_cut_off_working_days",))["change_cut_off_working_days"]
            .integer(minimum=0),
        )

    def calendar(self, source: BankHolidaySource) -> WorkingDayCalendar:
        """R2: the working-day calendar with this landlord's closure days."""
        return WorkingDayCalendar(source, self.closure_days)


def _period(node: Node, *units: str) -> Period:
    """`{working_days: 5}` or `{clock_hours: 24}`: exactly one unit, from those allowed."""
    node.mapping(optional=units)
    given = [(unit, sub) for unit, sub in node.items()]
    if len(given) != 1:
        raise node.fail(f"give exactly one of {', '.join(units)}")
    unit, amount = given[0]
    value = amount.integer(minimum=1)
    return Period.hours(value) if unit == "clock_hours" else Period.working_days(value)


def _priorities(node: Node) -> dict[Priority, PriorityTarget]:
    # R1: every priority needs a target; attend is optional.
    node.mapping(required=tuple(Priority))
    targets = {}
    for priority in Priority:
        entry = node[priority.value].mapping(required=("complete",), optional=("attend",))
        attend = entry.get("attend")
        targets[priority] = PriorityTarget(
            complete=_period(entry["complete"], "clock_hours", "working_days"),
            attend=_period(attend, "clock_hours", "working_days") if attend else None,
        )
    return targets


def _slot_times(node: Node) -> SlotTimes:
    # R21: Europe/London wall-clock times for every slot kind.
    node.mapping(required=tuple(SlotKind))
    windows = {}
    for kind in SlotKind:
        entry = node[kind.value].mapping(required=("name", "start", "end"))
        start, end = entry["start"].time_of_day(), entry["end"].time_of_day()
        if end <= start:
            raise entry["end"].fail(f"{end:%H:%M} is not after the start, {start:%H:%M}")
        windows[kind] = SlotWindow(entry["name"].text(), start, end)
    return SlotTimes(windows)


def _statuses(node: Node) -> StatusMapping:
    # R46: every backend status mapped to an honest tenant status of its own.
    node.mapping(required=tuple(BackendStatus))
    statuses = {}
    for status in BackendStatus:
        entry = node[status.value].mapping(
            required=("label", "open", "tenant_should_act"), optional=("hint",)
        )
        hint = entry.get("hint")
        statuses[status] = TenantStatus(
            label=entry["label"].text(),
            is_open=entry["open"].boolean(),
            tenant_should_act=entry["tenant_should_act"].boolean(),
            hint=hint.text() if hint else "",
        )
    try:
        return StatusMapping(statuses)
    except ValueError as error:
        raise PolicyError(f"{node.path}.{error}") from None


def _pence(node: Node, key: str) -> int:
    return node[key].integer(minimum=0) * 100


def _right_to_repair(node: Node) -> RightToRepairPolicy:
    # R5-R7: SI 1994/133.
    node.mapping(required=("applies", "cost_limit_pounds", "compensation", "defects"))
    money = node["compensation"].mapping(required=("base_pounds", "per_day_pounds", "cap_pounds"))
    return RightToRepairPolicy(
        applies=node["applies"].boolean(),
        cost_limit_pence=_pence(node, "cost_limit_pounds"),
        compensation=Compensation(
            _pence(money, "base_pounds"),
            _pence(money, "per_day_pounds"),
            _pence(money, "cap_pounds"),
        ),
        defects={code: _defect(code, entry) for code, entry in node["defects"].items()},
    )


def _defect(code: str, node: Node) -> RightToRepairDefect:
    node.mapping(required=("description",), optional=("working_days", "seasons"))
    if (node.get("working_days") is None) == (node.get("seasons") is None):
        raise node.fail("give either working_days or seasons")
    description = node["description"].text()
    days = node.get("working_days")
    if days is not None:
        return RightToRepairDefect.all_year(code, description, days.integer(minimum=1))
    seasons = tuple(_season(season) for season in node["seasons"].elements())
    try:
        return RightToRepairDefect(code, description, seasons)
    except ValueError as error:
        raise node["seasons"].fail(str(error)) from None


def _season(node: Node) -> Season:
    # R6: e.g. {from: "11-01", to: "04-30", working_days: 1}
    node.mapping(required=("from", "to", "working_days"))
    ends = []
    for key in ("from", "to"):
        try:
            ends.append(MonthDay.parse(node[key].text()))
        except ValueError as error:
            raise node[key].fail(str(error)) from None
    return Season(ends[0], ends[1], node["working_days"].integer(minimum=1))


def _awaabs_law(node: Node) -> AwaabsLawPolicy:
    # R9, R12.
    periods = ("investigate", "written_summary", "safety_work", "further_work_begun")
    node.mapping(required=("applies", "tenures", "hazards", *periods))
    tenures = {t.value: t for t in Tenure}
    hazards = {code: _hazard(code, entry) for code, entry in node["hazards"].items()}
    if DAMP_AND_MOULD not in hazards:
        raise node["hazards"].fail(f"{DAMP_AND_MOULD} is required: R9 opens a case for it")
    return AwaabsLawPolicy(
        applies=node["applies"].boolean(),
        tenures=frozenset(t.choice(tenures) for t in node["tenures"].elements()),
        hazards=hazards,
        investigate=_period(node["investigate"], "working_days"),
        written_summary=_period(node["written_summary"], "working_days"),
        safety_work=_period(node["safety_work"], "working_days"),
        further_work_begun=_period(node["further_work_begun"], "working_days"),
    )


def _hazard(code: str, node: Node) -> Hazard:
    node.mapping(required=("name", "in_force_from"))
    return Hazard(code, node["name"].text(), node["in_force_from"].calendar_date())
