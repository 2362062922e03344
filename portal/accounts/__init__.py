"""My Account (R34-R40): tenants' accounts, signing in, server-side sessions, throttling.

`init_accounts(app)` wires it all; `portal.accounts.access` is what other blueprints use.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, request, session
from flask_login import LoginManager

from adapters.db.accounts import (
    SqlAccounts,
    SqlSessionStore,
    SqlSignInFailures,
    SqlVerificationCodes,
)
from adapters.passwords import PasswordHasher
from notifications.config import MessagingPolicy
from portal.accounts import create, manage, reset, views  # noqa: F401  (routes on views.bp)
from portal.accounts.access import SignedInTenant, current_account
from portal.accounts.context import AccountsContext, accounts_context, derive_key
from portal.accounts.housekeeping import account_jobs
from portal.accounts.navigation import safe_next
from portal.accounts.sessions import (
    PERSONAL_IDLE,
    WARN_BEFORE,
    DatabaseSessionInterface,
    expiry_for_page,
)
from portal.accounts.throttle import init_limiter

__all__ = ["init_accounts"]


def init_accounts(app: Flask) -> None:
    services = app.extensions["services"]
    settings = app.extensions["settings"]
    context = AccountsContext(
        clock=services.clock,
        accounts=SqlAccounts(services.sessions),
        sessions=SqlSessionStore(services.sessions),
        codes=SqlVerificationCodes(services.sessions),
        failures=SqlSignInFailures(services.sessions),
        # Tests may hand in a cheaper (still Argon2id) hasher through services.extras.
        hasher=services.extras.get("password_hasher") or PasswordHasher(),
        code_policy=MessagingPolicy.from_mapping(services.landlord.get("messages")).code,
        code_key=derive_key(settings.secret_key, "verification-codes"),
        name_key=derive_key(settings.secret_key, "sign-in-names"),
        services=services,
    )
    app.extensions["accounts"] = context
    if app.config["SESSION_COOKIE_SECURE"]:
        # The __Host- prefix makes the browser refuse the cookie unless it is Secure, for this
        # host only, on path /.
        app.config["SESSION_COOKIE_NAME"] = "__Host-session"
    app.session_interface = DatabaseSessionInterface(
        context.sessions, services.clock, views.PASSIVE_ENDPOINTS
    )
    _init_login(app, context)
    app.register_blueprint(views.bp)
    app.extensions["limiter"] = init_limiter(app, settings.ratelimit_storage_uri)
    app.after_request(_no_store)
    app.context_processor(_navigation)
    app.add_template_filter(mobile_display)
    factories = services.extras.setdefault("worker_job_factories", [])
    if account_jobs not in factories:
        factories.append(account_jobs)


def mobile_display(value: str) -> str:
    """'+447700900123' -> '07700 900123', as tenants write their numbers; other text as is."""
    if isinstance(value, str) and value.startswith("+447") and len(value) == 13:
        national = "0" + value[3:]
        return f"{national[:5]} {national[5:]}"
    return value


def _init_login(app: Flask, context: AccountsContext) -> None:
    login = LoginManager(app)
    # Our own sessions rotate at sign-in and expire on the server; Flask-Login's IP and
    # browser fingerprint check would sign out tenants whose phone changes network.
    login.session_protection = None

    @login.user_loader
    def _load(user_id: str) -> SignedInTenant | None:
        if not user_id.isdigit():
            return None
        record = getattr(session, "record", None)
        account = record.account if record is not None else None
        if account is None or account.id != int(user_id):
            account = context.accounts.by_id(int(user_id))
        return SignedInTenant(account) if account else None


def _no_store(response: Response) -> Response:
    """R40: nothing a signed-in tenant sees, nor any answer given on an account page, is
    kept by the browser or a proxy."""
    signed_in = "_user_id" in session or "acting_for" in session
    if signed_in or request.blueprint == "accounts":
        response.headers["Cache-Control"] = "no-store"
    return response


def _navigation() -> dict[str, Any]:
    account = current_account() if "_user_id" in session else None
    if account is None:
        return {"account_nav": {"signed_in": False}}
    now = accounts_context().clock.now()
    passive = request.endpoint in views.PASSIVE_ENDPOINTS
    expires_at = expiry_for_page(session, now, active=not passive)
    return {
        "account_nav": {
            "signed_in": True,
            "expires_at": expires_at,
            "expires_in": max(int((expires_at - now).total_seconds()), 0),
            "warn_before": int(WARN_BEFORE.total_seconds()),
            "idle_minutes": int(
                getattr(session, "idle_timeout", PERSONAL_IDLE).total_seconds() // 60
            ),
            "here": safe_next(request.full_path, "/account"),
        }
    }
