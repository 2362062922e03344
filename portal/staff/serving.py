"""Serving a tenant (R41, R42): who is being helped, how they were checked, and the audit.

An advisor (at their desk, or beside a terminal) or a tenant alone at a terminal (R43) acts
for one tenancy at a time, in one server-side session. The tenancy goes through
`portal.accounts.access.act_for_tenancy`, so the tenant journeys (report, book, change,
cancel, see repairs) work unchanged and read it from `current_tenancy()`; the details of the
check live beside it under `assisting`.

Journey code records each action with one call, a no-op when a tenant acts for themselves:

    from portal.staff.serving import record_assisted_action
    record_assisted_action("repair.reported", str(repair_ref))
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass

from flask import current_app, g, session

from adapters.db.audit_store import AuditEntry, Place
from portal.accounts.access import act_for_tenancy, acting_actor, current_tenancy, stop_acting
from portal.staff.context import staff_context
from repairs.refs import TenancyRef

log = logging.getLogger(__name__)
SESSION_KEY = "assisting"
# What the housing system's actor string says for a tenant alone at a terminal (R43): no
# member of staff acted, the terminal did.
TERMINAL_ACTOR_PREFIX = "terminal-"


@dataclass(frozen=True)
class Assisting:
    tenancy_ref: str
    tenant_name: str
    identity_check: str  # a key of assisted.identity_checks
    consent_given: bool
    place: Place
    terminal_id: int | None
    staff_id: int | None  # None: the tenant alone at a terminal (R43)

    @property
    def actor(self) -> str:
        if self.staff_id is not None:
            return str(self.staff_id)
        return f"{TERMINAL_ACTOR_PREFIX}{self.terminal_id}"


def begin(assisting: Assisting) -> None:
    """Act for the tenancy from now on in this session, and say so in the audit log."""
    act_for_tenancy(TenancyRef(assisting.tenancy_ref), assisting.actor)
    state = asdict(assisting)
    state["place"] = assisting.place.value
    session[SESSION_KEY] = state
    g.pop("assisting", None)
    record_assisted_action("assist.started")


def finish() -> None:
    if current_assisting() is not None:
        record_assisted_action("assist.finished")
    stop_acting()
    session.pop(SESSION_KEY, None)
    g.pop("assisting", None)


def current_assisting() -> Assisting | None:
    """The tenant being served in this session, if the accounts layer agrees on who."""
    if "assisting" not in g:
        g.assisting = _read()
    assisting: Assisting | None = g.assisting
    return assisting


def _read() -> Assisting | None:
    state = session.get(SESSION_KEY)
    if not isinstance(state, dict):
        return None
    try:
        assisting = Assisting(**{**state, "place": Place(state["place"])})
    except (TypeError, ValueError, KeyError):
        return None
    # Both halves must agree: a session whose acting-for was ended (or changed) by the
    # accounts layer is not serving anyone.
    if acting_actor() != assisting.actor or current_tenancy().value != assisting.tenancy_ref:
        return None
    return assisting


def alone_at_terminal() -> bool:
    """R43: a tenant serving themselves at a help terminal (no member of staff)."""
    assisting = current_assisting()
    return assisting is not None and assisting.staff_id is None


def record_assisted_action(action: str, subject: str = "") -> None:
    """R41: one audit row for an action taken for the tenant being served; nothing when the
    tenant acts for themselves. Journeys call this after the action succeeded."""
    assisting = current_assisting()
    if assisting is None or "staff" not in current_app.extensions:
        return
    context = staff_context()
    context.audit.record(
        AuditEntry(
            occurred_at=context.clock.now(),
            staff_id=assisting.staff_id,
            tenancy_ref=assisting.tenancy_ref,
            place=assisting.place,
            terminal_id=assisting.terminal_id,
            identity_check=assisting.identity_check,
            consent_given=assisting.consent_given,
            action=action[:40],
            subject=subject[:40],
        )
    )
