"""The schedule of rates (SOR) catalogue, shipped as sor_catalogue.csv beside this module."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

CATALOGUE_FILE = Path(__file__).with_name("sor_catalogue.csv")
TRADES = ("PLUM", "ELEC", "CARP", "HEAT", "ROOF", "GLAZ", "DAMP", "GEN")
PRIORITIES = ("E", "U", "R", "D")  # D: a damp and mould case (R9), never routine


@dataclass(frozen=True)
class SorItem:
    code: str
    description: str
    trade: str
    default_priority: str
    unit: str
    rate: str

    def to_wire(self) -> dict[str, str]:
        return {
            "SOR_CODE": self.code,
            "SOR_DESC": self.description,
            "TRADE": self.trade,
            "DEFAULT_PRIORITY": self.default_priority,
            "UNIT": self.unit,
            "RATE": self.rate,
        }


def load_catalogue(path: Path = CATALOGUE_FILE) -> dict[str, SorItem]:
    """Read and check the catalogue; a bad row stops start-up rather than a job later."""
    items: dict[str, SorItem] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            item = SorItem(
                code=row["SOR_CODE"],
                description=row["SOR_DESC"],
                trade=row["TRADE"],
                default_priority=row["DEFAULT_PRIORITY"],
                unit=row["UNIT"],
                rate=row["RATE"],
            )
            if item.trade not in TRADES or item.default_priority not in PRIORITIES:
                raise ValueError(f"bad SOR catalogue row {item.code}")
            if item.code in items:
                raise ValueError(f"duplicate SOR code {item.code}")
            items[item.code] = item
    return dict(sorted(items.items()))
