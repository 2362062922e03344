"""repairs drafts photos outbox tenancy snapshots

Revision ID: 3b785bcfd7dc
Revises: 9af22875b5c9
Create Date: 2026-11-25 02:16:10.773785
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3b785bcfd7dc"
down_revision: str | Sequence[str] | None = "9af22875b5c9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "repairs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=12), nullable=False),
        sa.Column("submission_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("tenancy_ref", sa.String(length=30), nullable=False),
        sa.Column("property_ref", sa.String(length=30), nullable=False),
        sa.Column("triage_path", sa.String(length=130), nullable=False),
        sa.Column("sor_code", sa.String(length=10), nullable=False),
        sa.Column("trade", sa.String(length=20), nullable=False),
        sa.Column("priority", sa.String(length=20), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=False),
        sa.Column("access_notes", sa.String(length=255), nullable=False),
        sa.Column("contact_mobile", sa.String(length=16), nullable=True),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("actor_kind", sa.String(length=10), nullable=False),
        sa.Column("staff_id", sa.String(length=64), nullable=True),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=False),
        sa.Column("target_due_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("target_rule", sa.String(length=20), nullable=False),
        sa.Column("target_period", sa.String(length=30), nullable=False),
        sa.Column("target_reason", sa.String(length=200), nullable=False),
        sa.Column("attend_target_date", sa.Date(), nullable=True),
        sa.Column("attend_due_before", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attend_period", sa.String(length=30), nullable=True),
        sa.Column("attend_reason", sa.String(length=200), nullable=True),
        sa.Column("awaabs_law_case", sa.Boolean(), nullable=False),
        sa.Column("right_to_repair", sa.Boolean(), nullable=False),
        sa.Column("job_number", sa.String(length=30), nullable=True),
        sa.Column("backend_status", sa.String(length=20), nullable=False),
        sa.Column("status_updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("slot_day", sa.Date(), nullable=True),
        sa.Column("slot_kind", sa.String(length=10), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tenant_confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repairs")),
        sa.UniqueConstraint("job_number", name=op.f("uq_repairs_job_number")),
        sa.UniqueConstraint("reference", name=op.f("uq_repairs_reference")),
        sa.UniqueConstraint("submission_id", name=op.f("uq_repairs_submission_id")),
    )
    with op.batch_alter_table("repairs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_repairs_tenancy_ref_reported_at", ["tenancy_ref", "reported_at"], unique=False
        )

    op.create_table(
        "tenancy_snapshots",
        sa.Column("tenancy_ref", sa.String(length=30), nullable=False),
        sa.Column("property_ref", sa.String(length=30), nullable=False),
        sa.Column("tenure", sa.String(length=20), nullable=False),
        sa.Column("division", sa.String(length=20), nullable=False),
        sa.Column("maintainable", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenancy_ref", name=op.f("pk_tenancy_snapshots")),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("repair_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=80), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["repair_id"],
            ["repairs.id"],
            name=op.f("fk_outbox_repair_id_repairs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("repair_id", "kind", name="uq_outbox_repair_id_kind"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_state_next_attempt_at", ["state", "next_attempt_at"], unique=False
        )

    op.create_table(
        "repair_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("repair_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=True),
        sa.Column("job_number", sa.String(length=30), nullable=True),
        sa.Column("slot_day", sa.Date(), nullable=True),
        sa.Column("slot_kind", sa.String(length=10), nullable=True),
        sa.Column("previous_slot_day", sa.Date(), nullable=True),
        sa.Column("previous_slot_kind", sa.String(length=10), nullable=True),
        sa.Column("assisted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["repair_id"],
            ["repairs.id"],
            name=op.f("fk_repair_events_repair_id_repairs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repair_events")),
    )
    with op.batch_alter_table("repair_events", schema=None) as batch_op:
        batch_op.create_index("ix_repair_events_repair_id_at", ["repair_id", "at"], unique=False)

    op.create_table(
        "report_drafts",
        sa.Column("id", sa.String(length=43), nullable=False),
        sa.Column("submission_id", sa.String(length=36), nullable=False),
        sa.Column("tenancy_ref", sa.String(length=30), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("repair_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["repair_id"],
            ["repairs.id"],
            name=op.f("fk_report_drafts_repair_id_repairs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_drafts")),
        sa.UniqueConstraint("submission_id", name=op.f("uq_report_drafts_submission_id")),
    )
    with op.batch_alter_table("report_drafts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_drafts_tenancy_ref"), ["tenancy_ref"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_report_drafts_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "repair_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=43), nullable=False),
        sa.Column("draft_id", sa.String(length=43), nullable=True),
        sa.Column("repair_id", sa.Integer(), nullable=True),
        sa.Column("content_type", sa.String(length=20), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["report_drafts.id"],
            name=op.f("fk_repair_photos_draft_id_report_drafts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["repair_id"],
            ["repairs.id"],
            name=op.f("fk_repair_photos_repair_id_repairs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repair_photos")),
        sa.UniqueConstraint("token", name=op.f("uq_repair_photos_token")),
    )
    with op.batch_alter_table("repair_photos", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_repair_photos_draft_id"), ["draft_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_repair_photos_repair_id"), ["repair_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("repair_photos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_repair_photos_repair_id"))
        batch_op.drop_index(batch_op.f("ix_repair_photos_draft_id"))

    op.drop_table("repair_photos")
    with op.batch_alter_table("report_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_drafts_updated_at"))
        batch_op.drop_index(batch_op.f("ix_report_drafts_tenancy_ref"))

    op.drop_table("report_drafts")
    with op.batch_alter_table("repair_events", schema=None) as batch_op:
        batch_op.drop_index("ix_repair_events_repair_id_at")

    op.drop_table("repair_events")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_state_next_attempt_at")

    op.drop_table("outbox")
    op.drop_table("tenancy_snapshots")
    with op.batch_alter_table("repairs", schema=None) as batch_op:
        batch_op.drop_index("ix_repairs_tenancy_ref_reported_at")

    op.drop_table("repairs")
