"""Repositories for accounts, server-side sessions, verification codes and sign-in failures.

Each method is one short transaction: callers never hold one open across an HTTP call to the
housing system or the SMS provider (SQLite takes the write lock at BEGIN).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from adapters.db.tables.accounts import (
    Account,
    ServerSession,
    SignInFailures,
    VerificationCodeRecord,
)
from notifications.limits import CodeCheck, VerificationCode


@contextmanager
def reading(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A read-only unit of work. On SQLite it begins DEFERRED instead of taking the write
    lock (adapters.db.engine), so page views do not queue behind each other; elsewhere it is
    an ordinary session."""
    with sessions() as session:
        session.connection(execution_options={"sqlite_begin": "DEFERRED"})
        yield session


class SignInNameTaken(Exception):
    """Another account already signs in with this email address or mobile number."""


@dataclass(frozen=True)
class AccountRecord:
    id: int
    sign_in_name: str
    password_hash: str
    tenancy_ref: str
    tenant_name: str
    address: str
    mobile: str | None
    mobile_verified_at: datetime | None
    reminders_opt_in: bool
    reminders_choice_at: datetime | None
    created_at: datetime
    password_changed_at: datetime
    last_sign_in_at: datetime | None

    @property
    def address_lines(self) -> list[str]:
        return [line for line in self.address.split("\n") if line]


@dataclass(frozen=True)
class NewAccount:
    sign_in_name: str
    password_hash: str
    tenancy_ref: str
    tenant_name: str
    address: str
    mobile: str
    mobile_verified_at: datetime


def _record(row: Account) -> AccountRecord:
    return AccountRecord(
        **{name: getattr(row, name) for name in AccountRecord.__dataclass_fields__}
    )


class SqlAccounts:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def by_id(self, account_id: int) -> AccountRecord | None:
        with reading(self._sessions) as session:
            row = session.get(Account, account_id)
            return _record(row) if row else None

    def by_sign_in_name(self, sign_in_name: str) -> AccountRecord | None:
        with reading(self._sessions) as session:
            row = session.scalar(select(Account).where(Account.sign_in_name == sign_in_name))
            return _record(row) if row else None

    def holders_of(self, tenancy_ref: str) -> list[AccountRecord]:
        with reading(self._sessions) as session:
            rows = session.scalars(
                select(Account).where(Account.tenancy_ref == tenancy_ref).order_by(Account.id)
            )
            return [_record(row) for row in rows]

    def count_active(self, now: datetime, within: timedelta = timedelta(days=90)) -> int:
        """R45: accounts signed in within the last [90] days."""
        with reading(self._sessions) as session:
            query = select(func.count()).where(Account.last_sign_in_at > now - within)
            return int(session.scalar(query) or 0)

    def create(self, new: NewAccount, now: datetime) -> AccountRecord:
        row = Account(
            sign_in_name=new.sign_in_name,
            password_hash=new.password_hash,
            tenancy_ref=new.tenancy_ref,
            tenant_name=new.tenant_name,
            address=new.address,
            mobile=new.mobile,
            mobile_verified_at=new.mobile_verified_at,
            reminders_opt_in=False,
            created_at=now,
            password_changed_at=now,
        )
        try:
            with self._sessions.begin() as session:
                session.add(row)
                session.flush()
                return _record(row)
        except IntegrityError:
            raise SignInNameTaken(new.sign_in_name) from None

    def _update(self, account_id: int, **values: Any) -> None:
        with self._sessions.begin() as session:
            session.execute(update(Account).where(Account.id == account_id).values(**values))

    def record_sign_in(self, account_id: int, now: datetime) -> None:
        self._update(account_id, last_sign_in_at=now)

    def refresh_tenancy(self, account_id: int, tenant_name: str, address: str) -> None:
        self._update(account_id, tenant_name=tenant_name, address=address)

    def set_password(self, account_id: int, password_hash: str, now: datetime) -> None:
        self._update(account_id, password_hash=password_hash, password_changed_at=now)

    def set_mobile(self, account_id: int, mobile: str, now: datetime, *, sign_in: bool) -> None:
        """A proved new number; `sign_in` when the tenant also signs in with it."""
        values: dict[str, Any] = {"mobile": mobile, "mobile_verified_at": now}
        if sign_in:
            values["sign_in_name"] = mobile
        try:
            self._update(account_id, **values)
        except IntegrityError:
            raise SignInNameTaken(mobile) from None

    def set_reminders(self, account_id: int, opt_in: bool, now: datetime) -> None:
        self._update(account_id, reminders_opt_in=opt_in, reminders_choice_at=now)

    def delete(self, account_id: int) -> None:
        with self._sessions.begin() as session:
            session.execute(delete(ServerSession).where(ServerSession.account_id == account_id))
            session.execute(
                delete(VerificationCodeRecord).where(
                    VerificationCodeRecord.account_id == account_id
                )
            )
            session.execute(delete(Account).where(Account.id == account_id))


@dataclass
class SessionRecord:
    token_hash: str
    account_id: int | None
    data: dict[str, Any]
    created_at: datetime
    last_seen_at: datetime
    idle_timeout: timedelta
    absolute_expires_at: datetime
    # The signed-in account as read with the row, so a page needs no second query for it.
    account: AccountRecord | None = None

    def expires_at(self) -> datetime:
        """R39: the earlier of the idle and the absolute limits."""
        return min(self.last_seen_at + self.idle_timeout, self.absolute_expires_at)


class SqlSessionStore:
    """R39/R40: server-side session rows, keyed by the hash of the cookie's token."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def load(self, token_hash: str) -> SessionRecord | None:
        """The row and, in the same query, its account: one round trip per page view."""
        query = (
            select(ServerSession, Account)
            .outerjoin(Account, Account.id == ServerSession.account_id)
            .where(ServerSession.token_hash == token_hash)
        )
        with reading(self._sessions) as session:
            found = session.execute(query).first()
            if found is None:
                return None
            row, account = found
            try:
                data = json.loads(row.data)
            except ValueError:
                data = {}
            return SessionRecord(
                token_hash=row.token_hash,
                account_id=row.account_id,
                data=data if isinstance(data, dict) else {},
                created_at=row.created_at,
                last_seen_at=row.last_seen_at,
                idle_timeout=timedelta(seconds=row.idle_timeout_seconds),
                absolute_expires_at=row.absolute_expires_at,
                account=_record(account) if account is not None else None,
            )

    def save(self, record: SessionRecord, *, replaces: str | None = None) -> None:
        """Insert or update the row; `replaces` names an old row to delete in the same
        transaction (a new session id at sign-in, R39)."""
        with self._sessions.begin() as session:
            if replaces and replaces != record.token_hash:
                session.execute(delete(ServerSession).where(ServerSession.token_hash == replaces))
            row = session.get(ServerSession, record.token_hash)
            if row is None:
                row = ServerSession(token_hash=record.token_hash)
                session.add(row)
            row.account_id = record.account_id
            row.data = json.dumps(record.data, separators=(",", ":"), default=str)
            row.created_at = record.created_at
            row.last_seen_at = record.last_seen_at
            row.idle_timeout_seconds = int(record.idle_timeout.total_seconds())
            row.absolute_expires_at = record.absolute_expires_at

    def update(self, record: SessionRecord) -> None:
        """Write back an existing row's data and times in one statement."""
        with self._sessions.begin() as session:
            session.execute(
                update(ServerSession)
                .where(ServerSession.token_hash == record.token_hash)
                .values(
                    account_id=record.account_id,
                    data=json.dumps(record.data, separators=(",", ":"), default=str),
                    last_seen_at=record.last_seen_at,
                )
            )

    def touch(self, token_hash: str, now: datetime) -> None:
        with self._sessions.begin() as session:
            session.execute(
                update(ServerSession)
                .where(ServerSession.token_hash == token_hash)
                .values(last_seen_at=now)
            )

    def delete(self, token_hash: str) -> None:
        with self._sessions.begin() as session:
            session.execute(delete(ServerSession).where(ServerSession.token_hash == token_hash))

    def delete_for_account(self, account_id: int) -> int:
        """'Sign out of all devices', and after a password reset."""
        with self._sessions.begin() as session:
            result = session.execute(
                delete(ServerSession).where(ServerSession.account_id == account_id)
            )
            return int(getattr(result, "rowcount", 0) or 0)

    def delete_expired(self, now: datetime, longest_idle: timedelta) -> int:
        """Housekeeping: rows past their absolute limit, or idle longer than any session may
        be. Rows idle past a shorter limit are removed when next read."""
        with self._sessions.begin() as session:
            result = session.execute(
                delete(ServerSession).where(
                    (ServerSession.absolute_expires_at <= now)
                    | (ServerSession.last_seen_at <= now - longest_idle)
                )
            )
            return int(getattr(result, "rowcount", 0) or 0)


class SqlVerificationCodes:
    """R35: codes stored as keyed hashes; each check counts an attempt in its transaction."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def add(self, purpose: str, mobile: str, code: VerificationCode, account_id: int | None) -> int:
        with self._sessions.begin() as session:
            row = VerificationCodeRecord(
                purpose=purpose,
                mobile=mobile,
                account_id=account_id,
                code_hash=code.code_hash,
                issued_at=code.issued_at,
                expires_at=code.expires_at,
                max_attempts=code.max_attempts,
                attempts=code.attempts,
                used_at=code.used_at,
            )
            session.add(row)
            session.flush()
            return row.id

    def check(
        self, code_id: int, purpose: str, entered: str, now: datetime, key: bytes
    ) -> CodeCheck:
        with self._sessions.begin() as session:
            row = session.get(VerificationCodeRecord, code_id, with_for_update=True)
            if row is None or row.purpose != purpose:
                return CodeCheck.EXPIRED
            code = VerificationCode(
                code_hash=row.code_hash,
                issued_at=row.issued_at,
                expires_at=row.expires_at,
                max_attempts=row.max_attempts,
                attempts=row.attempts,
                used_at=row.used_at,
            )
            result = code.check(entered, now, key)
            row.attempts = code.attempts
            row.used_at = code.used_at
            return result

    def delete_expired(self, now: datetime) -> int:
        with self._sessions.begin() as session:
            result = session.execute(
                delete(VerificationCodeRecord).where(VerificationCodeRecord.expires_at <= now)
            )
            return int(getattr(result, "rowcount", 0) or 0)


class SqlSignInFailures:
    """R38: consecutive failed sign-ins per sign-in name (hashed)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def get(self, name_hash: str) -> tuple[int, datetime] | None:
        with reading(self._sessions) as session:
            row = session.get(SignInFailures, name_hash)
            return (row.failures, row.last_failure_at) if row else None

    def record_failure(self, name_hash: str, now: datetime, forget_after: timedelta) -> int:
        """Count one more failure; a run older than `forget_after` starts again from one."""
        for _ in range(2):
            try:
                with self._sessions.begin() as session:
                    row = session.get(SignInFailures, name_hash, with_for_update=True)
                    if row is None:
                        session.add(
                            SignInFailures(name_hash=name_hash, failures=1, last_failure_at=now)
                        )
                        return 1
                    stale = now - row.last_failure_at > forget_after
                    row.failures = 1 if stale else row.failures + 1
                    row.last_failure_at = now
                    return row.failures
            except IntegrityError:
                continue  # another request inserted the row first: count on it
        raise RuntimeError("could not record a sign-in failure")

    def clear(self, name_hash: str) -> None:
        with self._sessions.begin() as session:
            session.execute(delete(SignInFailures).where(SignInFailures.name_hash == name_hash))

    def delete_older_than(self, cutoff: datetime) -> int:
        with self._sessions.begin() as session:
            result = session.execute(
                delete(SignInFailures).where(SignInFailures.last_failure_at < cutoff)
            )
            return int(getattr(result, "rowcount", 0) or 0)
