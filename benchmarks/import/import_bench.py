"""Bulk import at scale: `ridni import` of a synthetic list, as a user runs it.

    nice .venv/bin/python benchmarks/import/import_bench.py --rows 1000000 --traces 2000

Target (issue 7): a 1M-row CSV in ≤ 90 s at constant memory. The list is synthetic (names
combined from short lists, marked SYNTHETIC in its source name). The command runs as its own
process against PostgreSQL (or SQLite with --sqlite); its wall time and peak RSS are reported,
with and without matching against the open traces, and a second run of the same file shows
what a re-import costs (it adds nothing). After the import without matching, `ridni tracing
match --all-open` matches every open request against the whole registry, the way to match
a list too long to match row by row on the way in.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import text

from ridni.cases.models import Record, RecordKind
from ridni.evidence.models import Source, SourceKind
from ridni.partial_date import PartialDate
from ridni.security.keys import KeyRing
from ridni.storage.engine import open_database
from ridni.storage.migrate import upgrade
from ridni.tracing.models import Trace, TracingRequest

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# Names are encrypted at rest: one throw-away key ring for the benchmark's databases.
KEYS = KeyRing.generate()
GIVEN = ["Олександр", "Марія", "Іван", "Олена", "Андрій", "Анна", "Дмитро", "Софія", "Максим"]
GIVEN += ["Александр", "Мария", "Иван", "Елена", "Aleksandr", "Mariia", "Ivan", "Olena"]
FAMILY = ["Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравченко", "Олійник", "Мельник"]
FAMILY += ["Шевчук", "Поліщук", "Бойко", "Ковальчук", "Савченко", "Руденко", "Марченко"]
PLACES = ["Херсон", "Маріуполь", "Бахмут", "Мелітополь", "Харків", "Донецьк", "Луганськ"]
MAPPING = """\
kind: camp_list
columns:
  source_ref: "№"
  family_name: Прізвище
  given_name: Ім'я
  sex: Стать
  birth_date: Дата народження
  birth_place: Місце народження
"""


def write_list(path: Path, rows: int, seed: int) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["№", "Прізвище", "Ім'я", "Стать", "Дата народження", "Місце народження"])
        for n in range(1, rows + 1):
            family = rng.choice(FAMILY) + ("" if n % 3 else str(n % 97))
            born = f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(2005, 2021)}"
            writer.writerow(
                [n, family, rng.choice(GIVEN), rng.choice("МЖ"), born, rng.choice(PLACES)]
            )


def open_traces(url: str, traces: int, seed: int) -> None:
    rng = random.Random(seed + 1)
    db = open_database(url, keyring=KEYS)
    upgrade(db)
    with db.session() as session:
        source = Source(title="Family reports (SYNTHETIC)", kind=SourceKind.family_report)
        session.add(source)
        session.flush()
        for n in range(traces):
            record = Record(
                source_id=source.id,
                source_ref=f"family-{n}",
                kind=RecordKind.family_report,
                given_name=rng.choice(GIVEN),
                family_name=rng.choice(FAMILY),
                birth_date=PartialDate.of(rng.randint(2005, 2021), rng.randint(1, 12)),
                birth_place=rng.choice(PLACES),
            )
            session.add(record)
            session.flush()
            request = TracingRequest(inquirer_name="Synthetic inquirer", consent_tracing=True)
            request.traces = [Trace(record_id=record.id)]
            session.add(request)
    db.dispose()


def run(args: list[str], url: str, batch: int) -> tuple[float, float, float, str]:
    """Wall time, CPU time (user + system: what the import itself costs, whatever else the
    machine is running) and peak RSS of one ``ridni`` command, with its last line."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603  (our own command, our own arguments)
        [sys.executable, "-m", "ridni", *args],
        env={
            **os.environ,
            "RIDNI_DATABASE_URL": url,
            "RIDNI_IMPORT_BATCH_SIZE": str(batch),
            "RIDNI_KEYS": KEYS.to_json(),
            "COLUMNS": "400",  # the summary on one line
        },
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    # ru_maxrss of children is the largest of any child so far; each run's child is the
    # largest process it starts, and the runs grow, so this is the run's peak (in KiB).
    peak = after.ru_maxrss / 1024
    return seconds, cpu, peak, done.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--traces", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sqlite", action="store_true", help="SQLite file instead of PostgreSQL")
    parser.add_argument("--skip-match", action="store_true", help="only the run without matching")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        listing, mapping = work / "list.csv", work / "mapping.yaml"
        started = time.perf_counter()
        write_list(listing, args.rows, args.seed)
        mapping.write_text(MAPPING, encoding="utf-8")
        size = listing.stat().st_size / 2**20
        print(f"wrote {args.rows} rows ({size:.0f} MiB) in {time.perf_counter() - started:.0f} s")
        print(
            f"load average {' '.join(f'{n:.2f}' for n in os.getloadavg())} on {os.cpu_count()} CPUs"
        )
        variants = [("without matching", ["--no-match"])]
        if not args.skip_match:
            variants.append((f"with matching against {args.traces} open traces", []))
        for label, extra in variants:
            schema = f"ridni_bench_{uuid.uuid4().hex[:8]}"
            admin = open_database(SERVER)
            if args.sqlite:
                url = f"sqlite:///{work / (schema + '.sqlite3')}"
            else:
                with admin.engine.begin() as connection:
                    connection.execute(text(f'CREATE SCHEMA "{schema}"'))
                url = f"{SERVER}?options=-csearch_path%3D{schema},public"
            try:
                open_traces(url, args.traces, args.seed)
                command = [
                    "import",
                    str(listing),
                    "-m",
                    str(mapping),
                    "-s",
                    "Camp list (SYNTHETIC)",
                ]
                seconds, cpu, peak, summary = run([*command, *extra], url, args.batch)
                rate = args.rows / seconds
                print(
                    f"{label}: {seconds:.1f} s ({rate:,.0f} rows/s), CPU {cpu:.1f} s, "
                    f"peak RSS {peak:.0f} MB — {summary}"
                )
                seconds, cpu, peak, summary = run([*command, *extra], url, args.batch)
                print(f"  same file again: {seconds:.1f} s, CPU {cpu:.1f} s — {summary}")
                if extra:  # imported without matching: match the open requests afterwards
                    seconds, cpu, peak, summary = run(
                        ["tracing", "match", "--all-open"], url, args.batch
                    )
                    print(
                        f"  then `ridni tracing match --all-open`: {seconds:.1f} s, "
                        f"CPU {cpu:.1f} s, peak RSS {peak:.0f} MB — {summary}"
                    )
            finally:
                if not args.sqlite:
                    with admin.engine.begin() as connection:
                        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()


if __name__ == "__main__":
    main()
