"""Generated properties and tenancies: realistic in shape, invented in substance.

Every name, street and town is made up from word lists with a fixed random seed, so the data
is the same on every run and describes nobody real.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

HISTORY_END = date(2026, 10, 30)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


TOWNS = {
    "EAW": (
        ("Northbridge", "NB", (1, 2, 3, 4)),
        ("Eastwick Vale", "NB", (5, 6)),
        ("Hollins Green", "NB", (7, 8, 9)),
    ),
    "SCO": (("Braidholm", "TD", (9, 10)), ("Strathmuir", "TD", (11,))),
    "NIR": (("Drumcarrig", "BT", (8, 9)),),
}
LOCALITIES = ("", "", "Northfield", "Southgate", "Westmoor", "Kingsmead", "Riverside")
STREET_WORDS = _words(
    "Alder Beech Birch Cedar Elm Hawthorn Hazel Holly Juniper Larch Maple Oak Rowan "
    "Willow Ash Chestnut Linden Poplar Sycamore Yew Mill Church Station Victoria Albert "
    "Park Brook Meadow Orchard Heath Moor Castle Abbey Bridge Market Foundry Canal Tanner"
)
STREET_KINDS = _words(
    "Road Street Avenue Close Drive Way Lane Crescent Gardens Grove Terrace Walk Rise"
)
BLOCK_KINDS = ("Court", "House", "Point", "Lodge")
FEMALE_NAMES = _words(
    "Margaret Susan Patricia Linda Karen Amina Joanne Priya Siobhan Chloe Grace Fatima "
    "Megan Olivia Agnieszka Bethan Aisha Eilidh"
)
MALE_NAMES = _words(
    "David John Michael Paul Mark Mohammed Andrew Daniel Tomasz Kwame Rhys Callum Liam "
    "Darren Raj Connor Samuel Gareth"
)
ANY_NAMES = _words("Alex Jordan Sam Robin Charlie Jamie")
SURNAMES = _words(
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright "
    "Thompson Evans Walker White Roberts Green Hall Khan Clarke Jackson Hughes Edwards "
    "Okafor Nowak Campbell Stewart Murray Kelly Quinn Begum Ahmed Hollis Pritchard Mensah "
    "Doyle"
)
TITLES = {"Mr": 40, "Mrs": 20, "Ms": 20, "Miss": 10, "Mx": 4, "Dr": 2}
VULNERABILITIES = _words("VUL-MOB VUL-HEA VUL-SIG VUL-MH VUL-LNG VUL-AGE VUL-CHL VUL-RES")
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # Royal Mail never uses C, I, K, M, O, V here


@dataclass(frozen=True)
class Street:
    name: str
    town: str
    locality: str
    postcode: str
    region: str


@dataclass(frozen=True)
class DemoProfile:
    """A fixed login other engineers can rely on (listed in API.md)."""

    postcode: str
    dob: date
    tenure: str
    status: str
    region: str
    maintainable: bool
    note: str
    vulnerabilities: tuple[str, ...] = ()
    history: tuple[str, ...] = ()


@dataclass
class Household:
    tenancy_ref: str
    prop_ref: str
    uprn: str
    prop_type: str
    address: tuple[str, str, str, str]
    postcode: str
    region: str
    maintainable: bool
    title: str
    forename: str
    surname: str
    dob: date
    tenure: str
    status: str
    start: date
    end: date | None
    vulnerabilities: tuple[str, ...]
    history: tuple[str, ...] = field(default=())
    note: str = ""


DEMO_PROFILES = (
    DemoProfile(
        "NB1 2AB",
        date(1971, 3, 14),
        "SEC",
        "CUR",
        "EAW",
        True,
        "secure, current, maintainable, EAW; one completed job",
        history=("COM",),
    ),
    DemoProfile(
        "NB2 4DE",
        date(1985, 11, 2),
        "INT",
        "CUR",
        "EAW",
        True,
        "introductory, current, EAW; a no-access job and a further-work job",
        history=("NAC", "FWR"),
    ),
    DemoProfile(
        "NB3 6FG",
        date(1958, 7, 23),
        "LSH",
        "CUR",
        "EAW",
        False,
        "leasehold, property not maintainable",
    ),
    DemoProfile("NB4 8HJ", date(1990, 1, 30), "SEC", "END", "EAW", True, "secure, ended"),
    DemoProfile(
        "TD9 3LN", date(1977, 6, 5), "SEC", "CUR", "SCO", True, "secure, current, Scotland (SCO)"
    ),
    DemoProfile(
        "BT8 7QR",
        date(1969, 9, 19),
        "SEC",
        "CUR",
        "NIR",
        True,
        "secure, current, Northern Ireland (NIR)",
    ),
    DemoProfile(
        "NB5 1ST",
        date(1944, 12, 8),
        "SEC",
        "CUR",
        "EAW",
        True,
        "secure, current, EAW, vulnerable (VUL-MOB, VUL-HEA)",
        vulnerabilities=("VUL-MOB", "VUL-HEA"),
    ),
    DemoProfile(
        "NB6 5UW",
        date(1982, 4, 27),
        "SEC",
        "CUR",
        "EAW",
        True,
        "secure, current, EAW; 25 past jobs (two pages)",
        history=("*",) * 25,
    ),
)


def _postcode(rng: random.Random, area: str, districts: tuple[int, ...]) -> str:
    inward = f"{rng.randint(1, 9)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
    return f"{area}{rng.choice(districts)} {inward}"


def make_streets(rng: random.Random) -> dict[str, list[Street]]:
    streets: dict[str, list[Street]] = {}
    for region, towns in TOWNS.items():
        streets[region] = []
        count = {"EAW": 54, "SCO": 8, "NIR": 6}[region]
        for _ in range(count):
            town, area, districts = rng.choice(towns)
            name = f"{rng.choice(STREET_WORDS)} {rng.choice(STREET_KINDS)}"
            locality = rng.choice(LOCALITIES) if region == "EAW" else ""
            postcode = _postcode(rng, area, districts)
            streets[region].append(Street(name, town, locality, postcode, region))
    return streets


def _demo_street(rng: random.Random, demo: DemoProfile) -> Street:
    """A street in the town whose postcode district the fixed demo postcode belongs to."""
    outward = demo.postcode.split()[0]
    for town, area, districts in TOWNS[demo.region]:
        if outward in {f"{area}{district}" for district in districts}:
            name = f"{rng.choice(STREET_WORDS)} {rng.choice(STREET_KINDS)}"
            return Street(name, town, "", demo.postcode, demo.region)
    raise ValueError(f"demo postcode {demo.postcode} is in no known town")


def _random_day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _address(rng: random.Random, street: Street, prop_type: str) -> tuple[str, str, str, str]:
    number = rng.randint(1, 140)
    if prop_type in ("FLAT", "MAIS"):
        block = f"{street.name.split()[0]} {rng.choice(BLOCK_KINDS)}"
        return (f"Flat {rng.randint(1, 48)} {block}", street.name, street.town, "")
    return (f"{number} {street.name}", street.locality, street.town, "")


def _name(rng: random.Random) -> tuple[str, str, str]:
    title = _pick(rng, TITLES)
    if title == "Mr":
        names = MALE_NAMES
    elif title in ("Mrs", "Ms", "Miss"):
        names = FEMALE_NAMES
    else:
        names = FEMALE_NAMES + MALE_NAMES + ANY_NAMES
    return title, rng.choice(names), rng.choice(SURNAMES)


def _pick(rng: random.Random, weighted: dict[str, int]) -> str:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


def _dates(rng: random.Random, tenure: str, status: str) -> tuple[date, date | None]:
    if tenure == "INT":  # introductory tenancies last a year, so they started recently
        start = _random_day(rng, date(2025, 11, 3), date(2026, 9, 30))
    else:
        start = _random_day(rng, date(1992, 4, 6), date(2024, 6, 28))
    end = _random_day(rng, start + timedelta(days=60), HISTORY_END) if status == "END" else None
    return start, end


def make_household(
    rng: random.Random, index: int, streets: dict[str, list[Street]], demo: DemoProfile | None
) -> Household:
    region = demo.region if demo else _pick(rng, {"EAW": 88, "SCO": 8, "NIR": 4})
    street = _demo_street(rng, demo) if demo else rng.choice(streets[region])
    prop_type = _pick(rng, {"FLAT": 45, "HOUS": 40, "MAIS": 8, "BUNG": 7})
    tenure = demo.tenure if demo else _pick(rng, {"SEC": 78, "INT": 10, "LSH": 12})
    status = demo.status if demo else ("END" if rng.random() < 0.04 else "CUR")
    # Leaseholders mostly repair their own homes; a few rented homes are managed elsewhere.
    not_ours = 0.9 if tenure == "LSH" else 0.03
    maintainable = demo.maintainable if demo else rng.random() > not_ours
    start, end = _dates(rng, tenure, status)
    title, forename, surname = _name(rng)
    flags: tuple[str, ...] = ()
    if demo:
        flags = demo.vulnerabilities
    elif rng.random() < 0.15:
        flags = tuple(sorted(rng.sample(VULNERABILITIES, rng.randint(1, 2))))
    return Household(
        tenancy_ref=f"TEN-{100000 + index}",
        prop_ref=f"{200000 + index:08d}",
        uprn=str(900_000_000_000 + 200_000 + index),
        prop_type=prop_type,
        address=_address(rng, street, prop_type),
        postcode=demo.postcode if demo else street.postcode,
        region=region,
        maintainable=maintainable,
        title=title,
        forename=forename,
        surname=surname,
        dob=demo.dob if demo else _random_day(rng, date(1936, 1, 1), date(2006, 12, 31)),
        tenure=tenure,
        status=status,
        start=start,
        end=end,
        vulnerabilities=flags,
        history=demo.history if demo else (),
        note=demo.note if demo else "",
    )


def make_households(rng: random.Random, count: int) -> list[Household]:
    streets = make_streets(rng)
    households = []
    for index in range(1, count + 1):
        demo = DEMO_PROFILES[index - 1] if index <= len(DEMO_PROFILES) else None
        household = make_household(rng, index, streets, demo)
        active = demo is None and household.status == "CUR" and household.maintainable
        if active and rng.random() < 0.3:
            household.history = ("*",) * rng.randint(1, 4)
        households.append(household)
    return households
