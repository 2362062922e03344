"""Typed references: a tenancy reference can never be passed where a job number is expected."""

from __future__ import annotations

import re
import secrets
import uuid
from dataclasses import dataclass

# Backend references are opaque: upper-case letters, digits and the separators housing systems
# use ("TEN-100001", "PR/0042"). Inputs from people are normalised with parse() first.
_BACKEND_REF = re.compile(r"[A-Z0-9](?:[A-Z0-9/\-]{0,28}[A-Z0-9])?")

# No 0/O, 1/I/L, U: tenants read references aloud and type them from texts.
REPAIR_REF_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REPAIR_REF_PREFIX = "RR-"
REPAIR_REF_LENGTH = 6
_REPAIR_REF = re.compile(rf"RR-[{REPAIR_REF_ALPHABET}]{{{REPAIR_REF_LENGTH}}}")


def _normalise(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def _check_backend_ref(kind: str, value: str) -> None:
    if not isinstance(value, str) or not _BACKEND_REF.fullmatch(value):
        raise ValueError(
            f"{kind} {value!r} is not valid: use 1 to 30 upper-case letters, digits, "
            "'-' or '/', starting and ending with a letter or digit"
        )


@dataclass(frozen=True, order=True)
class TenancyRef:
    value: str

    def __post_init__(self) -> None:
        _check_backend_ref("tenancy reference", self.value)

    @classmethod
    def parse(cls, text: str) -> TenancyRef:
        """From what a tenant typed: spaces removed, upper-cased ('ten-100001 ' -> TEN-100001)."""
        return cls(_normalise(text))

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, order=True)
class PropertyRef:
    value: str

    def __post_init__(self) -> None:
        _check_backend_ref("property reference", self.value)

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, order=True)
class JobNumber:
    """The backend's own number for a job; ours is RepairRef."""

    value: str

    def __post_init__(self) -> None:
        _check_backend_ref("job number", self.value)

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, order=True)
class RepairRef:
    """The reference tenants see (RR-7K3M9Q): random, so it reveals nothing and cannot be guessed
    from a neighbour's; 30**6 (about 729 million) values, and lookups also need the tenancy."""

    value: str

    def __post_init__(self) -> None:
        if not isinstance(self.value, str) or not _REPAIR_REF.fullmatch(self.value):
            raise ValueError(
                f"repair reference {self.value!r} is not valid: expected RR- and "
                f"{REPAIR_REF_LENGTH} characters from {REPAIR_REF_ALPHABET}"
            )

    @classmethod
    def generate(cls) -> RepairRef:
        body = "".join(secrets.choice(REPAIR_REF_ALPHABET) for _ in range(REPAIR_REF_LENGTH))
        return cls(REPAIR_REF_PREFIX + body)

    @classmethod
    def parse(cls, text: str) -> RepairRef:
        """From what a tenant typed: 'rr 7k3m9q' and 'RR7K3M9Q' both work."""
        compact = _normalise(text).replace("-", "")
        body = compact.removeprefix("RR")
        return cls(REPAIR_REF_PREFIX + body)

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, order=True)
class SubmissionId:
    """Our id for one submission: the idempotency key, sent to the backend as EXT_REF."""

    value: str

    def __post_init__(self) -> None:
        try:
            parsed = uuid.UUID(self.value)
        except (ValueError, TypeError, AttributeError):
            parsed = None
        if parsed is None or parsed.version != 4 or str(parsed) != self.value:
            raise ValueError(
                f"submission id {self.value!r} is not valid: expected a lower-case uuid4 "
                "such as 3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b"
            )

    @classmethod
    def generate(cls) -> SubmissionId:
        return cls(str(uuid.uuid4()))

    def __str__(self) -> str:
        return self.value
