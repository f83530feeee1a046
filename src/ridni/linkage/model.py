"""The Fellegi–Sunter model: its parameters on disk and its Splink settings.

Parameters (an m and a u probability per comparison level) are estimated without labels by
``ridni link train`` and shipped in ``model/default.json``, so a run needs no training. The
prior is not stored as a per-pair probability: that number shrinks as lists grow. We store the
share of records on the smaller side that have a match and derive the per-pair prior for the
sizes at hand (see docs/decisions/103-prior-from-match-rate.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from splink import SettingsCreator, block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_composition import And
from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.comparison_level_library import (
    CustomLevel,
    DamerauLevenshteinLevel,
    ElseLevel,
    JaroWinklerLevel,
)
from splink.internals.comparison_library import CustomComparison

from ridni.errors import InputError
from ridni.linkage.blocking import BLOCK_COLUMNS
from ridni.linkage.comparisons import Comparison, Level
from ridni.linkage.fields import COMPARISONS
from ridni.output_file import writing_whole

LinkType = Literal["link_only", "dedupe_only"]
FORMAT = "ridni-linkage-model/1"
DEFAULT_MATCH_RATE = 0.6
TF_MINIMUM_U = 0.0005


@dataclass(slots=True)
class LevelParameters:
    label: str
    m: float
    u: float


@dataclass(slots=True)
class Parameters:
    """m and u per level, and how often a record on the smaller side has a match."""

    match_rate: float = DEFAULT_MATCH_RATE
    levels: dict[str, list[LevelParameters]] = field(default_factory=dict)
    trained_on: str = ""

    def prior(self, left: int, right: int) -> float:
        """Probability that two records drawn at random match, for lists of these sizes."""
        if left <= 0 or right <= 0:
            return 0.5
        pairs = left * right
        return min(0.5, max(1e-12, self.match_rate * min(left, right) / pairs))

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "trained_on": self.trained_on,
            "match_rate": self.match_rate,
            "comparisons": {
                name: [{"label": p.label, "m": p.m, "u": p.u} for p in levels]
                for name, levels in self.levels.items()
            },
        }

    @classmethod
    def from_json(cls, data: Any, origin: str) -> Parameters:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise InputError(f"{origin} is not a Ridni linkage model ({FORMAT})")
        try:
            rate = _probability(data.get("match_rate"), "match_rate")
            levels = _levels(data.get("comparisons"))
        except ValueError as exc:
            raise InputError(
                f"{origin} is not a valid Ridni linkage model: {exc}",
                "re-train it with `ridni link train`, or leave out --model for the shipped one",
            ) from None
        expected = {c.name: [lv.label for lv in c.levels if not lv.is_null] for c in COMPARISONS}
        found = {name: [p.label for p in items] for name, items in levels.items()}
        if expected != found:
            raise InputError(
                f"{origin} was trained for other comparisons than this version uses",
                "re-train it with `ridni link train`",
            )
        return cls(rate, levels, str(data.get("trained_on", "")))


def _probability(value: Any, where: str) -> float:
    """A probability a model may hold: a number above 0 and at most 1."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise ValueError(f"{where} must be a number above 0 and at most 1, not {value!r}")
    return float(value)


def _levels(comparisons: Any) -> dict[str, list[LevelParameters]]:
    if not isinstance(comparisons, dict):
        raise ValueError("comparisons must map each field to its levels")
    levels: dict[str, list[LevelParameters]] = {}
    for name, items in comparisons.items():
        if not isinstance(items, list):
            raise ValueError(f"comparisons.{name} must be a list of levels")
        levels[name] = []
        for number, item in enumerate(items):
            where = f"comparisons.{name}[{number}]"
            if not isinstance(item, dict) or not isinstance(item.get("label"), str):
                raise ValueError(f"{where} needs a label")
            m, u = (
                _probability(item.get("m"), f"{where}.m"),
                _probability(item.get("u"), f"{where}.u"),
            )
            levels[name].append(LevelParameters(item["label"], m, u))
    return levels


MAX_MODEL_BYTES = 1_000_000  # a trained model is about 4 kB


def default_model_path() -> Path:
    return Path(str(resources.files("ridni.linkage") / "model" / "default.json"))


def load_parameters(path: Path | None = None) -> Parameters:
    source = path or default_model_path()
    try:
        if not source.is_file():  # a device (/dev/zero) or a pipe would be read forever
            if not source.exists():
                raise FileNotFoundError
            raise InputError(
                f"cannot read model file {source}: it is not a file",
                "give the JSON file `ridni link train` wrote",
            )
        with source.open("rb") as handle:
            raw = handle.read(MAX_MODEL_BYTES + 1)
        if len(raw) > MAX_MODEL_BYTES:
            raise InputError(
                f"{source} is not a Ridni linkage model: it is over {MAX_MODEL_BYTES:,} bytes",
                "give the JSON file `ridni link train` wrote (a few kilobytes)",
            )
        data = json.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        raise InputError(f"model file {source} does not exist") from None
    except RecursionError:  # arrays nested thousands deep
        raise InputError(f"cannot read model file {source}: it is nested too deeply") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read model file {source}: {exc}") from None
    return Parameters.from_json(data, str(source))


def save_parameters(parameters: Parameters, path: Path) -> None:
    text = json.dumps(parameters.to_json(), indent=1, ensure_ascii=False)
    with writing_whole(path) as handle:
        handle.write((text + "\n").encode("utf-8"))


def _level_creator(level: Level, fitted: LevelParameters | None) -> ComparisonLevelCreator:
    creator: ComparisonLevelCreator
    if level.similarity:
        parts = [_similarity_creator(*part) for part in level.similarity]
        creator = parts[0] if len(parts) == 1 else And(*parts)
    elif level.sql == "ELSE":  # Splink writes it per dialect; sqlglot cannot parse it alone
        creator = ElseLevel()
    else:
        creator = CustomLevel(level.sql, level.label, base_dialect_str="duckdb")
    options: dict[str, Any] = {"label_for_charts": level.label}
    if level.is_null:
        options["is_null_level"] = True
    if level.tf_column:
        options.update(
            tf_adjustment_column=level.tf_column,
            tf_adjustment_weight=1.0,
            tf_minimum_u_value=TF_MINIMUM_U,
        )
    if fitted is not None:
        options.update(m_probability=fitted.m, u_probability=fitted.u)
    creator.configure(**options)
    return creator


def _similarity_creator(kind: str, column: str, threshold: float) -> ComparisonLevelCreator:
    if kind == "jaro_winkler":
        return JaroWinklerLevel(column, threshold)
    return DamerauLevenshteinLevel(column, int(threshold))


def _comparison_creator(comparison: Comparison, parameters: Parameters | None) -> ComparisonCreator:
    fitted = iter(parameters.levels[comparison.name]) if parameters else None
    levels: list[ComparisonLevelCreator | dict[str, Any]] = [
        _level_creator(level, None if level.is_null or fitted is None else next(fitted))
        for level in comparison.levels
    ]
    return CustomComparison(levels, comparison.name, comparison.description)


def blocking_rules() -> list[BlockingRuleCreator | dict[str, Any]]:
    """One rule per column :func:`ridni.linkage.blocking.add_block_keys` adds."""
    return [block_on(column) for column in BLOCK_COLUMNS]


def settings(
    parameters: Parameters | None, link_type: LinkType, left: int, right: int
) -> SettingsCreator:
    """Splink settings; without parameters, an untrained model for ``train`` to fit."""
    prior = parameters.prior(left, right) if parameters else 1e-4
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=[_comparison_creator(c, parameters) for c in COMPARISONS],
        blocking_rules_to_generate_predictions=blocking_rules(),
        probability_two_random_records_match=prior,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,
    )
