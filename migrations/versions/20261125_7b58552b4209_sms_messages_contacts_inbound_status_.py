"""sms messages contacts inbound status events

Revision ID: 7b58552b4209
Revises: 013712989079
Create Date: 2026-11-25 02:13:00.745924
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7b58552b4209"
down_revision: str | Sequence[str] | None = "013712989079"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sms_contact",
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("opted_out", sa.Boolean(), nullable=False),
        sa.Column("opted_out_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("flag_reason", sa.String(length=255), nullable=True),
        sa.Column("flagged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_unreadable_reply_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_sms_contact")),
    )
    op.create_table(
        "sms_inbound",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_sid", sa.String(length=64), nullable=False),
        sa.Column("from_number", sa.String(length=16), nullable=False),
        sa.Column("to_number", sa.String(length=32), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("body_removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_inbound")),
        sa.UniqueConstraint("provider_sid", name=op.f("uq_sms_inbound_provider_sid")),
    )
    with op.batch_alter_table("sms_inbound", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sms_inbound_from_number"), ["from_number"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sms_inbound_received_at"), ["received_at"], unique=False
        )

    op.create_table(
        "sms_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("to_number", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("body_removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("division", sa.String(length=24), nullable=False),
        sa.Column("repair_ref", sa.String(length=40), nullable=True),
        sa.Column("appointment_key", sa.String(length=120), nullable=True),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_by", sa.String(length=80), nullable=True),
        sa.Column("claim_token", sa.String(length=40), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("in_doubt_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("provider_sid", sa.String(length=64), nullable=True),
        sa.Column("error_code", sa.Integer(), nullable=True),
        sa.Column("error_text", sa.String(length=255), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_message")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_sms_message_dedupe_key")),
        sa.UniqueConstraint("provider_sid", name=op.f("uq_sms_message_provider_sid")),
    )
    with op.batch_alter_table("sms_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sms_message_appointment_key"), ["appointment_key"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sms_message_claim_token"), ["claim_token"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_sms_message_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_sms_message_repair_ref"), ["repair_ref"], unique=False)
        batch_op.create_index(batch_op.f("ix_sms_message_sent_at"), ["sent_at"], unique=False)
        batch_op.create_index(
            "ix_sms_message_state_next_attempt_at", ["state", "next_attempt_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_sms_message_to_number"), ["to_number"], unique=False)

    op.create_table(
        "sms_status_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("provider_sid", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("error_code", sa.Integer(), nullable=True),
        sa.Column("moved", sa.Boolean(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["sms_message.id"],
            name=op.f("fk_sms_status_event_message_id_sms_message"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_status_event")),
    )
    with op.batch_alter_table("sms_status_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sms_status_event_message_id"), ["message_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sms_status_event_provider_sid"), ["provider_sid"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sms_status_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sms_status_event_provider_sid"))
        batch_op.drop_index(batch_op.f("ix_sms_status_event_message_id"))

    op.drop_table("sms_status_event")
    with op.batch_alter_table("sms_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sms_message_to_number"))
        batch_op.drop_index("ix_sms_message_state_next_attempt_at")
        batch_op.drop_index(batch_op.f("ix_sms_message_sent_at"))
        batch_op.drop_index(batch_op.f("ix_sms_message_repair_ref"))
        batch_op.drop_index(batch_op.f("ix_sms_message_created_at"))
        batch_op.drop_index(batch_op.f("ix_sms_message_claim_token"))
        batch_op.drop_index(batch_op.f("ix_sms_message_appointment_key"))

    op.drop_table("sms_message")
    with op.batch_alter_table("sms_inbound", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sms_inbound_received_at"))
        batch_op.drop_index(batch_op.f("ix_sms_inbound_from_number"))

    op.drop_table("sms_inbound")
    op.drop_table("sms_contact")
