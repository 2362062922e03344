"""Repositories for staff members, help terminals and help requests.

Each method is one short transaction. Tokens arrive here already hashed: the raw set-up,
registration and terminal tokens never reach the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from adapters.db.tables.staff import HelpRequestRow, StaffMember, TerminalRow


class StaffRole(StrEnum):
    ADVISOR = "advisor"  # serves tenants
    SUPERVISOR = "supervisor"  # also sees the audit log, the measures, and manages terminals


class NameTaken(Exception):
    """Another staff member has this email address, or another terminal this name."""


@dataclass(frozen=True)
class StaffRecord:
    id: int
    email: str
    role: StaffRole
    password_hash: str | None
    totp_secret_sealed: str | None
    totp_pending_sealed: str | None
    totp_last_step: int | None
    setup_expires_at: datetime | None
    active: bool
    created_at: datetime
    last_sign_in_at: datetime | None

    @property
    def is_set_up(self) -> bool:
        return bool(self.password_hash and self.totp_secret_sealed)


def _staff(row: StaffMember) -> StaffRecord:
    values = {name: getattr(row, name) for name in StaffRecord.__dataclass_fields__}
    values["role"] = StaffRole(row.role)
    return StaffRecord(**values)


class SqlStaff:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def create(
        self,
        email: str,
        role: StaffRole,
        setup_token_hash: str,
        expires_at: datetime,
        now: datetime,
    ) -> StaffRecord:
        row = StaffMember(
            email=email.strip().lower(),
            role=role.value,
            active=True,
            setup_token_hash=setup_token_hash,
            setup_expires_at=expires_at,
            created_at=now,
        )
        try:
            with self._sessions.begin() as session:
                session.add(row)
                session.flush()
                return _staff(row)
        except IntegrityError:
            raise NameTaken(email) from None

    def by_id(self, staff_id: int) -> StaffRecord | None:
        with self._sessions() as session:
            row = session.get(StaffMember, staff_id)
            return _staff(row) if row else None

    def by_email(self, email: str) -> StaffRecord | None:
        with self._sessions() as session:
            query = select(StaffMember).where(StaffMember.email == email.strip().lower())
            row = session.scalar(query)
            return _staff(row) if row else None

    def by_setup_token(self, token_hash: str, now: datetime) -> StaffRecord | None:
        """The member a set-up link belongs to, while the link is unused and in date."""
        with self._sessions() as session:
            row = session.scalar(
                select(StaffMember).where(StaffMember.setup_token_hash == token_hash)
            )
            if row is None or not row.active or not row.setup_expires_at:
                return None
            return _staff(row) if now < row.setup_expires_at else None

    def all(self) -> list[StaffRecord]:
        with self._sessions() as session:
            rows = session.scalars(select(StaffMember).order_by(StaffMember.email))
            return [_staff(row) for row in rows]

    def _update(self, staff_id: int, *conditions: Any, **values: Any) -> bool:
        with self._sessions.begin() as session:
            result = session.execute(
                update(StaffMember).where(StaffMember.id == staff_id, *conditions).values(**values)
            )
            return bool(getattr(result, "rowcount", 0))

    def offer_totp_secret(self, staff_id: int, sealed: str) -> None:
        """The secret shown on the set-up page, kept until a code made from it is entered."""
        self._update(staff_id, totp_pending_sealed=sealed)

    def complete_setup(
        self, staff_id: int, token_hash: str, password_hash: str, sealed: str, step: int
    ) -> bool:
        """Set password and authenticator at once; False if the link was used meanwhile."""
        return self._update(
            staff_id,
            StaffMember.setup_token_hash == token_hash,
            password_hash=password_hash,
            totp_secret_sealed=sealed,
            totp_pending_sealed=None,
            totp_last_step=step,
            setup_token_hash=None,
            setup_expires_at=None,
        )

    def accept_totp_step(self, staff_id: int, step: int) -> bool:
        """Record a code's time step only if it is newer than the last accepted one: one
        conditional UPDATE, so two requests with the same code cannot both succeed."""
        newer = (StaffMember.totp_last_step.is_(None)) | (StaffMember.totp_last_step < step)
        return self._update(staff_id, newer, totp_last_step=step)

    def record_sign_in(self, staff_id: int, now: datetime) -> None:
        self._update(staff_id, last_sign_in_at=now)

    def set_password(self, staff_id: int, password_hash: str) -> None:
        self._update(staff_id, password_hash=password_hash)

    def restart_setup(self, staff_id: int, token_hash: str, expires_at: datetime) -> None:
        """A lost phone or password: both are cleared and a new set-up link issued."""
        self._update(
            staff_id,
            password_hash=None,
            totp_secret_sealed=None,
            totp_pending_sealed=None,
            totp_last_step=None,
            active=True,
            setup_token_hash=token_hash,
            setup_expires_at=expires_at,
        )

    def deactivate(self, staff_id: int) -> None:
        self._update(staff_id, active=False, setup_token_hash=None, setup_expires_at=None)


@dataclass(frozen=True)
class TerminalRecord:
    id: int
    name: str
    binding_hash: str | None
    registered_at: datetime | None
    registration_expires_at: datetime | None
    created_at: datetime
    revoked_at: datetime | None
    last_seen_at: datetime | None
    last_refused_at: datetime | None

    @property
    def in_service(self) -> bool:
        return self.registered_at is not None and self.revoked_at is None


def _terminal(row: TerminalRow) -> TerminalRecord:
    return TerminalRecord(
        **{name: getattr(row, name) for name in TerminalRecord.__dataclass_fields__}
    )


class SqlTerminals:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def create(
        self,
        name: str,
        created_by: int,
        registration_hash: str,
        expires_at: datetime,
        now: datetime,
    ) -> TerminalRecord:
        row = TerminalRow(
            name=name.strip(),
            created_by_staff_id=created_by,
            created_at=now,
            registration_token_hash=registration_hash,
            registration_expires_at=expires_at,
        )
        try:
            with self._sessions.begin() as session:
                session.add(row)
                session.flush()
                return _terminal(row)
        except IntegrityError:
            raise NameTaken(name) from None

    def all(self) -> list[TerminalRecord]:
        with self._sessions() as session:
            return [
                _terminal(r)
                for r in session.scalars(select(TerminalRow).order_by(TerminalRow.name))
            ]

    def by_id(self, terminal_id: int) -> TerminalRecord | None:
        with self._sessions() as session:
            row = session.get(TerminalRow, terminal_id)
            return _terminal(row) if row else None

    def by_token(self, token_hash: str) -> TerminalRecord | None:
        """A registered terminal in service, by the hash of its cookie's token."""
        with self._sessions() as session:
            row = session.scalar(select(TerminalRow).where(TerminalRow.token_hash == token_hash))
            return _terminal(row) if row and row.revoked_at is None else None

    def pending_registration(self, registration_hash: str, now: datetime) -> TerminalRecord | None:
        with self._sessions() as session:
            row = session.scalar(
                select(TerminalRow).where(TerminalRow.registration_token_hash == registration_hash)
            )
            if row is None or row.revoked_at or not row.registration_expires_at:
                return None
            return _terminal(row) if now < row.registration_expires_at else None

    def register(
        self, registration_hash: str, token_hash: str, binding_hash: str, now: datetime
    ) -> TerminalRecord | None:
        """Use the one-time link: bind the token and the browser; None if used or expired."""
        with self._sessions.begin() as session:
            row = session.scalar(
                select(TerminalRow)
                .where(TerminalRow.registration_token_hash == registration_hash)
                .with_for_update()
            )
            if row is None or row.revoked_at or not row.registration_expires_at:
                return None
            if now >= row.registration_expires_at:
                return None
            row.token_hash, row.binding_hash, row.registered_at = token_hash, binding_hash, now
            row.registration_token_hash = row.registration_expires_at = None
            return _terminal(row)

    def new_registration_link(
        self, terminal_id: int, registration_hash: str, expires_at: datetime
    ) -> None:
        """Register again (a new kiosk browser): the old token stops working at once."""
        with self._sessions.begin() as session:
            session.execute(
                update(TerminalRow)
                .where(TerminalRow.id == terminal_id)
                .values(
                    token_hash=None,
                    binding_hash=None,
                    registered_at=None,
                    revoked_at=None,
                    registration_token_hash=registration_hash,
                    registration_expires_at=expires_at,
                )
            )

    def _set(self, terminal_id: int, **values: Any) -> None:
        with self._sessions.begin() as session:
            session.execute(
                update(TerminalRow).where(TerminalRow.id == terminal_id).values(**values)
            )

    def revoke(self, terminal_id: int, now: datetime) -> None:
        self._set(terminal_id, revoked_at=now, token_hash=None, registration_token_hash=None)

    def seen(self, terminal_id: int, now: datetime) -> None:
        self._set(terminal_id, last_seen_at=now)

    def refused(self, terminal_id: int, now: datetime) -> None:
        self._set(terminal_id, last_refused_at=now)


@dataclass(frozen=True)
class HelpRequest:
    id: int
    terminal_id: int
    terminal_name: str
    requested_at: datetime
    taken_at: datetime | None
    taken_by_staff_id: int | None
    taken_by_email: str | None


class SqlHelpRequests:
    """The advisors' queue: "Ask for help" on a terminal opens one request per terminal."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def ask(self, terminal_id: int, now: datetime) -> int:
        """Open a request, or return the terminal's open one: pressing twice queues once."""
        with self._sessions.begin() as session:
            existing = session.scalar(
                select(HelpRequestRow.id).where(
                    HelpRequestRow.terminal_id == terminal_id, HelpRequestRow.closed_at.is_(None)
                )
            )
            if existing is not None:
                return existing
            row = HelpRequestRow(terminal_id=terminal_id, requested_at=now)
            session.add(row)
            session.flush()
            return row.id

    def open_requests(self) -> list[HelpRequest]:
        """Open requests, longest waiting first."""
        query = (
            select(HelpRequestRow, TerminalRow.name, StaffMember.email)
            .join(TerminalRow, TerminalRow.id == HelpRequestRow.terminal_id)
            .outerjoin(StaffMember, StaffMember.id == HelpRequestRow.taken_by_staff_id)
            .where(HelpRequestRow.closed_at.is_(None))
            .order_by(HelpRequestRow.requested_at, HelpRequestRow.id)
        )
        with self._sessions() as session:
            return [
                HelpRequest(
                    row.id,
                    row.terminal_id,
                    name,
                    row.requested_at,
                    row.taken_at,
                    row.taken_by_staff_id,
                    email,
                )
                for row, name, email in session.execute(query)
            ]

    def open_for_terminal(self, terminal_id: int) -> HelpRequest | None:
        found = [r for r in self.open_requests() if r.terminal_id == terminal_id]
        return found[0] if found else None

    def take(self, request_id: int, staff_id: int, now: datetime) -> bool:
        """An advisor goes to the terminal; False if someone else took it or it closed."""
        with self._sessions.begin() as session:
            result = session.execute(
                update(HelpRequestRow)
                .where(
                    HelpRequestRow.id == request_id,
                    HelpRequestRow.taken_at.is_(None),
                    HelpRequestRow.closed_at.is_(None),
                )
                .values(taken_at=now, taken_by_staff_id=staff_id)
            )
            return bool(getattr(result, "rowcount", 0))

    def close(self, request_id: int, now: datetime) -> None:
        with self._sessions.begin() as session:
            session.execute(
                update(HelpRequestRow)
                .where(HelpRequestRow.id == request_id, HelpRequestRow.closed_at.is_(None))
                .values(closed_at=now)
            )

    def close_for_terminal(self, terminal_id: int, now: datetime) -> None:
        """The visitor finished (or the terminal wiped itself): nobody is waiting any more."""
        with self._sessions.begin() as session:
            session.execute(
                update(HelpRequestRow)
                .where(
                    HelpRequestRow.terminal_id == terminal_id, HelpRequestRow.closed_at.is_(None)
                )
                .values(closed_at=now)
            )
