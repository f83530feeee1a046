"""Matching each batch of a list against the open traces, as
:func:`ridni.tracing.matching.match_new_records` does for any new record, at batch speed.

Two things make the general function slow for a list: it indexes the open traces again for
every call (seconds for a few thousand traces), and it stores each question through the ORM
with look-ups for earlier answers. Here the index is built once per run and again only when
the open traces change (their stored, encrypted values are compared: an edit re-encrypts
with a fresh nonce, so any change shows). The records a batch adds are new in its own
transaction: no earlier candidate, answer or child can refer to them yet, so every candidate
is a new open question and all of them go in as one INSERT. The scores come from the same
engine (:class:`ridni.linkage.live.Matcher`); tests/imports/test_import.py checks that the
candidates equal those of ``match_new_records``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from sqlalchemy import Table as DbTable
from sqlalchemy import Text, insert, select, type_coerce
from sqlalchemy.orm import Session

from ridni.cases.models import Record
from ridni.imports.writing import RECORDS, Added
from ridni.linkage.live import Matcher
from ridni.storage.types import utcnow
from ridni.tracing.matching import MIN_PROBABILITY, TOP_K, stored_explanation
from ridni.tracing.models import CandidateState, MatchCandidate, sought_record_ids
from ridni.tracing.registry_index import person_row

CANDIDATES = cast(DbTable, MatchCandidate.__table__)


class BatchMatcher:
    """The open traces' index for one import run."""

    def __init__(self) -> None:
        self._stored: list[tuple[object, ...]] | None = None
        self._matcher: Matcher | None = None

    def _open(self, session: Session) -> Matcher | None:
        """The index of the open traces, rebuilt when they changed; None when there are none."""
        # The stored ciphertext, not the decrypted value: any edit shows as a change.
        sealed = ("given_name", "family_name", "patronymic", "birth_place")
        raw = [type_coerce(RECORDS.c[name], Text) for name in sealed]
        stored = [
            tuple(row)
            for row in session.execute(
                select(
                    RECORDS.c.id,
                    *raw,
                    RECORDS.c.sex,
                    RECORDS.c.birth_date_value,
                    RECORDS.c.birth_date_precision,
                )
                .where(RECORDS.c.id.in_(sought_record_ids()))
                .order_by(RECORDS.c.id)
            )
        ]
        if stored != self._stored:
            self._stored = stored
            sought = session.scalars(select(Record).where(Record.id.in_([r[0] for r in stored])))
            rows = [person_row(record) for record in sought]
            self._matcher = Matcher.from_rows(rows) if rows else None
        return self._matcher

    def match(self, session: Session, added: Sequence[Added]) -> int:
        """Store the candidates of ``added`` against every open trace; how many there are."""
        if not added:
            return 0
        matcher = self._open(session)
        if matcher is None:
            return 0
        now = utcnow()
        found = [
            {
                "sought_record_id": int(scored.record_id),
                "found_record_id": record.record_id,
                "probability": scored.match_probability,
                "explanation": stored_explanation(scored),
                "state": CandidateState.open,
                "created_at": now,
                "updated_at": now,
            }
            for record in added
            for scored in matcher.candidates(record.person, k=TOP_K)
            if scored.match_probability >= MIN_PROBABILITY
        ]
        if found:
            session.execute(insert(CANDIDATES), found)
        return len(found)
