from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest

from repairs.periods import Period
from repairs.policy import PolicyError, RepairsPolicy
from repairs.priorities import Priority
from repairs.slots import SlotKind
from repairs.statuses import BackendStatus

pytestmark = pytest.mark.unit


def error_for(data: dict[str, Any]) -> str:
    with pytest.raises(PolicyError) as caught:
        RepairsPolicy.from_mapping(data)
    return str(caught.value)


def test_the_shipped_configuration_is_valid(policy: RepairsPolicy) -> None:
    targets = policy.targets.priorities
    assert targets[Priority.EMERGENCY].complete == Period.hours(24)  # R1
    assert targets[Priority.URGENT].complete == Period.working_days(5)
    assert targets[Priority.ROUTINE].complete == Period.working_days(20)
    assert policy.slot_times[SlotKind.AM].start == time(8)  # R21
    assert policy.slot_times[SlotKind.ALL_DAY].end == time(16)
    assert policy.change_cut_off_working_days == 1  # R23
    assert policy.statuses[BackendStatus.NO_ACCESS].tenant_should_act  # R46
    assert date(2026, 12, 30) in policy.closure_days  # R2
    assert policy.targets.awaabs_law.hazard("damp_and_mould").in_force_from == date(2025, 10, 27)


def test_a_bad_slot_time_names_the_key_path(policy_data: dict[str, Any]) -> None:
    policy_data["slots"]["am"]["start"] = "25:00"
    assert (
        error_for(policy_data) == 'repairs.slots.am.start: "25:00" is not a time (24-hour "HH:MM")'
    )


def test_an_unquoted_yaml_time_is_explained(policy_data: dict[str, Any]) -> None:
    policy_data["slots"]["pm"]["start"] = 720  # what YAML makes of 12:00 unquoted
    assert error_for(policy_data) == (
        'repairs.slots.pm.start: 720 is not a time; write times in quotes, "HH:MM"'
    )


def test_a_slot_that_ends_before_it_starts_is_refused(policy_data: dict[str, Any]) -> None:
    policy_data["slots"]["pm"]["end"] = "11:00"
    assert error_for(policy_data) == ("repairs.slots.pm.end: 11:00 is not after the start, 12:00")


def test_a_missing_section_is_named(policy_data: dict[str, Any]) -> None:
    del policy_data["statuses"]
    assert error_for(policy_data) == "repairs.statuses: is required"


def test_a_misspelt_key_is_refused_not_ignored(policy_data: dict[str, Any]) -> None:
    policy_data["priorities"]["urgent"]["compelte"] = {"working_days": 5}
    assert error_for(policy_data).startswith("repairs.priorities.urgent.compelte: unknown key")


def test_a_priority_without_a_target_is_refused(policy_data: dict[str, Any]) -> None:
    # R1
    del policy_data["priorities"]["damp_and_mould"]
    assert error_for(policy_data) == "repairs.priorities.damp_and_mould: is required"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"working_days": 0}, "repairs.priorities.urgent.complete.working_days: 0 is less than 1"),
        ({"working_days": "5"}, 'repairs.priorities.urgent.complete.working_days: "5" is not'),
        ({"working_days": True}, "repairs.priorities.urgent.complete.working_days: True is not"),
        (
            {"working_days": 5, "clock_hours": 24},
            "repairs.priorities.urgent.complete: give exactly",
        ),
        ({"days": 5}, "repairs.priorities.urgent.complete.days: unknown key"),
        (5, "repairs.priorities.urgent.complete: 5 is not a mapping"),
    ],
)
def test_a_bad_target_period_is_explained(
    policy_data: dict[str, Any], value: object, message: str
) -> None:
    policy_data["priorities"]["urgent"]["complete"] = value
    assert error_for(policy_data).startswith(message)


def test_the_emergency_hazard_must_be_counted_in_hours(policy_data: dict[str, Any]) -> None:
    # R10
    policy_data["emergency_hazard"] = {"working_days": 1}
    assert error_for(policy_data).startswith("repairs.emergency_hazard.working_days: unknown key")


def test_a_bad_closure_day_names_its_position(policy_data: dict[str, Any]) -> None:
    policy_data["closure_days"][1] = "2026-12-32"
    assert error_for(policy_data) == (
        'repairs.closure_days[1]: "2026-12-32" is not a date (YYYY-MM-DD)'
    )


def test_closure_days_may_be_written_as_yaml_dates(policy_data: dict[str, Any]) -> None:
    policy_data["closure_days"] = [date(2026, 12, 29)]
    assert RepairsPolicy.from_mapping(policy_data).closure_days == {date(2026, 12, 29)}


def test_a_status_mapping_missing_no_access_is_refused(policy_data: dict[str, Any]) -> None:
    # R46
    del policy_data["statuses"]["no_access"]
    assert error_for(policy_data) == "repairs.statuses.no_access: is required"


def test_a_dishonest_status_label_is_refused(policy_data: dict[str, Any]) -> None:
    # R46: "closed" is not "fixed"
    policy_data["statuses"]["completed"]["label"] = "Fixed"
    assert error_for(policy_data).startswith("repairs.statuses.completed: label 'Fixed' says")


def test_further_work_may_not_borrow_another_statuss_label(policy_data: dict[str, Any]) -> None:
    # R46
    policy_data["statuses"]["further_work"]["label"] = "Work started"
    assert error_for(policy_data) == (
        "repairs.statuses.further_work: label 'Work started' is also used by in_progress"
    )


def test_a_status_flag_must_be_true_or_false(policy_data: dict[str, Any]) -> None:
    policy_data["statuses"]["logged"]["open"] = "yes"
    assert error_for(policy_data) == 'repairs.statuses.logged.open: "yes" is not true or false'


def test_seasons_that_leave_a_gap_are_refused(policy_data: dict[str, Any]) -> None:
    # R6: every report date must fall in exactly one season
    heating = policy_data["right_to_repair"]["defects"]["loss_of_space_or_water_heating"]
    heating["seasons"][1]["from"] = "05-02"
    assert error_for(policy_data) == (
        "repairs.right_to_repair.defects.loss_of_space_or_water_heating.seasons: "
        "1 May is in no season"
    )


def test_a_badly_written_season_date_is_explained(policy_data: dict[str, Any]) -> None:
    heating = policy_data["right_to_repair"]["defects"]["loss_of_space_or_water_heating"]
    heating["seasons"][0]["to"] = "04-31"
    assert error_for(policy_data) == (
        "repairs.right_to_repair.defects.loss_of_space_or_water_heating.seasons[0].to: "
        "04-31 is not a day of the year"
    )


def test_a_defect_needs_exactly_one_way_of_giving_its_period(policy_data: dict[str, Any]) -> None:
    policy_data["right_to_repair"]["defects"]["leaking_roof"]["seasons"] = []
    assert error_for(policy_data) == (
        "repairs.right_to_repair.defects.leaking_roof: give either working_days or seasons"
    )


def test_compensation_is_configured_in_pounds_and_kept_in_pence(policy: RepairsPolicy) -> None:
    # R7
    compensation = policy.targets.right_to_repair.compensation
    assert (compensation.base_pence, compensation.per_day_pence, compensation.cap_pence) == (
        1000,
        200,
        5000,
    )
    assert policy.targets.right_to_repair.cost_limit_pence == 25_000  # R5


def test_an_unknown_tenure_for_awaabs_law_is_refused(policy_data: dict[str, Any]) -> None:
    policy_data["awaabs_law"]["tenures"] = ["secure", "assured"]
    assert error_for(policy_data) == (
        'repairs.awaabs_law.tenures[1]: "assured" is not one of secure, introductory, leasehold'
    )


def test_awaabs_law_needs_the_damp_and_mould_hazard(policy_data: dict[str, Any]) -> None:
    # R9, R12
    policy_data["awaabs_law"]["hazards"] = {
        "excess_cold": {"name": "Excess cold", "in_force_from": "2026-10-01"}
    }
    assert error_for(policy_data).startswith(
        "repairs.awaabs_law.hazards: damp_and_mould is required"
    )


def test_a_hazard_without_an_in_force_date_is_refused(policy_data: dict[str, Any]) -> None:
    # R12: hazards count from a configured date
    del policy_data["awaabs_law"]["hazards"]["damp_and_mould"]["in_force_from"]
    assert error_for(policy_data) == (
        "repairs.awaabs_law.hazards.damp_and_mould.in_force_from: is required"
    )


def test_the_change_cut_off_cannot_be_negative(policy_data: dict[str, Any]) -> None:
    policy_data["appointments"]["change_cut_off_working_days"] = -1
    assert error_for(policy_data) == (
        "repairs.appointments.change_cut_off_working_days: -1 is less than 0"
    )


def test_the_section_itself_must_be_a_mapping() -> None:
    assert error_for(["not", "a", "mapping"]) == (  # type: ignore[arg-type]
        "repairs: ['not', 'a', 'mapping'] is not a mapping of keys to values"
    )
