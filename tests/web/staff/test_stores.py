"""The staff, terminal, help-request and audit repositories on SQLite and PostgreSQL, and the
database's own refusal to change the audit log (R41).

Integration tests (real databases) kept beside the staff web tests they support.
"""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from adapters.db.audit_store import AuditEntry, AuditFilter, Place, SqlAuditLog
from adapters.db.engine import make_session_factory
from adapters.db.staff_store import (
    NameTaken,
    SqlHelpRequests,
    SqlStaff,
    SqlTerminals,
    StaffRole,
)

pytestmark = pytest.mark.integration

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@pytest.fixture
def db(engine):
    """The shared engine, emptied of audit rows afterwards: the triggers refuse DELETE, so on
    SQLite they are set aside for the clean-up (PostgreSQL's TRUNCATE does not fire them)."""
    yield make_session_factory(engine)
    if engine.dialect.name == "sqlite":
        with engine.begin() as connection:
            triggers = (
                connection.execute(
                    sa.text(
                        "SELECT sql FROM sqlite_master "
                        "WHERE type='trigger' AND tbl_name='audit_event'"
                    )
                )
                .scalars()
                .all()
            )
            connection.execute(sa.text("DROP TRIGGER audit_event_no_update"))
            connection.execute(sa.text("DROP TRIGGER audit_event_no_delete"))
            connection.execute(sa.text("DELETE FROM audit_event"))
            for sql in triggers:
                connection.execute(sa.text(sql))


def entry(**overrides):
    values = dict(occurred_at=NOW, staff_id=1, tenancy_ref="TEN-100001", place=Place.DESK,
                  terminal_id=None, identity_check="photo_id", consent_given=True,
                  action="repair.reported", subject="RR-ABCDEF")  # fmt: skip
    values.update(overrides)
    return AuditEntry(**values)


def test_an_audit_row_can_be_written_and_read_back_with_the_staff_email(db):
    staff = SqlStaff(db).create("Ada@Council.example", StaffRole.ADVISOR, "h" * 64, NOW, NOW)
    log = SqlAuditLog(db)
    log.record(entry(staff_id=staff.id))
    [row] = log.newest()
    assert (row.staff_email, row.channel, row.place, row.subject) == (
        "ada@council.example", "assisted", "desk", "RR-ABCDEF")  # fmt: skip
    assert row.occurred_at == NOW and row.consent_given is True


def test_the_database_refuses_to_update_or_delete_an_audit_row(db, engine):
    SqlAuditLog(db).record(entry())
    for statement in ("UPDATE audit_event SET action = 'nothing'", "DELETE FROM audit_event"):
        with (
            pytest.raises(sa.exc.DBAPIError, match="append-only"),
            engine.begin() as connection,
        ):
            connection.execute(sa.text(statement))
    assert SqlAuditLog(db).count() == 1


def test_the_audit_log_filters_by_tenancy_and_by_member_of_staff(db):
    log = SqlAuditLog(db)
    log.record(entry(staff_id=1, tenancy_ref="TEN-1"))
    log.record(entry(staff_id=2, tenancy_ref="TEN-2", occurred_at=NOW + timedelta(minutes=1)))
    assert [r.tenancy_ref for r in log.newest()] == ["TEN-2", "TEN-1"]
    assert log.count(AuditFilter(tenancy_ref="TEN-1")) == 1
    assert [r.staff_id for r in log.newest(AuditFilter(staff_id=2))] == [2]


def test_an_audit_entry_at_a_terminal_names_the_terminal_and_only_a_terminal_may_lack_staff():
    with pytest.raises(ValueError, match="names the terminal"):
        entry(place=Place.TERMINAL, terminal_id=None)
    with pytest.raises(ValueError, match="only a tenant alone at a terminal"):
        entry(staff_id=None, place=Place.DESK)
    assert entry(staff_id=None, place=Place.TERMINAL, terminal_id=3).staff_id is None


def test_a_totp_step_is_accepted_once_and_never_an_older_one(db):
    staff_store = SqlStaff(db)
    staff = staff_store.create("a@b.example", StaffRole.ADVISOR, "h" * 64, NOW, NOW)
    assert staff_store.accept_totp_step(staff.id, 100)
    assert not staff_store.accept_totp_step(staff.id, 100)
    assert not staff_store.accept_totp_step(staff.id, 99)
    assert staff_store.accept_totp_step(staff.id, 101)


def test_two_staff_cannot_share_an_email_address(db):
    SqlStaff(db).create("a@b.example", StaffRole.ADVISOR, "1" * 64, NOW, NOW)
    with pytest.raises(NameTaken):
        SqlStaff(db).create("A@B.example", StaffRole.SUPERVISOR, "2" * 64, NOW, NOW)


def test_a_set_up_link_works_until_it_expires_and_only_once(db):
    store = SqlStaff(db)
    staff = store.create("a@b.example", StaffRole.ADVISOR, "t" * 64, NOW + timedelta(hours=1), NOW)
    assert store.by_setup_token("t" * 64, NOW) is not None
    assert store.by_setup_token("t" * 64, NOW + timedelta(hours=1)) is None
    assert store.complete_setup(staff.id, "t" * 64, "hash", "sealed", 5)
    assert not store.complete_setup(staff.id, "t" * 64, "hash2", "sealed2", 6)
    assert store.by_setup_token("t" * 64, NOW) is None
    assert store.by_id(staff.id).is_set_up


def test_a_terminal_registers_once_and_is_found_by_its_token_until_revoked(db):
    staff = SqlStaff(db).create("s@b.example", StaffRole.SUPERVISOR, "t" * 64, NOW, NOW)
    terminals = SqlTerminals(db)
    terminal = terminals.create("Civic Centre 1", staff.id, "r" * 64, NOW + timedelta(hours=1), NOW)
    assert terminals.by_token("k" * 64) is None
    assert terminals.register("r" * 64, "k" * 64, "b" * 64, NOW) is not None
    assert terminals.register("r" * 64, "x" * 64, "b" * 64, NOW) is None
    assert terminals.by_token("k" * 64).binding_hash == "b" * 64
    terminals.revoke(terminal.id, NOW)
    assert terminals.by_token("k" * 64) is None


def test_an_expired_registration_link_registers_nothing(db):
    staff = SqlStaff(db).create("s@b.example", StaffRole.SUPERVISOR, "t" * 64, NOW, NOW)
    terminals = SqlTerminals(db)
    terminals.create("Desk 2", staff.id, "r" * 64, NOW + timedelta(hours=1), NOW)
    assert terminals.register("r" * 64, "k" * 64, "b" * 64, NOW + timedelta(hours=1)) is None


def test_help_requests_queue_once_per_terminal_and_are_taken_by_one_advisor(db):
    staff = SqlStaff(db).create("s@b.example", StaffRole.SUPERVISOR, "t" * 64, NOW, NOW)
    terminal = SqlTerminals(db).create("Desk 2", staff.id, "r" * 64, NOW, NOW)
    help_requests = SqlHelpRequests(db)
    first = help_requests.ask(terminal.id, NOW)
    assert help_requests.ask(terminal.id, NOW + timedelta(minutes=1)) == first
    [waiting] = help_requests.open_requests()
    assert (waiting.terminal_name, waiting.requested_at) == ("Desk 2", NOW)
    assert help_requests.take(first, staff.id, NOW)
    assert not help_requests.take(first, staff.id, NOW)
    help_requests.close_for_terminal(terminal.id, NOW)
    assert help_requests.open_requests() == []
