"""Priorities, trades and channels: the vocabulary of our domain, not the backend's codes."""

from __future__ import annotations

from enum import StrEnum


class Priority(StrEnum):
    EMERGENCY = "emergency"
    URGENT = "urgent"
    ROUTINE = "routine"
    # R9: damp and mould opens an Awaab's Law case and is never an ordinary routine job.
    DAMP_AND_MOULD = "damp_and_mould"


class Trade(StrEnum):
    PLUMBING = "plumbing"
    ELECTRICAL = "electrical"
    CARPENTRY = "carpentry"
    HEATING = "heating"
    ROOFING = "roofing"
    GLAZING = "glazing"
    DAMP_AND_MOULD = "damp_and_mould"
    GENERAL = "general"


class Channel(StrEnum):
    """R44: how the repair reached us, so the share reported online can be measured (R45)."""

    ONLINE = "online"
    ASSISTED = "assisted"  # R41: a staff member at a terminal acting for the tenant
    PHONE = "phone"
