from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repairs.calendar import (
    CoverageTooShort,
    Division,
    WorkingDayCalendar,
    add_months,
    check_coverage,
)
from tests.unit.repairs.fakes import HOLIDAYS, FakeBankHolidays

pytestmark = pytest.mark.unit

EAW = Division.ENGLAND_AND_WALES
SCO = Division.SCOTLAND
NIR = Division.NORTHERN_IRELAND


def test_one_working_day_after_a_monday_report_is_tuesday(calendar: WorkingDayCalendar) -> None:
    # R2: counting starts on the next working day after the report
    assert calendar.add_working_days(date(2026, 6, 8), 1, EAW) == date(2026, 6, 9)


def test_one_working_day_after_a_saturday_report_is_monday(calendar: WorkingDayCalendar) -> None:
    # R2
    assert calendar.add_working_days(date(2026, 6, 13), 1, EAW) == date(2026, 6, 15)


def test_a_saturday_report_before_a_bank_holiday_monday_counts_from_tuesday(
    calendar: WorkingDayCalendar,
) -> None:
    # R2: Saturday 2 May 2026, Monday 4 May is the early May bank holiday
    assert calendar.add_working_days(date(2026, 5, 2), 1, EAW) == date(2026, 5, 5)


def test_adding_no_working_days_leaves_the_date_alone(calendar: WorkingDayCalendar) -> None:
    assert calendar.add_working_days(date(2026, 6, 13), 0, EAW) == date(2026, 6, 13)


def test_adding_negative_working_days_is_refused(calendar: WorkingDayCalendar) -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        calendar.add_working_days(date(2026, 6, 8), -1, EAW)


def test_weekends_are_not_working_days(calendar: WorkingDayCalendar) -> None:
    assert not calendar.is_working_day(date(2026, 6, 13), EAW)
    assert not calendar.is_working_day(date(2026, 6, 14), EAW)
    assert calendar.is_working_day(date(2026, 6, 12), EAW)


def test_landlord_closure_days_are_not_working_days() -> None:
    # R2: closure days apply whatever the division
    closed = frozenset({date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31)})
    calendar = WorkingDayCalendar(FakeBankHolidays(), closure_days=closed)
    for division in Division:
        assert not calendar.is_working_day(date(2026, 12, 30), division)
    # Christmas Eve 2026 (Thursday) + 1 working day: 25 Fri, 28 Mon holiday, 29-31 closed
    assert calendar.add_working_days(date(2026, 12, 24), 1, EAW) == date(2027, 1, 4)


@pytest.mark.parametrize(
    ("day", "division", "expected"),
    [
        (date(2026, 1, 2), SCO, True),  # R3: 2 January is Scottish only
        (date(2026, 1, 2), EAW, False),
        (date(2026, 11, 30), SCO, True),  # St Andrew's Day (substitute Monday)
        (date(2026, 11, 30), NIR, False),
        (date(2026, 3, 17), NIR, True),  # St Patrick's Day
        (date(2026, 3, 17), EAW, False),
        (date(2026, 7, 13), NIR, True),  # Battle of the Boyne (substitute Monday)
        (date(2026, 7, 13), SCO, False),
        (date(2026, 4, 6), EAW, True),  # Easter Monday is not a Scottish bank holiday
        (date(2026, 4, 6), SCO, False),
        (date(2026, 8, 3), SCO, True),  # Scotland's summer holiday is the first Monday
        (date(2026, 8, 31), SCO, False),
    ],
)
def test_bank_holidays_belong_to_the_propertys_own_division(
    calendar: WorkingDayCalendar, day: date, division: Division, expected: bool
) -> None:
    # R3: never count with holidays common to all divisions
    assert calendar.is_bank_holiday(day, division) is expected
    assert calendar.is_working_day(day, division) is not expected


def test_working_days_between_counts_after_start_up_to_end(calendar: WorkingDayCalendar) -> None:
    # Friday to the next Friday: Mon..Fri
    assert calendar.working_days_between(date(2026, 6, 5), date(2026, 6, 12), EAW) == 5
    assert calendar.working_days_between(date(2026, 6, 12), date(2026, 6, 5), EAW) == -5
    assert calendar.working_days_between(date(2026, 6, 5), date(2026, 6, 5), EAW) == 0


def test_next_and_previous_working_day_skip_holidays(calendar: WorkingDayCalendar) -> None:
    assert calendar.next_working_day(date(2026, 12, 24), EAW) == date(2026, 12, 29)
    assert calendar.previous_working_day(date(2026, 12, 29), EAW) == date(2026, 12, 24)


def test_holiday_data_is_read_once_per_division() -> None:
    source = FakeBankHolidays()
    calendar = WorkingDayCalendar(source)
    calendar.add_working_days(date(2026, 1, 1), 40, EAW)
    assert source.calls == 1


def test_counting_past_the_end_of_the_holiday_data_fails_loudly() -> None:
    # R4: a holiday we do not know about must not silently count as a working day
    calendar = WorkingDayCalendar(FakeBankHolidays(covered_until=date(2026, 12, 31)))
    with pytest.raises(CoverageTooShort, match=r"england-and-wales ends on 2026-12-31"):
        calendar.add_working_days(date(2026, 12, 22), 10, EAW)


def test_coverage_check_passes_when_every_division_covers_twelve_months() -> None:
    # R4
    check_coverage(FakeBankHolidays(covered_until=date(2027, 11, 25)), today=date(2026, 11, 25))


def test_coverage_check_names_the_division_and_date_that_fall_short() -> None:
    # R4: the start-up check fails loudly and says what to fix
    source = FakeBankHolidays(covered_until=date(2028, 12, 31))
    source.covered[SCO] = date(2027, 6, 30)
    with pytest.raises(CoverageTooShort) as caught:
        check_coverage(source, today=date(2026, 11, 25))
    assert caught.value.division is SCO
    assert caught.value.needed_until == date(2027, 11, 25)
    assert "scotland ends on 2027-06-30" in str(caught.value)
    assert "2027-11-25" in str(caught.value)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2027, 2, 29 - 1), 12, date(2028, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 11, 25), 14, date(2028, 1, 25)),
    ],
)
def test_adding_months_clamps_to_the_end_of_the_month(
    day: date, months: int, expected: date
) -> None:
    assert add_months(day, months) == expected


_days = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 9, 30))
_divisions = st.sampled_from(list(Division))


@settings(max_examples=150, deadline=None)
@given(day=_days, days=st.integers(min_value=1, max_value=40), division=_divisions)
def test_a_working_day_sum_never_lands_on_a_weekend_or_bank_holiday(
    day: date, days: int, division: Division
) -> None:
    # R2, R3
    result = WorkingDayCalendar(FakeBankHolidays()).add_working_days(day, days, division)
    assert result.weekday() < 5
    assert result not in HOLIDAYS[division]
    assert result > day


@settings(max_examples=150, deadline=None)
@given(
    day=_days,
    a=st.integers(min_value=0, max_value=30),
    b=st.integers(min_value=0, max_value=30),
    later=st.integers(min_value=0, max_value=10),
    division=_divisions,
)
def test_adding_working_days_is_monotonic(
    day: date, a: int, b: int, later: int, division: Division
) -> None:
    calendar = WorkingDayCalendar(FakeBankHolidays())
    fewer, more = sorted((a, b))
    assert calendar.add_working_days(day, fewer, division) <= calendar.add_working_days(
        day, more, division
    )
    # a later report never gets an earlier target
    assert calendar.add_working_days(day, a, division) <= calendar.add_working_days(
        day + timedelta(days=later), a, division
    )


@settings(max_examples=100, deadline=None)
@given(day=_days, days=st.integers(min_value=0, max_value=40), division=_divisions)
def test_working_days_between_undoes_adding_working_days(
    day: date, days: int, division: Division
) -> None:
    calendar = WorkingDayCalendar(FakeBankHolidays())
    target = calendar.add_working_days(day, days, division)
    assert calendar.working_days_between(day, target, division) == days
