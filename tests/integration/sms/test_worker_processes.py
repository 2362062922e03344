"""Worker processes against one database and the simulator: exactly once, even after kill -9.

Each worker is a real subprocess running dispatch passes with the real twilio client. The
tests wait only for processes to finish or for the simulator to have received some texts,
always with a bound; nothing waits on the scheduler.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from adapters.db.engine import make_session_factory
from adapters.db.tables.messages import SmsMessage
from adapters.sms.sql_store import SqlMessageStore
from notifications.ports import MessageStatus
from notifications.store import NewMessage
from notifications.templates import MessageKind
from tests.conftest import ROOT
from tests.contract.sms.simulator import SmsSimulator

pytestmark = pytest.mark.integration

WAIT_SECONDS = 90


def queue(engine: sa.Engine, count: int, numbers: int) -> None:
    """`count` texts, each body unique, spread over `numbers` numbers (R34 allows 20 each)."""
    now = datetime.now(UTC)
    messages = [
        NewMessage(
            to=f"+4477009{100 + i % numbers:05d}",  # clear of the sender, +447700900000
            kind=MessageKind.STAFF_TEST,
            body=f"Worker test text {i}",
            due_at=now,
            urgent=True,
        )
        for i in range(count)
    ]
    SqlMessageStore(make_session_factory(engine)).plan(messages, [], now)


def start_worker(
    engine: sa.Engine, sim: SmsSimulator, name: str, *extra: str
) -> subprocess.Popen[str]:
    command = [
        sys.executable,
        "-m",
        "tests.integration.sms.worker_process",
        "--database-url",
        engine.url.render_as_string(hide_password=False),
        "--api-base",
        sim.base_url,
        "--account-sid",
        sim.account_sid,
        "--auth-token",
        sim.auth_token,
        "--name",
        name,
        *extra,
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finish(worker: subprocess.Popen[str]) -> dict[str, int]:
    out, err = worker.communicate(timeout=WAIT_SECONDS)
    assert worker.returncode == 0, err[-3000:]
    return dict(json.loads(out.strip().splitlines()[-1]))


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def assert_each_sent_exactly_once(engine: sa.Engine, sim: SmsSimulator, count: int) -> None:
    stats = sim.stats()
    assert stats["outbound_api"] == count
    assert stats["duplicate_bodies"] == 0
    with sa.orm.Session(engine) as session:
        rows = list(session.scalars(sa.select(SmsMessage)))
    assert len(rows) == count
    assert {r.state for r in rows} == {"sent"}
    assert len({r.provider_sid for r in rows}) == count


def test_two_worker_processes_send_each_text_exactly_once(
    engine: sa.Engine, simulator: SmsSimulator, tmp_path: Path
) -> None:
    simulator.set_faults(latency_ms=10)
    queue(engine, 300, numbers=30)
    go = tmp_path / "go"
    workers = [
        start_worker(
            engine,
            simulator,
            f"worker-{n}",
            "--batch-size",
            "10",
            "--exit-when-idle",
            "--go-file",
            str(go),
        )
        for n in (1, 2)
    ]
    for worker in workers:
        assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
    go.touch()
    reports = [finish(w) for w in workers]
    assert_each_sent_exactly_once(engine, simulator, 300)
    assert sum(r["sent"] for r in reports) == 300
    assert all(r["sent"] > 0 for r in reports), reports  # both really took part


def test_a_worker_killed_mid_batch_loses_nothing_and_duplicates_nothing(
    engine: sa.Engine, simulator: SmsSimulator
) -> None:
    # Slow answers and one send at a time: the worker is surely mid-batch when it dies, with
    # texts accepted by the provider that it never recorded.
    simulator.set_faults(latency_ms=100)
    queue(engine, 40, numbers=40)
    doomed = start_worker(engine, simulator, "doomed", "--concurrency", "1")
    wait_for(lambda: simulator.stats()["outbound_api"] >= 5, "the first texts to be accepted")
    doomed.send_signal(signal.SIGKILL)
    doomed.communicate(timeout=WAIT_SECONDS)
    with sa.orm.Session(engine) as session:
        unrecorded = session.scalar(
            sa.select(sa.func.count()).where(
                SmsMessage.state == "sending", SmsMessage.provider_sid.is_(None)
            )
        )
    assert unrecorded and unrecorded >= 5
    simulator.set_faults(latency_ms=0)
    # The restarted worker lives ten minutes later: past the dead worker's five-minute lease.
    report = finish(
        start_worker(
            engine, simulator, "restarted", "--clock-offset-seconds", "600", "--exit-when-idle"
        )
    )
    assert report["recovered"] >= 5
    assert_each_sent_exactly_once(engine, simulator, 40)


def test_a_429_storm_delays_texts_but_sends_each_once(
    engine: sa.Engine, simulator: SmsSimulator, clock: object
) -> None:
    """In process, with the injected clock: each pass moves time on past the back-off."""
    from adapters.clock import FakeClock
    from adapters.sms.twilio_sender import TwilioSmsSender
    from adapters.sms.wiring import build_dispatcher
    from tests.contract.sms.simulator import FROM_NUMBER
    from tests.integration.sms.conftest import make_messaging

    assert isinstance(clock, FakeClock)
    clock.set(datetime.now(UTC))
    sender = TwilioSmsSender(
        simulator.account_sid, simulator.auth_token, FROM_NUMBER, simulator.base_url
    )
    messaging = make_messaging(engine, clock, sender, _landlord())
    dispatcher = build_dispatcher(messaging, sender, clock, batch_size=25, concurrency=4)
    queue(engine, 100, numbers=10)
    # Three passes of mostly 429s (and some 500s), then Twilio recovers.
    simulator.set_faults(rate_429=0.8, rate_500=0.1, seed=3)
    passes, retried = 0, 0
    while messaging.store.count_by_state().get(MessageStatus.PLANNED, 0) and passes < 40:
        if passes == 3:
            simulator.set_faults(rate_429=0.0, rate_500=0.0)
        report = dispatcher.run_pass()
        retried += report.retried
        passes += 1
        clock.advance(timedelta(minutes=5))
    dispatcher.close()
    assert retried > 100  # it really stormed: most texts failed more than once
    with sa.orm.Session(engine) as session:
        states = dict(
            session.execute(
                sa.select(SmsMessage.state, sa.func.count()).group_by(SmsMessage.state)
            ).all()
        )
    assert states == {"sent": 100}
    stats = simulator.stats()
    assert stats["outbound_api"] == 100 and stats["duplicate_bodies"] == 0


def _landlord() -> dict[str, object]:
    import yaml

    data = yaml.safe_load((ROOT / "config" / "landlord.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data
