"""Movements' free-text places and notes, and their correction history, encrypted at rest.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26

"Taken from" and "moved to" are often a family's own town or a foster family's address: with a
birth date they identify a child as well as a name does. Nothing queries these columns in SQL.
"""

from collections.abc import Sequence

from ridni.security.column_migration import Column, decrypt_columns, encrypt_columns

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS: tuple[Column, ...] = (
    ("movements", "from_place", 300, True),
    ("movements", "to_place", 300, True),
    ("movements", "notes", None, False),
    ("movement_changes", "old_value", None, True),
    ("movement_changes", "new_value", None, True),
)


def upgrade() -> None:
    encrypt_columns(COLUMNS)


def downgrade() -> None:
    decrypt_columns(COLUMNS)
