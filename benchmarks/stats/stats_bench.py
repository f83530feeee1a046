"""Public statistics and alerts at scale on PostgreSQL.

    nice .venv/bin/python benchmarks/stats/stats_bench.py --children 1000000

Targets (issue 7): the statistics page answers in ≤ 200 ms at 1M children; alerts are cheap to
recompute daily. The database is filled by COPY with synthetic cases (no names: aggregates do
not read them), ~2.5 movements per child to ~2,000 facilities; everything measured goes
through Ridni's own services and web app.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time
import uuid
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text

from ridni.alerts.service import refresh as refresh_alerts
from ridni.settings import load_settings
from ridni.stats.service import refresh as refresh_stats
from ridni.storage.engine import Database, open_database
from ridni.storage.migrate import upgrade
from ridni.web.app import create_app

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
OBLASTS = ["Донецька", "Херсонська", "Запорізька", "Луганська", "Харківська", "Київська", "АР Крим"]
OBLASTS += [f"Синтетична область {n}" for n in range(1, 19)]
STATUSES = ["reported"] * 40 + ["verified"] * 20 + ["located"] * 25
STATUSES += ["return_in_progress"] * 4 + ["returned"] * 6 + ["reunited"] * 4 + ["deceased"]
KINDS = ["camp_sanatorium", "cadet_school", "military_base", "family_centre_orphanage", "hotel"]
TERRITORIES = ["Московская область", "Ростовская область", "Краснодарский край", "Крым", ""]
NOW = "2026-11-26 00:00:00"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def copy_rows(
    db: Database, table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
            for row in rows:
                copy.write_row(row)
        raw.commit()
    finally:
        raw.close()


def load(db: Database, children: int, seed: int) -> None:
    rng = random.Random(seed)
    facilities = max(50, children // 500)

    def facility_rows() -> Iterable[tuple[Any, ...]]:
        for n in range(1, facilities + 1):
            country = rng.choice(["RU", "RU", "RU", "BY", "UA"])
            yield (
                n,
                f"Synthetic facility {n}",
                rng.choice(KINDS),
                country,
                rng.choice(TERRITORIES),
                country == "UA",
                "unknown",
                "low",
                "",
                "",
                NOW,
                NOW,
            )

    copy_rows(
        db,
        "facilities",
        [
            "id",
            "name",
            "kind",
            "country",
            "territory",
            "occupied_territory",
            "government_level",
            "confidence",
            "notes",
            "name_key",
            "created_at",
            "updated_at",
        ],
        facility_rows(),
    )
    training = rng.sample(range(1, facilities + 1), facilities // 8)
    copy_rows(
        db,
        "facility_activities",
        ["facility_id", "activity"],
        ((f, "military_training") for f in training),
    )

    def child_rows() -> Iterable[tuple[Any, ...]]:
        for n in range(1, children + 1):
            born = date(2005, 1, 1) + timedelta(days=rng.randint(0, 365 * 17))
            precision = rng.choices(["day", "month", "year"], weights=[85, 10, 5])[0]
            if precision != "day":
                born = born.replace(day=1, month=born.month if precision == "month" else 1)
            yield (
                n,
                "Synthetic",
                f"Child {n}",
                born,
                precision,
                rng.choice(OBLASTS),
                rng.choice(STATUSES),
                rng.random() < 0.2,
                rng.random() < 0.03,
                True,
                True,
                "",
                1,
                NOW,
                NOW,
            )

    copy_rows(
        db,
        "children",
        [
            "id",
            "given_name",
            "family_name",
            "birth_date_value",
            "birth_date_precision",
            "origin_oblast",
            "status",
            "russian_citizenship_imposed",
            "adopted_or_guardianship_in_russia",
            "consent_tracing",
            "consent_share",
            "notes",
            "version",
            "created_at",
            "updated_at",
        ],
        child_rows(),
    )

    def movement_rows() -> Iterable[tuple[Any, ...]]:
        for n in range(1, children + 1):
            taken = date(2022, 1, 1) + timedelta(days=rng.randint(0, 1400))
            yield (n, 1, "taken", taken, "day", None, NOW, NOW, "")
            when = taken
            for sequence in range(2, 2 + rng.choice([0, 1, 1, 2])):
                when += timedelta(days=rng.randint(5, 300))
                yield (
                    n,
                    sequence,
                    "transfer",
                    when,
                    "month",
                    rng.randint(1, facilities),
                    NOW,
                    NOW,
                    "",
                )

    copy_rows(
        db,
        "movements",
        [
            "child_id",
            "sequence",
            "kind",
            "on_date_value",
            "on_date_precision",
            "facility_id",
            "created_at",
            "updated_at",
            "notes",
        ],
        movement_rows(),
    )
    with db.engine.begin() as connection:
        for table in ("children", "facilities"):
            connection.execute(
                text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
            )
        connection.execute(text("ANALYZE"))


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return (
        f"p50 {statistics.median(ordered) * 1000:6.1f} ms   p95 {p95 * 1000:6.1f} ms   "
        f"max {ordered[-1] * 1000:6.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--children", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    schema = f"ridni_bench_{uuid.uuid4().hex[:8]}"
    admin = open_database(SERVER)
    with admin.engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    db = open_database(f"{SERVER}?options=-csearch_path%3D{schema},public")
    try:
        upgrade(db)
        started = time.perf_counter()
        load(db, args.children, args.seed)
        with db.session() as session:
            movements = session.scalar(text("SELECT count(*) FROM movements"))
        print(
            f"loaded {args.children} children, {movements} movements by COPY "
            f"in {time.perf_counter() - started:.0f} s"
        )
        settings = load_settings()
        for attempt in (1, 2):
            with db.session() as session:
                snapshot = refresh_stats(session, settings.stats_min_cell)
            print(f"statistics recomputed (run {attempt}): {snapshot.seconds:.2f} s")
        for attempt in (1, 2):
            with db.session() as session:
                run = refresh_alerts(session, date(2026, 6, 30), settings.alert_no_sighting_months)
            print(f"alerts recomputed (run {attempt}): {run.seconds:.2f} s, {run.counts}")
        app = create_app(settings, db)
        with TestClient(app) as client:
            for path in ("/statistics", "/api/v1/statistics", "/statistics.csv"):
                client.get(path)  # warm-up
                samples = []
                for _ in range(args.requests):
                    started = time.perf_counter()
                    response = client.get(path)
                    samples.append(time.perf_counter() - started)
                    assert response.status_code == 200
                print(f"GET {path:22} {percentiles(samples)}")
        print(f"peak RSS {rss_mb():.0f} MB")
    finally:
        db.dispose()
        with admin.engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
