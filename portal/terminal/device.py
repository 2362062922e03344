"""Which browser is a help terminal: the token cookie and the binding that makes a copied
token useless (R39, R43).

Registration (a supervisor's one-time link opened in the kiosk browser) sets a cookie holding
a 256-bit random token; the database keeps only its SHA-256. The same request records a
binding: a keyed hash (HMAC-SHA256 with a key derived from SECRET_KEY) of

- the browser's User-Agent and Accept-Language headers, and
- the network the kiosk registered from (IPv4 /24, IPv6 /64 of the client address).

A request is treated as coming from the terminal only when the token matches a terminal in
service *and* the binding of this request equals the one recorded. Someone who copies the
cookie to another browser (a different user agent or language) or uses it from outside the
office network gets nothing: no kiosk pages, no reporting without an account; the attempt is
recorded on the terminal for supervisors and the cookie is removed from that browser. The
cookie itself is HttpOnly (no script can read it), SameSite=Strict (never sent from another
site, so terminal actions cannot be forged from one) and Secure outside development.

Limits, stated plainly: headers can be copied by a determined thief who also stands inside
the office network; the binding raises the bar, it is not a hardware attestation. A kiosk
browser update that changes the User-Agent needs a new registration link (Terminals page).
Behind a reverse proxy the client address is the proxy's unless ProxyFix is configured, which
weakens the network part to "came through our proxy".
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import secrets
from datetime import timedelta

from flask import Flask, Request, Response, g

from adapters.db.staff_store import TerminalRecord
from portal.staff.context import StaffContext, staff_context

log = logging.getLogger(__name__)
COOKIE = "terminal"
SECURE_COOKIE = "__Host-terminal"
# Browsers keep a cookie at most 400 days; each day of use renews it.
COOKIE_MAX_AGE = timedelta(days=400)
SEEN_EVERY = timedelta(hours=1)


def cookie_name(app: Flask) -> str:
    return SECURE_COOKIE if app.config["SESSION_COOKIE_SECURE"] else COOKIE


def new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _network(address: str | None) -> str:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return "unknown"
    prefix = 24 if ip.version == 4 else 64
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def binding_of(request: Request, key: bytes) -> str:
    parts = (
        request.headers.get("User-Agent", ""),
        request.headers.get("Accept-Language", ""),
        _network(request.remote_addr),
    )
    return hmac.new(key, "\n".join(parts).encode("utf-8"), hashlib.sha256).hexdigest()


def identify(app: Flask, request: Request) -> TerminalRecord | None:
    """The terminal this request comes from, or None (also for a copied token)."""
    token = request.cookies.get(cookie_name(app), "")
    if not token or len(token) > 100:
        return None
    context = staff_context()
    terminal = context.terminals.by_token(token_hash(token))
    g.terminal_cookie_seen = True
    if terminal is None:
        return None
    if not hmac.compare_digest(
        terminal.binding_hash or "", binding_of(request, context.binding_key)
    ):
        log.warning("terminal %s: token presented by another browser, refused", terminal.id)
        context.terminals.refused(terminal.id, context.clock.now())
        return None
    _mark_seen(context, terminal)
    return terminal


def _mark_seen(context: StaffContext, terminal: TerminalRecord) -> None:
    now = context.clock.now()
    if terminal.last_seen_at is None or now - terminal.last_seen_at >= SEEN_EVERY:
        context.terminals.seen(terminal.id, now)
        g.renew_terminal_cookie = True


def set_cookie(app: Flask, response: Response, token: str) -> None:
    response.set_cookie(
        cookie_name(app),
        token,
        max_age=int(COOKIE_MAX_AGE.total_seconds()),
        httponly=True,
        secure=app.config["SESSION_COOKIE_SECURE"],
        samesite="Strict",
        path="/",
    )


def forget_cookie(app: Flask, response: Response) -> None:
    response.delete_cookie(
        cookie_name(app),
        path="/",
        httponly=True,
        secure=app.config["SESSION_COOKIE_SECURE"],
        samesite="Strict",
    )
