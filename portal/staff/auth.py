"""Staff sign-in (password and authenticator code) and the guards on staff pages.

A staff session is a server-side session (portal.accounts.sessions) holding `staff_id` and
never a tenant's `_user_id`: staff pages refuse any session that has a tenant in it, and the
tenant pages (portal.accounts.access.tenant_required) refuse a staff session unless its
member is acting for a tenancy after an identity check (portal.staff.serving).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort, g, redirect, request, session, url_for

from adapters.db.staff_store import StaffRecord, StaffRole
from portal.accounts.navigation import safe_next
from portal.accounts.sessions import PERSONAL_IDLE, rotate
from portal.accounts.throttle import name_digest
from portal.staff import totp
from portal.staff.context import ADDRESS_THROTTLE, StaffContext, staff_context
from portal.staff.secret_box import SealBroken, unseal

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])
SESSION_KEY = "staff_id"
TENANT_KEY = "_user_id"  # Flask-Login's key: a tenant is signed in


def current_staff() -> StaffRecord | None:
    """The signed-in member of staff, read once per request; None for anyone else."""
    if "staff" not in g:
        g.staff = _load_staff()
    staff: StaffRecord | None = g.staff
    return staff


def _load_staff() -> StaffRecord | None:
    staff_id = session.get(SESSION_KEY)
    if not isinstance(staff_id, int) or TENANT_KEY in session:
        return None
    staff = staff_context().staff.by_id(staff_id)
    return staff if staff and staff.active and staff.is_set_up else None


def staff_required(view: F) -> F:
    """Staff only: anyone else goes to the staff sign-in page (a tenant's session included)."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if current_staff() is None:
            return redirect(url_for("staff.sign_in", next=safe_next(request.full_path)))
        return view(*args, **kwargs)

    return cast(F, guarded)


def supervisor_required(view: F) -> F:
    """Supervisors only: the audit log, the measures and the terminals (403 for advisors)."""

    @wraps(view)
    @staff_required
    def guarded(*args: Any, **kwargs: Any) -> Any:
        staff = current_staff()
        if staff is None or staff.role is not StaffRole.SUPERVISOR:
            abort(403)
        return view(*args, **kwargs)

    return cast(F, guarded)


@dataclass(frozen=True)
class Refused:
    """One outcome for unknown email, wrong password and wrong or reused code (R38)."""

    wait_until: datetime | None = None


def check_credentials(email: str, password: str, code: str, address: str) -> StaffRecord | Refused:
    context = staff_context()
    now = context.clock.now()
    digests = (
        (name_digest("staff:" + email.strip().lower(), context.name_key), context.throttle),
        (name_digest("staff-address:" + address, context.name_key), ADDRESS_THROTTLE),
    )
    for digest, throttle in digests:
        failures = context.failures.get(digest)
        wait = throttle.wait_until(*failures, now) if failures else None
        if wait is not None:
            return Refused(wait)
    staff = context.staff.by_email(email)
    usable = staff if staff and staff.active and staff.is_set_up else None
    password_ok = context.hasher.verify(usable.password_hash if usable else None, password)
    if usable and password_ok and _code_ok(context, usable, code, now):
        context.failures.clear(digests[0][0])
        return usable
    for digest, throttle in digests:
        context.failures.record_failure(digest, now, throttle.forget_after)
    return Refused()


def _code_ok(context: StaffContext, staff: StaffRecord, code: str, now: datetime) -> bool:
    assert staff.totp_secret_sealed is not None
    try:
        secret = unseal(staff.totp_secret_sealed, context.secret_key)
    except SealBroken:
        log.warning(
            "staff %s: authenticator secret cannot be read (SECRET_KEY changed?); "
            "issue a new set-up link with `flask --app wsgi staff reset`",
            staff.id,
        )
        return False
    step = totp.matching_step(secret, code, now)
    # One conditional UPDATE: a code (or an older one) already used is refused.
    return step is not None and context.staff.accept_totp_step(staff.id, step)


def start_staff_session(staff: StaffRecord) -> None:
    """R39: a brand-new session (new token) holding only the member's id."""
    context = staff_context()
    session.clear()
    rotate(session, idle_timeout=PERSONAL_IDLE)
    session[SESSION_KEY] = staff.id
    context.staff.record_sign_in(staff.id, context.clock.now())
    g.staff = staff
