"""Live candidates against a registry of about a million records.

    nice .venv/bin/python benchmarks/linkage/live.py --sought 210000 --seed 101 --keep DIR

Draws the synthetic set (210,000 sought children make about 1,000,000 registry records) and
runs the batch engine on it through run.py, then indexes the whole registry in a Matcher and
asks for the 10 best candidates of a random sample of family records, one at a time. Prints
the index's build time and memory, per-query latency (p50/p95/p99), and top-10 recall of the
sampled queries, live and batch (from the batch run's pairs). Then adds records one by one,
as the tracing workflow does, and times queries again while they sit in the unsorted tail.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from metrics import read_pairs  # noqa: E402
from sets import read_truth  # noqa: E402


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _percentiles(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    pick = {"p50": 0.50, "p95": 0.95, "p99": 0.99}
    result = {name: round(1000 * ordered[int(q * len(ordered))], 2) for name, q in pick.items()}
    result["max"] = round(1000 * ordered[-1], 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sought", type=int, default=210_000)
    parser.add_argument("--seed", type=int, default=101)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--keep", type=Path, required=True)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument(
        "--skip-batch", action="store_true", help="keep the batch pairs already in --keep"
    )
    args = parser.parse_args()
    batch = [
        sys.executable,
        str(HERE / "run.py"),
        "synthetic",
        "--sought",
        str(args.sought),
        "--seed",
        str(args.seed),
        "--keep",
        str(args.keep),
        "--methods",
        "engine",
    ]
    if args.reuse:
        batch.append("--reuse")
    if not (args.skip_batch and (args.keep / "pairs-engine.csv").exists()):
        done = subprocess.run(batch, check=True, capture_output=True, text=True)  # noqa: S603
        print(done.stdout.strip())

    from ridni.linkage.live import Matcher
    from ridni.linkage.reader import read_lenient

    registry, _ = read_lenient(args.keep / "right.csv")
    before = _rss_mb()
    started = time.perf_counter()
    matcher = Matcher.from_rows(registry)
    build = time.perf_counter() - started
    indexed = len(registry)
    # A service streams rows into the index; holding a million rows here as well would make
    # every full garbage collection walk them during the timed queries.
    del registry
    gc.collect()
    index_mb = _rss_mb() - before
    everyone, _ = read_lenient(args.keep / "left.csv")
    queries = random.Random(args.seed).sample(everyone, args.queries)
    additions = everyone[:5000]
    del everyone
    truth = read_truth(args.keep / "truth.csv")
    wanted: dict[str, set[str]] = defaultdict(set)
    for record, child in truth.items():
        if record.startswith("R"):
            wanted[child].add(record)
    ranked: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for a, b, p in read_pairs(args.keep / "pairs-engine.csv"):
        ranked[a].append((p, b))
    latencies, live_found, batch_found, total = [], 0, 0, 0
    matcher.candidates(queries[0])  # first call loads the name dictionaries
    for query in queries:
        started = time.perf_counter()
        found = matcher.candidates(query, k=10)
        latencies.append(time.perf_counter() - started)
        targets = wanted[truth[query.record_id]]
        ordered = sorted(ranked[query.record_id], key=lambda c: (-c[0], c[1]))
        best_batch = {b for _, b in ordered[:10]}
        total += len(targets)
        live_found += len(targets & {c.record_id for c in found})
        batch_found += len(targets & best_batch)
    adds = []
    for number, row in enumerate(additions):
        extra = replace(row, record_id=f"X{number}")
        started = time.perf_counter()
        matcher.add(extra)
        adds.append(time.perf_counter() - started)
    tail_latencies = []
    for query in queries[:500]:
        started = time.perf_counter()
        matcher.candidates(query, k=10)
        tail_latencies.append(time.perf_counter() - started)
    print(
        json.dumps(
            {
                "indexed": indexed,
                "build_s": round(build, 1),
                "index_rss_mb": round(index_mb),
                "queries": len(queries),
                "latency_ms": _percentiles(latencies),
                "top10_live": round(live_found / total, 4),
                "top10_batch_same_queries": round(batch_found / total, 4),
                "true_pairs": total,
                "add_ms": _percentiles(adds),
                "latency_ms_with_5000_unsorted": _percentiles(tail_latencies),
            }
        )
    )


if __name__ == "__main__":
    main()
