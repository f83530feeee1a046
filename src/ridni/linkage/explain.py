"""Per-field explanation columns: which level each field reached and what it weighed.

Splink leaves ``gamma_<field>`` (level number), ``bf_<field>`` and ``bf_tf_adj_<field>``
(Bayes factors) on each scored pair. A caseworker needs the level's words and the weight in
bits (log2 of the Bayes factor, term frequency included): +5 means "32 times likelier if they
are the same child", negative means evidence against.
"""

from __future__ import annotations

from ridni.linkage.comparisons import Comparison
from ridni.linkage.fields import COMPARISONS


def gamma_labels(comparison: Comparison) -> dict[int, str]:
    """Splink's level numbers: -1 for the null level, then counting down to 0 at the end."""
    scored = [level for level in comparison.levels if not level.is_null]
    labels = {len(scored) - 1 - index: level.label for index, level in enumerate(scored)}
    labels[-1] = next((lv.label for lv in comparison.levels if lv.is_null), "missing")
    return labels


def explanation_columns() -> list[str]:
    return [f"{c.name}_{part}" for c in COMPARISONS for part in ("level", "weight")]


def explanation_sql(has_tf: set[str]) -> str:
    """SELECT items turning a Splink prediction row into explanation columns."""
    items = []
    for comparison in COMPARISONS:
        cases = " ".join(
            f"WHEN {gamma} THEN '{label.replace(chr(39), chr(39) * 2)}'"
            for gamma, label in sorted(gamma_labels(comparison).items())
        )
        name = comparison.name
        items.append(f"CASE gamma_{name} {cases} END AS {name}_level")
        factor = f"bf_{name}"
        if name in has_tf:
            factor += f" * bf_tf_adj_{name}"
        items.append(f"round(log2({factor}), 2) AS {name}_weight")
    return ", ".join(items)
