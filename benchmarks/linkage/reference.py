"""The supervised upper bound: gradient boosting on our comparison features, trained on the
true labels of half the left records and scored on the other half, beside our unsupervised
engine scored on that same half."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import numpy as np
from metrics import read_pairs, score
from sklearn.ensemble import HistGradientBoostingClassifier


def _half(record_id: str) -> int:
    return hashlib.sha256(record_id.encode()).digest()[0] & 1


def supervised(
    directory: Path, truth: dict[str, str], pairs: set[tuple[str, str]]
) -> dict[str, object]:
    from ridni.linkage.backend import Backend
    from ridni.linkage.batch import quiet_splink
    from ridni.linkage.fields import COMPARISONS
    from ridni.linkage.model import load_parameters
    from ridni.linkage.prepare import feature_table
    from ridni.linkage.reader import read_lenient

    quiet_splink()
    started = time.perf_counter()
    model = directory / "model.json"
    parameters = load_parameters(model if model.exists() else None)
    left, _ = read_lenient(directory / "left.csv")
    right, _ = read_lenient(directory / "right.csv")
    engine = Backend()
    tables = [engine.register(feature_table(left), "l"), engine.register(feature_table(right), "r")]
    _, predictions = engine.predict(tables, parameters, "link_only", (len(left), len(right)), 0.0)
    columns = [f"mw_{c.name}" for c in COMPARISONS] + [
        "mw_tf_adj_given_name",
        "mw_tf_adj_family_name",
    ]
    frame = engine.sql(
        f"SELECT unique_id_l, unique_id_r, match_probability, {', '.join(columns)} "
        f"FROM {predictions.physical_name}"
    ).to_pandas()
    x = frame[columns].to_numpy(dtype=float)
    y = np.array(
        [(a, b) in pairs for a, b in zip(frame.unique_id_l, frame.unique_id_r, strict=False)]
    )
    half = np.array([_half(a) for a in frame.unique_id_l])
    classifier = HistGradientBoostingClassifier(random_state=0)
    classifier.fit(x[half == 0], y[half == 0])
    test = half == 1
    probability = classifier.predict_proba(x[test])[:, 1]
    test_left = {r.record_id for r in left if _half(r.record_id) == 1}
    ours = [(a, b, p) for a, b, p in read_pairs(directory / "pairs-engine.csv")]
    reference = list(
        zip(frame.unique_id_l[test], frame.unique_id_r[test], probability, strict=False)
    )
    return {
        "method": "supervised reference (held-out half)",
        "wall_s": round(time.perf_counter() - started, 2),
        **{k: round(v, 4) for k, v in score(reference, pairs, test_left).items()},
        "engine_on_same_half": {k: round(v, 4) for k, v in score(ours, pairs, test_left).items()},
    }
