"""corrections and predictions

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_hash", sa.String(64), nullable=False),
        sa.Column("model_version", sa.String(128), nullable=True),
        sa.Column("predicted_label", sa.String(16), nullable=True),
        sa.Column("probabilities", sa.JSON(), nullable=True),
        sa.Column("label", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(16), nullable=True),
        sa.Column("recipient", sa.String(16), nullable=True),
        sa.Column("annotator", sa.String(64), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seconds_spent", sa.Float(), nullable=True),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("client_key", sa.String(64), nullable=True),
        sa.UniqueConstraint("annotator", "client_key", name="uq_corrections_annotator_key"),
    )
    for column in ("text_hash", "model_version", "label", "annotator", "created_at"):
        op.create_index(f"ix_corrections_{column}", "corrections", [column])
    op.create_table(
        "predictions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("text_hash", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("model_version", sa.String(128), nullable=False),
        sa.Column("label", sa.String(16), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("margin", sa.Float(), nullable=False),
        sa.Column("probabilities", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("text_hash", "model_version", name="uq_predictions_text_model"),
    )
    op.create_index("ix_predictions_model_confidence", "predictions",
                    ["model_version", "confidence"])  # fmt: skip
    op.create_index("ix_predictions_model_margin", "predictions", ["model_version", "margin"])


def downgrade() -> None:
    op.drop_table("predictions")
    op.drop_table("corrections")
