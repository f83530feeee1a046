"""One-to-one linkage: a pair's probability when each list names each child at most once.

Splink scores every pair on its own, as if a record could match any number of records on the
other side. When both lists are known to be free of duplicates (two official lists, or lists
already merged with ``ridni dedupe``), a record matches at most one record on the other side,
and a pair's probability should also weigh the other candidates of its two records: a weak
pair with no rival is likelier than its own score says, two strong rivals cannot both be right.

For a left record with the prior ``π`` of having a match on the right (the model's match rate,
decision 103) and a uniform prior over the right records, Bayes' rule gives the probability
that its match is ``r`` as ``O_r / ((1 − π) + Σ O_r')``, where ``O`` is each pair's posterior
odds from the pairwise model and the sum runs over the left record's candidates. The same
holds from the right record's side; a pair keeps the smaller of the two (decision 109).
Candidates below the scoring threshold are left out of the sums, which changes them by less
than the threshold each.
"""

from __future__ import annotations

from ridni.linkage.model import Parameters

ODDS_CEILING = 1e9  # odds of a pair scored 1.0, so that two such rivals split evenly


def shares_with_a_match(parameters: Parameters, sizes: tuple[int, int]) -> tuple[float, float]:
    """Prior share of left records, and of right records, that have a match on the other side."""
    smaller = min(sizes)

    def share(size: int) -> float:
        return min(1.0, parameters.match_rate * smaller / size) if size else 0.0

    return share(sizes[0]), share(sizes[1])


def one_to_one_sql(predictions: str, parameters: Parameters, sizes: tuple[int, int]) -> str:
    """``predictions`` (Splink's pairs with ``unique_id_l``, ``unique_id_r`` and
    ``match_probability``) with a column ``one_to_one_probability``; plain SQL that DuckDB and
    Spark both run."""
    left_share, right_share = shares_with_a_match(parameters, sizes)
    odds = f"least(match_probability / greatest(1 - match_probability, 1e-300), {ODDS_CEILING})"
    left_side = f"__odds / ({1 - left_share!r} + sum(__odds) OVER (PARTITION BY unique_id_l))"
    right_side = f"__odds / ({1 - right_share!r} + sum(__odds) OVER (PARTITION BY unique_id_r))"
    return (
        f"SELECT *, least({left_side}, {right_side}) AS one_to_one_probability "  # noqa: S608 (numbers and a generated name)
        f"FROM (SELECT *, {odds} AS __odds FROM {predictions}) AS scored"
    )
