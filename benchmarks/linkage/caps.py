"""What a larger blocking cap costs and buys: candidate pairs per cap, and a full run at one cap.

    nice .venv/bin/python benchmarks/linkage/caps.py count --sought 200000 --caps 1000,2618,37120
    nice .venv/bin/python benchmarks/linkage/caps.py link DIR --cap 37120

``count`` draws the synthetic set and sums, per cap, the pairs each rule's blocks under the cap
make (left × right per block; nothing is materialised, so any cap fits in memory). The sum over
rules counts a pair once per rule it agrees on: the distinct pairs lie between the largest rule
and the sum. ``link`` runs ``ridni link`` on a set written by ``run.py --keep DIR`` with the
cap replaced, and prints wall and CPU time, peak RSS, the rows written, the share of true pairs
written and the contract metrics. The cap is not a user option (decision 104): this is its
measuring stick. Numbers in README.md ("sixth session").
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import resource
import sys
import time
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from metrics import read_pairs, score, true_pairs  # noqa: E402
from sets import read_truth  # noqa: E402

import ridni.linkage.batch as batch  # noqa: E402
from ridni.demo.linkage_set import generate_linkage_set  # noqa: E402
from ridni.linkage.blocking import RULES, _hash_sql, add_block_keys  # noqa: E402
from ridni.linkage.prepare import features_of_table, rows_table  # noqa: E402


def count(sought: int, seed: int, caps: list[int]) -> None:
    started = time.perf_counter()
    data = generate_linkage_set(sought, seed)
    tables = [features_of_table(rows_table(side)) for side in (data.family, data.registry)]
    print(f"set drawn and normalised in {time.perf_counter() - started:.0f} s", flush=True)
    con = duckdb.connect()
    hashes = ", ".join(f"{_hash_sql(rule)} AS h_{n}" for n, rule in enumerate(RULES))
    for name, table in zip(("l", "r"), tables, strict=True):
        con.register(f"{name}_arrow", table)
        con.execute(f"CREATE TABLE {name} AS SELECT {hashes} FROM {name}_arrow")
    left = len(data.family)
    for cap in caps:
        per_rule = []
        for n in range(len(RULES)):
            column = f"h_{n}"
            blocks = [
                f"SELECT {column} AS h, count(*) AS n FROM {side} "
                f"WHERE {column} IS NOT NULL GROUP BY 1"
                for side in ("l", "r")
            ]
            ((pairs,),) = con.sql(
                f"SELECT coalesce(sum(a.n * b.n), 0) FROM ({blocks[0]}) a "
                f"JOIN ({blocks[1]}) b USING (h) WHERE a.n * b.n <= {cap}"
            ).fetchall()
            per_rule.append(int(pairs))
        total, largest = sum(per_rule), max(per_rule)
        print(
            json.dumps(
                {
                    "cap": cap,
                    "pairs_sum_over_rules": total,
                    "per_left_sum": round(total / left),
                    "pairs_largest_rule": largest,
                    "per_left_largest": round(largest / left),
                }
            ),
            flush=True,
        )


def _ids(path: Path) -> set[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["record_id"] for row in csv.DictReader(handle)}


def link(directory: Path, cap: int) -> None:
    batch.add_block_keys = functools.partial(add_block_keys, cap=cap)  # type: ignore[assignment]
    out = directory / f"pairs-cap-{cap}.csv"
    left, right = directory / "left.csv", directory / "right.csv"
    started = time.perf_counter()
    batch.link_files(left, right, out)
    wall = time.perf_counter() - started
    cpu = time.process_time()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    truth = true_pairs(read_truth(directory / "truth.csv"), _ids(left), _ids(right))
    pairs = read_pairs(out)
    written = len({(a, b) for a, b, _ in pairs} & truth) / len(truth)
    metrics = {name: round(value, 4) for name, value in score(pairs, truth).items()}
    print(
        json.dumps(
            {
                "cap": cap,
                "wall_s": round(wall, 1),
                "cpu_s": round(cpu, 1),
                "peak_rss_gb": round(peak / 1e9, 2),
                "rows": len(pairs),
                "true_pairs_written": round(written, 5),
                **metrics,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    counting = commands.add_parser("count", help="pairs per cap, nothing scored")
    counting.add_argument("--sought", type=int, default=50000)
    counting.add_argument("--seed", type=int, default=101)
    counting.add_argument("--caps", default="1000,2618,10000")
    linking = commands.add_parser("link", help="ridni link at one cap on a kept set")
    linking.add_argument("directory", type=Path, help="a set written by run.py --keep DIR")
    linking.add_argument("--cap", type=int, required=True)
    args = parser.parse_args()
    if args.command == "count":
        count(args.sought, args.seed, [int(cap) for cap in args.caps.split(",")])
    else:
        link(args.directory, args.cap)


if __name__ == "__main__":
    main()
