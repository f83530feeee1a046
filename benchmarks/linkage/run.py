"""Run the linkage benchmark: our engine, Splink out of the box, a supervised reference.

    .venv/bin/python benchmarks/linkage/run.py synthetic --sought 5000 --seed 101
    .venv/bin/python benchmarks/linkage/run.py febrl4

See README.md beside this file for what is measured and the numbers we got.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from metrics import read_pairs, score, true_pairs  # noqa: E402
from sets import febrl4, read_truth, synthetic  # noqa: E402


def _ids(path: Path) -> set[str]:
    with path.open(encoding="utf-8") as handle:
        next(handle)
        return {line.split(",", 1)[0].strip('"') for line in handle}


def _run(method: str, directory: Path) -> dict[str, float]:
    done = subprocess.run(  # noqa: S603 (runs our own script)
        [sys.executable, str(HERE / "methods.py"), method, str(directory)],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("set", choices=["synthetic", "febrl4"])
    parser.add_argument("--sought", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=101)
    parser.add_argument("--methods", default="engine,peer,reference")
    parser.add_argument(
        "--train",
        action="store_true",
        help="first run `ridni link train` on the set itself (no labels)",
    )
    parser.add_argument("--keep", type=Path, help="directory to keep the files in")
    parser.add_argument(
        "--reference-share",
        type=float,
        default=1.0,
        help="part of the left records the supervised reference uses (memory)",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="use the set already in --keep instead of drawing it"
    )
    args = parser.parse_args()
    directory = args.keep or Path(tempfile.mkdtemp(prefix="ridni-bench-"))
    if args.reuse and (directory / "truth.csv").exists():
        pass
    elif args.set == "synthetic":
        synthetic(directory, args.sought, args.seed)
    else:
        febrl4(directory)
    if args.train:
        from ridni.linkage.batch import train_files

        train_files(directory / "left.csv", directory / "right.csv", directory / "model.json")
    truth = read_truth(directory / "truth.csv")
    left, right = _ids(directory / "left.csv"), _ids(directory / "right.csv")
    pairs = true_pairs(truth, left, right)
    print(f"set {args.set}: {len(left)} left, {len(right)} right, {len(pairs)} true pairs")
    methods = args.methods.split(",")
    for method in ("engine", "engine-top10", "engine-one-to-one", "peer"):
        if method not in methods:
            continue
        resources = _run(method, directory)
        metrics = score(read_pairs(directory / f"pairs-{method}.csv"), pairs)
        print(json.dumps({**resources, **{k: round(v, 4) for k, v in metrics.items()}}))
    if "reference" in methods:
        from reference import supervised

        print(json.dumps(supervised(directory, truth, pairs, args.reference_share)))


if __name__ == "__main__":
    main()
