"""What the staff and terminal pages share per app: repositories, policies and keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app

from adapters.db.accounts import SqlSignInFailures
from adapters.db.audit_store import SqlAuditLog
from adapters.db.staff_store import SqlHelpRequests, SqlStaff, SqlTerminals
from adapters.passwords import PasswordHasher
from portal.accounts.context import derive_key
from portal.accounts.throttle import SignInThrottle
from portal.staff.config import AssistedConfig, assisted_config
from repairs.clock import Clock

# Staff share the council office's one public address: count failures per address more
# loosely than per account, or one colleague's typos would lock out the whole floor.
ADDRESS_THROTTLE = SignInThrottle(free_failures=20)


@dataclass
class StaffContext:
    clock: Clock
    config: AssistedConfig
    staff: SqlStaff
    terminals: SqlTerminals
    help_requests: SqlHelpRequests
    audit: SqlAuditLog
    failures: SqlSignInFailures
    hasher: PasswordHasher
    secret_key: str
    public_base_url: str
    # HMAC keys derived from SECRET_KEY, one per use.
    name_key: bytes
    binding_key: bytes
    services: Any
    accounts_ctx: Any = None
    throttle: SignInThrottle = SignInThrottle()

    @property
    def accounts(self) -> Any:
        """portal.accounts' SqlAccounts, when the accounts package is wired."""
        accounts = self.accounts_ctx
        return accounts.accounts if accounts else None

    @property
    def housing(self) -> Any:
        return self.services.housing

    @property
    def issuer(self) -> str:
        """The name authenticator apps list the code under."""
        return f"{self.services.council.short_name} repairs staff"


def build_staff_context(app: Any) -> StaffContext:
    services = app.extensions["services"]
    settings = app.extensions["settings"]
    accounts = app.extensions.get("accounts")
    hasher = accounts.hasher if accounts else services.extras.get("password_hasher")
    return StaffContext(
        clock=services.clock,
        config=assisted_config(services.landlord),
        staff=SqlStaff(services.sessions),
        terminals=SqlTerminals(services.sessions),
        help_requests=SqlHelpRequests(services.sessions),
        audit=SqlAuditLog(services.sessions),
        failures=SqlSignInFailures(services.sessions),
        hasher=hasher or PasswordHasher(),
        secret_key=settings.secret_key,
        public_base_url=settings.public_base_url,
        name_key=derive_key(settings.secret_key, "staff-sign-in"),
        binding_key=derive_key(settings.secret_key, "terminal-binding"),
        services=services,
        accounts_ctx=accounts,
    )


def staff_context() -> StaffContext:
    context: StaffContext = current_app.extensions["staff"]
    return context
