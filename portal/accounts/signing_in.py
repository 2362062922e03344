"""Signing in (R38, R39): the checks behind the sign-in page and the reset journey."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from flask import session
from flask_login import login_user

from adapters.db.accounts import AccountRecord
from portal.accounts.access import SignedInTenant
from portal.accounts.context import AccountsContext, accounts_context
from portal.accounts.forms import parse_sign_in_name
from portal.accounts.sessions import PERSONAL_IDLE, rotate
from portal.accounts.throttle import mark_failure, name_digest
from repairs.ports import BackendError, Tenancy
from repairs.refs import TenancyRef

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WrongDetails:
    """R38: one outcome for an unknown name and a wrong password."""


@dataclass(frozen=True)
class Throttled:
    until: datetime


SignInOutcome = AccountRecord | WrongDetails | Throttled


def normalised_name(text: str) -> str:
    try:
        return parse_sign_in_name(text)
    except ValueError:
        return text.strip().lower()


def check_password(name_text: str, password: str) -> SignInOutcome:
    """R38: throttle per name first, then verify (a decoy hash when the name is unknown, so
    both cases take the same time), then count the failure or clear the counter."""
    context = accounts_context()
    name = normalised_name(name_text)
    digest = name_digest(name, context.name_key)
    now = context.clock.now()
    failures = context.failures.get(digest)
    if failures is not None:
        wait = context.throttle.wait_until(failures[0], failures[1], now)
        if wait is not None:
            mark_failure()
            return Throttled(wait)
    account = context.accounts.by_sign_in_name(name)
    if context.hasher.verify(account.password_hash if account else None, password):
        assert account is not None
        context.failures.clear(digest)
        _rehash_if_needed(context, account, password)
        return account
    context.failures.record_failure(digest, now, context.throttle.forget_after)
    mark_failure()
    return WrongDetails()


def clear_failures(sign_in_name: str) -> None:
    context = accounts_context()
    context.failures.clear(name_digest(sign_in_name, context.name_key))


def _rehash_if_needed(context: AccountsContext, account: AccountRecord, password: str) -> None:
    if context.hasher.needs_rehash(account.password_hash):
        context.accounts.set_password(
            account.id, context.hasher.hash(password), account.password_changed_at
        )


def complete_sign_in(account: AccountRecord) -> None:
    """R39: a brand-new session (new token, fresh absolute limit) holding only the sign-in."""
    context = accounts_context()
    session.clear()
    rotate(session, idle_timeout=PERSONAL_IDLE)
    login_user(SignedInTenant(account))
    context.accounts.record_sign_in(account.id, context.clock.now())
    refresh_tenancy(account)


def refresh_tenancy(account: AccountRecord) -> None:
    """Best effort: keep our copy of name and address current; a slow or absent housing
    system must not stop anyone signing in."""
    context = accounts_context()
    if context.housing is None:
        return
    try:
        tenancy = context.housing.tenancy(TenancyRef(account.tenancy_ref))
    except (BackendError, LookupError, ValueError) as error:
        log.info("tenancy refresh for account %s skipped: %s", account.id, type(error).__name__)
        return
    name, address = tenancy_snapshot(tenancy)
    if (name, address) != (account.tenant_name, account.address):
        context.accounts.refresh_tenancy(account.id, name, address)


def tenancy_snapshot(tenancy: Tenancy) -> tuple[str, str]:
    home = tenancy.property
    return tenancy.tenant_name, "\n".join([*home.address_lines, home.postcode])
