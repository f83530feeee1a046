"""Estimate the model's parameters from unlabelled lists, as ``ridni link train`` does.

u probabilities come from random pairs (almost all non-matches); m probabilities from
expectation maximisation over pairs blocked two different ways, so that each comparison is
estimated in a session that does not block on it. The match rate is then found by iterating
the expected number of matches to a fixed point. No label is read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from splink import Linker, block_on

from ridni.errors import InputError
from ridni.linkage.backend import Backend
from ridni.linkage.fields import COMPARISONS
from ridni.linkage.model import LevelParameters, LinkType, Parameters, load_parameters, settings

Phase = Callable[[str], None]
# EM sessions: the first fixes names, so dates/places/sex are learnt; the second fixes the
# date, so names are learnt.
EM_SESSIONS = (("family_key", "given_key"), ("birth_days",))
MATCH_RATE_ROUNDS = 3
FLOOR = 1e-6  # the probability of a level no training pair showed


def train(
    backend: Backend,
    tables: list[Any],
    link_type: LinkType,
    sizes: tuple[int, int],
    *,
    seed: int = 42,
    u_pairs: float = 5e6,
    phase: Phase | None = None,
    trained_on: str = "",
) -> Parameters:
    report = phase or (lambda _name: None)
    linker = Linker(tables, settings(None, link_type, *sizes), log_level=None)
    report("estimating u from random pairs")
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
    for columns in EM_SESSIONS:
        report(f"expectation maximisation, blocking on {', '.join(columns)}")
        with _no_zero_probabilities():
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(*columns), fix_u_probabilities=True
            )
    levels, unseen = _fitted(linker)
    if unseen:
        report(f"no values to learn from for {', '.join(unseen)}: keeping shipped parameters")
        levels.update(_shipped(unseen, levels))
    parameters = Parameters(levels=levels, trained_on=trained_on)
    for _ in range(MATCH_RATE_ROUNDS):
        report("estimating the match rate")
        parameters.match_rate = backend.expected_match_rate(tables, parameters, link_type, sizes)
    return parameters


_LOOKUP = "m_u_records_to_lookup_dict"  # what each EM maximisation step stores m and u from


@contextmanager
def _no_zero_probabilities() -> Iterator[None]:
    """Floor the m and u each EM step estimates, as :func:`_probability` floors the result.

    In a small list every likely pair may agree on a field, so EM estimates its "different"
    level's m as exactly 0 among matches; Splink refuses to store a 0 (a ValueError in the
    middle of training), and a 0 could never move again anyway. A tiny value instead says
    the same ("never seen") and keeps the weight finite.
    """
    from splink.internals import expectation_maximisation as em

    original = getattr(em, _LOOKUP, None)
    if original is None:  # another Splink: train as it does (the small-list test says so)
        yield
        return

    def floored(records: list[dict[str, Any]]) -> Any:
        for record in records:
            for key in ("m_probability", "u_probability"):
                value = record.get(key)
                if isinstance(value, int | float) and value < FLOOR:
                    record[key] = FLOOR
        return original(records)

    setattr(em, _LOOKUP, floored)
    try:
        yield
    finally:
        setattr(em, _LOOKUP, original)


def _fitted(linker: Linker) -> tuple[dict[str, list[LevelParameters]], list[str]]:
    """Fitted levels per comparison, and the comparisons no pair had values for."""
    fitted: dict[str, list[LevelParameters]] = {}
    unseen: list[str] = []
    trained = {c.output_column_name: c for c in linker._settings_obj.comparisons}
    for comparison in COMPARISONS:
        levels = [
            level for level in trained[comparison.name].comparison_levels if not level.is_null_level
        ]
        if not any(level._has_estimated_u_values for level in levels):
            unseen.append(comparison.name)
        fitted[comparison.name] = [
            LevelParameters(
                spec.label,
                _probability(level.m_probability),
                _probability(level.u_probability),
            )
            for spec, level in zip(
                [lv for lv in comparison.levels if not lv.is_null], levels, strict=True
            )
        ]
    return fitted, unseen


def _shipped(names: list[str], fitted: dict[str, list[LevelParameters]]) -> dict[str, Any]:
    # A list without patronymics (or without sex) says nothing about them; the shipped
    # values keep a model trained on it usable on lists that have them.
    try:
        shipped = load_parameters()
    except InputError:  # the shipped model is itself being re-trained for new levels
        return {name: fitted[name] for name in names}
    return {name: shipped.levels[name] for name in names}


def _probability(value: float | None, floor: float = FLOOR) -> float:
    # A level never seen in training gets a tiny probability rather than none, so its
    # weight stays finite; "never seen" is itself information about how rare it is.
    return min(1.0, max(floor, float(value))) if value is not None else floor
