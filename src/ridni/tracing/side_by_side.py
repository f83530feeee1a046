"""A candidate laid out field by field: what each side wrote, how they agree, what it weighs."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ridni.cases.models import Record
from ridni.partial_date import PartialDate
from ridni.tracing.models import MatchCandidate

# Engine comparison name → the record fields it looks at.
FIELDS = (
    ("family_name", ("family_name",)),
    ("given_name", ("given_name",)),
    ("patronymic", ("patronymic",)),
    ("birth_date", ("birth_date",)),
    ("birth_place", ("birth_place",)),
    ("sex", ("sex",)),
)


@dataclass(frozen=True)
class Row:
    field: str
    sought: str
    found: str
    level: str
    weight: float

    @property
    def verdict(self) -> str:
        """agree / disagree / neutral: for colour, never instead of the numbers."""
        if self.weight > 0.5:
            return "agree"
        if self.weight < -0.5:
            return "disagree"
        return "neutral"


def _text(record: Record, field: str) -> str:
    value = getattr(record, field)
    if value is None:
        return ""
    if isinstance(value, PartialDate):
        return value.iso()
    if isinstance(value, StrEnum):
        return value.value
    return str(value)


def compare(candidate: MatchCandidate) -> list[Row]:
    rows = []
    for name, fields in FIELDS:
        explained = candidate.explanation.get(name, {})
        rows.append(
            Row(
                field=name,
                sought=" ".join(_text(candidate.sought, f) for f in fields).strip(),
                found=" ".join(_text(candidate.found, f) for f in fields).strip(),
                level=str(explained.get("level", "")),
                weight=float(explained.get("weight", 0.0)),
            )
        )
    return rows
