"""Booking holds, the change-feed cursor, texts about repairs waiting to go, survey answers

Revision ID: ed063335e360
Revises: 3b785bcfd7dc
Create Date: 2026-11-25 02:24:52.820698
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ed063335e360"
down_revision: str | Sequence[str] | None = "3b785bcfd7dc"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feed_cursors",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("lease_holder", sa.String(length=80), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_feed_cursors")),
    )
    op.create_table(
        "appointment_holds",
        sa.Column("repair_id", sa.Integer(), nullable=False),
        sa.Column("holder", sa.String(length=40), nullable=False),
        sa.Column("held_until", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["repair_id"],
            ["repairs.id"],
            name=op.f("fk_appointment_holds_repair_id_repairs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("repair_id", name=op.f("pk_appointment_holds")),
    )
    op.create_table(
        "survey_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("repair_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.Column("comment", sa.String(length=500), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name=op.f("ck_survey_responses_score_range")),
        sa.ForeignKeyConstraint(
            ["repair_id"],
            ["repairs.id"],
            name=op.f("fk_survey_responses_repair_id_repairs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_responses")),
        sa.UniqueConstraint("repair_id", name=op.f("uq_survey_responses_repair_id")),
    )
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_responses_answered_at"), ["answered_at"], unique=False
        )

    op.create_table(
        "tenant_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("repair_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("dedupe_key", sa.String(length=120), nullable=False),
        sa.Column("slot_day", sa.Date(), nullable=True),
        sa.Column("slot_kind", sa.String(length=10), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=80), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["repair_id"],
            ["repairs.id"],
            name=op.f("fk_tenant_notices_repair_id_repairs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenant_notices")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_tenant_notices_dedupe_key")),
    )
    with op.batch_alter_table("tenant_notices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tenant_notices_repair_id"), ["repair_id"], unique=False
        )
        batch_op.create_index("ix_tenant_notices_state_due_at", ["state", "due_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tenant_notices", schema=None) as batch_op:
        batch_op.drop_index("ix_tenant_notices_state_due_at")
        batch_op.drop_index(batch_op.f("ix_tenant_notices_repair_id"))

    op.drop_table("tenant_notices")
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_responses_answered_at"))

    op.drop_table("survey_responses")
    op.drop_table("appointment_holds")
    op.drop_table("feed_cursors")
