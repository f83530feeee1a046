"""Moved to :mod:`ridni.labels`, which the command line uses without loading the web app.

Kept so that code written against this path still runs; import from ``ridni.labels``.
"""

from __future__ import annotations

from ridni.labels import (
    FAMILY_LABELS,
    FIELD_LABELS,
    LABELS,
    family_explanation,
    family_label,
    field_label,
    label,
)

__all__ = [
    "FAMILY_LABELS",
    "FIELD_LABELS",
    "LABELS",
    "family_explanation",
    "family_label",
    "field_label",
    "label",
]
