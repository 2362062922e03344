"""Past jobs for seeded tenancies, each with the feed entries its life would have made."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from .catalogue import SorItem
from .seed_people import HISTORY_END, Household
from .wire import UK

HISTORY_START = date(2024, 1, 2)
LOCATIONS = (
    "Kitchen",
    "Bathroom",
    "Hallway",
    "Living room",
    "Bedroom 1",
    "Bedroom 2",
    "Landing",
    "Garden",
    "Front of property",
    "Back of property",
)
FINAL_WEIGHTS = {"COM": 72, "CAN": 12, "NAC": 9, "FWR": 7}
OPEN_OUTCOMES = frozenset({"NAC", "FWR"})
SLOT_START = {"AM": 8, "PM": 12, "AD": 8}


@dataclass(frozen=True)
class Event:
    at: datetime
    event: str
    status: str
    appt_date: str
    appt_slot: str


@dataclass
class PastJob:
    household: Household
    sor: SorItem
    description: str
    raised_at: datetime
    events: list[Event] = field(default_factory=list)

    @property
    def last(self) -> Event:
        return self.events[-1]


def _uk_instant(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UK).astimezone(UTC)


def _weekday_after(day: date, days: int) -> date:
    day += timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _life(rng: random.Random, raised: datetime, final: str) -> list[Event]:
    """The events from creation to the final status, in time order."""
    events = [Event(raised, "CREATED", "LOG", "", "")]
    issued = raised + timedelta(minutes=rng.randint(20, 180))
    events.append(Event(issued, "ISSUED", "ISS", "", ""))
    if final == "CAN":
        events.append(Event(issued + timedelta(days=rng.randint(1, 4)), "CANCELLED", "CAN", "", ""))
        return events
    appt_day = _weekday_after(raised.astimezone(UK).date(), rng.randint(2, 9))
    slot = rng.choice(tuple(SLOT_START))
    appt = (appt_day.isoformat(), slot)
    events.append(Event(issued + timedelta(minutes=rng.randint(5, 90)), "BOOKED", "APP", *appt))
    visit = _uk_instant(appt_day, SLOT_START[slot] + rng.randint(0, 2), rng.randint(0, 59))
    if final == "NAC":
        events.append(Event(visit, "NO_ACCESS", "NAC", *appt))
        return events
    events.append(Event(visit, "ATTENDED", "WIP", *appt))
    finish = visit + timedelta(minutes=rng.randint(30, 150))
    if final == "FWR":
        events.append(Event(finish, "FURTHER_WORK", "FWR", *appt))
    else:
        events.append(Event(finish, "COMPLETED", "COM", *appt))
    return events


def _raised(rng: random.Random, open_outcome: bool) -> datetime:
    # Jobs still open (no access, further work) are recent: old ones would long be closed.
    last_day = HISTORY_END - timedelta(days=21)
    first_day = last_day - timedelta(days=70) if open_outcome else HISTORY_START
    day = first_day + timedelta(days=rng.randint(0, (last_day - first_day).days))
    return _uk_instant(day, rng.randint(8, 18), rng.randint(0, 59))


def _past_job(rng: random.Random, household: Household, wanted: str, sor: SorItem) -> PastJob:
    final = wanted
    if wanted == "*":
        final = rng.choices(list(FINAL_WEIGHTS), weights=list(FINAL_WEIGHTS.values()))[0]
    raised = _raised(rng, final in OPEN_OUTCOMES)
    description = f"{rng.choice(LOCATIONS)}: {sor.description.capitalize()} (reported by phone)"
    return PastJob(household, sor, description, raised, _life(rng, raised, final))


def make_history(
    rng: random.Random, households: list[Household], catalogue: dict[str, SorItem]
) -> list[PastJob]:
    """Past jobs in the order they were raised, so job numbers rise with time."""
    items = list(catalogue.values())
    jobs = [
        _past_job(rng, household, wanted, rng.choice(items))
        for household in households
        for wanted in household.history
    ]
    return sorted(jobs, key=lambda job: job.raised_at)
