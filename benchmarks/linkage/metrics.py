"""Precision, recall and F1 at 0.5, and top-k recall of candidate lists, from a pairs CSV."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path


def true_pairs(truth: dict[str, str], left: set[str], right: set[str]) -> set[tuple[str, str]]:
    by_entity: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for record, entity in truth.items():
        if record in left:
            by_entity[entity][0].append(record)
        elif record in right:
            by_entity[entity][1].append(record)
    return {(a, b) for lefts, rights in by_entity.values() for a in lefts for b in rights}


def read_pairs(path: Path) -> list[tuple[str, str, float]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            (row["left_id"], row["right_id"], float(row["match_probability"]))
            for row in csv.DictReader(handle)
        ]


def score(
    pairs: list[tuple[str, str, float]], truth: set[tuple[str, str]], left: set[str] | None = None
) -> dict[str, float]:
    """Metrics over the left records in ``left`` (all when None)."""
    if left is not None:
        pairs = [p for p in pairs if p[0] in left]
        truth = {t for t in truth if t[0] in left}
    predicted = {(a, b) for a, b, p in pairs if p >= 0.5}
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    ranked: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for a, b, p in pairs:
        ranked[a].append((p, b))
    rank_of: dict[tuple[str, str], int] = {}
    for a, candidates in ranked.items():
        for position, (_, b) in enumerate(sorted(candidates, key=lambda c: (-c[0], c[1]))):
            rank_of[(a, b)] = position
    result = {"precision": precision, "recall": recall, "f1": f1, "true_pairs": len(truth)}
    for k in (5, 10):
        found = sum(1 for t in truth if rank_of.get(t, k) < k)
        result[f"top{k}"] = found / len(truth) if truth else 0.0
    return result
