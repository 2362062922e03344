"""The `assisted:` section of the landlord configuration (R39-R43), validated at start-up."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from adapters.db.staff_store import StaffRole
from portal.settings import SettingsError
from repairs.config_reader import Node, PolicyError

KEYS = (
    "identity_checks",
    "terminal_identity_check",
    "vulnerability_flags_visible_to",
    "staff_setup_link_hours",
    "terminal_registration_link_hours",
    "terminal_idle_warning_seconds",
    "terminal_idle_wipe_seconds",
)


@dataclass(frozen=True)
class AssistedConfig:
    # R41: how staff may check who they serve, key -> words shown to the advisor.
    identity_checks: dict[str, str]
    # R43: what a tenant serving themselves at a terminal has proved (a key of the above).
    terminal_identity_check: str
    # R42: roles that see the housing system's vulnerability flags.
    vulnerability_roles: frozenset[StaffRole]
    setup_link_valid: timedelta
    registration_link_valid: timedelta
    # R39: terminals warn after 4 minutes idle and wipe at 5.
    terminal_warning_after: timedelta
    terminal_wipe_after: timedelta

    def may_see_vulnerabilities(self, role: StaffRole) -> bool:
        return role in self.vulnerability_roles


def assisted_config(landlord: Mapping[str, Any]) -> AssistedConfig:
    """Read and check the section; a mistake stops start-up with the key path named."""
    try:
        return _read(Node(landlord.get("assisted"), "assisted").mapping(KEYS))
    except PolicyError as error:
        raise SettingsError(f"landlord config {error}") from None


def _read(section: Node) -> AssistedConfig:
    checks = {key: node.text().strip() for key, node in section["identity_checks"].items()}
    if not checks:
        raise section["identity_checks"].fail("list at least one way to check identity")
    terminal_check = section["terminal_identity_check"].choice({k: k for k in checks})
    roles = {role.value: role for role in StaffRole}
    visible = frozenset(
        n.choice(roles) for n in section["vulnerability_flags_visible_to"].elements()
    )
    warning = timedelta(seconds=section["terminal_idle_warning_seconds"].integer(minimum=30))
    wipe_node = section["terminal_idle_wipe_seconds"]
    wipe = timedelta(seconds=wipe_node.integer(minimum=60))
    if wipe - warning < timedelta(seconds=20):
        # WCAG 2.2.1: at least 20 seconds to answer the warning.
        raise wipe_node.fail("must be at least 20 seconds after terminal_idle_warning_seconds")
    return AssistedConfig(
        identity_checks=checks,
        terminal_identity_check=terminal_check,
        vulnerability_roles=visible,
        setup_link_valid=timedelta(hours=section["staff_setup_link_hours"].integer(minimum=1)),
        registration_link_valid=timedelta(
            hours=section["terminal_registration_link_hours"].integer(minimum=1)
        ),
        terminal_warning_after=warning,
        terminal_wipe_after=wipe,
    )
