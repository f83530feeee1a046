"""Batch linkage and deduplication of contract CSV files: what ``ridni link`` and
``ridni dedupe`` run, phase by phase."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
from splink.internals.exceptions import EMTrainingException

from ridni.errors import InputError
from ridni.linkage.backend import Backend, check_backend, open_backend
from ridni.linkage.blocking import add_block_keys
from ridni.linkage.clusters import cluster
from ridni.linkage.explain import explanation_sql
from ridni.linkage.fields import COMPARISONS
from ridni.linkage.guards import (
    MIN_TRAINING_RECORDS,
    check_threshold,
    check_top,
    interruptible,
    write_csv,
)
from ridni.linkage.model import LinkType, Parameters, load_parameters, save_parameters
from ridni.linkage.one_to_one import one_to_one_sql
from ridni.linkage.prepare import features_of_table
from ridni.linkage.reader import ReadSummary, read_table
from ridni.linkage.train import train
from ridni.output_file import check_output

Phase = Callable[[str], None]
MIN_PROBABILITY = 0.01
MATCH_THRESHOLD = 0.5
TOP_FLOOR = 1e-6  # with --top: candidates scored down to this probability


@dataclass(slots=True)
class RunSummary:
    reads: list[ReadSummary] = field(default_factory=list)
    pairs: int = 0
    matches: int = 0
    clusters: int = 0

    def notes(self) -> list[str]:
        return [note for read in self.reads for note in read.notes()]


def quiet_splink() -> None:
    """Splink logs training chatter at INFO/WARNING; the CLI shows its own progress."""
    for name in ("splink", "splink.internals"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _tf_fields() -> set[str]:
    return {c.name for c in COMPARISONS if any(lv.tf_column for lv in c.levels)}


def _read(path: Path, summary: RunSummary, phase: Phase) -> pa.Table:
    phase(f"reading {path.name}")
    table, read = read_table(path)
    summary.reads.append(read)
    return table


def _prepared(tables: list[pa.Table], phase: Phase) -> list[pa.Table]:
    phase("normalising names, places and dates")
    features = [features_of_table(table) for table in tables]
    phase("choosing candidate pairs")
    return add_block_keys(features)


def link_files(
    left: Path,
    right: Path,
    out: Path,
    *,
    backend: str = "duckdb",
    model: Path | None = None,
    phase: Phase | None = None,
    one_to_one: bool = False,
    top: int = 0,
) -> RunSummary:
    """Score every candidate pair of LEFT × RIGHT; write those with probability ≥ 0.01.

    ``one_to_one``: neither list names a child twice, so a pair's probability also weighs the
    other candidates of its two records (:mod:`ridni.linkage.one_to_one`); the pairwise
    probability is kept in a ``pairwise_probability`` column.
    ``top``: also write each left record's ``top`` best candidates below 0.01 (down to
    :data:`TOP_FLOOR`): a child whose surname was changed may score low yet still rank first
    among its namesakes (decision 110).
    """
    top = check_top(top)
    check_backend(backend)
    check_output(out, [left, right])
    with interruptible("nothing written"):
        return _link(left, right, out, backend, model, report_to(phase), one_to_one, top)


def _link(
    left: Path,
    right: Path,
    out: Path,
    backend: str,
    model: Path | None,
    report: Phase,
    one_to_one: bool,
    top: int,
) -> RunSummary:
    quiet_splink()
    parameters = load_parameters(model)
    summary = RunSummary()
    inputs = [_read(left, summary, report), _read(right, summary, report)]
    sizes = (inputs[0].num_rows, inputs[1].num_rows)
    prepared = _prepared(inputs, report)
    del inputs
    engine = open_backend(backend)
    try:
        tables = [engine.register(prepared[0], "left"), engine.register(prepared[1], "right")]
        del prepared
        report("scoring candidate pairs")
        # Without rivals a pair may rise well above its pairwise score: score lower ones too.
        floor = MIN_PROBABILITY / 10 if one_to_one else MIN_PROBABILITY
        _, predictions = engine.predict(
            tables, parameters, "link_only", sizes, TOP_FLOOR if top else floor
        )
        report(f"writing {out.name}")
        explanation = explanation_sql(parameters, _tf_fields())
        source, probability, pairwise = predictions.physical_name, "match_probability", ""
        if one_to_one:
            source = f"({one_to_one_sql(source, parameters, sizes)}) AS one_to_one"
            probability = "one_to_one_probability"
            pairwise = "round(match_probability, 6) AS pairwise_probability, "
        kept = f"{probability} >= {MIN_PROBABILITY}"
        if top:
            source = f"({ranked_sql(source, probability)}) AS ranked"
            kept = f"({kept} OR candidate_rank <= {top})"
        result = engine.sql(
            "SELECT unique_id_l AS left_id, unique_id_r AS right_id, "  # noqa: S608
            f"round({probability}, 6) AS match_probability, {pairwise}{explanation} "
            f"FROM {source} WHERE {kept} "
            f"ORDER BY left_id, {probability} DESC, right_id"
        )
        write_csv(result, out)
        summary.pairs = result.num_rows
        summary.matches = _count_at_least(result, MATCH_THRESHOLD)
    finally:
        engine.close()
    return summary


def ranked_sql(source: str, probability: str) -> str:
    """``source`` with each pair's place among its left record's candidates (1 = best), ties
    broken by record id as the output is ordered; plain SQL for DuckDB and Spark."""
    return (
        f"SELECT *, row_number() OVER (PARTITION BY unique_id_l "  # noqa: S608 (generated names)
        f"ORDER BY {probability} DESC, unique_id_r) AS candidate_rank FROM {source}"
    )


def dedupe_file(
    path: Path,
    out: Path,
    *,
    backend: str = "duckdb",
    model: Path | None = None,
    threshold: float = MATCH_THRESHOLD,
    phase: Phase | None = None,
) -> RunSummary:
    """Cluster the records of one file that describe the same child."""
    threshold = check_threshold(threshold)
    check_backend(backend)
    check_output(out, [path])
    with interruptible("nothing written"):
        return _dedupe(path, out, backend, model, threshold, report_to(phase))


def _dedupe(
    path: Path, out: Path, backend: str, model: Path | None, threshold: float, report: Phase
) -> RunSummary:
    quiet_splink()
    parameters = load_parameters(model)
    summary = RunSummary()
    rows = _read(path, summary, report)
    sizes = (rows.num_rows, rows.num_rows)
    records = rows.column("record_id").to_pylist()
    prepared = _prepared([rows], report)
    del rows
    engine = open_backend(backend)
    try:
        table = engine.register(prepared[0], "records")
        del prepared
        report("scoring candidate pairs")
        _, predictions = engine.predict([table], parameters, "dedupe_only", sizes, 0.01)
        report("clustering")
        links = engine.sql(
            "SELECT unique_id_l, unique_id_r, match_probability "  # noqa: S608 (generated name)
            f"FROM {predictions.physical_name} WHERE match_probability >= {threshold!r}"
        )
        result, summary.clusters = cluster(
            records,
            zip(
                links.column("unique_id_l").to_pylist(),
                links.column("unique_id_r").to_pylist(),
                links.column("match_probability").to_pylist(),
                strict=True,
            ),
        )
        summary.pairs = links.num_rows
        report(f"writing {out.name}")
        write_csv(result, out)
    finally:
        engine.close()
    return summary


def train_files(
    left: Path,
    right: Path | None,
    out: Path,
    *,
    backend: str = "duckdb",
    seed: int = 42,
    phase: Phase | None = None,
) -> Parameters:
    """Re-estimate the model on a person's own lists (no labels) and save it to ``out``."""
    check_backend(backend)
    check_output(out, [left] + ([right] if right else []))
    with interruptible("no model written"):
        return _train(left, right, out, backend, seed, report_to(phase))


def _train(
    left: Path, right: Path | None, out: Path, backend: str, seed: int, report: Phase
) -> Parameters:
    quiet_splink()
    summary = RunSummary()
    inputs = [_read(left, summary, report)]
    if right is not None:
        inputs.append(_read(right, summary, report))
    for path, table in zip([left, right or left], inputs, strict=False):
        if table.num_rows < MIN_TRAINING_RECORDS:
            raise InputError(
                f"{path.name} has {table.num_rows} record(s): too few to train on",
                f"train on lists of at least {MIN_TRAINING_RECORDS} records (thousands are "
                "better), or keep the shipped model",
            )
    sizes = (inputs[0].num_rows, inputs[-1].num_rows)
    link_type: LinkType = "link_only" if right is not None else "dedupe_only"
    prepared = _prepared(inputs, report)
    del inputs
    engine: Backend = open_backend(backend)
    try:
        tables = [
            engine.register(table, name)
            for table, name in zip(prepared, ("left", "right"), strict=False)
        ]
        del prepared
        origin = f"{left.name}" + (f" × {right.name}" if right else "")
        parameters = train(
            engine, tables, link_type, sizes, seed=seed, phase=report, trained_on=origin
        )
    except EMTrainingException:
        raise InputError(
            f"{origin}: too few pairs of records share a name or a birth date to estimate the "
            "model",
            "train on larger lists, or keep the shipped model",
        ) from None
    finally:
        engine.close()
    save_parameters(parameters, out)
    return parameters


def report_to(phase: Phase | None) -> Phase:
    return phase or (lambda _name: None)


def _count_at_least(table: pa.Table, threshold: float) -> int:
    return sum(1 for p in table.column("match_probability").to_pylist() if p >= threshold)
