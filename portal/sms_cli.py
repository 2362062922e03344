"""Text messages on the command line and in the worker.

`flask --app wsgi sms send-due` runs one dispatch pass (for cron users without a worker);
`flask --app wsgi sms test NUMBER` sends a test text and prints its SID or a clear error.
"""

from __future__ import annotations

from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from adapters.sms.wiring import build_dispatcher
from notifications.dispatch import Dispatcher
from notifications.messaging import MessagingError
from notifications.scheduler import IntervalJob

DISPATCH_SECONDS = 10
HOUSEKEEPING_SECONDS = 3600


def _services(app: Flask | None = None) -> Any:
    return (app or current_app).extensions["services"]


def dispatcher_for(app: Flask) -> Dispatcher:
    """One dispatcher per process, built on first use with the sender wired at that time."""
    services = _services(app)
    dispatcher = services.extras.get("sms_dispatcher")
    if dispatcher is None:
        dispatcher = build_dispatcher(services.messaging, services.sms_sender, services.clock)
        services.extras["sms_dispatcher"] = dispatcher
    return dispatcher


def sms_worker_jobs(app: Flask) -> list[IntervalJob]:
    """The worker's text-message jobs: send what is due, and R48 housekeeping."""
    dispatcher = dispatcher_for(app)
    messaging = _services(app).messaging
    return [
        IntervalJob("sms-dispatch", DISPATCH_SECONDS, dispatcher.run_pass),
        IntervalJob("sms-housekeeping", HOUSEKEEPING_SECONDS, messaging.remove_old_bodies),
    ]


@click.group(cls=AppGroup, help="Text messages: send what is due, or send a test text.")
def sms() -> None:
    pass


@sms.command("send-due", help="Send every text that is due now, once, and print the counts.")
def send_due() -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    report = dispatcher_for(app).run_pass()
    click.echo(
        f"claimed {report.claimed}, sent {report.sent} (recovered {report.recovered}), "
        f"retrying {report.retried}, deferred {report.deferred}, failed {report.failed}, "
        f"withdrawn {report.withdrawn}"
    )


@sms.command("test", help="Send a test text to NUMBER (a UK mobile) and print its SID.")
@click.argument("number")
def send_test(number: str) -> None:
    try:
        sid = _services().messaging.send_test(number)
    except MessagingError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"sent: {sid}")
