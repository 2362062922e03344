from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repairs.awaabs_law import UnknownHazard
from repairs.calendar import Division, WorkingDayCalendar
from repairs.local_time import LONDON, local_instant
from repairs.periods import Period, TargetRule
from repairs.policy import RepairsPolicy
from repairs.ports import Tenure
from repairs.priorities import Priority
from repairs.right_to_repair import UnknownDefect
from repairs.targets import PriorityTarget, Target, TargetPolicy
from tests.unit.repairs.fakes import HOLIDAYS, FakeBankHolidays

pytestmark = pytest.mark.unit

EAW = Division.ENGLAND_AND_WALES
SCO = Division.SCOTLAND
NIR = Division.NORTHERN_IRELAND
SECURE = Tenure.SECURE


def noon(day: date) -> datetime:
    return local_instant(day, time(12))


def target(
    policy: RepairsPolicy,
    calendar: WorkingDayCalendar,
    reported_at: datetime,
    priority: Priority = Priority.URGENT,
    *,
    division: Division = EAW,
    tenure: Tenure = SECURE,
    **kwargs: object,
) -> Target:
    return policy.targets.target_for(
        calendar,
        reported_at=reported_at,
        priority=priority,
        tenure=tenure,
        division=division,
        **kwargs,  # type: ignore[arg-type]
    )


# Worked by hand from the GOV.UK dates; urgent is 5 working days, routine 20 (R1).
HOLIDAY_TABLE = [
    # Christmas and New Year 2025: 25, 26 Dec, 1 Jan; Scotland also 2 Jan
    (date(2025, 12, 24), Priority.URGENT, EAW, date(2026, 1, 5)),
    (date(2025, 12, 24), Priority.URGENT, SCO, date(2026, 1, 6)),
    (date(2025, 12, 24), Priority.URGENT, NIR, date(2026, 1, 5)),
    # Christmas 2026: Boxing Day moves to Monday 28; Scotland's 2 January 2027 to Monday 4
    (date(2026, 12, 24), Priority.URGENT, EAW, date(2027, 1, 5)),
    (date(2026, 12, 24), Priority.URGENT, SCO, date(2027, 1, 6)),
    (date(2026, 12, 14), Priority.ROUTINE, EAW, date(2027, 1, 14)),
    (date(2026, 12, 14), Priority.ROUTINE, SCO, date(2027, 1, 15)),
    # Easter 2026: Good Friday 3 April everywhere, Easter Monday 6 April not in Scotland
    (date(2026, 4, 2), Priority.URGENT, EAW, date(2026, 4, 13)),
    (date(2026, 4, 2), Priority.URGENT, NIR, date(2026, 4, 13)),
    (date(2026, 4, 2), Priority.URGENT, SCO, date(2026, 4, 10)),
    # St Andrew's Day 2025 falls on a Sunday: Scotland's holiday is Monday 1 December
    (date(2025, 11, 28), Priority.URGENT, SCO, date(2025, 12, 8)),
    (date(2025, 11, 28), Priority.URGENT, EAW, date(2025, 12, 5)),
    # St Patrick's Day, Tuesday 17 March 2026
    (date(2026, 3, 16), Priority.URGENT, NIR, date(2026, 3, 24)),
    (date(2026, 3, 16), Priority.URGENT, EAW, date(2026, 3, 23)),
    # 12 July 2026 is a Sunday: Northern Ireland's holiday is Monday 13 July
    (date(2026, 7, 10), Priority.URGENT, NIR, date(2026, 7, 20)),
    (date(2026, 7, 10), Priority.URGENT, EAW, date(2026, 7, 17)),
]


@pytest.mark.parametrize(("reported_on", "priority", "division", "due_on"), HOLIDAY_TABLE)
def test_target_dates_around_the_holidays_of_each_division(
    policy: RepairsPolicy,
    calendar: WorkingDayCalendar,
    reported_on: date,
    priority: Priority,
    division: Division,
    due_on: date,
) -> None:
    # R1, R2, R3
    result = target(policy, calendar, noon(reported_on), priority, division=division)
    assert result.due_on == due_on
    assert result.rule is TargetRule.PRIORITY


def test_landlord_closure_days_push_targets_past_the_christmas_closure(
    policy: RepairsPolicy,
) -> None:
    # R2: the shipped configuration closes 29-31 December 2026
    calendar = policy.calendar(FakeBankHolidays())
    assert target(policy, calendar, noon(date(2026, 12, 24))).due_on == date(2027, 1, 8)


def test_an_emergency_counts_24_clock_hours_even_over_christmas(
    policy: RepairsPolicy, calendar: WorkingDayCalendar
) -> None:
    # R1: emergencies count clock hours round the clock
    reported = datetime(2026, 12, 24, 15, tzinfo=UTC)
    result = target(policy, calendar, reported, Priority.EMERGENCY)
    assert result.due.due_before == datetime(2026, 12, 25, 15, tzinfo=UTC)
    assert result.due_on == date(2026, 12, 25)
    assert result.explanation == "Our target for emergency repairs: 24 hours"


def test_an_emergency_over_the_spring_clock_change_is_24_real_hours(
    policy: RepairsPolicy, calendar: WorkingDayCalendar
) -> None:
    # R1, R11: counted on UTC instants, so the lost hour is not lost from the target
    reported = datetime(2026, 3, 28, 10, tzinfo=UTC)  # 10am GMT
    due = target(policy, calendar, reported, Priority.EMERGENCY).due.due_before
    assert due - reported == timedelta(hours=24)
    assert due.astimezone(LONDON).hour == 11  # 11am BST


@pytest.mark.parametrize(
    ("reported_at", "due_on"),
    [
        (datetime(2026, 6, 11, 22, 30, tzinfo=UTC), date(2026, 6, 12)),  # 11:30pm Thursday
        (datetime(2026, 6, 11, 23, 30, tzinfo=UTC), date(2026, 6, 15)),  # 12:30am Friday
    ],
)
def test_the_report_date_is_the_london_date_not_the_utc_date(
    policy: RepairsPolicy, calendar: WorkingDayCalendar, reported_at: datetime, due_on: date
) -> None:
    # R2, R11: a total loss of water is 1 working day from the London report date
    result = target(policy, calendar, reported_at, defect="total_loss_of_water_supply")
    assert result.due_on == due_on


@pytest.mark.parametrize(
    ("defect", "due_on"),
    [
        ("total_loss_of_electric_power", date(2026, 6, 9)),  # 1
        ("partial_loss_of_water_supply", date(2026, 6, 11)),  # 3
        ("leaking_roof", date(2026, 6, 17)),  # 7
        ("insecure_external_window_door_or_lock", date(2026, 6, 9)),  # 1
        ("blocked_sink_bath_or_basin", date(2026, 6, 11)),  # 3
        ("tap_cannot_be_turned", date(2026, 6, 11)),  # 3
        ("toilet_not_flushing", date(2026, 6, 9)),  # 1
        ("door_entryphone_not_working", date(2026, 6, 17)),  # 7
        ("extractor_fan_not_working", date(2026, 6, 17)),  # 7
    ],
)
def test_right_to_repair_periods_from_the_schedule(
    policy: RepairsPolicy, calendar: WorkingDayCalendar, defect: str, due_on: date
) -> None:
    # R5: reported Monday 8 June 2026, a routine job
    result = target(policy, calendar, noon(date(2026, 6, 8)), Priority.ROUTINE, defect=defect)
    r2r = [d for d in result.candidates if d.rule is TargetRule.RIGHT_TO_REPAIR]
    assert [d.due_on for d in r2r] == [due_on]
    assert result.right_to_repair
    assert result.due_on == due_on  # R8: earlier than routine's 20 working days


def test_the_shipped_schedule_has_all_twenty_rows_of_si_1994_133(policy: RepairsPolicy) -> None:
    # R5: 19 defects, heating counted twice (winter and summer rows)
    defects = policy.targets.right_to_repair.defects.values()
    rows = sum(len(defect.seasons) for defect in defects)
    assert rows == 20
    assert {d.working_days_on(date(2026, 6, 1)) for d in defects} == {1, 3, 7}


@pytest.mark.parametrize(
    ("reported_at", "due_on"),
    [
        (noon(date(2026, 10, 31)), date(2026, 11, 4)),  # Saturday, summer: 3 working days
        (noon(date(2026, 11, 1)), date(2026, 11, 2)),  # Sunday, winter: 1 working day
        (datetime(2026, 4, 30, 22, 30, tzinfo=UTC), date(2026, 5, 1)),  # 11:30pm 30 April
        (datetime(2026, 4, 30, 23, 30, tzinfo=UTC), date(2026, 5, 7)),  # 12:30am 1 May
    ],
)
def test_loss_of_heating_depends_on_the_season_of_the_london_report_date(
    policy: RepairsPolicy, calendar: WorkingDayCalendar, reported_at: datetime, due_on: date
) -> None:
    # R6: 1 working day 1 November to 30 April, 3 from 1 May to 31 October
    result = target(
        policy, calendar, reported_at, Priority.URGENT, defect="loss_of_space_or_water_heating"
    )
    assert result.due_on == due_on
    assert result.rule is TargetRule.RIGHT_TO_REPAIR


@pytest.mark.parametrize(
    ("tenure", "division"),
    [(Tenure.INTRODUCTORY, EAW), (Tenure.LEASEHOLD, EAW), (SECURE, SCO), (SECURE, NIR)],
)
def test_right_to_repair_is_only_for_secure_tenants_in_england(
    policy: RepairsPolicy, calendar: WorkingDayCalendar, tenure: Tenure, division: Division
) -> None:
    # R5
    result = target(
        policy,
        calendar,
        noon(date(2026, 6, 8)),
        Priority.ROUTINE,
        tenure=tenure,
        division=division,
        defect="total_loss_of_water_supply",
    )
    assert not result.right_to_repair
    assert result.rule is TargetRule.PRIORITY


def test_right_to_repair_excludes_repairs_estimated_over_the_cost_limit(
    policy: RepairsPolicy, calendar: WorkingDayCalendar
) -> None:
    # R5: up to £250
    at = noon(date(2026, 6, 8))
    within = target(policy, calendar, at, defect="leaking_roof", estimated_cost_pence=25_000)
    over = target(policy, calendar, at, defect="leaking_roof", estimated_cost_pence=25_001)
    assert within.right_to_repair and not over.right_to_repair


def test_right_to_repair_is_off_for_a_landlord_outside_england(
    policy_data: dict[str, object], calendar: WorkingDayCalendar
) -> None:
    policy_data["right_to_repair"]["applies"] = False  # type: ignore[index]
    policy = RepairsPolicy.from_mapping(policy_data)
    result = target(policy, calendar, noon(date(2026, 6, 8)), defect="leaking_roof")
    assert not result.right_to_repair


def test_an_unknown_defect_code_is_an_error_not_a_silent_miss(
    policy: RepairsPolicy, calendar: WorkingDayCalendar
) -> None:
    with pytest.raises(UnknownDefect, match="'leaky_roof' is not configured"):
        target(policy, calendar, noon(date(2026, 6, 8)), defect="leaky_roof")


def test_the_earliest_deadline_wins_and_says_why(
    policy: RepairsPolicy, calendar: WorkingDayCalendar
) -> None:
    # R8: routine (20 working days) with a blocked basin (3 working days)
    result = target(
        policy,
        calendar,
        noon(date(2026, 6, 8)),
        Priority.ROUTINE,
        defect="blocked_sink_bath_or_basin",
    )
    assert result.rule is TargetRule.RIGHT_TO_REPAIR
    assert result.explanation == "Right to Repair: blocked sink, bath or basin, 3 working days"
    assert [d.rule for d in result.candidates] == [TargetRule.RIGHT_TO_REPAIR, TargetRule.PRIORITY]


def test_an_emergency_beats_a_one_day_statutory_period(
    policy: RepairsPolicy, calendar: WorkingDayCalendar
) -> None:
    # R8: 24 hours from Monday noon is before the end of Tuesday
    result = target(
        policy,
        calendar,
        noon(date(2026, 6, 8)),
        Priority.EMERGENCY,
        defect="total_loss_of_water_supply",
    )
    assert result.rule is TargetRule.PRIORITY
    assert result.right_to_repair  # still recorded, for R7


def test_on_a_tie_the_statutory_rule_is_named(calendar: WorkingDayCalendar) -> None:
    # R8: when the dates agree, the rule with legal consequences is the one shown
    shipped = RepairsPolicy.from_mapping(_urgent_in_three_days())
    result = target(shipped, calendar, noon(date(2026, 6, 8)), defect="tap_cannot_be_turned")
    assert {d.due_on for d in result.candidates} == {date(2026, 6, 11)}
    assert result.rule is TargetRule.RIGHT_TO_REPAIR


def _urgent_in_three_days() -> dict[str, object]:
    from tests.unit.repairs.conftest import _load_repairs_section

    data = _load_repairs_section()
    data["priorities"]["urgent"] = {"complete": {"working_days": 3}}
    return data


def test_damp_and_mould_opens_an_awaabs_law_case_with_a_ten_day_investigation(
    policy: RepairsPolicy, calendar: WorkingDayCalendar
) -> None:
    # R9: reported Monday 8 June 2026
    result = target(policy, calendar, noon(date(2026, 6, 8)), Priority.DAMP_AND_MOULD)
    assert result.awaabs_law_case
    assert result.rule is TargetRule.AWAABS_LAW
    assert result.due_on == date(2026, 6, 22)
    assert result.explanation == "Awaab's Law: damp and mould investigated within 10 working days"


def test_awaabs_law_does_not_apply_before_it_came_into_force(
    policy: RepairsPolicy, calendar: WorkingDayCalendar
) -> None:
    # R9, R12: in force from 27 October 2025, judged on the London report date
    before = target(
        policy, calendar, datetime(2025, 10, 26, 23, 30, tzinfo=UTC), Priority.DAMP_AND_MOULD
    )
    after = target(
        policy, calendar, datetime(2025, 10, 27, 0, 30, tzinfo=UTC), Priority.DAMP_AND_MOULD
    )
    assert not before.awaabs_law_case
    assert after.awaabs_law_case


@pytest.mark.parametrize(
    ("tenure", "division"), [(Tenure.LEASEHOLD, EAW), (SECURE, SCO), (SECURE, NIR)]
)
def test_awaabs_law_is_for_social_tenancies_in_england(
    policy: RepairsPolicy, calendar: WorkingDayCalendar, tenure: Tenure, division: Division
) -> None:
    result = target(
        policy,
        calendar,
        noon(date(2026, 6, 8)),
        Priority.DAMP_AND_MOULD,
        tenure=tenure,
        division=division,
    )
    assert not result.awaabs_law_case
    assert result.rule is TargetRule.PRIORITY


def test_introductory_tenants_are_covered_by_awaabs_law(
    policy: RepairsPolicy, calendar: WorkingDayCalendar
) -> None:
    result = target(
        policy,
        calendar,
        noon(date(2026, 6, 8)),
        Priority.DAMP_AND_MOULD,
        tenure=Tenure.INTRODUCTORY,
    )
    assert result.awaabs_law_case


def test_an_unknown_hazard_is_an_error(policy: RepairsPolicy, calendar: WorkingDayCalendar) -> None:
    # R12: hazards are configuration; a code that is not there is a bug in triage
    with pytest.raises(UnknownHazard, match="'excess_cold' is not configured"):
        target(policy, calendar, noon(date(2026, 6, 8)), hazard="excess_cold")


def test_awaabs_law_follow_ups_count_from_the_investigation(
    policy: RepairsPolicy, calendar: WorkingDayCalendar
) -> None:
    # R9: summary in 3 working days, safety work in 5, further work begun in 5
    follow = policy.targets.awaabs_law.follow_ups(date(2026, 12, 18), calendar, EAW)
    assert follow.written_summary.due_on == date(2026, 12, 23)
    assert follow.safety_work.due_on == date(2026, 12, 29)
    assert follow.further_work_begun.due_on == date(2026, 12, 29)


def test_a_suspected_emergency_hazard_must_be_made_safe_in_24_hours(
    policy: RepairsPolicy, calendar: WorkingDayCalendar
) -> None:
    # R10, R8: beats the damp and mould investigation
    reported = noon(date(2026, 6, 8))
    result = target(policy, calendar, reported, Priority.DAMP_AND_MOULD, emergency_hazard=True)
    assert result.rule is TargetRule.EMERGENCY_HAZARD
    assert result.due.due_before == reported + timedelta(hours=24)
    assert result.awaabs_law_case
    assert [d.rule for d in result.candidates][:2] == [
        TargetRule.EMERGENCY_HAZARD,
        TargetRule.AWAABS_LAW,
    ]


def test_a_separate_attend_target_is_kept_when_configured(calendar: WorkingDayCalendar) -> None:
    # R1: some landlords measure attending as well as completing
    from tests.unit.repairs.conftest import _load_repairs_section

    data = _load_repairs_section()
    data["priorities"]["urgent"]["attend"] = {"working_days": 1}
    policy = RepairsPolicy.from_mapping(data)
    result = target(policy, calendar, noon(date(2026, 6, 8)))
    assert result.attend is not None
    assert result.attend.due_on == date(2026, 6, 9)
    assert result.due_on == date(2026, 6, 15)


def test_no_attend_target_unless_configured(
    policy: RepairsPolicy, calendar: WorkingDayCalendar
) -> None:
    assert target(policy, calendar, noon(date(2026, 6, 8))).attend is None


def test_a_working_day_deadline_is_missed_from_midnight_london_time(
    policy: RepairsPolicy, calendar: WorkingDayCalendar
) -> None:
    due = target(policy, calendar, noon(date(2026, 6, 8))).due  # Monday 15 June
    assert not due.is_missed(local_instant(date(2026, 6, 15), time(23, 59)))
    assert due.is_missed(local_instant(date(2026, 6, 16), time(0, 0)))


def test_a_naive_report_time_is_refused(
    policy: RepairsPolicy, calendar: WorkingDayCalendar
) -> None:
    # R11: stored in UTC; a naive time is a bug, not a guess
    with pytest.raises(ValueError, match="timezone-aware"):
        target(policy, calendar, datetime(2026, 6, 8, 12))


def test_a_target_policy_needs_every_priority() -> None:
    with pytest.raises(ValueError, match="no target configured for priority: damp_and_mould"):
        TargetPolicy(
            priorities={
                Priority.EMERGENCY: PriorityTarget(Period.hours(24)),
                Priority.URGENT: PriorityTarget(Period.working_days(5)),
                Priority.ROUTINE: PriorityTarget(Period.working_days(20)),
            },
            right_to_repair=None,  # type: ignore[arg-type]
            awaabs_law=None,  # type: ignore[arg-type]
        )


@settings(max_examples=150, deadline=None)
@given(
    reported_at=st.datetimes(
        min_value=datetime(2025, 1, 1), max_value=datetime(2027, 9, 30), timezones=st.just(UTC)
    ),
    priority=st.sampled_from([Priority.URGENT, Priority.ROUTINE, Priority.DAMP_AND_MOULD]),
    division=st.sampled_from(list(Division)),
    defect=st.sampled_from([None, "leaking_roof", "loss_of_space_or_water_heating"]),
)
def test_a_working_day_target_never_lands_on_a_weekend_or_bank_holiday(
    policy: RepairsPolicy,
    reported_at: datetime,
    priority: Priority,
    division: Division,
    defect: str | None,
) -> None:
    # R2, R3
    calendar = policy.calendar(FakeBankHolidays())
    result = target(policy, calendar, reported_at, priority, division=division, defect=defect)
    assert result.due_on.weekday() < 5
    assert result.due_on not in HOLIDAYS[division]
    assert result.due_on not in policy.closure_days
    assert result.due.due_before > reported_at
    assert result.due is result.candidates[0]
    assert all(result.due.sort_key <= d.sort_key for d in result.candidates)
