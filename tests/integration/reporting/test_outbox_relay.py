"""Submit while the housing system is down, bring it back, relay the outbox: on SQLite and
PostgreSQL, with two relays running at once, the job is raised exactly once and each text is
queued once (R44, DESIGN "exactly once")."""

import threading
from datetime import timedelta
from types import SimpleNamespace

import pytest
import yaml
from sqlalchemy import select

from adapters.db.engine import make_session_factory
from adapters.db.repairs_store import SqlRepairStore
from adapters.db.tables.messages import SmsMessage
from adapters.db.tables.repairs import OutboxRow, RepairEventRow
from adapters.housing.fake import FakeHousingBackend
from adapters.sms.fake import FakeSmsSender
from adapters.sms.wiring import build_messaging
from portal.report.context import MessagingRepairTexts
from repairs.refs import SubmissionId
from repairs.reporting import Actor, RaiseState, ReportingService, ReportRepair
from repairs.triage import TriageAnswers
from tests.unit.reporting.support import MOBILE, ROOT, calendar, demo_facts, policy, tree

pytestmark = pytest.mark.integration

KEY_SAFE = "Key safe code 4321 by the back door"


class CountingBackend:
    """The fake backend, counting raise calls so 'exactly once' means one call, not just one
    job (the fake would also absorb a duplicate by its idempotency)."""

    def __init__(self, backend: FakeHousingBackend) -> None:
        self.backend = backend
        self.raise_calls = 0
        self._lock = threading.Lock()

    def raise_repair(self, order):
        with self._lock:
            if not self.backend.is_down:
                self.raise_calls += 1
        return self.backend.raise_repair(order)

    def __getattr__(self, name):
        return getattr(self.backend, name)


@pytest.fixture
def world(engine, clock):
    sessions = make_session_factory(engine)
    housing = FakeHousingBackend(clock).seed_demo()
    backend = CountingBackend(housing)
    services = SimpleNamespace(sms_sender=FakeSmsSender(clock))
    landlord = {"messages": _messages_section()}
    services.messaging = build_messaging(
        landlord=landlord,
        council_short_name="Northbridge",
        council_phone="0300 123 4567",
        public_base_url="http://portal.test",
        sessions=sessions,
        sender=lambda: services.sms_sender,
        clock=clock,
    )
    store = SqlRepairStore(sessions, policy().slot_times)

    def service():
        return ReportingService(
            store=store,
            tenancies=backend,
            orders=backend,
            texts=MessagingRepairTexts(services),
            tree=tree(),
            targets=policy().targets,
            calendar=calendar(),
            clock=clock,
        )

    return SimpleNamespace(
        sessions=sessions, housing=housing, backend=backend, store=store, service=service
    )


def _messages_section():
    return yaml.safe_load((ROOT / "config" / "landlord.yaml").read_text())["messages"]


def report():
    return ReportRepair(
        submission_id=SubmissionId.generate(),
        actor=Actor.tenant(),
        tenancy=demo_facts(),
        answers=TriageAnswers("kitchen", "sink_and_taps", "sink_blocked"),
        description="The kitchen sink will not drain",
        access_notes=KEY_SAFE,
        contact_mobile=MOBILE,
    )


def texts(world, ref):
    with world.sessions() as session:
        rows = session.scalars(select(SmsMessage).where(SmsMessage.repair_ref == str(ref)))
        return sorted((row.kind, row.body) for row in rows)


def run_two_relays(world, rounds=3):
    start = threading.Barrier(2)
    errors = []

    def relay(name):
        service = world.service()
        start.wait()
        try:
            for _ in range(rounds):
                service.relay_outbox(name)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=relay, args=(n,)) for n in ("relay-a", "relay-b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []


def test_a_report_made_while_the_backend_is_down_is_raised_once_by_two_relays(world, clock):
    world.housing.go_down()
    done = world.service().submit(report())
    assert done.raise_state is RaiseState.DEFERRED
    run_two_relays(world)  # still down: the could-not-reach text goes, no job
    assert world.housing.jobs() == []
    world.housing.come_back()
    clock.advance(timedelta(minutes=5))
    run_two_relays(world)
    assert world.backend.raise_calls == 1
    [job] = world.housing.jobs()
    assert job.external_ref == str(world.store.summary(done.ref).submission_id)
    assert world.store.summary(done.ref).job_number == job.job_number
    kinds = [kind for kind, _ in texts(world, done.ref)]
    assert kinds == ["book_later", "book_repair"]  # each queued once
    clock.advance(timedelta(hours=1))
    run_two_relays(world)
    assert world.backend.raise_calls == 1 and len(texts(world, done.ref)) == 2


def test_many_reports_queued_while_down_are_each_raised_once(world, clock):
    world.housing.go_down()
    refs = [world.service().submit(report()).ref for _ in range(15)]
    world.housing.come_back()
    clock.advance(timedelta(minutes=5))
    run_two_relays(world, rounds=4)
    assert world.backend.raise_calls == 15 and len(world.housing.jobs()) == 15
    with world.sessions() as session:
        states = session.scalars(select(OutboxRow.state).where(OutboxRow.kind == "raise_job"))
        assert set(states) == {"done"}
    assert all(world.store.summary(ref).raise_state is RaiseState.RAISED for ref in refs)


def test_texts_never_carry_the_access_notes_or_the_description(world, clock):
    # R27: key-safe codes and the tenant's own words stay out of texts.
    world.housing.go_down()
    done = world.service().submit(report())
    world.housing.come_back()
    clock.advance(timedelta(minutes=5))
    world.service().relay_outbox("relay-a")
    world.service().relay_outbox("relay-a")
    bodies = [body for _, body in texts(world, done.ref)]
    assert len(bodies) == 2
    for body in bodies:
        assert "4321" not in body and "sink" not in body.lower()
        assert str(done.ref) in body
    assert "http://portal.test/repairs/" + str(done.ref) in bodies[1]


def test_the_timeline_records_the_deferral_and_the_raise(world, clock):
    world.housing.go_down()
    done = world.service().submit(report())
    world.housing.come_back()
    clock.advance(timedelta(minutes=5))
    world.service().relay_outbox("relay-a")
    with world.sessions() as session:
        kinds = session.scalars(select(RepairEventRow.kind).order_by(RepairEventRow.id))
        assert list(kinds) == ["reported", "raise_deferred", "job_raised"]
    assert world.store.summary(done.ref).raise_state is RaiseState.RAISED
