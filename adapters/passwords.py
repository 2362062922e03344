"""Passwords (R37): the length rule, the bundled common/breached list, and Argon2id hashing.

No composition rules (NCSC and NIST 800-63B: they make passwords worse, not stronger); length
plus a deny list instead. The list is `data/common-passwords.txt` (see
`data/compose_common_passwords.py` for where it comes from).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher as _Argon2
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12  # R37
# Long enough for any passphrase, short enough that hashing one is not a denial of service.
MAX_LENGTH = 256
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent / "data" / "common-passwords.txt"
# Digits, spaces and symbols people add to a listed word to pass a length rule.
_PADDING = re.compile(r"^[\W\d_]+|[\W\d_]+$")

TOO_SHORT = f"Your password must be {MIN_LENGTH} characters or more"
TOO_LONG = f"Your password must be {MAX_LENGTH} characters or fewer"
TOO_COMMON = (
    "That password is too easy to guess because many people use it. "
    "Try three random words, like ‘kettle orchard window’"
)
TOO_PERSONAL = (
    "Your password must not contain your tenancy reference, email address or mobile number"
)


@lru_cache(maxsize=1)
def common_passwords(path: Path = COMMON_PASSWORDS_FILE) -> frozenset[str]:
    with path.open(encoding="utf-8") as lines:
        return frozenset(line.strip().lower() for line in lines if line.strip())


def _is_repetition(text: str) -> bool:
    """'abcabcabcabc', 'aaaaaaaaaaaa': a short unit repeated."""
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return size <= 4 or text[:size] in common_passwords()
    return False


def is_common(password: str) -> bool:
    lowered = password.strip().lower()
    compact = lowered.replace(" ", "")
    stripped = _PADDING.sub("", lowered)
    listed = common_passwords()
    return (
        lowered in listed
        or compact in listed
        or (len(stripped) >= 4 and stripped in listed)
        or _is_repetition(compact)
    )


def password_problem(password: str, personal: Iterable[str] = ()) -> str | None:
    """R37: None when the password is acceptable, else the message to show the tenant.

    `personal` holds things an attacker knows about this tenant (sign-in name, tenancy
    reference, council name); a password built on one of them is refused too.
    """
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    if is_common(password):
        return TOO_COMMON
    lowered = password.lower()
    for item in personal:
        token = item.strip().lower()
        if len(token) >= 4 and (token in lowered or _PADDING.sub("", lowered) == token):
            return TOO_PERSONAL
    return None


class PasswordHasher:
    """Argon2id (R37). The default cost is argon2-cffi's RFC 9106 low-memory profile (64 MiB,
    3 passes); tests may pass a cheaper one. Hashes carry their own parameters, so raising the
    cost later rehashes each password at its next sign-in (`needs_rehash`)."""

    def __init__(self, time_cost: int = 3, memory_cost_kib: int = 65536, parallelism: int = 4):
        self._argon2 = _Argon2(
            time_cost=time_cost,
            memory_cost=memory_cost_kib,
            parallelism=parallelism,
            type=Type.ID,
        )
        # Verified against when the account does not exist, so that an unknown sign-in name
        # takes as long as a wrong password (R38: nothing tells the two apart).
        self._decoy = self._argon2.hash("decoy password that matches nothing")

    def hash(self, password: str) -> str:
        return self._argon2.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return self._argon2.verify(password_hash or self._decoy, password) and bool(
                password_hash
            )
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._argon2.check_needs_rehash(password_hash)


def cheap_hasher_for_tests() -> PasswordHasher:
    """Still Argon2id, with the smallest cost: for test suites that sign in hundreds of times."""
    return PasswordHasher(time_cost=1, memory_cost_kib=8, parallelism=1)
