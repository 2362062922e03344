"""What tenants read about their repair (R44, R46, R47) and the survey's rules (R45)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from repairs.slots import Slot, SlotKind, SlotTimes
from repairs.statuses import BackendStatus as S
from repairs.tracking import (
    SURVEY_COMMENT_MAX,
    TimelineRecord,
    check_survey_answer,
    survey_open,
    timeline,
)

pytestmark = pytest.mark.unit

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_the_timeline_tells_the_story_newest_first_in_plain_words() -> None:
    old, new = Slot(date(2026, 12, 1), SlotKind.AM), Slot(date(2027, 1, 5), SlotKind.ALL_DAY)
    records = [
        TimelineRecord("reported", at(0)),
        TimelineRecord("job_raised", at(1)),
        TimelineRecord("status_changed", at(2), status=S.ISSUED),  # repeats other lines
        TimelineRecord("appointment_booked", at(3), slot=old),
        TimelineRecord(
            "appointment_rescheduled", at(4), slot=new, previous_slot=old, assisted=True
        ),
        TimelineRecord("status_changed", at(5), status=S.IN_PROGRESS),
        TimelineRecord("status_changed", at(6), status=S.NO_ACCESS),
        TimelineRecord("status_changed", at(7), status=S.FURTHER_WORK),
        TimelineRecord("appointment_cancelled", at(8), slot=new),
        TimelineRecord("status_changed", at(9), status=S.COMPLETED),
        TimelineRecord("completed", at(9)),
        TimelineRecord("raise_deferred", at(10)),  # our own plumbing, not the tenant's story
    ]
    entries = timeline(records, SlotTimes.default(), TODAY)
    assert [e.title for e in entries] == [
        "Job closed as completed",  # R46: honest, not "fixed"
        "Appointment for Tuesday 5 January 2027, 8am to 4pm cancelled",
        "Further work needed",
        "No access: we could not get in",
        "Operative attended",
        "Appointment changed to Tuesday 5 January 2027, 8am to 4pm",
        "Appointment booked for Tuesday 1 December, 8am to 12pm",
        "Job raised with the repairs team",
        "Repair reported",
    ]
    assert [e.assisted for e in entries] == [False] * 5 + [True] + [False] * 3


def test_the_survey_opens_only_once_the_job_is_completed() -> None:
    assert survey_open(S.COMPLETED)
    assert not any(survey_open(s) for s in S if s is not S.COMPLETED)


@pytest.mark.parametrize("score", [0, 6, -1, True, 2.5, "3"])
def test_a_score_outside_one_to_five_is_refused(score: object) -> None:
    with pytest.raises(ValueError, match="1 to 5"):
        check_survey_answer(score, "")  # type: ignore[arg-type]


def test_the_comment_is_optional_trimmed_and_at_most_500_characters() -> None:
    assert check_survey_answer(5, "  Quick and tidy  ") == "Quick and tidy"
    assert check_survey_answer(1, "") == ""
    assert check_survey_answer(3, "x" * SURVEY_COMMENT_MAX)
    with pytest.raises(ValueError, match="501 characters"):
        check_survey_answer(3, "x" * (SURVEY_COMMENT_MAX + 1))
