"""Help terminals in the customer services centre (R39, R43): registration by a supervisor's
one-time link, kiosk mode on every page, reporting without an account after the tenancy
check, "Ask for help" and the idle wipe.

`init_terminal(app)` wires it; it needs portal.staff (the terminals and the queue live there)
and portal.accounts' server-side sessions.
"""

from __future__ import annotations

from flask import Flask

from portal.terminal import views
from portal.terminal.kiosk import init_kiosk

__all__ = ["init_terminal"]


def init_terminal(app: Flask) -> None:
    csrf = app.extensions["csrf"]
    # See portal/terminal/views.py: these must work after a wipe, and the terminal cookie's
    # SameSite=Strict already keeps other sites from sending them.
    for view in (
        views.begin,
        views.finish,
        views.still_here,
        views.ask_for_help,
        views.cancel_help,
    ):
        csrf.exempt(view)
    app.register_blueprint(views.bp)
    init_kiosk(app)
