"""Live candidates: score one new record against an indexed registry in milliseconds.

The tracing workflow calls :meth:`Matcher.candidates` on every new report. Batch linkage would
rebuild its tables for each call; instead the registry's features are kept in memory with an
index per blocking rule (the batch rules of :mod:`ridni.linkage.blocking`, so a pair the batch
run would consider is considered here too), and each candidate is scored in Python with the
batch model's parameters and the same comparison levels (see :mod:`comparisons`).

An index holds one 64-bit key per record in a compact array, sorted in bulk and searched by
bisection; records added since the last sort are scanned as an array until there are enough
of them to sort again. A million records cost about 8 MB per rule, not the gigabytes a
dictionary of lists would. A block holding more than ``LIVE_CAP`` records is skipped, as batch
skips blocks over its cap: narrower rules find its pairs.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from ridni.linkage.blocking import LIVE_CAP, RULES, rule_key, rule_keys
from ridni.linkage.comparisons import level_of
from ridni.linkage.contract import PersonRow
from ridni.linkage.fields import COMPARISONS
from ridni.linkage.model import TF_MINIMUM_U, Parameters, load_parameters
from ridni.linkage.prepare import FEATURE_COLUMNS, Features, features, features_of_table, rows_table
from ridni.linkage.reader import lenient_date

FREEZE_TAIL = 4096  # records added since the last sort before sorting again


@dataclass(frozen=True, slots=True)
class FieldEvidence:
    level: str
    weight: float  # bits: log2 of the Bayes factor, term frequency included


@dataclass(frozen=True, slots=True)
class Candidate:
    record_id: str
    match_probability: float
    evidence: dict[str, FieldEvidence]


class _Scorer:
    """The model's weights, laid out for fast look-up by comparison and level number."""

    def __init__(self, parameters: Parameters) -> None:
        self.parameters = parameters
        self.weights: list[list[float]] = []
        self.labels: list[list[str]] = []
        self.tf: list[tuple[int, str, float] | None] = []  # (level index, column, log2 u)
        for comparison in COMPARISONS:
            fitted = iter(parameters.levels[comparison.name])
            weights, labels = [], []
            tf = None
            for index, level in enumerate(comparison.levels):
                if level.is_null:
                    weights.append(0.0)
                    labels.append(level.label)
                    continue
                p = next(fitted)
                weights.append(math.log2(p.m / p.u))
                labels.append(level.label)
                if level.tf_column:
                    tf = (index, level.tf_column, math.log2(p.u))
            self.weights.append(weights)
            self.labels.append(labels)
            self.tf.append(tf)


class _RuleIndex:
    """Record positions by one rule's key: sorted in bulk, plus an unsorted recent tail."""

    def __init__(self) -> None:
        self.keys = array("q")  # one per record, in insertion order; 0 when a column is missing
        self.sorted_keys = np.empty(0, np.int64)
        self.order = np.empty(0, np.int64)

    def add(self, key: int) -> None:
        self.keys.append(key)

    @property
    def tail(self) -> int:
        return len(self.keys) - len(self.order)

    def freeze(self) -> None:
        keys = np.array(self.keys, dtype=np.int64)
        self.order = np.argsort(keys, kind="stable")
        self.sorted_keys = keys[self.order]

    def lookup(self, key: int, cap: int) -> list[int]:
        """Positions of the records with ``key``; none when the block holds more than ``cap``."""
        low = int(np.searchsorted(self.sorted_keys, key, "left"))
        high = int(np.searchsorted(self.sorted_keys, key, "right"))
        recent: list[int] = []
        if self.tail:
            tail = np.frombuffer(self.keys, dtype=np.int64)[len(self.order) :]
            recent = (np.flatnonzero(tail == key) + len(self.order)).tolist()
            del tail  # a live view would stop the array from growing
        if high - low + len(recent) > cap:
            return []
        return [*self.order[low:high].tolist(), *recent]


def _repeated(ids: list[str], indexed: dict[str, int]) -> str:
    """The first of ``ids`` that is indexed already or comes twice."""
    seen: set[str] = set()
    for record_id in ids:
        if record_id in indexed or record_id in seen:
            return record_id
        seen.add(record_id)
    raise AssertionError("no repeated id")  # pragma: no cover - called only when there is one


class Matcher:
    """An in-memory index of registry records that scores new records against it."""

    def __init__(self, parameters: Parameters | None = None, cap: int = LIVE_CAP) -> None:
        self._scorer = _Scorer(parameters or load_parameters())
        self._cap = cap
        self._records: list[Features] = []
        self._ids: dict[str, int] = {}
        self._index = [_RuleIndex() for _ in RULES]
        self._counts: dict[str, Counter[str]] = {
            column: Counter() for t in self._scorer.tf if t for column in [t[1]]
        }

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[PersonRow],
        parameters: Parameters | None = None,
        cap: int = LIVE_CAP,
    ) -> Matcher:
        matcher = cls(parameters, cap)
        matcher.extend(rows)
        matcher._freeze()
        return matcher

    def __len__(self) -> int:
        return len(self._records)

    def add(self, row: PersonRow) -> None:
        """Index one record; a record_id seen before replaces nothing and is refused."""
        self._add(features(_clean(row)))

    def extend(self, rows: Iterable[PersonRow]) -> int:
        """Index many records at once; return how many. Their features are worked out column
        by column, once per distinct value (:func:`features_of_table`), which for a long list
        costs a fraction of :meth:`add` row by row. A record_id seen before is refused."""
        table = features_of_table(rows_table(_clean(row) for row in rows))
        columns = {name: table.column(name).to_pylist() for name in FEATURE_COLUMNS}
        del table
        ids: list[str] = columns["unique_id"]
        if len(set(ids)) < len(ids) or not self._ids.keys().isdisjoint(ids):
            raise ValueError(f"record {_repeated(ids, self._ids)!r} is already indexed")
        start = len(self._records)
        self._records.extend(map(Features._make, zip(*columns.values(), strict=True)))
        self._ids.update(zip(ids, range(start, start + len(ids)), strict=True))
        for rule, index in zip(RULES, self._index, strict=True):
            index.keys.extend(rule_keys(columns, rule))
        for column, counter in self._counts.items():
            counter.update(value for value in columns[column] if value is not None)
        # Sorted now rather than in the next query: a million records take a second or two,
        # which the first family report after a start would otherwise wait for.
        self._freeze_if_due()
        return len(ids)

    def _add(self, item: Features) -> None:
        if item.unique_id in self._ids:
            raise ValueError(f"record {item.unique_id!r} is already indexed")
        position = len(self._records)
        self._records.append(item)
        self._ids[item.unique_id] = position
        for rule, index in zip(RULES, self._index, strict=True):
            index.add(rule_key(item, rule))
        for column, counter in self._counts.items():
            value = getattr(item, column)
            if value is not None:
                counter[value] += 1

    @property
    def unsorted(self) -> int:
        """Records added since the index was last sorted (looked up by a linear scan)."""
        return self._index[0].tail

    def _freeze_if_due(self) -> None:
        if self._index[0].tail > max(FREEZE_TAIL, len(self._records) // 16):
            self._freeze()

    def _freeze(self) -> None:
        for index in self._index:
            index.freeze()

    def candidates(self, record: PersonRow, k: int = 10) -> list[Candidate]:
        """The ``k`` indexed records most likely to be the same child, best first."""
        self._freeze_if_due()
        query = features(_clean(record))
        seen: set[int] = set()
        for rule, index in zip(RULES, self._index, strict=True):
            key = rule_key(query, rule)
            if key:
                seen.update(index.lookup(key, self._cap))
        scored = []
        prior = self._scorer.parameters.prior(1, max(1, len(self._records)))
        base = math.log2(prior / (1 - prior))
        for position in seen:
            other = self._records[position]
            if other.unique_id == query.unique_id:
                continue
            weights = self._weights(query, other)
            scored.append((base + sum(weights), other.unique_id, position, weights))
        scored.sort(key=lambda item: (-item[0], item[1]))
        # Every candidate is weighed; only the k shown are explained.
        return [
            Candidate(record_id, _probability(total), self._evidence(query, position, weights))
            for total, record_id, position, weights in scored[:k]
        ]

    def _weights(self, left: Features, right: Features) -> list[float]:
        """Each comparison's weight (bits, term frequency included), in COMPARISONS order."""
        scorer = self._scorer
        found = []
        for number, comparison in enumerate(COMPARISONS):
            level = level_of(comparison, left, right)
            weight = scorer.weights[number][level]
            tf = scorer.tf[number]
            if tf is not None and tf[0] == level:
                weight += self._tf_adjustment(tf[1], tf[2], getattr(left, tf[1]))
            found.append(weight)
        return found

    def _evidence(
        self, left: Features, position: int, weights: list[float]
    ) -> dict[str, FieldEvidence]:
        right = self._records[position]
        labels = self._scorer.labels
        return {
            comparison.name: FieldEvidence(
                labels[number][level_of(comparison, left, right)], weights[number]
            )
            for number, comparison in enumerate(COMPARISONS)
        }

    def _tf_adjustment(self, column: str, log2_u: float, value: str | None) -> float:
        count = self._counts[column].get(value or "", 0)
        if not count:
            return 0.0
        frequency = max(count / len(self._records), TF_MINIMUM_U)
        return log2_u - math.log2(frequency)


def _clean(row: PersonRow) -> PersonRow:
    """Live input comes from forms, not the CSV reader: normalise its date the same way."""
    if not row.birth_date:
        return row
    parsed = lenient_date(row.birth_date)
    birth = parsed.iso() if parsed else ""
    if birth == row.birth_date:
        return row
    return PersonRow(
        row.record_id,
        row.given_name,
        row.family_name,
        row.patronymic,
        row.sex,
        birth,
        row.birth_place,
    )


def _probability(weight: float) -> float:
    if weight > 60:
        return 1.0
    odds = 2.0**weight
    return float(odds / (1 + odds))
