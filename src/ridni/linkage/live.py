"""Live candidates: score one new record against an indexed registry in milliseconds.

The tracing workflow calls :meth:`Matcher.candidates` on every new report. Batch linkage would
rebuild its tables for each call; instead the registry's features are kept in memory with one
hash index per blocking rule (the batch model's rules, so a pair the batch run would consider
is considered here too), and each candidate is scored in Python with the batch model's
parameters and the same comparison levels (see :mod:`comparisons`).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ridni.linkage.comparisons import level_of
from ridni.linkage.contract import PersonRow
from ridni.linkage.fields import COMPARISONS
from ridni.linkage.model import BLOCKING_RULES, TF_MINIMUM_U, Parameters, load_parameters
from ridni.linkage.prepare import Features, features
from ridni.linkage.reader import lenient_date

Key = tuple[object, ...]


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


class Matcher:
    """An in-memory index of registry records that scores new records against it."""

    def __init__(self, parameters: Parameters | None = None) -> None:
        self._scorer = _Scorer(parameters or load_parameters())
        self._records: list[Features] = []
        self._ids: dict[str, int] = {}
        self._index: list[dict[Key, list[int]]] = [defaultdict(list) for _ in BLOCKING_RULES]
        self._counts: dict[str, Counter[str]] = {
            column: Counter() for t in self._scorer.tf if t for column in [t[1]]
        }

    @classmethod
    def from_rows(cls, rows: Iterable[PersonRow], parameters: Parameters | None = None) -> Matcher:
        matcher = cls(parameters)
        for row in rows:
            matcher.add(row)
        return matcher

    def __len__(self) -> int:
        return len(self._records)

    def add(self, row: PersonRow) -> None:
        """Index one record; a record_id seen before replaces nothing and is refused."""
        if row.record_id in self._ids:
            raise ValueError(f"record {row.record_id!r} is already indexed")
        item = features(_clean(row))
        position = len(self._records)
        self._records.append(item)
        self._ids[row.record_id] = position
        for rule, index in zip(BLOCKING_RULES, self._index, strict=True):
            key = _key(item, rule)
            if key is not None:
                index[key].append(position)
        for column, counter in self._counts.items():
            value = getattr(item, column)
            if value is not None:
                counter[value] += 1

    def candidates(self, record: PersonRow, k: int = 10) -> list[Candidate]:
        """The ``k`` indexed records most likely to be the same child, best first."""
        query = features(_clean(record))
        seen: set[int] = set()
        for rule, index in zip(BLOCKING_RULES, self._index, strict=True):
            key = _key(query, rule)
            if key is not None:
                seen.update(index.get(key, ()))
        scored = []
        prior = self._scorer.parameters.prior(1, max(1, len(self._records)))
        base = math.log2(prior / (1 - prior))
        for position in seen:
            other = self._records[position]
            if other.unique_id == query.unique_id:
                continue
            weight, evidence = self._score(query, other)
            scored.append((base + weight, other.unique_id, evidence))
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [
            Candidate(record_id, _probability(weight), evidence)
            for weight, record_id, evidence in scored[:k]
        ]

    def _score(self, left: Features, right: Features) -> tuple[float, dict[str, FieldEvidence]]:
        scorer = self._scorer
        total = 0.0
        evidence = {}
        for number, comparison in enumerate(COMPARISONS):
            level = level_of(comparison, left, right)
            weight = scorer.weights[number][level]
            tf = scorer.tf[number]
            if tf is not None and tf[0] == level:
                weight += self._tf_adjustment(tf[1], tf[2], getattr(left, tf[1]))
            total += weight
            evidence[comparison.name] = FieldEvidence(scorer.labels[number][level], weight)
        return total, evidence

    def _tf_adjustment(self, column: str, log2_u: float, value: str | None) -> float:
        count = self._counts[column].get(value or "", 0)
        if not count:
            return 0.0
        frequency = max(count / len(self._records), TF_MINIMUM_U)
        return log2_u - math.log2(frequency)


def _key(item: Features, rule: tuple[str, ...]) -> Key | None:
    values = tuple(getattr(item, column) for column in rule)
    return None if any(value is None for value in values) else values


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
