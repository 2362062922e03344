"""Staff accounts, help terminals and the terminals' help requests (R39, R41, R42).

Staff are not tenants: their own table, their own sign-in (password and authenticator code),
and never a row in `account`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from adapters.db.base import Base, UtcDateTime


class StaffMember(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)  # lower-cased
    role: Mapped[str] = mapped_column(String(20))  # advisor / supervisor
    # Argon2id (R37); None until the member has used their set-up link.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # The authenticator secret, sealed with a key derived from SECRET_KEY: a copy of this
    # table alone does not let anyone make codes. `pending` is offered on the set-up page
    # and becomes the secret once a code made from it has been entered.
    totp_secret_sealed: Mapped[str | None] = mapped_column(String(200))
    totp_pending_sealed: Mapped[str | None] = mapped_column(String(200))
    # The 30-second step of the last accepted code: a code is accepted once only.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    # SHA-256 of the one-time set-up link's token, and when the link stops working.
    setup_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    setup_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class TerminalRow(Base):
    """A help terminal in the customer services centre: a named device whose kiosk browser
    holds a long random token in a cookie, bound at registration to that browser."""

    __tablename__ = "terminal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    # SHA-256 of the one-time registration link's token (cleared once used).
    registration_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    registration_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # SHA-256 of the cookie's token, set when the kiosk browser registers.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Keyed hash of the browser's identifying headers at registration (see portal/terminal).
    binding_hash: Mapped[str | None] = mapped_column(String(64))
    registered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by_staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The last time the token came from a browser that did not match the binding.
    last_refused_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class HelpRequestRow(Base):
    """ "Ask for help" pressed on a terminal: waits in the advisors' queue until taken."""

    __tablename__ = "help_request"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    terminal_id: Mapped[int] = mapped_column(
        ForeignKey("terminal.id", ondelete="CASCADE"), index=True
    )
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime())
    taken_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    taken_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # Closed when the visitor finishes (or the terminal wipes itself) or an advisor is done.
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
