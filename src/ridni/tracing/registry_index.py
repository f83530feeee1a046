"""The registry in memory, for live candidates: built once, then topped up from the database.

Batch linkage would rebuild its tables for every report. The engine's live :class:`Matcher`
keeps registry-side records indexed in memory; this class fills it from the database and, before
each query, adds only records newer than the last one it saw (records are never edited).
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ridni.cases.models import Record, RecordKind
from ridni.linkage.contract import PersonRow
from ridni.linkage.live import Candidate, Matcher

# What families write is what we search for; everything else is where we search.
SOUGHT_KINDS = frozenset({RecordKind.family_report})


def person_row(record: Record) -> PersonRow:
    return PersonRow(
        record_id=str(record.id),
        given_name=record.given_name or "",
        family_name=record.family_name or "",
        patronymic=record.patronymic or "",
        sex=record.sex.value if record.sex else "",
        birth_date=record.birth_date.iso() if record.birth_date else "",
        birth_place=record.birth_place or "",
    )


CHUNK = 20_000  # records read and indexed together on a refresh
BULK_FROM = 64  # from this many new records on, their features are worked out column by column
_COLUMNS = (
    Record.id,
    Record.given_name,
    Record.family_name,
    Record.patronymic,
    Record.sex,
    Record.birth_date,
    Record.birth_place,
)


def _row_of(row: Any) -> PersonRow:
    birth = row.birth_date
    return PersonRow(
        record_id=str(row.id),
        given_name=row.given_name or "",
        family_name=row.family_name or "",
        patronymic=row.patronymic or "",
        sex=row.sex.value if row.sex else "",
        birth_date=birth.iso() if birth else "",
        birth_place=row.birth_place or "",
    )


class RegistryIndex:
    """Registry-side records indexed for live matching; safe to share between threads."""

    def __init__(self) -> None:
        self._matcher = Matcher()
        self._last_id = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._matcher)

    def refresh(self, session: Session) -> int:
        """Index registry records added since the last refresh; return how many."""
        with self._lock:
            added = 0
            # Columns, not ORM objects: the first refresh may read a million rows.
            rows = session.execute(
                select(*_COLUMNS)
                .where(Record.id > self._last_id, Record.kind.not_in(SOUGHT_KINDS))
                .order_by(Record.id)
                .execution_options(yield_per=5000)
            )
            chunk: list[PersonRow] = []
            for row in rows:
                chunk.append(_row_of(row))
                if len(chunk) == CHUNK:
                    added += self._take(chunk)
                    chunk = []
            if chunk:
                added += self._take(chunk)
            return added

    def _take(self, chunk: list[PersonRow]) -> int:
        """Index ``chunk`` (records in id order): a few at a time as they arrive, in bulk when
        a registry is first read (features column by column)."""
        if len(chunk) < BULK_FROM:
            for person in chunk:
                self._matcher.add(person)
        else:
            self._matcher.extend(chunk)
        self._last_id = int(chunk[-1].record_id)
        return len(chunk)

    def candidates(self, session: Session, record: Record, k: int) -> list[Candidate]:
        self.refresh(session)
        with self._lock:
            return self._matcher.candidates(person_row(record), k=k)
