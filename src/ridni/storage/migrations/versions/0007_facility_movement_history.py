"""Facility and movement history: who changed a facility, who recorded, corrected or withdrew a
movement; a version on each for stale-edit detection.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26

Existing facilities and movements start at version 1 with no history (decision 205).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "facility_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["facilities.id"],
            name=op.f("fk_facility_changes_facility_id_facilities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_facility_changes_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facility_changes")),
    )
    with op.batch_alter_table("facility_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_facility_changes_facility_id"), ["facility_id"], unique=False
        )

    op.create_table(
        "movement_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("movement_id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["children.id"],
            name=op.f("fk_movement_changes_child_id_children"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_movement_changes_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_movement_changes")),
    )
    with op.batch_alter_table("movement_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_movement_changes_child_id"), ["child_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_movement_changes_movement_id"), ["movement_id"], unique=False
        )

    with op.batch_alter_table("facilities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))

    with op.batch_alter_table("movements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("movements", schema=None) as batch_op:
        batch_op.drop_column("version")

    with op.batch_alter_table("facilities", schema=None) as batch_op:
        batch_op.drop_column("version")

    with op.batch_alter_table("movement_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_movement_changes_movement_id"))
        batch_op.drop_index(batch_op.f("ix_movement_changes_child_id"))

    op.drop_table("movement_changes")
    with op.batch_alter_table("facility_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_facility_changes_facility_id"))

    op.drop_table("facility_changes")
