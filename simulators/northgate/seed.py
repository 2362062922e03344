"""`flask --app simulators.northgate seed`: fill the database with the same demo data each time."""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from . import store
from .catalogue import SorItem
from .context import EXTENSION, Simulator
from .seed_history import PastJob, make_history
from .seed_people import Household, make_households

RANDOM_SEED = 19710314
LOGINS_FILE = "northgate-demo-logins.txt"


@dataclass(frozen=True)
class SeedResult:
    properties: int
    jobs: int
    changes: int
    logins: list[Household]


def _insert_households(conn: sqlite3.Connection, households: list[Household]) -> None:
    conn.executemany(
        "INSERT INTO properties VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                h.prop_ref,
                h.uprn,
                h.prop_type,
                *h.address,
                h.postcode,
                "Y" if h.maintainable else "N",
                h.region,
            )
            for h in households
        ],
    )
    conn.executemany(
        "INSERT INTO tenancies VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                h.tenancy_ref,
                h.prop_ref,
                h.title,
                h.forename,
                h.surname,
                h.dob.isoformat(),
                h.tenure,
                h.status,
                h.start.isoformat(),
                h.end.isoformat() if h.end else "",
                " ".join(h.vulnerabilities),
            )
            for h in households
        ],
    )


def _insert_job(conn: sqlite3.Connection, job: PastJob) -> int:
    last = job.last
    cursor = conn.execute(
        "INSERT INTO jobs (tenancy_ref, prop_ref, sor_code, trade, priority, status, description,"
        " raised_at, status_at, appt_date, appt_slot, completed_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            job.household.tenancy_ref,
            job.household.prop_ref,
            job.sor.code,
            job.sor.trade,
            job.sor.default_priority,
            last.status,
            job.description,
            job.raised_at.isoformat(),
            last.at.isoformat(),
            last.appt_date,
            last.appt_slot,
            last.at.isoformat() if last.status == "COM" else "",
        ),
    )
    return int(cursor.lastrowid or 0)


def _insert_history(conn: sqlite3.Connection, history: list[PastJob]) -> int:
    changes = []
    for order, job in enumerate(history):
        job_id = _insert_job(conn, job)
        changes += [(event.at, order, step, job_id, event) for step, event in enumerate(job.events)]
    # Feed order is time order, as if these changes had happened live.
    changes.sort(key=lambda change: change[:3])
    conn.executemany(
        "INSERT INTO job_changes (job_id, event, status, changed_at, appt_date, appt_slot)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (job_id, e.event, e.status, e.at.isoformat(), e.appt_date, e.appt_slot)
            for _at, _order, _step, job_id, e in changes
        ],
    )
    return len(changes)


def has_data(conn: sqlite3.Connection) -> bool:
    return any(
        conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()  # noqa: S608 - fixed names
        for table in store.DATA_TABLES
    )


def seed_database(
    conn: sqlite3.Connection, catalogue: dict[str, SorItem], properties: int = 500
) -> SeedResult:
    """Write the demo data into an empty database, all in one transaction."""
    rng = random.Random(RANDOM_SEED)
    households = make_households(rng, properties)
    history = make_history(rng, households, catalogue)
    with store.write_transaction(conn):
        _insert_households(conn, households)
        changes = _insert_history(conn, history)
    logins = [household for household in households if household.note]
    return SeedResult(len(households), len(history), changes, logins)


def format_logins(logins: list[Household]) -> str:
    lines = ["Northgate simulator demo logins (invented people; tenancy ref, postcode, DOB)", ""]
    for h in logins:
        lines.append(
            f"{h.tenancy_ref}  {h.postcode:<8}  {h.dob.strftime('%d/%m/%Y')}  {h.tenure}  {h.note}"
        )
    return "\n".join(lines) + "\n"


@click.command("seed")
@click.option(
    "--properties",
    default=500,
    show_default=True,
    type=click.IntRange(min=8),
    help="How many properties (one tenancy each) to create.",
)
@click.option("--reset", is_flag=True, help="Delete all existing data first.")
@with_appcontext
def seed_command(properties: int, reset: bool) -> None:
    """Create demo properties, tenancies and job history (same data every time)."""
    state: Simulator = current_app.extensions[EXTENSION]
    database = state.settings.database
    conn = store.connect(database)
    try:
        if reset:
            store.wipe(conn)
        elif has_data(conn):
            click.echo(f"{database} already holds data: nothing done (use --reset to start again)")
            return
        result = seed_database(conn, state.catalogue, properties)
    finally:
        conn.close()
    logins = format_logins(result.logins)
    logins_path = Path(database).parent / LOGINS_FILE
    logins_path.write_text(logins, encoding="utf-8")
    click.echo(
        f"Seeded {result.properties} properties and tenancies, {result.jobs} past jobs and "
        f"{result.changes} feed changes into {database}."
    )
    click.echo(logins)
    click.echo(f"Logins written to {logins_path}")
