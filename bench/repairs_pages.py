"""Booking and tracking pages in `make bench`.

PAGES (run by bench.http_pages under gunicorn with wrk): "your repairs" and one repair's page
for tenancies holding 1, 100 and 1,000 repairs. `prepare` seeds each tenancy straight into the
server's database (reporting's own store for one repair, bulk copies for the rest), creates
its account and signs in over HTTP through the real form, returning the session cookie.

`python -m bench.repairs_pages` (main) measures, in-process:
- SQL queries per page for 1, 100 and 1,000 repairs (they must not grow with the count);
- the choose-a-slot page with the Northgate simulator answering after 400 ms, against the
  adapter's own availability call on the same simulator: the page should cost one backend
  call and little more.
Figures are printed and saved to bench/results/repairs_pages.json.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import yaml

from bench.http_pages import RESULTS, Page

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench kettle orchard window"
SIZES = (1, 100, 1000)
LATENCY_MS = 400
RUNS = int(os.environ.get("BENCH_SLOT_RUNS", "15"))
# Fixed references (RepairRef's alphabet), so wrk's paths are known before seeding.
REFERENCES = {1: "RR-BENCH2", 100: "RR-BENCH3", 1000: "RR-BENCH4"}


def tenancy_for(size: int) -> str:
    return f"TEN-9{size:05d}"


def sign_in_name(size: int) -> str:
    return f"bench-repairs-{size}@example.com"


# ---------------------------------------------------------------- seeding


def _policy() -> Any:
    from repairs.policy import RepairsPolicy

    landlord = yaml.safe_load((ROOT / "config" / "landlord.yaml").read_text(encoding="utf-8"))
    return RepairsPolicy.from_mapping(landlord["repairs"])


def seed_tenancy(sessions: Any, size: int, *, reported_at: datetime, job: str | None = None,
                 hasher: Any = None, tenancy_ref: str | None = None,
                 property_ref: str = "00900001") -> str:  # fmt: skip
    """An account for the tenancy and `size` repairs; returns the page's repair reference."""
    from sqlalchemy import select

    from adapters.bank_holidays import GovukBankHolidays
    from adapters.db.accounts import NewAccount, SignInNameTaken, SqlAccounts
    from adapters.db.repairs_store import SqlRepairStore
    from adapters.db.tables.repairs import RepairRow
    from adapters.passwords import PasswordHasher
    from repairs.calendar import Division
    from repairs.ports import Tenure
    from repairs.priorities import Channel, Priority, Trade
    from repairs.refs import JobNumber, PropertyRef, RepairRef, SubmissionId, TenancyRef
    from repairs.repair import Repair, RepairDetails
    from repairs.reporting import Actor, ReportFacts, TenancyFacts

    ref = REFERENCES[size]
    with sessions() as session:
        if session.scalar(select(RepairRow.id).where(RepairRow.reference == ref)):
            return ref  # seeded already
    policy, tenancy = _policy(), TenancyRef(tenancy_ref or tenancy_for(size))
    calendar = policy.calendar(GovukBankHolidays())
    account = NewAccount(sign_in_name(size), (hasher or PasswordHasher()).hash(PASSWORD),
                         tenancy.value, "Bench Tenant", "1 Bench Road\nNorthbridge",
                         "+447700900123", reported_at)  # fmt: skip
    with contextlib.suppress(SignInNameTaken):
        SqlAccounts(sessions).create(account, reported_at)
    store = SqlRepairStore(sessions, policy.slot_times)
    facts_now = TenancyFacts(tenancy, PropertyRef(property_ref), Tenure.SECURE,
                             Division.ENGLAND_AND_WALES, True, True)  # fmt: skip
    store.save_tenancy(facts_now, reported_at)
    details = RepairDetails(
        ref=RepairRef(ref), submission_id=SubmissionId.generate(), tenancy_ref=tenancy,
        property_ref=PropertyRef(property_ref), sor_code="PL0103",
        description="Kitchen sink will not drain", priority=Priority.ROUTINE,
        trade=Trade.PLUMBING, channel=Channel.ONLINE, reported_at=reported_at,
    )  # fmt: skip
    target = policy.targets.target_for(calendar, reported_at=reported_at,
                                       priority=Priority.ROUTINE, tenure=Tenure.SECURE,
                                       division=Division.ENGLAND_AND_WALES)  # fmt: skip
    facts = ReportFacts("kitchen/sink/blocked", "", "+447700900123", Actor.tenant(), False)
    store.add(Repair.report(details, target), facts, "bench")
    if job is not None:
        store.update(details.ref, lambda r: r.record_job_raised(JobNumber(job), reported_at),
                     assisted=False)  # fmt: skip
    _copy(sessions, ref, size - 1)
    return ref


def _copy(sessions: Any, ref: str, count: int) -> None:
    """Bulk copies of a stored repair and its timeline (reporting them one by one is slow)."""
    from sqlalchemy import select

    from adapters.db.tables.repairs import RepairEventRow, RepairRow
    from repairs.refs import RepairRef, SubmissionId

    with sessions.begin() as session:
        template = session.scalar(select(RepairRow).where(RepairRow.reference == ref))
        events = session.scalars(
            select(RepairEventRow).where(RepairEventRow.repair_id == template.id)
        ).all()
        columns = [c.key for c in RepairRow.__table__.columns if c.key not in ("id", "job_number")]
        kept = [c.key for c in RepairEventRow.__table__.columns if c.key not in ("id", "repair_id")]
        for _ in range(count):
            row = RepairRow(**{c: getattr(template, c) for c in columns})
            row.reference, row.submission_id = (
                str(RepairRef.generate()),
                str(SubmissionId.generate()),
            )
            session.add(row)
            session.flush()
            session.add_all(
                RepairEventRow(repair_id=row.id, **{c: getattr(e, c) for c in kept}) for e in events
            )


# ---------------------------------------------------------------- pages for wrk


def _prepare(size: int) -> Any:
    def prepare(base_url: str, env: dict[str, str]) -> dict[str, str]:
        from adapters.db.engine import make_engine, make_session_factory
        from bench.dashboard import _TOKEN, _request

        engine = make_engine(env["DATABASE_URL"])
        try:
            seed_tenancy(make_session_factory(engine), size, reported_at=datetime.now(UTC))
        finally:
            engine.dispose()
        status, cookies, page = _request(base_url, "GET", "/sign-in", None)
        token = _TOKEN.search(page)
        if status != 200 or not cookies or token is None:
            raise SystemExit(f"bench: the sign-in page did not give a session ({status})")
        form = urlencode({"csrf_token": token.group(1), "sign_in_name": sign_in_name(size),
                          "password": PASSWORD})  # fmt: skip
        status, cookies, _ = _request(base_url, "POST", "/sign-in",
                                      next(iter(cookies.values())), form)  # fmt: skip
        if status != 302 or not cookies:
            raise SystemExit(f"bench: signing in failed ({status})")
        cookie = next(iter(cookies.values()))
        status, _, page = _request(base_url, "GET", "/repairs", cookie)
        if status != 200 or "Your repairs" not in page:
            raise SystemExit(f"bench: /repairs did not load when signed in ({status})")
        return {"Cookie": cookie}

    return prepare


PAGES = [
    page
    for size in SIZES
    for page in (
        Page(f"your repairs ({size} repairs)", "/repairs", prepare=_prepare(size)),
        Page(
            f"repair page ({size} repairs)", f"/repairs/{REFERENCES[size]}", prepare=_prepare(size)
        ),  # fmt: skip
    )
]


# ---------------------------------------------------------------- in-process figures


def _portal(instance: Path, housing_api: str, housing_key: str) -> Any:
    from adapters.db import migrate
    from adapters.db.engine import make_engine
    from adapters.passwords import cheap_hasher_for_tests
    from portal.app import create_app
    from portal.services import build_services
    from portal.settings import Settings

    url = f"sqlite:///{instance / 'portal.sqlite'}"
    migrate.upgrade(make_engine(url))
    settings = Settings.from_env({
        "PORTAL_ENV": "test", "DATABASE_URL": url, "PORTAL_INSTANCE_DIR": str(instance),
        "SECRET_KEY": "bench-" + "x" * 40, "HOUSING_API_URL": housing_api,
        "HOUSING_API_KEY": housing_key, "HOUSING_TIMEOUT_SECONDS": "5",
    })  # fmt: skip
    services = build_services(settings)
    services.extras["password_hasher"] = cheap_hasher_for_tests()
    return create_app(settings, services)


def _signed_in(app: Any, size: int) -> Any:
    from bench.dashboard import _TOKEN

    client = app.test_client()
    token = _TOKEN.search(client.get("/sign-in").text)
    assert token is not None
    response = client.post("/sign-in", data={"csrf_token": token.group(1),
                                              "sign_in_name": sign_in_name(size),
                                              "password": PASSWORD})  # fmt: skip
    assert response.status_code == 302, response.text[:300]
    return client


def queries_per_page(app: Any) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, float]]]:
    """SQL statements per request, and the median in-process time of 50 requests (ms)."""
    from sqlalchemy import event

    services = app.extensions["services"]
    hasher = services.extras["password_hasher"]
    figures: dict[str, dict[str, int]] = {"your repairs": {}, "repair page": {}}
    times: dict[str, dict[str, float]] = {"your repairs": {}, "repair page": {}}
    for size in SIZES:
        ref = seed_tenancy(services.sessions, size, reported_at=services.clock.now(),
                           hasher=hasher)  # fmt: skip
        client = _signed_in(app, size)
        for name, path in (("your repairs", "/repairs"), ("repair page", f"/repairs/{ref}")):
            client.get(path)  # warm up (templates, the session's idle-timer write)
            statements: list[str] = []

            def count(conn: Any, cursor: Any, statement: str, *args: Any,
                      seen: list[str] = statements) -> None:  # fmt: skip
                if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA")):
                    seen.append(statement)

            event.listen(services.engine, "before_cursor_execute", count)
            try:
                assert client.get(path).status_code == 200
            finally:
                event.remove(services.engine, "before_cursor_execute", count)
            figures[name][str(size)] = len(statements)
            samples = []
            for _ in range(50):
                started = time.perf_counter()
                client.get(path)
                samples.append(time.perf_counter() - started)
            times[name][str(size)] = round(statistics.median(samples) * 1000, 2)
    return figures, times


class CountingHousing:
    """Counts calls to the housing backend made while a page is served."""

    def __init__(self, real: Any) -> None:
        self.real, self.calls = real, 0

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.real, name)
        if not callable(attribute):
            return attribute

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return attribute(*args, **kwargs)

        return counted


def _ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[max(0, round(0.95 * len(ordered)) - 1)] * 1000, 1),
        "min_ms": round(ordered[0] * 1000, 1),
    }


def slot_page_against_backend() -> dict[str, Any]:
    from bench.northgate_adapter import KEY, simulator
    from repairs.booking import first_offered_day
    from repairs.local_time import local_date
    from repairs.ports import NewRepairOrder
    from repairs.priorities import Priority
    from repairs.refs import PropertyRef, RepairRef, SubmissionId, TenancyRef

    with (
        tempfile.TemporaryDirectory(prefix="bench-slots-") as folder,
        simulator(Path(folder)) as api,
    ):
        root = api.removesuffix("/api/v1")
        httpx.post(f"{root}/_sim/faults", json={"latency_ms": LATENCY_MS},
                   headers={"X-API-Key": KEY}).raise_for_status()  # fmt: skip
        app = _portal(Path(folder), api, KEY)
        services = app.extensions["services"]
        backend = services.housing
        order = NewRepairOrder(SubmissionId.generate(), TenancyRef("TEN-100001"),
                               PropertyRef("00200001"), "PL0103", Priority.ROUTINE,
                               "Kitchen sink will not drain")  # fmt: skip
        job = backend.raise_repair(order).job_number
        seed_tenancy(services.sessions, 1, reported_at=services.clock.now(), job=job.value,
                     hasher=services.extras["password_hasher"], tenancy_ref="TEN-100001",
                     property_ref="00200001")  # fmt: skip
        client = _signed_in(app, 1)
        counting = CountingHousing(backend)
        services.housing = counting
        path = f"/repairs/{RepairRef(REFERENCES[1])}/book"
        first = first_offered_day(local_date(services.clock.now()))
        last = first + timedelta(days=13 - first.weekday())
        page_times, call_times, calls = [], [], []
        for _ in range(RUNS):
            counting.calls = 0
            started = time.perf_counter()
            response = client.get(path)
            page_times.append(time.perf_counter() - started)
            assert response.status_code == 200 and 'name="slot"' in response.text
            calls.append(counting.calls)
            started = time.perf_counter()
            backend.available_slots(job, first, last)
            call_times.append(time.perf_counter() - started)
    page, call = _ms(page_times), _ms(call_times)
    return {
        "simulator_latency_ms": LATENCY_MS,
        "runs": RUNS,
        "choose_a_slot_page": page,
        "one_availability_call": call,
        "backend_calls_per_page": sorted(set(calls)),
        "page_over_one_call_p50_ms": round(page["p50_ms"] - call["p50_ms"], 1),
    }


def main() -> int:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    # Signing in refreshes the tenancy from the backend; for the query counts there is none
    # (the tracking pages never need it), and its retries are noise here.
    logging.getLogger("adapters.housing").setLevel(logging.CRITICAL)
    with tempfile.TemporaryDirectory(prefix="bench-repairs-") as folder:
        app = _portal(Path(folder), "http://127.0.0.1:9/api/v1", "unused")
        queries, times = queries_per_page(app)
    slots = slot_page_against_backend()
    report = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "sql_queries_per_page": queries,
        "in_process_median_ms": times,
        "slot_page": slots,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "repairs_pages.json").write_text(json.dumps(report, indent=2))
    for name, counts in queries.items():
        shown = ", ".join(
            f"{size} repairs: {n} ({times[name][size]} ms)" for size, n in counts.items()
        )
        print(f"{name}: SQL queries per request, median in-process time ({shown})")
    page, call = slots["choose_a_slot_page"], slots["one_availability_call"]
    print(f"choose-a-slot page at {LATENCY_MS} ms backend latency: p50 {page['p50_ms']} ms, "
          f"p95 {page['p95_ms']} ms; one availability call: p50 {call['p50_ms']} ms, "
          f"p95 {call['p95_ms']} ms; backend calls per page "
          f"{slots['backend_calls_per_page']}")  # fmt: skip
    print(f"saved {RESULTS / 'repairs_pages.json'}")
    grows = any(len(set(counts.values())) > 1 for counts in queries.values())
    return 1 if grows or slots["backend_calls_per_page"] != [1] else 0


if __name__ == "__main__":
    raise SystemExit(main())
