"""The SQL repair store on SQLite and PostgreSQL: the same contract as the fake, plus what only
a database can show (columns kept for the measures, concurrent claims)."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from adapters.db.engine import make_session_factory
from adapters.db.repairs_store import SqlRepairStore
from adapters.db.tables.repairs import RepairEventRow, RepairRow
from repairs.reporting import Actor
from repairs.slots import SlotTimes
from tests.unit.reporting.store_contract import LEASE, RepairStoreContract
from tests.unit.reporting.support import facts, new_repair

pytestmark = pytest.mark.integration


@pytest.fixture
def sql_store(engine):
    return SqlRepairStore(make_session_factory(engine), SlotTimes.default())


class TestSqlRepairStore(RepairStoreContract):
    @pytest.fixture
    def store(self, sql_store):
        return sql_store


def test_an_assisted_report_keeps_the_staff_member_and_the_channel(sql_store, engine, clock):
    # R41, R44: who reported it and how, for the measures and the tenant's history.
    repair = new_repair(clock.now())
    sql_store.add(repair, facts(actor=Actor.staff("staff-17")), claimed_by="web-1")
    with make_session_factory(engine)() as session:
        row = session.scalar(select(RepairRow).where(RepairRow.reference == str(repair.ref)))
        events = session.scalars(select(RepairEventRow).where(RepairEventRow.repair_id == row.id))
        assert (row.actor_kind, row.staff_id) == ("staff", "staff-17")
        assert [(e.kind, e.assisted) for e in events] == [("reported", True)]
        assert row.target_rule == "priority" and row.target_period == "5 working_days"


def test_two_workers_claiming_at_once_never_take_the_same_row(sql_store, clock):
    refs = set()
    for n in range(12):
        repair = new_repair(clock.now())
        refs.add(repair.ref)
        sql_store.add(repair, facts(), claimed_by=f"web-{n}")
    later = clock.now() + LEASE * 2
    taken: dict[str, list] = {"a": [], "b": []}
    start = threading.Barrier(2)

    def claim(worker: str) -> None:
        start.wait()
        for _ in range(6):
            taken[worker] += sql_store.claim_outbox(worker, later, LEASE, 2)

    threads = [threading.Thread(target=claim, args=(w,)) for w in taken]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    claimed = [item.repair_ref for items in taken.values() for item in items]
    assert sorted(claimed) == sorted(refs)  # every row once, none twice


def test_a_claim_older_than_the_lease_is_taken_over(sql_store, clock):
    repair = new_repair(clock.now())
    sql_store.add(repair, facts(), claimed_by="web-that-died")
    [item] = sql_store.claim_outbox(
        "worker-a", clock.now() + LEASE + timedelta(seconds=1), LEASE, 5
    )
    assert item.repair_ref == repair.ref and item.attempts == 2
