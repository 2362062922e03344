"""Finding a tenancy for an advisor: by reference from the housing system, or by name and
postcode.

The housing ports have no name search (Northgate's wire offers none), so name and postcode
are looked up in our own copy of tenants' names and addresses (accounts, refreshed at each
sign-in) and then read afresh from the housing system by reference. A housing adapter that
offers `find_tenancies(name, postcode)` is asked directly instead. Tenants with no account
and no reference to hand are found by the housing team by phone, as today.
"""

from __future__ import annotations

import logging

from sqlalchemy import func, select

from adapters.db.tables.accounts import Account
from portal.staff.context import staff_context
from repairs.ports import BackendRejected, BackendUnavailable, Tenancy
from repairs.refs import TenancyRef

log = logging.getLogger(__name__)
MAX_MATCHES = 10


class LookupFailed(Exception):
    """The housing system could not be asked; the message is for the advisor."""


DOWN = "The housing system is not answering. Try again in a few minutes"


def read_tenancy(tenancy_ref: str) -> Tenancy:
    housing = staff_context().housing
    if housing is None:
        raise LookupFailed(DOWN)
    try:
        tenancy: Tenancy = housing.tenancy(TenancyRef(tenancy_ref))
        return tenancy
    except BackendUnavailable:
        raise LookupFailed(DOWN) from None
    except (BackendRejected, ValueError):
        raise LookupFailed("No tenancy has that reference") from None


def find_tenancies(tenancy_ref: str, name: str, postcode: str) -> list[Tenancy]:
    if tenancy_ref:
        try:
            return [read_tenancy(tenancy_ref)]
        except LookupFailed as problem:
            if str(problem) == DOWN:
                raise
            return []
    housing = staff_context().housing
    if hasattr(housing, "find_tenancies"):
        found: list[Tenancy] = housing.find_tenancies(name, postcode)
        return found[:MAX_MATCHES]
    refs = _refs_by_name_and_postcode(name, postcode)
    tenancies = []
    for ref in refs:
        try:
            tenancies.append(read_tenancy(ref))
        except LookupFailed as problem:
            if str(problem) == DOWN:
                raise
    return [t for t in tenancies if _squash(t.property.postcode) == _squash(postcode)]


def _refs_by_name_and_postcode(name: str, postcode: str) -> list[str]:
    query = (
        select(Account.tenancy_ref)
        .where(func.lower(Account.tenant_name) == name.strip().lower())
        .where(func.upper(Account.address).like(f"%{postcode.strip().upper()}"))
        .distinct()
        .limit(MAX_MATCHES)
    )
    with staff_context().services.sessions() as session:
        return sorted(session.scalars(query))


def _squash(postcode: str) -> str:
    return "".join(postcode.split()).upper()
