"""The message store port: the send queue, contacts, inbound texts and status events.

Implemented over SQL in `adapters/sms/sql_store.py`. Every method is one transaction, and none
is held open while the provider is called (DESIGN: never hold a transaction across HTTP).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from notifications.ports import MessageStatus
from notifications.templates import MessageKind
from repairs.calendar import Division


@dataclass(frozen=True)
class NewMessage:
    """A text to store. `dedupe_key` is unique: storing the same planned text twice is a no-op.

    `appointment_key` names the booking a text is about, so a tenant's CONFIRM finds it;
    `expires_at` is when the text stops being worth sending (a reminder under [2 h] before the
    visit, R24; a verification code past its lifetime, R35).
    """

    to: str
    kind: MessageKind
    body: str
    due_at: datetime
    urgent: bool
    dedupe_key: str | None = None
    repair_ref: str | None = None
    appointment_key: str | None = None
    division: Division = Division.ENGLAND_AND_WALES
    expires_at: datetime | None = None


@dataclass(frozen=True)
class ClaimedMessage:
    """A row a worker holds in `sending` until it records an outcome (or its lease runs out).

    `in_doubt_since` is set when an earlier claim's lease ran out: that worker may have handed
    the text to the provider before it died, at any time after this instant.
    """

    id: int
    to: str
    kind: MessageKind
    body: str
    urgent: bool
    attempts: int
    due_at: datetime
    division: Division
    claim_token: str
    in_doubt_since: datetime | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True)
class Contact:
    number: str
    opted_out: bool = False
    flagged: bool = False
    flag_reason: str | None = None
    last_unreadable_reply_at: datetime | None = None


@dataclass(frozen=True)
class RecentSends:
    """Times of texts to one number inside the rate-limit period (R34)."""

    messages: tuple[datetime, ...] = ()
    codes: tuple[datetime, ...] = ()


# What happened to one claimed row, recorded by `record_outcomes` in one transaction.
@dataclass(frozen=True)
class Accepted:
    """The provider took the text: `sid` is its message id."""

    message_id: int
    sid: str
    at: datetime


@dataclass(frozen=True)
class RetryLater:
    """R33: a temporary failure; try again at `at` (the attempt is counted)."""

    message_id: int
    at: datetime
    error_code: int | None
    error_text: str


@dataclass(frozen=True)
class Deferred:
    """Not tried now (outside the window R25, or the number's hourly limit R34); no attempt."""

    message_id: int
    until: datetime
    reason: str


@dataclass(frozen=True)
class Failed:
    """Given up: `flag_contact` for R33 permanent errors, `opted_out` for 21610."""

    message_id: int
    error_code: int | None
    error_text: str
    flag_contact: bool = False
    opted_out: bool = False


@dataclass(frozen=True)
class Withdrawn:
    """Not sent and never will be: the number opted out or is flagged (R29, R33)."""

    message_id: int
    reason: str


Outcome = Accepted | RetryLater | Deferred | Failed | Withdrawn


@dataclass(frozen=True)
class StatusReport:
    """One status callback as received (R32)."""

    sid: str
    status: str
    error_code: int | None
    at: datetime


@dataclass(frozen=True)
class StatusChange:
    """What a status callback did: `moved` False when it was late, repeated or unknown."""

    message_id: int | None
    old: MessageStatus | None
    new: MessageStatus | None
    moved: bool


@dataclass(frozen=True)
class InboundText:
    sid: str
    from_number: str
    to_number: str
    body: str
    at: datetime


@dataclass(frozen=True)
class LogEntry:
    """One line of a repair's message log for staff (R48: no body once retention has passed)."""

    id: int
    kind: MessageKind
    to: str
    state: MessageStatus
    due_at: datetime
    sent_at: datetime | None
    status_at: datetime | None
    error_code: int | None
    error_text: str | None
    body: str | None
    attempts: int
    confirmed_at: datetime | None


# Raises to refuse an urgent text (the store then stores nothing and lets the error through).
AdmissionCheck = Callable[[Contact, RecentSends], None]


class MessageStore(Protocol):
    def plan(self, messages: Sequence[NewMessage], supersede: Sequence[str], now: datetime) -> int:
        """Store `messages` as `planned` rows (skipping dedupe keys already stored) and mark
        still-planned rows with a dedupe key in `supersede` as superseded (R23). Returns the
        number of rows added."""
        ...

    def admit_urgent(
        self,
        message: NewMessage,
        now: datetime,
        check: AdmissionCheck,
        period: timedelta,
    ) -> ClaimedMessage:
        """Store an urgent text already claimed by the caller, after `check` passes for the
        number's contact record and its sends inside `period`. Check and insert are atomic
        per number, so two requests cannot both take the last slot (R34)."""
        ...

    def claim_due(
        self, now: datetime, worker: str, limit: int, lease: timedelta
    ) -> list[ClaimedMessage]:
        """Release rows whose claim is older than `lease`, then claim up to `limit` due rows
        for `worker`; no row is ever claimed by two workers at once."""
        ...

    def contacts(self, numbers: Sequence[str]) -> Mapping[str, Contact]:
        """Contacts known for these numbers; unknown numbers are absent."""
        ...

    def recent_sends(
        self, numbers: Sequence[str], since: datetime
    ) -> Mapping[str, RecentSends]: ...

    def known_sids(self, sids: Sequence[str]) -> frozenset[str]:
        """The provider ids among `sids` already recorded on some row."""
        ...

    def record_outcomes(self, claim_token: str, outcomes: Sequence[Outcome], now: datetime) -> int:
        """Record what happened to rows claimed with `claim_token`; rows since released to
        another worker are left alone. Returns the number of rows updated."""
        ...

    def record_status(self, report: StatusReport) -> StatusChange:
        """Record a status callback and move the row forward only (R32); flag the contact on
        a permanent delivery error (R33)."""
        ...

    def record_inbound(self, text: InboundText) -> bool:
        """Store an inbound text; False when this provider id was seen before (a replay)."""
        ...

    def contact(self, number: str) -> Contact: ...

    def set_opted_out(self, number: str, opted_out: bool, now: datetime) -> None: ...

    def note_unreadable_reply(self, number: str, now: datetime) -> None: ...

    def mark_confirmed(self, number: str, now: datetime, since: datetime) -> str | None:
        """The tenant replied CONFIRM: mark the newest appointment text sent to `number` after
        `since`; returns its repair reference, or None when there is none."""
        ...

    def tenant_confirmed_at(self, repair_ref: str) -> datetime | None:
        """When the tenant confirmed the latest booking of this repair by text, if they did."""
        ...

    def messages_for_repair(self, repair_ref: str) -> list[LogEntry]: ...

    def remove_bodies(self, older_than: datetime, now: datetime) -> int:
        """R48: blank the bodies of texts created before `older_than`; returns how many."""
        ...

    def count_by_state(self) -> Mapping[MessageStatus, int]: ...
