"""Kiosk mode for every page a help terminal shows (R39, R40, R43).

On a terminal, whatever blueprint serves the page:
- a visit starts with the big Start button and ends with "Finish and clear" or after [5 min]
  idle; tenant pages are open only during a visit, so the back button after a wipe, or the
  next visitor, lands on the start screen;
- any session started here gets the terminal's idle timeout, and each request during a visit
  counts as activity, so the server and the idle warning agree to the second;
- Clear-Site-Data never includes "cookies" (that would unregister the terminal): the session
  cookie is deleted explicitly instead;
- pages are never cached, forms have autocomplete off, and staff pages are not served.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, Response, g, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import NotFound

from portal.accounts.sessions import ServerSideSession
from portal.staff.context import staff_context
from portal.terminal import device

VISIT = "terminal_visit"
TENANT_KEY = "_user_id"
KIOSK_CLEAR_SITE_DATA = '"cache", "storage"'
# Open on a terminal without a visit: the start screen and its buttons, the public pages.
OPEN_WITHOUT_VISIT = {"pages.accessibility", "pages.privacy", "pages.cookies", "static",
                      "pages.liveness", "pages.healthz"}  # fmt: skip
_FORM = re.compile(r"<form(?![^>]*\bautocomplete=)", re.IGNORECASE)
_AUTOCOMPLETE = re.compile(r'\bautocomplete="[^"]*"', re.IGNORECASE)


def init_kiosk(app: Flask) -> None:
    app.before_request(_identify)
    app.after_request(_kiosk_response)
    app.context_processor(_kiosk_context)


def current_terminal() -> Any:
    return g.get("terminal")


def visiting() -> bool:
    terminal = current_terminal()
    return terminal is not None and session.get(VISIT) == terminal.id


def _identify() -> ResponseReturnValue | None:
    from flask import current_app

    g.terminal = device.identify(current_app, request)
    if g.terminal is None:
        return None
    endpoint = request.endpoint or ""
    if endpoint.startswith("staff."):
        raise NotFound()  # staff never sign in on a kiosk
    if endpoint == "pages.start":
        return redirect(url_for("terminal.start"))  # the terminal's own start screen
    if endpoint.startswith("terminal.") or endpoint in OPEN_WITHOUT_VISIT:
        return None
    if not visiting():
        # R39: after a wipe (or before Start) nothing of a visit is reachable.
        return redirect(url_for("terminal.start"))
    return None


def _kiosk_response(response: Response) -> Response:
    from flask import current_app

    terminal = current_terminal()
    if g.get("terminal_cookie_seen") and terminal is None:
        device.forget_cookie(current_app, response)  # a copied or revoked token: drop it
        return response
    if terminal is None:
        return response
    if g.get("renew_terminal_cookie"):
        device.set_cookie(current_app, response, request.cookies[device.cookie_name(current_app)])
    _keep_visit(terminal.id)
    response.headers["Cache-Control"] = "no-store"
    if "Clear-Site-Data" in response.headers:
        response.headers["Clear-Site-Data"] = KIOSK_CLEAR_SITE_DATA
    if response.mimetype == "text/html" and not response.direct_passthrough:
        response.set_data(_autocomplete_off(response.get_data(as_text=True)))
    return response


def _keep_visit(terminal_id: int) -> None:
    """Sessions started on the terminal get its idle timeout; a visitor who signed in (the
    accounts layer clears the session at sign-in) stays in the visit; every request in a
    visit is activity."""
    if not isinstance(session, ServerSideSession) or session.destroyed:
        return
    wipe_after = staff_context().config.terminal_wipe_after
    if session.rotate_requested or session.record is None:
        session.idle_timeout = min(session.idle_timeout, wipe_after)
    if TENANT_KEY in session and VISIT not in session:
        session[VISIT] = terminal_id
    if session.get(VISIT) == terminal_id and session.record is not None:
        session.modified = True  # touch on every request, not once a minute


def _autocomplete_off(html: str) -> str:
    """R39: no form history or autofill for the next visitor (browsers still offer saved
    passwords unless the kiosk profile turns its password manager off)."""
    html = _AUTOCOMPLETE.sub('autocomplete="off"', html)
    return _FORM.sub('<form autocomplete="off"', html)


def _kiosk_context() -> dict[str, Any]:
    terminal = current_terminal()
    if terminal is None:
        return {"kiosk": None}
    context = staff_context()
    waiting = context.help_requests.open_for_terminal(terminal.id)
    config = context.config
    return {
        "kiosk": {
            "name": terminal.name,
            "visiting": visiting(),
            "help_requested": waiting is not None,
            "help_coming": bool(waiting and waiting.taken_at),
            "warn_ms": int(config.terminal_warning_after.total_seconds() * 1000),
            "wipe_ms": int(config.terminal_wipe_after.total_seconds() * 1000),
            "here": request.full_path.rstrip("?") if request.method == "GET" else "",
            "printable": request.endpoint in PRINTABLE,
        }
    }


# Pages that are a record to take away (R43: printed or read out).
PRINTABLE = {"report.confirmation", "booking.done", "tracking.repair", "report.check"}
