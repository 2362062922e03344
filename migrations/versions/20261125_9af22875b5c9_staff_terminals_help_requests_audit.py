"""staff, terminals, help requests and the append-only audit log

The audit log (R41) refuses UPDATE and DELETE in the database itself: a trigger on SQLite and
on PostgreSQL. A later revision that rebuilds audit_event with SQLite batch mode drops the
triggers with the old table and must create them again.

Revision ID: 9af22875b5c9
Revises: 7b58552b4209
Create Date: 2026-11-25 02:15:33.233563
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

REFUSE = "audit_event is append-only (R41): rows are never updated or deleted"

revision: str = "9af22875b5c9"
down_revision: str | Sequence[str] | None = "7b58552b4209"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("tenancy_ref", sa.String(length=30), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("place", sa.String(length=10), nullable=False),
        sa.Column("terminal_id", sa.Integer(), nullable=True),
        sa.Column("identity_check", sa.String(length=40), nullable=False),
        sa.Column("consent_given", sa.Boolean(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_event_occurred_at"), ["occurred_at"], unique=False
        )
        batch_op.create_index(
            "ix_audit_event_staff_id_occurred_at", ["staff_id", "occurred_at"], unique=False
        )
        batch_op.create_index(
            "ix_audit_event_tenancy_ref_occurred_at", ["tenancy_ref", "occurred_at"], unique=False
        )

    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("totp_secret_sealed", sa.String(length=200), nullable=True),
        sa.Column("totp_pending_sealed", sa.String(length=200), nullable=True),
        sa.Column("totp_last_step", sa.Integer(), nullable=True),
        sa.Column("setup_token_hash", sa.String(length=64), nullable=True),
        sa.Column("setup_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sign_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
        sa.UniqueConstraint("email", name=op.f("uq_staff_email")),
        sa.UniqueConstraint("setup_token_hash", name=op.f("uq_staff_setup_token_hash")),
    )
    op.create_table(
        "terminal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("registration_token_hash", sa.String(length=64), nullable=True),
        sa.Column("registration_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("binding_hash", sa.String(length=64), nullable=True),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_staff_id", sa.Integer(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_refused_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_staff_id"],
            ["staff.id"],
            name=op.f("fk_terminal_created_by_staff_id_staff"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_terminal")),
        sa.UniqueConstraint("name", name=op.f("uq_terminal_name")),
        sa.UniqueConstraint(
            "registration_token_hash", name=op.f("uq_terminal_registration_token_hash")
        ),
        sa.UniqueConstraint("token_hash", name=op.f("uq_terminal_token_hash")),
    )
    op.create_table(
        "help_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("terminal_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("taken_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["taken_by_staff_id"],
            ["staff.id"],
            name=op.f("fk_help_request_taken_by_staff_id_staff"),
        ),
        sa.ForeignKeyConstraint(
            ["terminal_id"],
            ["terminal.id"],
            name=op.f("fk_help_request_terminal_id_terminal"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_request")),
    )
    with op.batch_alter_table("help_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_help_request_closed_at"), ["closed_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_help_request_terminal_id"), ["terminal_id"], unique=False
        )

    _refuse_audit_changes()


def _refuse_audit_changes() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{REFUSE}'; END; $$"
        )
        op.execute(
            "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
            "FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()"
        )
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_event_no_{event.lower()} BEFORE {event} ON audit_event "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSE}'); END"
        )


def _allow_audit_changes() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_refuse_change()")
        return
    op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
    op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")


def downgrade() -> None:
    _allow_audit_changes()
    with op.batch_alter_table("help_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_help_request_terminal_id"))
        batch_op.drop_index(batch_op.f("ix_help_request_closed_at"))

    op.drop_table("help_request")
    op.drop_table("terminal")
    op.drop_table("staff")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_tenancy_ref_occurred_at")
        batch_op.drop_index("ix_audit_event_staff_id_occurred_at")
        batch_op.drop_index(batch_op.f("ix_audit_event_occurred_at"))

    op.drop_table("audit_event")
