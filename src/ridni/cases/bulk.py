"""Adding many records at once (imports, loaders) with everything a single insert would get:
the script detected and the blind-index tokens that make the names findable."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from ridni.cases.models import Record, RecordToken
from ridni.linkage.scripts import detect_script
from ridni.security.blind_index import record_tokens
from ridni.security.encryption import ring_of


def insert_records(session: Session, rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Insert ``rows`` (column values of :class:`Record`, names in plain text) in one statement;
    return their ids in order. Names are encrypted by the column type on the way in."""
    if not rows:
        return []
    values = []
    for row in rows:
        given, family, patronymic = (
            row.get("given_name"),
            row.get("family_name"),
            row.get("patronymic"),
        )
        values.append(
            {
                **row,
                "name_script": row.get("name_script") or detect_script(given, family, patronymic),
            }
        )
    ids = list(
        session.scalars(insert(Record).returning(Record.id, sort_by_parameter_order=True), values)
    )
    ring = ring_of(session.get_bind().dialect)
    tokens = [
        {"record_id": record_id, "token": token}
        for record_id, row in zip(ids, values, strict=True)
        for token in sorted(
            record_tokens(
                ring, row.get("given_name"), row.get("family_name"), row.get("patronymic")
            )
        )
    ]
    if tokens:
        session.execute(insert(RecordToken), tokens)
    return ids
