"""Shared by the booking and tracking web tests (and the benchmark): a signed-in tenant and
repairs stored the way reporting stores them, with jobs raised in the fake backend."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from adapters.db.accounts import NewAccount, SqlAccounts
from adapters.db.repairs_store import SqlRepairStore
from adapters.passwords import cheap_hasher_for_tests
from portal.booking.context import booking_context
from repairs.calendar import Division
from repairs.ports import NewRepairOrder, Tenure
from repairs.priorities import Channel, Priority, Trade
from repairs.refs import JobNumber, PropertyRef, RepairRef, SubmissionId, TenancyRef
from repairs.repair import Repair, RepairDetails
from repairs.reporting import Actor, ReportFacts, TenancyFacts
from tests.support.forms import submit

PASSWORD = "kettle orchard window"
MOBILE = "+447700900123"
SOR = {Trade.PLUMBING: "PL0103", Trade.CARPENTRY: "CP0201", Trade.ELECTRICAL: "EL0301"}
PROPERTIES = {"TEN-100001": "00200001", "TEN-100002": "00200002"}


def make_tenant(app: Any, tenancy: str = "TEN-100001", name: str = "tenant@example.com") -> None:
    """An account as the create-account journey leaves it (the hasher is the app's)."""
    services = app.extensions["services"]
    hasher = services.extras.get("password_hasher") or cheap_hasher_for_tests()
    now = services.clock.now()
    SqlAccounts(services.sessions).create(
        NewAccount(
            name,
            hasher.hash(PASSWORD),
            tenancy,
            "Mrs Margaret Hollis",
            "Flat 3\n12 Alder Court\nNorthbridge\nNB1 2AB",
            MOBILE,
            now,
        ),  # fmt: skip
        now,
    )


def sign_in(client: Any, name: str = "tenant@example.com") -> None:
    response = submit(client, "/sign-in", {"sign_in_name": name, "password": PASSWORD})
    assert response.status_code == 302, response.text[:500]


def store_repair(
    app: Any,
    housing: Any = None,
    *,
    tenancy: str = "TEN-100001",
    priority: Priority = Priority.ROUTINE,
    trade: Trade = Trade.PLUMBING,
    description: str = "Kitchen sink will not drain",
    reported_at: datetime | None = None,
    mobile: str | None = MOBILE,
    assisted: bool = False,
) -> RepairRef:
    """A repair stored by reporting's own store; with `housing`, its job raised there too."""
    services = app.extensions["services"]
    context = booking_context(app)
    reported_at = reported_at or services.clock.now() - timedelta(hours=1)
    tenancy_ref, property_ref = (
        TenancyRef(tenancy),
        PropertyRef(PROPERTIES.get(tenancy, "00200001")),
    )
    details = RepairDetails(
        ref=RepairRef.generate(), submission_id=SubmissionId.generate(), tenancy_ref=tenancy_ref,
        property_ref=property_ref, sor_code=SOR[trade], description=description,
        priority=priority, trade=trade,
        channel=Channel.ASSISTED if assisted else Channel.ONLINE, reported_at=reported_at,
    )  # fmt: skip
    target = context.policy.targets.target_for(
        context.calendar, reported_at=reported_at, priority=priority, tenure=Tenure.SECURE,
        division=Division.ENGLAND_AND_WALES,
    )  # fmt: skip
    store = SqlRepairStore(services.sessions, context.policy.slot_times)
    store.save_tenancy(
        TenancyFacts(
            tenancy_ref, property_ref, Tenure.SECURE, Division.ENGLAND_AND_WALES, True, True
        ),  # fmt: skip
        reported_at,
    )
    actor = Actor.staff("staff-7") if assisted else Actor.tenant()
    facts = ReportFacts("kitchen/sink/blocked", "", mobile, actor, False)
    repair = Repair.report(details, target)
    store.add(repair, facts, "test")
    if housing is not None:
        order = NewRepairOrder(details.submission_id, tenancy_ref, property_ref, SOR[trade],
                               priority, description)  # fmt: skip
        job = housing.raise_repair(order).job_number
        raise_job(app, details.ref, job, reported_at + timedelta(seconds=5))
    return details.ref


def raise_job(app: Any, ref: RepairRef, job: JobNumber, at: datetime) -> None:
    context = booking_context(app)
    context.store.change(ref, lambda repair: repair.record_job_raised(job, at), assisted=False)


def job_of(app: Any, ref: RepairRef) -> JobNumber:
    on_file = booking_context(app).store.find(ref, TenancyRef("TEN-100001"))
    assert on_file is not None and on_file.repair.job_number is not None
    return on_file.repair.job_number


def slot_values(html: str) -> list[str]:
    return re.findall(r'name="slot"[^>]*value="([^"]+)"', html) or re.findall(
        r'value="(\d{4}-\d{2}-\d{2}-[a-z_]+)"', html
    )


def copy_repairs(app: Any, ref: RepairRef, count: int) -> None:
    """`count` more repairs like `ref` (with its timeline), inserted in bulk: for the query
    counts and the benchmark, where reporting 1,000 repairs one by one would be slow."""
    from sqlalchemy import select

    from adapters.db.tables.repairs import RepairEventRow, RepairRow

    sessions = app.extensions["services"].sessions
    with sessions.begin() as session:
        template = session.scalar(select(RepairRow).where(RepairRow.reference == str(ref)))
        assert template is not None
        events = session.scalars(
            select(RepairEventRow).where(RepairEventRow.repair_id == template.id)
        ).all()
        columns = [c.key for c in RepairRow.__table__.columns if c.key != "id"]
        event_columns = [
            c.key for c in RepairEventRow.__table__.columns if c.key not in ("id", "repair_id")
        ]
        for _ in range(count):
            row = RepairRow(**{c: getattr(template, c) for c in columns})
            row.reference, row.submission_id = (
                str(RepairRef.generate()),
                str(SubmissionId.generate()),
            )
            row.job_number = None
            session.add(row)
            session.flush()
            for event in events:
                session.add(
                    RepairEventRow(
                        repair_id=row.id, **{c: getattr(event, c) for c in event_columns}
                    )
                )


class QueryCounter:
    """Counts the SQL statements an engine runs while active."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.statements: list[str] = []

    def _count(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.statements.append(statement)

    def __enter__(self) -> QueryCounter:
        from sqlalchemy import event

        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc: object) -> None:
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._count)
