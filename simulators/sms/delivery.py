"""The carrier side: move queued messages to their final status and post status callbacks.

Sending only inserts a row, so the API answers fast. This module later walks new rows to their
outcome (see ``numbers.MAGIC_OUTCOMES``), queues one callback per status they passed through in
the database, and posts those callbacks signed. A background thread does it every poll;
``flush`` does it at once, held callbacks included, for tests that must not sleep.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from simulators.sms.faults import Faults
from simulators.sms.numbers import outcome_for
from simulators.sms.store import Store, utc_now
from simulators.sms.webhooks import post_signed

log = logging.getLogger("simulators.sms.delivery")

BATCH = 500
LEASE_SECONDS = 60.0
BACKOFF_SECONDS = (1.0, 4.0, 16.0)


@dataclass
class DeliveryReport:
    advanced: int = 0
    delivered: int = 0
    failed_attempts: int = 0
    dropped: int = 0
    posts: int = 0
    held: int = 0

    def add(self, other: DeliveryReport) -> None:
        for name in ("advanced", "delivered", "failed_attempts", "dropped", "posts"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.held = other.held


class Deliverer:
    def __init__(
        self, store: Store, faults: Faults, account_sid: str, auth_token: str, max_attempts: int
    ) -> None:
        self._store = store
        self._faults = faults
        self._account_sid = account_sid
        self._auth_token = auth_token
        self._max_attempts = max_attempts
        # One pass at a time in this process, so a flush waits for a background pass in flight.
        self._pass_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, poll_seconds: float) -> None:
        self._thread = threading.Thread(
            target=self._run, args=(poll_seconds,), name="sms-sim-delivery", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _run(self, poll_seconds: float) -> None:
        while not self._stop.is_set():
            try:
                report = self.run_once(include_held=False, ignore_backoff=False)
            except sqlite3.Error:
                log.exception("delivery pass failed; trying again next poll")
                report = DeliveryReport()
            if not (report.advanced or report.posts):
                self._stop.wait(poll_seconds)

    def flush(self) -> DeliveryReport:
        """Deliver everything pending now, retrying failures at once up to the attempt limit."""
        total = DeliveryReport()
        for _ in range(self._max_attempts + 2):
            report = self.run_once(include_held=True, ignore_backoff=True)
            total.add(report)
            if not (report.advanced or report.posts):
                break
        return total

    def run_once(self, include_held: bool, ignore_backoff: bool) -> DeliveryReport:
        with self._pass_lock:
            report = DeliveryReport(advanced=self._advance())
            settings = self._faults.current()
            if settings.callbacks_delayed and not include_held:
                report.held = self._count_pending()
                return report
            batch = self._claim(ignore_backoff)
            if settings.callbacks_out_of_order:
                batch.reverse()
            for row in batch:
                self._deliver(row, settings.callbacks_duplicated, report)
            return report

    def _advance(self) -> int:
        # A read first, so an idle poll never takes the write lock from the API's inserts.
        idle = "SELECT NOT EXISTS (SELECT 1 FROM messages WHERE advanced = 0)"
        if self._store.connection().execute(idle).fetchone()[0]:
            return 0
        with self._store.transaction() as connection:
            rows = connection.execute(
                "UPDATE messages SET advanced = 1 WHERE seq IN (SELECT seq FROM messages"
                " WHERE advanced = 0 ORDER BY seq LIMIT ?) RETURNING *",
                (BATCH,),
            ).fetchall()
            for row in sorted(rows, key=lambda r: r["seq"]):
                self._finish_message(connection, row)
        return len(rows)

    def _finish_message(self, connection: sqlite3.Connection, row: sqlite3.Row) -> None:
        outcome = outcome_for(row["to_number"])
        now = utc_now().isoformat()
        sent_at = now if outcome.passes_through_sent else None
        connection.execute(
            "UPDATE messages SET status = ?, error_code = ?, sent_at = ?, updated_at = ?"
            " WHERE seq = ?",
            (outcome.final_status, outcome.error_code, sent_at, now, row["seq"]),
        )
        if not row["status_callback"]:
            return
        statuses = ["queued", "sent"] if outcome.passes_through_sent else ["queued"]
        for status in [*statuses, outcome.final_status]:
            params = self._callback_params(row, status, outcome.error_code)
            connection.execute(
                "INSERT INTO callbacks (message_sid, url, params) VALUES (?, ?, ?)",
                (row["sid"], row["status_callback"], json.dumps(params)),
            )

    def _callback_params(
        self, row: sqlite3.Row, status: str, error_code: int | None
    ) -> dict[str, str]:
        params = {
            "AccountSid": self._account_sid,
            "ApiVersion": "2010-04-01",
            "From": row["from_number"],
            "MessageSid": row["sid"],
            "MessageStatus": status,
            "SmsSid": row["sid"],
            "SmsStatus": status,
            "To": row["to_number"],
        }
        if row["messaging_service_sid"]:
            params["MessagingServiceSid"] = row["messaging_service_sid"]
        if status in ("undelivered", "failed") and error_code is not None:
            params["ErrorCode"] = str(error_code)
        return params

    def _count_pending(self) -> int:
        query = "SELECT COUNT(*) FROM callbacks WHERE state = 'pending'"
        return int(self._store.connection().execute(query).fetchone()[0])

    def _claim(self, ignore_backoff: bool) -> list[sqlite3.Row]:
        """Lease a batch so another process's delivery thread never posts the same callback."""
        now = time.time()
        if not self._count_pending():
            return []
        with self._store.transaction() as connection:
            rows = connection.execute(
                "UPDATE callbacks SET leased_until = ?, attempts = attempts + 1"
                " WHERE id IN (SELECT id FROM callbacks WHERE state = 'pending'"
                " AND leased_until <= ? AND (not_before <= ? OR ?) ORDER BY id LIMIT ?)"
                " RETURNING *",
                (now + LEASE_SECONDS, now, now, int(ignore_backoff), BATCH),
            ).fetchall()
        return sorted(rows, key=lambda r: r["id"])

    def _deliver(self, row: sqlite3.Row, duplicated: bool, report: DeliveryReport) -> None:
        params = json.loads(row["params"])
        token = f"{row['message_sid']}-{params['MessageStatus']}"
        result = post_signed(row["url"], params, self._auth_token, token)
        report.posts += 1
        if result.ok and duplicated:
            post_signed(row["url"], params, self._auth_token, token)
            report.posts += 1
        connection = self._store.connection()
        if result.ok:
            report.delivered += 1
            connection.execute(
                "UPDATE callbacks SET state = 'delivered', last_status = ? WHERE id = ?",
                (result.status, row["id"]),
            )
            return
        self._record_failure(connection, row, result.status, result.error, report)

    def _record_failure(
        self,
        connection: sqlite3.Connection,
        row: sqlite3.Row,
        status: int | None,
        error: str | None,
        report: DeliveryReport,
    ) -> None:
        attempts = row["attempts"]
        host = urlsplit(row["url"]).netloc
        if attempts >= self._max_attempts:
            report.dropped += 1
            log.warning(
                "dropping status callback for %s to %s after %d attempts (last: %s)",
                row["message_sid"],
                host,
                attempts,
                status or error,
            )
            state, not_before = "dropped", 0.0
        else:
            report.failed_attempts += 1
            state = "pending"
            not_before = time.time() + BACKOFF_SECONDS[min(attempts, len(BACKOFF_SECONDS)) - 1]
        connection.execute(
            "UPDATE callbacks SET state = ?, not_before = ?, leased_until = 0, last_status = ?,"
            " last_error = ? WHERE id = ?",
            (state, not_before, status, error, row["id"]),
        )
