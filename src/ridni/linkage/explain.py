"""Per-field explanation columns: which level each field reached and what it weighed.

Splink 5 leaves ``mw_<field>`` (the level's match weight, log2 of m/u) and
``mw_tf_adj_<field>`` (the term-frequency correction) on each scored pair, but not the level
number. Each level's weight is known from the parameters, so the weight names the level. A
caseworker reads the level's words and the weight in bits: +5 means "32 times likelier if they
are the same child"; a negative weight is evidence against.
"""

from __future__ import annotations

import math

from ridni.linkage.fields import COMPARISONS
from ridni.linkage.level_words import plain_words
from ridni.linkage.model import Parameters

_DIGITS = 6


def level_weights(parameters: Parameters, field: str) -> list[tuple[float, str]]:
    return [(round(math.log2(p.m / p.u), _DIGITS), p.label) for p in parameters.levels[field]]


def explanation_columns() -> list[str]:
    return [f"{c.name}_{part}" for c in COMPARISONS for part in ("level", "weight")]


def explanation_sql(parameters: Parameters, has_tf: set[str]) -> str:
    """SELECT items turning a Splink prediction row into explanation columns."""
    items = []
    for comparison in COMPARISONS:
        name = comparison.name
        missing = next(lv.label for lv in comparison.levels if lv.is_null)
        missing = plain_words(name, missing)
        cases = " ".join(
            f"WHEN round(mw_{name}, {_DIGITS}) = {weight!r} "
            f"THEN '{_quote(plain_words(name, label))}'"
            for weight, label in level_weights(parameters, name)
        )
        items.append(f"CASE {cases} ELSE '{_quote(missing)}' END AS {name}_level")
        weight = f"mw_{name}" + (f" + mw_tf_adj_{name}" if name in has_tf else "")
        items.append(f"round({weight}, 2) AS {name}_weight")
    return ", ".join(items)


def _quote(text: str) -> str:
    return text.replace("'", "''")
