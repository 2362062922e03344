"""How fast the send queue empties: 10,000 due texts, 2 worker processes, the real twilio client.

The SMS simulator runs under gunicorn (gthread workers) on 127.0.0.1 with status callbacks
off. The queue is a migrated SQLite file (BENCH_SMS_DATABASE_URL picks another database, e.g.
PostgreSQL). Each worker process runs dispatch passes (batched claims, a few sends in flight
at once) until the queue is empty. Figures: texts per second from the workers' start to the
last text recorded, duplicates (a body the simulator accepted twice, must be 0) and lost (a
text not recorded as sent or not at the simulator, must be 0). Saved to
bench/results/sms_dispatch.json.

Run: `python -m bench.sms_dispatch` (or `make bench`). BENCH_SMS_N changes the count.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
import yaml

from adapters.clock import SystemClock
from adapters.db import migrate
from adapters.db.engine import make_engine, make_session_factory
from adapters.db.tables.messages import SmsMessage
from adapters.sms.sql_store import SqlMessageStore
from adapters.sms.twilio_sender import TwilioSmsSender
from adapters.sms.wiring import build_dispatcher, build_messaging
from notifications.dispatch import DispatchReport
from notifications.ports import MessageStatus
from notifications.store import NewMessage
from notifications.templates import MessageKind

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "sms_dispatch.json"
COUNT = int(os.environ.get("BENCH_SMS_N", "10000"))
WORKERS = 2
BATCH_SIZE = 100
CONCURRENCY = 8
NUMBERS = 1000  # ten texts each: well inside R34's twenty an hour
ACCOUNT_SID = "AC" + "be0c" * 8
AUTH_TOKEN = "be0c" * 8
FROM_NUMBER = "+447700900000"
GOAL_PER_SECOND = 300


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def simulator(directory: Path) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "SMS_SIM_DATABASE": str(directory / "sms-sim.sqlite"),
        "SMS_SIM_ACCOUNT_SID": ACCOUNT_SID,
        "SMS_SIM_AUTH_TOKEN": AUTH_TOKEN,
        "SMS_SIM_BACKGROUND_DELIVERY": "0",  # callbacks off
        "SMS_SIM_SERVICE_NUMBER": FROM_NUMBER,
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--bind", f"127.0.0.1:{port}",
        "--worker-class", "gthread",
        "--workers", "2",
        "--threads", "8",
        "--log-level", "warning",
        "simulators.sms:create_app()",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_until_up(base: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/_sim/stats", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the SMS simulator did not start")


def queue(database_url: str, count: int) -> None:
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    now = datetime.now(UTC)
    store = SqlMessageStore(make_session_factory(engine))
    for start in range(0, count, 1000):
        store.plan(
            [
                NewMessage(
                    to=f"+447700{900001 + i % NUMBERS}",  # clear of FROM_NUMBER
                    kind=MessageKind.STAFF_TEST,
                    body=f"Bench text {i}",
                    due_at=now,
                    urgent=True,
                )
                for i in range(start, min(start + 1000, count))
            ],
            [],
            now,
        )
    engine.dispose()


def run_worker(database_url: str, api_base: str, name: str) -> None:
    """One worker process: dispatch passes until the queue is empty; totals on stdout."""
    clock = SystemClock()
    engine = make_engine(database_url)
    sender = TwilioSmsSender(ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, api_base)
    landlord = yaml.safe_load((ROOT / "config" / "landlord.yaml").read_text(encoding="utf-8"))
    messaging = build_messaging(
        landlord=landlord,
        council_short_name="Northbridge",
        council_phone="0300 123 4567",
        public_base_url="http://127.0.0.1:8000",
        sessions=make_session_factory(engine),
        sender=lambda: sender,
        clock=clock,
    )
    dispatcher = build_dispatcher(
        messaging, sender, clock, batch_size=BATCH_SIZE, concurrency=CONCURRENCY, worker=name
    )
    totals = DispatchReport()
    while True:
        report = dispatcher.run_pass()
        totals.add(report)
        if report.claimed == 0:
            states = messaging.store.count_by_state()
            if not states.get(MessageStatus.PLANNED) and not states.get(MessageStatus.SENDING):
                break
            time.sleep(0.05)
    dispatcher.close()
    print(json.dumps({"name": name, **asdict(totals)}), flush=True)


def measure(database_url: str, api_base: str) -> dict[str, Any]:
    started = time.perf_counter()
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bench.sms_dispatch",
                "--worker",
                database_url,
                api_base,
                f"worker-{n}",
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(1, WORKERS + 1)
    ]
    reports = [json.loads(w.communicate(timeout=600)[0].strip().splitlines()[-1]) for w in workers]
    elapsed = time.perf_counter() - started
    engine = make_engine(database_url)
    with engine.connect() as connection:
        first_claim, last_sent = connection.execute(
            sa.select(sa.func.min(SmsMessage.claimed_at), sa.func.max(SmsMessage.sent_at))
        ).one()
        not_sent = connection.scalar(
            sa.select(sa.func.count()).where(SmsMessage.state != MessageStatus.SENT.value)
        )
        sids = connection.scalar(sa.select(sa.func.count(sa.distinct(SmsMessage.provider_sid))))
    engine.dispose()
    stats = httpx.get(api_base + "/_sim/stats", timeout=30).json()
    steady = (last_sent - first_claim).total_seconds() if first_claim and last_sent else 0.0
    accepted = int(stats["outbound_api"])
    return {
        "messages": COUNT,
        "workers": WORKERS,
        "batch_size": BATCH_SIZE,
        "sends_in_flight_per_worker": CONCURRENCY,
        "elapsed_seconds": round(elapsed, 2),
        "messages_per_second": round(COUNT / elapsed, 1),
        "messages_per_second_first_claim_to_last_send": round(COUNT / steady, 1) if steady else 0,
        "duplicates": int(stats["duplicate_bodies"]) + max(accepted - COUNT, 0),
        "lost": int(not_sent or 0) + max(COUNT - accepted, 0) + (COUNT - int(sids or 0)),
        "worker_reports": reports,
    }


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-sms-") as tmp:
        directory = Path(tmp)
        database_url = os.environ.get(
            "BENCH_SMS_DATABASE_URL", f"sqlite:///{directory / 'queue.sqlite'}"
        )
        queue(database_url, COUNT)
        with simulator(directory) as api_base:
            figures = measure(database_url, api_base)
    figures["queue_database"] = database_url.split(":", 1)[0]
    figures["simulator"] = "gunicorn gthread, 2 workers x 8 threads, callbacks off"
    figures["cpus"] = os.cpu_count()
    figures["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    summary = {k: v for k, v in figures.items() if k != "worker_reports"}
    print(json.dumps(summary, indent=2))
    ok = figures["duplicates"] == 0 and figures["lost"] == 0
    if figures["messages_per_second"] < GOAL_PER_SECOND:
        print(f"below the goal of {GOAL_PER_SECOND} a second")
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", nargs=3, metavar=("DATABASE_URL", "API_BASE", "NAME"))
    args = parser.parse_args()
    if args.worker:
        run_worker(*args.worker)
        sys.exit(0)
    sys.exit(main())
