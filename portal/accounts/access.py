"""Who is signed in, and which tenancy a page may show. For every blueprint that serves a
tenant's own data (repairs, bookings, history).

    from portal.accounts.access import tenant_required, current_tenancy

    @bp.get("/repairs")
    @tenant_required
    def repairs():
        tenancy = current_tenancy()   # the only tenancy this request may read or change

A tenant can only ever see their own tenancy: pages never take a tenancy reference from the URL
or a form, they ask `current_tenancy()`.

Assisted digital (R41, later): a staff member at a terminal signs in as themselves and then
calls `act_for_tenancy(tenancy_ref, actor)` after checking the tenant's identity; from then on
`current_tenancy()` is that tenancy and `acting_actor()` names the staff member, so each action
can record who did it. `stop_acting()` ends it (and staff sign-out destroys the session).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import redirect, request, session, url_for
from flask_login import UserMixin, current_user

from adapters.db.accounts import AccountRecord
from portal.accounts.context import accounts_context
from portal.accounts.navigation import safe_next
from repairs.refs import TenancyRef

F = TypeVar("F", bound=Callable[..., Any])
_ACTING = "acting_for"


class SignedInTenant(UserMixin):  # type: ignore[misc]
    """Flask-Login's user: the account row as it was read for this request."""

    def __init__(self, account: AccountRecord) -> None:
        self.account = account

    def get_id(self) -> str:
        return str(self.account.id)


def current_account() -> AccountRecord | None:
    if current_user.is_authenticated and isinstance(current_user, SignedInTenant):
        return current_user.account
    return None


def _acting() -> dict[str, str] | None:
    value = session.get(_ACTING)
    return value if isinstance(value, dict) and value.get("tenancy_ref") else None


def _sign_in_first() -> Any:
    if getattr(session, "timed_out", False):
        return redirect(url_for("accounts.session_ended"))
    return redirect(url_for("accounts.sign_in", next=safe_next(request.full_path)))


def tenant_required(view: F) -> F:
    """The page needs a signed-in tenant (or staff acting for one); else sign in first and
    come back. A session that timed out goes to the 'you were signed out' page instead."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if current_account() is None and _acting() is None:
            return _sign_in_first()
        return view(*args, **kwargs)

    return cast(F, guarded)


def account_required(view: F) -> F:
    """The page is about the tenant's own account (password, mobile, deletion): staff acting
    for a tenant never reach it (R42)."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if current_account() is None:
            return _sign_in_first()
        return view(*args, **kwargs)

    return cast(F, guarded)


def current_tenancy() -> TenancyRef:
    """The tenancy this request acts on: the one staff are acting for, else the tenant's own.

    Call only inside a `tenant_required` view.
    """
    acting = _acting()
    if acting is not None:
        return TenancyRef(acting["tenancy_ref"])
    account = current_account()
    if account is None:
        raise RuntimeError("current_tenancy() called outside a tenant_required view")
    return TenancyRef(account.tenancy_ref)


def act_for_tenancy(tenancy_ref: TenancyRef, actor: str) -> None:
    """R41: staff member `actor` (their staff id) acts for this tenancy from now on, in this
    session only. The caller must already have checked the tenant's identity and consent."""
    now = accounts_context().clock.now()
    session[_ACTING] = {"tenancy_ref": tenancy_ref.value, "actor": actor, "since": now.isoformat()}


def acting_actor() -> str | None:
    """The staff id acting for the tenant, or None when the tenant acts for themselves."""
    acting = _acting()
    return acting.get("actor") if acting else None


def stop_acting() -> None:
    session.pop(_ACTING, None)
