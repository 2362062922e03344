"""The simulator's own SQLite database: schema, connections and write transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS properties (
    prop_ref TEXT PRIMARY KEY,
    uprn TEXT NOT NULL,
    prop_type TEXT NOT NULL,
    addr1 TEXT NOT NULL,
    addr2 TEXT NOT NULL,
    addr3 TEXT NOT NULL,
    addr4 TEXT NOT NULL,
    postcode TEXT NOT NULL,
    maint_flag TEXT NOT NULL CHECK (maint_flag IN ('Y', 'N')),
    bh_region TEXT NOT NULL CHECK (bh_region IN ('EAW', 'SCO', 'NIR'))
);
CREATE TABLE IF NOT EXISTS tenancies (
    tenancy_ref TEXT PRIMARY KEY,
    prop_ref TEXT NOT NULL REFERENCES properties (prop_ref),
    title TEXT NOT NULL,
    forename TEXT NOT NULL,
    surname TEXT NOT NULL,
    dob TEXT NOT NULL,
    tenure TEXT NOT NULL CHECK (tenure IN ('SEC', 'INT', 'LSH')),
    ten_status TEXT NOT NULL CHECK (ten_status IN ('CUR', 'END')),
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL DEFAULT '',
    vuln_flags TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenancy_ref TEXT NOT NULL REFERENCES tenancies (tenancy_ref),
    prop_ref TEXT NOT NULL REFERENCES properties (prop_ref),
    sor_code TEXT NOT NULL,
    trade TEXT NOT NULL,
    priority TEXT NOT NULL,
    status TEXT NOT NULL,
    description TEXT NOT NULL,
    access_notes TEXT NOT NULL DEFAULT '',
    ext_ref TEXT NOT NULL DEFAULT '',
    raised_at TEXT NOT NULL,
    status_at TEXT NOT NULL,
    appt_date TEXT NOT NULL DEFAULT '',
    appt_slot TEXT NOT NULL DEFAULT '',
    completed_at TEXT NOT NULL DEFAULT '',
    cancel_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS jobs_by_ext_ref ON jobs (ext_ref);
CREATE INDEX IF NOT EXISTS jobs_by_tenancy ON jobs (tenancy_ref, id);
CREATE INDEX IF NOT EXISTS jobs_by_slot ON jobs (trade, appt_date, appt_slot);
CREATE TABLE IF NOT EXISTS job_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id INTEGER NOT NULL REFERENCES jobs (id),
    event TEXT NOT NULL,
    status TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    appt_date TEXT NOT NULL DEFAULT '',
    appt_slot TEXT NOT NULL DEFAULT ''
);
"""

DATA_TABLES = ("job_changes", "jobs", "tenancies", "properties")


def connect(path: Path) -> sqlite3.Connection:
    """Open a connection in autocommit mode; writers open their own transactions.

    One connection per request and thread: sqlite3 connections must not be shared, and WAL
    lets readers run while one writer commits.
    """
    conn = sqlite3.connect(path, timeout=15, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout = 15000")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def initialise(path: Path) -> None:
    """Create the database file and tables if missing, and switch it to WAL (persistent)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = connect(path)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.executescript(SCHEMA)
    finally:
        conn.close()


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Take the write lock up front (BEGIN IMMEDIATE).

    A deferred transaction that reads and then writes can fail with "database is locked"
    when two threads upgrade at once; taking the lock first makes them queue instead, and it
    makes read-check-write sequences such as slot capacity atomic.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def wipe(conn: sqlite3.Connection) -> None:
    """Delete every row, and restart job numbers and change sequence numbers."""
    with write_transaction(conn):
        for table in DATA_TABLES:
            conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        conn.execute("DELETE FROM sqlite_sequence")
