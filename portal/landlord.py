"""The council's identity from the landlord configuration file, validated at start-up."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from portal.settings import SettingsError

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class CouncilPhones:
    repairs: str
    repairs_hours: str
    out_of_hours: str
    gas_emergency: str


@dataclass(frozen=True)
class Council:
    name: str
    service_name: str
    short_name: str
    brand_colour: str
    link_colour: str
    phone: CouncilPhones
    email: str
    address: str
    accessibility_contact: str
    data_protection_officer: str


def load_landlord_file(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        reason = str(error).splitlines()[0]
        raise SettingsError(f"LANDLORD_CONFIG {path}: cannot be read as YAML ({reason})") from None
    if not isinstance(data, dict):
        raise SettingsError(f"LANDLORD_CONFIG {path}: must be a mapping of sections")
    return data


def council_from_mapping(data: Mapping[str, Any]) -> Council:
    section = _mapping(data, "council")
    phone = _mapping(section, "phone", "council.phone")
    council = Council(
        name=_text(section, "name", "council"),
        service_name=_text(section, "service_name", "council"),
        short_name=_text(section, "short_name", "council"),
        brand_colour=_colour(section, "brand_colour"),
        link_colour=_colour(section, "link_colour"),
        phone=CouncilPhones(
            repairs=_text(phone, "repairs", "council.phone"),
            repairs_hours=_text(phone, "repairs_hours", "council.phone"),
            out_of_hours=_text(phone, "out_of_hours", "council.phone"),
            gas_emergency=_text(phone, "gas_emergency", "council.phone"),
        ),
        email=_text(section, "email", "council"),
        address=_text(section, "address", "council"),
        accessibility_contact=_text(section, "accessibility_contact", "council"),
        data_protection_officer=_text(section, "data_protection_officer", "council"),
    )
    # R13: the gas emergency number is the national one; a typo here could cost lives.
    if council.phone.gas_emergency.replace(" ", "") != "0800111999":
        raise SettingsError("landlord config council.phone.gas_emergency must be 0800 111 999")
    return council


def _mapping(data: Mapping[str, Any], key: str, path: str | None = None) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise SettingsError(f"landlord config {path or key}: missing section")
    return value


def _text(data: Mapping[str, Any], key: str, path: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(f"landlord config {path}.{key}: must be some text")
    return value.strip()


def _colour(data: Mapping[str, Any], key: str) -> str:
    value = _text(data, key, "council")
    if not _COLOUR.match(value):
        raise SettingsError(
            f"landlord config council.{key}: {value!r} is not a colour like #00594f"
        )
    return value
