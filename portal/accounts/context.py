"""What the account pages share per app: repositories, hasher, policies, keys."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from adapters.db.accounts import (
    SqlAccounts,
    SqlSessionStore,
    SqlSignInFailures,
    SqlVerificationCodes,
)
from adapters.passwords import PasswordHasher
from notifications.limits import CodePolicy
from portal.accounts.throttle import SignInThrottle
from repairs.clock import Clock


@dataclass
class AccountsContext:
    clock: Clock
    accounts: SqlAccounts
    sessions: SqlSessionStore
    codes: SqlVerificationCodes
    failures: SqlSignInFailures
    hasher: PasswordHasher
    code_policy: CodePolicy
    # HMAC keys derived from SECRET_KEY, one per use, so one leaking says nothing of another.
    code_key: bytes
    name_key: bytes
    throttle: SignInThrottle = field(default_factory=SignInThrottle)
    services: Any = None

    @property
    def housing(self) -> Any:
        return self.services.housing

    @property
    def messaging(self) -> Any:
        return self.services.messaging


def derive_key(secret_key: str, purpose: str) -> bytes:
    return hashlib.sha256(f"{purpose}\0{secret_key}".encode()).digest()


def accounts_context() -> AccountsContext:
    context: AccountsContext = current_app.extensions["accounts"]
    return context
