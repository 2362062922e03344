"""`flask sms send-due`, `flask sms test NUMBER` and the worker's text-message jobs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from adapters.clock import FakeClock
from adapters.sms.fake import FakeSmsSender
from notifications.templates import MessageKind, MessageValues
from portal.cli import worker_jobs
from tests.contract.sms.simulator import FROM_NUMBER, served_simulator

pytestmark = pytest.mark.integration

TENANT = "+447700900123"


def queue_completed(app: Any, count: int = 2) -> None:
    messaging = app.extensions["services"].messaging
    for n in range(count):
        values = MessageValues(reference=f"RR-{n}", link=messaging.link("feedback"))
        messaging.notify(MessageKind.COMPLETED, TENANT, values, f"RR-{n}")


def test_send_due_sends_what_is_due_and_prints_the_counts(
    make_app: Callable[..., Any], clock: FakeClock
) -> None:
    sender = FakeSmsSender(clock)
    app = make_app(sms_sender=sender)
    queue_completed(app)
    result = app.test_cli_runner().invoke(args=["sms", "send-due"])
    assert result.exit_code == 0, result.output
    assert "claimed 2, sent 2" in result.output
    assert len(sender.sent) == 2
    again = app.test_cli_runner().invoke(args=["sms", "send-due"])
    assert "claimed 0, sent 0" in again.output


def test_sms_test_sends_through_the_simulator_and_prints_the_sid(
    make_app: Callable[..., Any], tmp_path: Path
) -> None:
    with served_simulator(tmp_path) as sim:
        app = make_app(
            env={
                "TWILIO_API_BASE_URL": sim.base_url,
                "TWILIO_ACCOUNT_SID": sim.account_sid,
                "TWILIO_AUTH_TOKEN": sim.auth_token,
                "TWILIO_FROM_NUMBER": FROM_NUMBER,
            }
        )
        result = app.test_cli_runner().invoke(args=["sms", "test", "07700 900123"])
        assert result.exit_code == 0, result.output
        assert result.output.startswith("sent: SM")
        (body,) = sim.outbound_bodies(TENANT)
        assert "test text from the repairs team" in body


def test_sms_test_explains_a_refused_number(make_app: Callable[..., Any]) -> None:
    app = make_app(sms_sender=FakeSmsSender())
    result = app.test_cli_runner().invoke(args=["sms", "test", "01632 960123"])
    assert result.exit_code != 0
    assert "mobile" in result.output and "Traceback" not in result.output


def test_sms_test_explains_when_twilio_cannot_be_reached(make_app: Callable[..., Any]) -> None:
    app = make_app()  # the test settings point Twilio at 127.0.0.1:9, where nothing listens
    result = app.test_cli_runner().invoke(args=["sms", "test", "07700 900123"])
    assert result.exit_code != 0
    assert "no answer from Twilio" in result.output and "Traceback" not in result.output


def test_the_worker_runs_dispatch_and_housekeeping_jobs(
    make_app: Callable[..., Any], clock: FakeClock
) -> None:
    sender = FakeSmsSender(clock)
    app = make_app(sms_sender=sender)
    jobs = {job.name: job for job in worker_jobs(app)}
    assert {"sms-dispatch", "sms-housekeeping"} <= set(jobs)
    queue_completed(app, 1)
    jobs["sms-dispatch"].run()
    assert len(sender.sent) == 1
    clock.advance(timedelta(days=91))
    assert jobs["sms-housekeeping"].run() == 1
