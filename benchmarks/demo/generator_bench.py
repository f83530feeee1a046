"""Time the synthetic generator: generate, write the CSV files, load into SQLite.

    .venv/bin/python benchmarks/demo/generator_bench.py --children 2000

Target (issue 2): 2,000 children generated in at most 20 s.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from ridni.demo.dataset import write_dataset
from ridni.demo.generator import generate
from ridni.demo.loader import load_dataset
from ridni.storage.engine import open_database
from ridni.storage.migrate import upgrade


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--children", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        dataset = generate(args.children, args.seed)
        generated = time.perf_counter()
        write_dataset(dataset, Path(folder) / "csv")
        written = time.perf_counter()
        db = open_database(f"sqlite:///{folder}/ridni.sqlite3")
        upgrade(db)
        migrated = time.perf_counter()
        summary = load_dataset(db, dataset)
        loaded = time.perf_counter()
        db.dispose()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"children          {args.children}")
    print(
        f"records           {summary.records} ({len(dataset.family)} family, "
        f"{len(dataset.registry)} registry)"
    )
    print(f"generate          {generated - started:6.2f} s")
    print(f"write CSV         {written - generated:6.2f} s")
    print(f"migrate SQLite    {migrated - written:6.2f} s")
    print(f"load SQLite       {loaded - migrated:6.2f} s")
    print(f"total             {loaded - started:6.2f} s")
    print(f"peak RSS          {peak_mb:6.0f} MB")


if __name__ == "__main__":
    main()
