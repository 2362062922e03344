"""Backend statuses in our words, and the honest labels tenants see (R46)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class BackendStatus(StrEnum):
    LOGGED = "logged"
    ISSUED = "issued"
    APPOINTMENT_MADE = "appointment_made"
    IN_PROGRESS = "in_progress"
    NO_ACCESS = "no_access"
    FURTHER_WORK = "further_work"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        return self in _FINAL


_FINAL = frozenset({BackendStatus.COMPLETED, BackendStatus.CANCELLED})

# R46: a closed job is not proof that the problem is fixed; the backend cannot know that.
_DISHONEST_WORDS = ("fixed", "resolved", "sorted")


@dataclass(frozen=True)
class TenantStatus:
    label: str
    is_open: bool
    tenant_should_act: bool
    hint: str = ""


class StatusMapping:
    """R46: every backend status has its own tenant-facing status, from configuration."""

    def __init__(self, statuses: Mapping[BackendStatus, TenantStatus]) -> None:
        self._statuses = MappingProxyType(dict(statuses))
        problems = _problems(self._statuses)
        if problems:
            # Each problem starts with the status key, so configuration errors can name the path.
            raise ValueError(problems[0])

    def __getitem__(self, status: BackendStatus) -> TenantStatus:
        return self._statuses[status]

    def items(self) -> list[tuple[BackendStatus, TenantStatus]]:
        return list(self._statuses.items())


def _problems(statuses: Mapping[BackendStatus, TenantStatus]) -> list[str]:
    problems = [
        f"{status.value}: no tenant status configured"
        for status in BackendStatus
        if status not in statuses
    ]
    seen: dict[str, BackendStatus] = {}
    for backend, tenant in statuses.items():
        key = tenant.label.strip().casefold()
        if not key:
            problems.append(f"{backend.value}: label is empty")
        elif key in seen:
            # R46: "no access" and "further work" must not hide behind a shared label.
            problems.append(f"{backend.value}: label {tenant.label!r} is also used by {seen[key]}")
        seen.setdefault(key, backend)
        if tenant.is_open == backend.is_final:
            want = "closed" if backend.is_final else "open"
            problems.append(f"{backend.value}: must be {want}")
        for word in _DISHONEST_WORDS:
            if word in key:
                problems.append(
                    f"{backend.value}: label {tenant.label!r} says {word!r}; a closed job is "
                    "not proof the problem is fixed"
                )
    return problems
