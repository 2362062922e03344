"""A worker process for the multi-process tests: dispatch passes against a shared database.

    python -m tests.integration.sms.worker_process --database-url URL --api-base URL \
        --account-sid AC... --auth-token T [--clock-offset-seconds N] [--exit-when-idle]

Prints its totals as one JSON line when it stops (not when killed, which is the point of the
crash test). It polls the queue itself; the tests only wait for it to exit.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from adapters.db.engine import make_engine, make_session_factory
from adapters.sms.twilio_sender import TwilioSmsSender
from adapters.sms.wiring import build_dispatcher, build_messaging
from notifications.dispatch import DispatchReport
from notifications.ports import MessageStatus

ROOT = Path(__file__).resolve().parents[3]
IDLE_PASSES = 3


class OffsetClock:
    """Real time, shifted: a restarted worker can live past a dead one's lease at once."""

    def __init__(self, offset: timedelta) -> None:
        self._offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--api-base", required=True)
    parser.add_argument("--account-sid", required=True)
    parser.add_argument("--auth-token", required=True)
    parser.add_argument("--from-number", default="+447700900000")
    parser.add_argument("--clock-offset-seconds", type=float, default=0.0)
    parser.add_argument("--batch-size", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--name", default="worker")
    parser.add_argument("--exit-when-idle", action="store_true")
    parser.add_argument("--go-file", help="say ready, then wait for this file to appear")
    args = parser.parse_args(argv)

    clock = OffsetClock(timedelta(seconds=args.clock_offset_seconds))
    engine = make_engine(args.database_url)
    sender = TwilioSmsSender(args.account_sid, args.auth_token, args.from_number, args.api_base)
    landlord = yaml.safe_load((ROOT / "config" / "landlord.yaml").read_text(encoding="utf-8"))
    messaging = build_messaging(
        landlord=landlord,
        council_short_name="Northbridge",
        council_phone="0300 123 4567",
        public_base_url="http://portal.test",
        sessions=make_session_factory(engine),
        sender=lambda: sender,
        clock=clock,
    )
    dispatcher = build_dispatcher(
        messaging,
        sender,
        clock,
        batch_size=args.batch_size,
        concurrency=args.concurrency,
        worker=args.name,
    )
    if args.go_file:
        wait_for_go(Path(args.go_file))
    totals = DispatchReport()
    idle = 0
    while idle < IDLE_PASSES or not args.exit_when_idle:
        report = dispatcher.run_pass()
        totals.add(report)
        waiting = messaging.store.count_by_state()
        busy = waiting.get(MessageStatus.PLANNED, 0) + waiting.get(MessageStatus.SENDING, 0)
        idle = idle + 1 if report.claimed == 0 and busy == 0 else 0
        if report.claimed == 0:
            time.sleep(0.05)
    dispatcher.close()
    print(json.dumps({"name": args.name, **asdict(totals)}), flush=True)
    return 0


def wait_for_go(go_file: Path) -> None:
    """Both workers start sending together, however long each took to start."""
    print("ready", flush=True)
    deadline = time.monotonic() + 60
    while not go_file.exists():
        if time.monotonic() > deadline:
            raise SystemExit("no go signal")
        time.sleep(0.01)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
