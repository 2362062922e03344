"""The simulator's own SQLite database: messages, opt-outs, the callback queue, fault settings.

One connection per thread, WAL so readers never block the writer, and a busy timeout so the
threads of a gunicorn worker (or several workers) queue for the write lock instead of failing.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    sid TEXT NOT NULL UNIQUE,
    direction TEXT NOT NULL,
    to_number TEXT NOT NULL,
    from_number TEXT NOT NULL,
    messaging_service_sid TEXT,
    body TEXT NOT NULL,
    num_segments INTEGER NOT NULL,
    status TEXT NOT NULL,
    error_code INTEGER,
    status_callback TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    updated_at TEXT NOT NULL,
    advanced INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS messages_by_to ON messages (to_number, seq);
CREATE INDEX IF NOT EXISTS messages_by_from ON messages (from_number, seq);
CREATE INDEX IF NOT EXISTS messages_to_advance ON messages (seq) WHERE advanced = 0;
CREATE TABLE IF NOT EXISTS callbacks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_sid TEXT NOT NULL,
    url TEXT NOT NULL,
    params TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before REAL NOT NULL DEFAULT 0,
    leased_until REAL NOT NULL DEFAULT 0,
    last_status INTEGER,
    last_error TEXT
);
CREATE INDEX IF NOT EXISTS callbacks_pending ON callbacks (id) WHERE state = 'pending';
CREATE TABLE IF NOT EXISTS opt_outs (
    number TEXT PRIMARY KEY,
    opted_out_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS faults (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    settings TEXT NOT NULL,
    generation INTEGER NOT NULL
);
"""

MESSAGE_FIELDS = (
    "sid",
    "direction",
    "to_number",
    "from_number",
    "messaging_service_sid",
    "body",
    "num_segments",
    "status",
    "error_code",
    "status_callback",
    "created_at",
    "sent_at",
    "updated_at",
    "advanced",
)
INSERT_MESSAGE = (
    "INSERT INTO messages (sid, direction, to_number, from_number, messaging_service_sid, body,"
    " num_segments, status, error_code, status_callback, created_at, sent_at, updated_at,"
    " advanced) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Message:
    sid: str
    direction: str
    to_number: str
    from_number: str
    messaging_service_sid: str | None
    body: str
    num_segments: int
    status: str
    error_code: int | None
    status_callback: str | None
    created_at: str
    sent_at: str | None
    updated_at: str
    advanced: int = 0
    seq: int = 0

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Message:
        return cls(**{key: row[key] for key in row.keys()})  # noqa: SIM118 (Row has no iter)


class Store:
    def __init__(self, path: str) -> None:
        self.path = path
        self._local = threading.local()

    def initialise(self) -> None:
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        connection = self.connection()
        connection.execute("PRAGMA journal_mode=WAL")
        connection.executescript(SCHEMA)

    def connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA busy_timeout = 30000")
            # NORMAL is durable enough for a simulator and keeps each commit off the disk sync.
            connection.execute("PRAGMA synchronous = NORMAL")
            self._local.connection = connection
        return connection

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that takes the lock up front, so it never fails half-way."""
        connection = self.connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def insert_message(self, message: Message) -> None:
        values = [getattr(message, name) for name in MESSAGE_FIELDS]
        self.connection().execute(INSERT_MESSAGE, values)

    def get_message(self, sid: str) -> Message | None:
        row = self.connection().execute("SELECT * FROM messages WHERE sid = ?", (sid,)).fetchone()
        return Message.from_row(row) if row else None

    def list_messages(
        self, to: str | None, from_: str | None, before_seq: int | None, limit: int
    ) -> list[Message]:
        """Newest first, as Twilio lists them; ``before_seq`` is the page token's position."""
        rows = (
            self.connection()
            .execute(
                "SELECT * FROM messages WHERE (:to IS NULL OR to_number = :to)"
                " AND (:from IS NULL OR from_number = :from)"
                " AND (:before IS NULL OR seq < :before) ORDER BY seq DESC LIMIT :limit",
                {"to": to, "from": from_, "before": before_seq, "limit": limit},
            )
            .fetchall()
        )
        return [Message.from_row(row) for row in rows]

    def conversation(self, number: str, limit: int = 200) -> list[Message]:
        """Texts to and replies from one handset, oldest first."""
        rows = self.connection().execute(
            "SELECT * FROM (SELECT * FROM messages WHERE (to_number = ? AND direction != 'inbound')"
            " OR (from_number = ? AND direction = 'inbound') ORDER BY seq DESC LIMIT ?)"
            " ORDER BY seq",
            (number, number, limit),
        )
        return [Message.from_row(row) for row in rows]

    def phones(self, limit: int = 500) -> list[sqlite3.Row]:
        return (
            self.connection()
            .execute(
                "SELECT to_number AS number, COUNT(*) AS texts, MAX(created_at) AS last_at"
                " FROM messages WHERE direction != 'inbound' GROUP BY to_number"
                " ORDER BY MAX(seq) DESC LIMIT ?",
                (limit,),
            )
            .fetchall()
        )

    def latest_sender_to(self, number: str) -> str | None:
        query = (
            "SELECT from_number FROM messages WHERE to_number = ?"
            " AND direction = 'outbound-api' ORDER BY seq DESC LIMIT 1"
        )
        row = self.connection().execute(query, (number,)).fetchone()
        return row["from_number"] if row else None

    def is_opted_out(self, number: str) -> bool:
        query = "SELECT 1 FROM opt_outs WHERE number = ?"
        return self.connection().execute(query, (number,)).fetchone() is not None

    def set_opted_out(self, number: str, opted_out: bool) -> None:
        if opted_out:
            self.connection().execute(
                "INSERT OR IGNORE INTO opt_outs (number, opted_out_at) VALUES (?, ?)",
                (number, utc_now().isoformat()),
            )
        else:
            self.connection().execute("DELETE FROM opt_outs WHERE number = ?", (number,))

    def load_faults(self) -> tuple[str | None, int]:
        row = (
            self.connection()
            .execute("SELECT settings, generation FROM faults WHERE id = 1")
            .fetchone()
        )
        return (row["settings"], row["generation"]) if row else (None, 0)

    def save_faults(self, settings_json: str) -> int:
        with self.transaction() as connection:
            connection.execute(
                "INSERT INTO faults (id, settings, generation) VALUES (1, ?, 1)"
                " ON CONFLICT (id) DO UPDATE SET settings = excluded.settings,"
                " generation = generation + 1",
                (settings_json,),
            )
            return int(connection.execute("SELECT generation FROM faults").fetchone()[0])

    def clear(self) -> None:
        with self.transaction() as connection:
            for table in ("messages", "callbacks", "opt_outs"):
                connection.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed names)

    def stats(self) -> dict[str, object]:
        connection = self.connection()
        by_status = dict(
            connection.execute("SELECT status, COUNT(*) FROM messages GROUP BY status").fetchall()
        )
        per_to = connection.execute(
            "SELECT to_number, COUNT(*), COUNT(DISTINCT body) FROM messages"
            " WHERE direction = 'outbound-api' GROUP BY to_number"
        ).fetchall()
        callbacks = dict(
            connection.execute("SELECT state, COUNT(*) FROM callbacks GROUP BY state").fetchall()
        )
        return {
            "total": sum(by_status.values()),
            "by_status": by_status,
            "outbound_api": sum(row[1] for row in per_to),
            "duplicate_bodies": sum(row[1] - row[2] for row in per_to),
            "to": {row[0]: {"messages": row[1], "distinct_bodies": row[2]} for row in per_to},
            "callbacks": callbacks,
        }
