"""Server-side sessions (R39, R40): the cookie carries only a random token; the data, the
account and the timeouts live in a database row (`adapters.db.accounts.SqlSessionStore`).

- A new token at sign-in (`rotate`), so a token seen before sign-in is useless after it.
- Idle timeout chosen per session when it starts: [30 min] on personal devices, [5 min] on
  help terminals (`start_fresh(session, idle_timeout=TERMINAL_IDLE)`); absolute [12 h].
- Sign-out and timeout delete the row (`destroy`); the pages that follow send Clear-Site-Data.
- The cookie is HttpOnly, SameSite=Lax, Secure outside development and tests, and has no
  expiry date, so it also ends when the browser closes.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, Request, Response, request
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from adapters.db.accounts import SessionRecord, SqlSessionStore
from repairs.clock import Clock

PERSONAL_IDLE = timedelta(minutes=30)  # R39
TERMINAL_IDLE = timedelta(minutes=5)  # R39
ABSOLUTE_LIMIT = timedelta(hours=12)  # R39
WARN_BEFORE = timedelta(minutes=2)  # R39
# Writing last_seen on every request would make every page a database write; a minute's
# slack on a 30-minute timeout is not noticeable, and pages show the stored expiry anyway.
TOUCH_EVERY = timedelta(seconds=60)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


class ServerSideSession(CallbackDict[str, Any], SessionMixin):
    def __init__(
        self,
        initial: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        record: SessionRecord | None = None,
    ) -> None:
        def on_update(_: Any) -> None:
            self.modified = True

        super().__init__(initial or {}, on_update)
        self.token = token
        self.record = record
        self.modified = False
        self.rotate_requested = False
        self.destroyed = False
        # True when this request arrived with a signed-in session that had expired (R39).
        self.timed_out = False
        self.had_stale_cookie = False
        self.idle_timeout = record.idle_timeout if record else PERSONAL_IDLE

    def expires_at(self, now: datetime) -> datetime:
        if self.record is None:
            return now + self.idle_timeout
        return self.record.expires_at()


def expiry_for_page(
    session: SessionMixin, now: datetime, *, active: bool, force_touch: bool = False
) -> datetime:
    """When this session will time out, as a page rendered now should say (R39).

    An active request that will touch the row counts from now; otherwise from the stored
    last-seen time, so the page never promises more time than the server will give.
    """
    if not isinstance(session, ServerSideSession) or session.record is None:
        return now + PERSONAL_IDLE
    record = session.record
    touches = active and (
        force_touch or session.modified or now - record.last_seen_at >= TOUCH_EVERY
    )
    last_seen = now if touches else record.last_seen_at
    return min(last_seen + record.idle_timeout, record.absolute_expires_at)


def rotate(session: SessionMixin, *, idle_timeout: timedelta | None = None) -> None:
    """R39: give the session a new token (and a fresh absolute limit) when it is saved."""
    if isinstance(session, ServerSideSession):
        session.rotate_requested = True
        if idle_timeout is not None:
            session.idle_timeout = idle_timeout


def destroy(session: SessionMixin) -> None:
    """R40: delete the row and the cookie at the end of this request."""
    session.clear()
    if isinstance(session, ServerSideSession):
        session.destroyed = True


class DatabaseSessionInterface(SessionInterface):
    def __init__(self, store: SqlSessionStore, clock: Clock, passive_endpoints: set[str]):
        self.store = store
        self.clock = clock
        # Pages that must not count as activity: the timeout warning itself, for one.
        self.passive_endpoints = passive_endpoints

    def open_session(self, app: Flask, request: Request) -> ServerSideSession:
        token = request.cookies.get(self.get_cookie_name(app), "")
        if not _TOKEN.match(token):
            fresh = ServerSideSession()
            fresh.had_stale_cookie = bool(token)
            return fresh
        record = self.store.load(token_hash(token))
        if record is None:
            fresh = ServerSideSession()
            fresh.had_stale_cookie = True
            return fresh
        if self.clock.now() >= record.expires_at():
            self.store.delete(record.token_hash)
            fresh = ServerSideSession()
            fresh.had_stale_cookie = True
            fresh.timed_out = record.account_id is not None
            return fresh
        return ServerSideSession(record.data, token=token, record=record)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        assert isinstance(session, ServerSideSession)
        if session.accessed:
            response.vary.add("Cookie")
        if session.destroyed:
            if session.record is not None:
                self.store.delete(session.record.token_hash)
            self._forget_cookie(app, response)
            return
        now = self.clock.now()
        if session.rotate_requested or (session.record is None and session):
            self._start(app, session, response, now)
        elif session.record is None:
            if session.had_stale_cookie:
                self._forget_cookie(app, response)
        elif session.modified:
            self._save(session, now, touch=self._active())
        elif self._active() and now - session.record.last_seen_at >= TOUCH_EVERY:
            self.store.touch(session.record.token_hash, now)

    def _active(self) -> bool:
        return request.endpoint not in self.passive_endpoints

    def _start(
        self, app: Flask, session: ServerSideSession, response: Response, now: datetime
    ) -> None:
        old = session.record.token_hash if session.record else None
        token = secrets.token_urlsafe(32)
        session.record = SessionRecord(
            token_hash=token_hash(token),
            account_id=_account_id(session),
            data=dict(session),
            created_at=now,
            last_seen_at=now,
            idle_timeout=session.idle_timeout,
            absolute_expires_at=now + ABSOLUTE_LIMIT,
        )
        self.store.save(session.record, replaces=old)
        session.token = token
        response.set_cookie(
            self.get_cookie_name(app),
            token,
            httponly=True,
            secure=self.get_cookie_secure(app),
            samesite=self.get_cookie_samesite(app) or "Lax",
            path="/",
        )
        response.vary.add("Cookie")

    def _save(self, session: ServerSideSession, now: datetime, *, touch: bool) -> None:
        record = session.record
        assert record is not None
        record.data = dict(session)
        record.account_id = _account_id(session)
        if touch:
            record.last_seen_at = now
        self.store.update(record)

    def _forget_cookie(self, app: Flask, response: Response) -> None:
        response.delete_cookie(
            self.get_cookie_name(app),
            path="/",
            secure=self.get_cookie_secure(app),
            httponly=True,
            samesite=self.get_cookie_samesite(app) or "Lax",
        )
        response.vary.add("Cookie")


def _account_id(session: ServerSideSession) -> int | None:
    """Flask-Login keeps the signed-in account's id as `_user_id`; the row keeps it too, so
    'sign out of all devices' can find every session of an account."""
    value = session.get("_user_id")
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None
