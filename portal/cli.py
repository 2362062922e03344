"""Command-line commands: `flask --app wsgi db upgrade`, `flask --app wsgi worker`, …"""

from __future__ import annotations

import logging

import click
from flask import Flask, current_app
from sqlalchemy import inspect

from adapters.db import migrate
from adapters.db.health import Heartbeat
from notifications.scheduler import IntervalJob, run_worker
from portal import sms_cli

HEARTBEAT_SECONDS = 60


def init_cli(app: Flask) -> None:
    app.cli.add_command(db)
    app.cli.add_command(worker)
    app.cli.add_command(sms_cli.sms)


def _services():  # type: ignore[no-untyped-def]
    return current_app.extensions["services"]


@click.group(help="The portal's database.")
def db() -> None:
    pass


@db.command("upgrade", help="Bring the database schema up to the newest revision.")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    engine = _services().engine
    migrate.upgrade(engine, revision)
    click.echo(f"database at {revision}: {engine.url.render_as_string(hide_password=True)}")


@db.command("downgrade", help="Step the schema back to a revision (base for empty).")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    migrate.downgrade(_services().engine, revision)
    click.echo(f"database at {revision}")


@db.command("tables", help="List the tables in the database.")
def db_tables() -> None:
    for name in sorted(inspect(_services().engine).get_table_names()):
        click.echo(name)


def worker_jobs(app: Flask) -> list[IntervalJob]:
    """Every package's interval jobs; each one claims its own rows, so workers can run in
    parallel. Packages add theirs to services.extras['worker_jobs']."""
    services = app.extensions["services"]
    heartbeat = Heartbeat(services.sessions, services.clock)
    services.extras["heartbeat"] = heartbeat
    jobs = [IntervalJob("heartbeat", HEARTBEAT_SECONDS, heartbeat.beat)]
    for factory in services.extras.get("worker_job_factories", []):
        jobs.extend(factory(app))
    return jobs


@click.command(help="Run the background worker until SIGTERM or Ctrl-C.")
def worker() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    jobs = worker_jobs(app)
    heartbeat = app.extensions["services"].extras["heartbeat"]
    run_worker(jobs, on_stop=heartbeat.stop)
