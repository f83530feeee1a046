"""Encryption at rest: children's and families' personal data encrypted, names searchable only
through keyed blind-index tokens.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26

Existing values are encrypted in place with the key ring attached to the database (see
ridni.security.keyfile); the plaintext search key column is dropped.
"""

import hashlib
import hmac
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ridni.linkage.keys import search_key
from ridni.security.blind_index import words
from ridni.security.column_migration import Column, decrypt_columns, encrypt_columns
from ridni.security.encryption import ring_of
from ridni.security.keys import KeyRing

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS: tuple[Column, ...] = (
    ("children", "given_name", 200, True),
    ("children", "family_name", 200, True),
    ("children", "patronymic", 200, True),
    ("children", "birth_place", 300, True),
    ("children", "notes", None, False),
    ("records", "given_name", 200, True),
    ("records", "family_name", 200, True),
    ("records", "patronymic", 200, True),
    ("records", "birth_place", 300, True),
    ("records", "details", None, False),
    ("tracing_requests", "inquirer_name", 300, False),
    ("tracing_requests", "inquirer_contact", None, True),
    ("traces", "residence", 300, True),
    ("traces", "taken_from", 300, True),
    ("traces", "circumstances", None, False),
    ("traces", "accompanied_by", 300, True),
    ("traces", "last_known_location", 300, True),
    ("traces", "distinguishing_marks", None, False),
    ("child_changes", "old_value", None, True),
    ("child_changes", "new_value", None, True),
)
TRIGRAM_INDEX = "ix_records_name_key_trigram"


def _hex_tokens(
    ring: KeyRing, given: str | None, family: str | None, patronymic: str | None
) -> set[str]:
    """The tokens as this revision stored them (128-bit hex text; 0012 made them integers):
    frozen here so that upgrading an old database still passes through the same states."""
    return {
        hmac.new(ring.blind_index_key, word.encode("utf-8"), hashlib.sha256).digest()[:16].hex()
        for word in words(given, family, patronymic)
    }


def upgrade() -> None:
    ring = ring_of(op.get_bind().dialect)
    op.create_table(
        "record_tokens",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["records.id"],
            name=op.f("fk_record_tokens_record_id_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("record_id", "token", name=op.f("pk_record_tokens")),
    )
    with op.batch_alter_table("record_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_record_tokens_token"), ["token"], unique=False)
    bind = op.get_bind()
    names = bind.execute(sa.text("SELECT id, given_name, family_name, patronymic FROM records"))
    tokens = [
        {"record_id": record_id, "token": token}
        for record_id, given, family, patronymic in names.fetchall()
        for token in sorted(_hex_tokens(ring, given, family, patronymic))
    ]
    if tokens:
        bind.execute(
            sa.text("INSERT INTO record_tokens (record_id, token) VALUES (:record_id, :token)"),
            tokens,
        )
    encrypt_columns(COLUMNS)
    if bind.dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_records_name_key"))
        batch_op.drop_column("name_key")


def downgrade() -> None:
    bind = op.get_bind()
    decrypt_columns(COLUMNS)
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("name_key", sa.String(length=600), nullable=False, server_default="")
        )
        batch_op.create_index(batch_op.f("ix_records_name_key"), ["name_key"], unique=False)
    names = bind.execute(sa.text("SELECT id, given_name, family_name, patronymic FROM records"))
    for record_id, given, family, patronymic in names.fetchall():
        bind.execute(
            sa.text("UPDATE records SET name_key = :key WHERE id = :id"),
            {"key": search_key(given, family, patronymic), "id": record_id},
        )
    with op.batch_alter_table("record_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_tokens_token"))
    op.drop_table("record_tokens")
    if bind.dialect.name == "postgresql":
        schema = bind.execute(
            sa.text(
                "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                "WHERE e.extname = 'pg_trgm'"
            )
        ).scalar()
        if schema is not None:
            op.execute(
                f'CREATE INDEX {TRIGRAM_INDEX} ON records USING gin (name_key "{schema}".gin_trgm_ops)'
            )
