from __future__ import annotations

from datetime import date

import pytest

from repairs.calendar import Division
from repairs.ports import Tenure
from repairs.right_to_repair import (
    Compensation,
    MonthDay,
    RightToRepairDefect,
    RightToRepairPolicy,
    Season,
)

pytestmark = pytest.mark.unit

SECOND_PERIOD_ENDS = date(2026, 6, 10)


@pytest.mark.parametrize(
    ("completed_on", "pence"),
    [
        (date(2026, 6, 9), 0),  # done within the second contractor's period
        (date(2026, 6, 10), 0),
        (date(2026, 6, 11), 1200),  # £10 + £2 for one day
        (date(2026, 6, 20), 3000),  # £10 + £2 x 10
        (date(2026, 6, 30), 5000),  # £10 + £2 x 20 = £50, the cap exactly
        (date(2026, 8, 1), 5000),  # capped
    ],
)
def test_compensation_is_ten_pounds_plus_two_a_day_capped_at_fifty(
    completed_on: date, pence: int
) -> None:
    # R7
    assert Compensation().due(SECOND_PERIOD_ENDS, completed_on) == pence


def test_a_winter_season_runs_over_the_new_year() -> None:
    # R6: 1 November to 30 April
    winter = Season(MonthDay(11, 1), MonthDay(4, 30), 1)
    assert winter.contains(date(2026, 12, 31))
    assert winter.contains(date(2027, 1, 1))
    assert winter.contains(date(2028, 2, 29))
    assert not winter.contains(date(2026, 5, 1))
    assert not winter.contains(date(2026, 10, 31))


def test_overlapping_seasons_are_refused() -> None:
    with pytest.raises(ValueError, match="31 October is in more than one season"):
        RightToRepairDefect(
            "heating",
            "Loss of heating",
            (
                Season(MonthDay(10, 31), MonthDay(4, 30), 1),
                Season(MonthDay(5, 1), MonthDay(10, 31), 3),
            ),
        )


@pytest.mark.parametrize("text", ["1-11", "11/01", "11-1", "ab-cd", "", "13-01", "02-30"])
def test_badly_written_month_days_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="MM-DD|not a day of the year|not 1 to 12"):
        MonthDay.parse(text)


def test_29_february_is_a_day_of_the_year() -> None:
    assert MonthDay.parse("02-29") == MonthDay(2, 29)


@pytest.mark.parametrize(
    ("tenure", "division", "cost", "qualifies"),
    [
        (Tenure.SECURE, Division.ENGLAND_AND_WALES, None, True),
        (Tenure.SECURE, Division.ENGLAND_AND_WALES, 25_000, True),
        (Tenure.SECURE, Division.ENGLAND_AND_WALES, 25_001, False),
        (Tenure.INTRODUCTORY, Division.ENGLAND_AND_WALES, None, False),
        (Tenure.LEASEHOLD, Division.ENGLAND_AND_WALES, None, False),
        (Tenure.SECURE, Division.SCOTLAND, None, False),
        (Tenure.SECURE, Division.NORTHERN_IRELAND, None, False),
    ],
)
def test_who_the_right_to_repair_covers(
    tenure: Tenure, division: Division, cost: int | None, qualifies: bool
) -> None:
    # R5: secure council tenants in England, repairs up to £250
    policy = RightToRepairPolicy(
        applies=True,
        defects={"leaking_roof": RightToRepairDefect.all_year("leaking_roof", "Leaking roof", 7)},
    )
    assert policy.qualifies(tenure, division, cost) is qualifies
