"""The assisted-digital audit log (R41): insert and read, never update or delete.

There is deliberately no method that changes or removes a row; the database refuses it too
(triggers in the migration).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, sessionmaker

from adapters.db.tables.accounts import Account
from adapters.db.tables.audit import AuditEventRow
from adapters.db.tables.repairs import RepairRow
from adapters.db.tables.staff import StaffMember, TerminalRow

CHANNEL = "assisted"  # R41: every row is an assisted action
ACTIVE_WITHIN = timedelta(days=90)  # R45: an account signed in within [90] days is active


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


@dataclass(frozen=True)
class Measures:
    """R45, from our own database, for repairs reported since `since`."""

    since: datetime
    by_channel: dict[str, int]  # online / assisted / phone -> repairs reported
    active_accounts: int  # signed in within the window
    completed: dict[str, tuple[int, int]]  # emergency / other -> (within target, completed)

    @property
    def reported(self) -> int:
        return sum(self.by_channel.values())

    def share(self, channel: str) -> float | None:
        return self.by_channel.get(channel, 0) / self.reported if self.reported else None


class SqlMeasures:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def since(self, start: datetime, now: datetime) -> Measures:
        """Repairs reported since `start`; accounts active in the [90] days before `now`."""
        by_channel = {"online": 0, "assisted": 0, "phone": 0}
        completed = {"emergency": (0, 0), "other": (0, 0)}
        channels = (
            select(RepairRow.channel, func.count())
            .where(RepairRow.reported_at >= start)
            .group_by(RepairRow.channel)
        )
        done = select(
            RepairRow.priority, RepairRow.completed_at, RepairRow.target_due_before
        ).where(RepairRow.completed_at.is_not(None), RepairRow.reported_at >= start)
        active = select(func.count()).where(Account.last_sign_in_at >= now - ACTIVE_WITHIN)
        with self._sessions() as session:
            for channel, count in session.execute(channels):
                by_channel[channel] = int(count)
            for priority, completed_at, due in session.execute(done):
                kind = "emergency" if priority == "emergency" else "other"
                within, total = completed[kind]
                on_time = completed_at is not None and completed_at <= due
                completed[kind] = (within + int(on_time), total + 1)
            accounts = int(session.scalar(active) or 0)
        return Measures(start, by_channel, accounts, completed)
