"""Tenant accounts, server-side sessions, verification codes and sign-in failure counters
(R35-R40)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from adapters.db.base import Base, UtcDateTime


class Account(Base):
    """One tenant's account, linked to one tenancy (R36).

    Name and address are a read copy of the housing system's, refreshed at each sign-in, so the
    dashboard reads only our database and still works when the housing system is down.
    """

    __tablename__ = "account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # An email address (lower-cased) or an E.164 mobile number: what the tenant signs in with.
    sign_in_name: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    # Several accounts may name one tenancy (joint tenants); the holders are told by text.
    tenancy_ref: Mapped[str] = mapped_column(String(30), index=True)
    tenant_name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text)  # lines joined with newlines, postcode last
    mobile: Mapped[str | None] = mapped_column(String(16))  # E.164 (R26)
    mobile_verified_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Text reminders are opt-in; when the tenant chose, for the consent record.
    reminders_opt_in: Mapped[bool] = mapped_column(Boolean, default=False)
    reminders_choice_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    password_changed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # R45: an account is active when it signed in within the last [90] days.
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)


class ServerSession(Base):
    """R39/R40: the cookie carries only a random token; this row is the session.

    The key is a SHA-256 of the token, so someone who reads this table cannot use a row.
    """

    __tablename__ = "server_session"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    data: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # Chosen when the session starts: [30 min] on personal devices, [5 min] on terminals.
    idle_timeout_seconds: Mapped[int] = mapped_column(Integer)
    absolute_expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class VerificationCodeRecord(Base):
    """R35: one code texted to a number, kept as a keyed hash, never as digits."""

    __tablename__ = "verification_code"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    purpose: Mapped[str] = mapped_column(String(30))
    mobile: Mapped[str] = mapped_column(String(16))
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    max_attempts: Mapped[int] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class SignInFailures(Base):
    """R38: failed sign-ins per sign-in name (known or not, so both behave the same).

    Keyed by a keyed hash of the name, so the table does not list who tried to sign in.
    """

    __tablename__ = "sign_in_failures"

    name_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
