"""What NorthgateBackend costs on top of the raw HTTP calls it makes.

The Northgate simulator (seeded with 500 homes, no faults, zero added latency) is served by a
threaded werkzeug server on 127.0.0.1. Each adapter read is timed BENCH_N times (default 300),
alternating with the same raw HTTP requests made with a plain httpx.Client (same pool, same
key, JSON decoded), so both see the same server. Figures: median and p95 per call for each,
and the adapter's overhead. Saved to bench/results/northgate_adapter.json.

Run: `python -m bench.northgate_adapter` (or `make bench`).
"""

from __future__ import annotations

import json
import logging
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from werkzeug.serving import make_server

from adapters.housing.northgate import NorthgateBackend
from repairs.ports import NewRepairOrder
from repairs.priorities import Priority
from repairs.refs import JobNumber, PropertyRef, SubmissionId, TenancyRef
from simulators.northgate import create_app
from simulators.northgate.catalogue import load_catalogue
from simulators.northgate.seed import seed_database
from simulators.northgate.store import connect, initialise

RESULTS = Path(__file__).resolve().parent / "results" / "northgate_adapter.json"
KEY = "bench-northgate-key"
RUNS = int(os.environ.get("BENCH_N", "300"))
WARM_UP = 20
PROPERTIES = 500
DEMO = TenancyRef("TEN-100001")
LONG_HISTORY = TenancyRef("TEN-100008")  # 25 past jobs: two pages

Timed = Callable[[], Any]


@contextmanager
def simulator(directory: Path) -> Iterator[str]:
    database = directory / "northgate.sqlite"
    initialise(database)
    conn = connect(database)
    try:
        seed_database(conn, load_catalogue(), PROPERTIES)
    finally:
        conn.close()
    app = create_app({"NORTHGATE_SIM_DATABASE": str(database), "NORTHGATE_SIM_API_KEY": KEY})
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/api/v1"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def raw_calls(client: httpx.Client, api: str, job: JobNumber) -> dict[str, Timed]:
    """The requests each adapter read makes, made by hand."""

    def get(path: str, **params: Any) -> Any:
        response = client.get(api + path, params=params)
        response.raise_for_status()
        return response.json()

    def verify() -> Any:
        body = {"TENANCY_REF": DEMO.value, "POSTCODE": "NB1 2AB", "DOB": "14/03/1971"}
        answer = client.post(api + "/tenancies/verify", json=body)
        answer.raise_for_status()
        answer.json()
        held = get(f"/tenancies/{DEMO}")
        return get(f"/properties/{held['PROP_REF']}")

    def tenancy() -> Any:
        return get(f"/properties/{get(f'/tenancies/{DEMO}')['PROP_REF']}")

    def history() -> Any:
        return [get(f"/tenancies/{LONG_HISTORY}/jobs", PAGE=page) for page in (1, 2)]

    first, last = _fortnight()
    return {
        "match_tenant": verify,
        "tenancy": tenancy,
        "repair": lambda: get(f"/jobs/{job}"),
        "available_slots": lambda: get(
            f"/jobs/{job}/availability", FROM=_wire(first), TO=_wire(last)
        ),
        "repairs_for": history,
    }


def adapter_calls(backend: NorthgateBackend, job: JobNumber) -> dict[str, Timed]:
    first, last = _fortnight()
    return {
        "match_tenant": lambda: backend.match_tenant(DEMO, "NB1 2AB", date(1971, 3, 14)),
        "tenancy": lambda: backend.tenancy(DEMO),
        "repair": lambda: backend.repair(job),
        "available_slots": lambda: backend.available_slots(job, first, last),
        "repairs_for": lambda: backend.repairs_for(LONG_HISTORY),
    }


REQUESTS_PER_CALL = {
    "match_tenant": 3,
    "tenancy": 2,
    "repair": 1,
    "available_slots": 1,
    "repairs_for": 2,
}


def _fortnight() -> tuple[date, date]:
    today = datetime.now(UTC).date()
    return today, today + timedelta(days=13)


def _wire(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]  # nearest rank
    return {"median_ms": _ms(statistics.median(ordered)), "p95_ms": _ms(p95)}


def measure(adapter: Timed, raw: Timed) -> tuple[list[float], list[float]]:
    for _ in range(WARM_UP):
        adapter()
        raw()
    adapter_times: list[float] = []
    raw_times: list[float] = []
    for _ in range(RUNS):  # alternate, so drift on the machine hits both alike
        for call, times in ((adapter, adapter_times), (raw, raw_times)):
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
    return adapter_times, raw_times


def run(api: str) -> dict[str, Any]:
    backend = NorthgateBackend(api, KEY, timeout_seconds=5.0)
    order = NewRepairOrder(SubmissionId.generate(), DEMO, PropertyRef("00200001"), "PL0103",
                           Priority.URGENT, "Benchmark job")  # fmt: skip
    job = backend.raise_repair(order).job_number
    calls: dict[str, Any] = {}
    with httpx.Client(headers={"X-API-Key": KEY}) as client:
        raw = raw_calls(client, api, job)
        for name, adapter in adapter_calls(backend, job).items():
            adapter_times, raw_times = measure(adapter, raw[name])
            mine, theirs = summary(adapter_times), summary(raw_times)
            calls[name] = {
                "requests": REQUESTS_PER_CALL[name],
                "adapter": mine,
                "raw_httpx": theirs,
                "overhead_median_ms": round(mine["median_ms"] - theirs["median_ms"], 3),
                "overhead_p95_ms": round(mine["p95_ms"] - theirs["p95_ms"], 3),
                "overhead_ratio": round(mine["median_ms"] / theirs["median_ms"], 3),
            }
    backend.close()
    return calls


def main() -> int:
    with tempfile.TemporaryDirectory() as directory, simulator(Path(directory)) as api:
        calls = run(api)
    result = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} cores",
        "runs_per_call": RUNS,
        "simulator": f"{PROPERTIES} properties, threaded werkzeug on 127.0.0.1, no faults",
        "calls": calls,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"{'call':<16}{'req':>4}{'adapter p50/p95 ms':>22}{'raw p50/p95 ms':>20}{'+p50 ms':>10}")
    for name, figures in calls.items():
        mine, theirs = figures["adapter"], figures["raw_httpx"]
        print(
            f"{name:<16}{figures['requests']:>4}"
            f"{mine['median_ms']:>12.2f} /{mine['p95_ms']:>7.2f}"
            f"{theirs['median_ms']:>11.2f} /{theirs['p95_ms']:>6.2f}"
            f"{figures['overhead_median_ms']:>10.3f}"
        )
    print(f"saved to {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
