"""The assisted-digital audit log (R41): insert and read, never update or delete.

There is deliberately no method that changes or removes a row; the database refuses it too
(triggers in the migration).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, sessionmaker

from adapters.db.tables.audit import AuditEventRow
from adapters.db.tables.staff import StaffMember, TerminalRow

CHANNEL = "assisted"  # R41: every row is an assisted action


class Place(StrEnum):
    TERMINAL = "terminal"  # at a help terminal: the tenant alone, or an advisor beside them
    DESK = "desk"  # an advisor at their own desk, the tenant in front of them or on the phone


@dataclass(frozen=True)
class AuditEntry:
    """One action taken for a tenant (R41). `subject` is a reference, never free text."""

    occurred_at: datetime
    staff_id: int | None
    tenancy_ref: str
    place: Place
    terminal_id: int | None
    identity_check: str
    consent_given: bool
    action: str
    subject: str = ""

    def __post_init__(self) -> None:
        if self.place is Place.TERMINAL and self.terminal_id is None:
            raise ValueError("an action at a terminal names the terminal")
        if self.staff_id is None and self.place is not Place.TERMINAL:
            raise ValueError("only a tenant alone at a terminal acts without a member of staff")


@dataclass(frozen=True)
class AuditView:
    """A row as the supervisors' page shows it."""

    id: int
    occurred_at: datetime
    staff_id: int | None
    staff_email: str | None
    tenancy_ref: str
    channel: str
    place: str
    terminal_name: str | None
    identity_check: str
    consent_given: bool
    action: str
    subject: str


@dataclass(frozen=True)
class AuditFilter:
    tenancy_ref: str | None = None
    staff_id: int | None = None


class SqlAuditLog:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def record(self, entry: AuditEntry) -> int:
        row = AuditEventRow(
            occurred_at=entry.occurred_at,
            staff_id=entry.staff_id,
            tenancy_ref=entry.tenancy_ref,
            channel=CHANNEL,
            place=entry.place.value,
            terminal_id=entry.terminal_id,
            identity_check=entry.identity_check,
            consent_given=entry.consent_given,
            action=entry.action,
            subject=entry.subject,
        )
        with self._sessions.begin() as session:
            session.add(row)
            session.flush()
            return row.id

    def _where(self, only: AuditFilter) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if only.tenancy_ref:
            conditions.append(AuditEventRow.tenancy_ref == only.tenancy_ref)
        if only.staff_id is not None:
            conditions.append(AuditEventRow.staff_id == only.staff_id)
        return conditions

    def count(self, only: AuditFilter = AuditFilter()) -> int:
        query = select(func.count()).select_from(AuditEventRow).where(*self._where(only))
        with self._sessions() as session:
            return int(session.scalar(query) or 0)

    def newest(
        self, only: AuditFilter = AuditFilter(), *, limit: int = 50, offset: int = 0
    ) -> list[AuditView]:
        query = (
            select(AuditEventRow, StaffMember.email, TerminalRow.name)
            .outerjoin(StaffMember, StaffMember.id == AuditEventRow.staff_id)
            .outerjoin(TerminalRow, TerminalRow.id == AuditEventRow.terminal_id)
            .where(*self._where(only))
            .order_by(AuditEventRow.occurred_at.desc(), AuditEventRow.id.desc())
            .limit(limit)
            .offset(offset)
        )
        with self._sessions() as session:
            return [_view(row, email, terminal) for row, email, terminal in session.execute(query)]


def _view(row: AuditEventRow, email: str | None, terminal: str | None) -> AuditView:
    return AuditView(
        id=row.id,
        occurred_at=row.occurred_at,
        staff_id=row.staff_id,
        staff_email=email,
        tenancy_ref=row.tenancy_ref,
        channel=row.channel,
        place=row.place,
        terminal_name=terminal,
        identity_check=row.identity_check,
        consent_given=row.consent_given,
        action=row.action,
        subject=row.subject,
    )
