"""Tracing at scale on PostgreSQL: live candidates, case search and case page latency.

    .venv/bin/python benchmarks/tracing/tracing_bench.py --children 560000 --queries 200

Targets (issue 4), with about 1M registry records in PostgreSQL:
candidates for a new trace p95 ≤ 50 ms; case search p95 ≤ 100 ms; case page p95 ≤ 100 ms.

The database is filled with synthetic data by COPY (the ORM loader would take many minutes at
this size); everything measured goes through Ridni's own services and web app.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text

from ridni.accounts.models import RoleName
from ridni.accounts.service import create_user, ensure_organisation
from ridni.cases.models import Record
from ridni.cases.service import search_children
from ridni.demo.dataset import Dataset
from ridni.demo.generator import generate
from ridni.linkage.scripts import detect_script
from ridni.partial_date import parse_optional
from ridni.security import keys
from ridni.security.blind_index import record_tokens
from ridni.security.encryption import encrypt
from ridni.security.keys import KeyRing
from ridni.settings import load_settings
from ridni.storage.engine import Database, open_database
from ridni.storage.migrate import upgrade
from ridni.tracing.matching import match_sought
from ridni.tracing.registry_index import RegistryIndex
from ridni.web.app import create_app

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def copy_rows(db: Database, table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
    raw = db.engine.raw_connection()
    count = 0
    try:
        cursor = raw.cursor()
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
            for row in rows:
                copy.write_row(row)
                count += 1
        raw.commit()
    finally:
        raw.close()
    return count


def load(db: Database, data: Dataset, ring: KeyRing) -> None:
    with db.session() as session:
        org = ensure_organisation(session, "Benchmark NGO (synthetic)")
        org_id = org.id
        session.execute(
            text(
                "INSERT INTO sources (id, title, kind, reliability, notes, created_at, updated_at) "
                "VALUES (1, 'Family reports (synthetic)', 'family_report', 'B', '', now(), now()), "
                "(2, 'Camp lists (synthetic)', 'camp_list', 'C', '', now(), now())"
            )
        )
    now = "2026-11-26 00:00:00"

    def seal(context: str, value: str | None) -> str | None:
        """What the Encrypted column type would store (COPY bypasses it)."""
        return None if value is None else encrypt(ring, context, value)

    children = {c.child_id: n for n, c in enumerate(data.children, start=1)}

    def child_rows() -> Iterable[tuple[Any, ...]]:
        for n, c in enumerate(data.children, start=1):
            born = parse_optional(c.birth_date)
            yield (
                n,
                seal("children.given_name", c.given_name),
                seal("children.family_name", c.family_name),
                seal("children.patronymic", c.patronymic or None),
                c.sex,
                born.value if born else None,
                born.precision.value if born else None,
                seal("children.birth_place", c.birth_place),
                c.origin_oblast,
                c.status,
                False,
                False,
                True,
                c.consent_share,
                org_id,
                seal("children.notes", ""),
                1,
                now,
                now,
            )

    copy_rows(
        db,
        "children",
        [
            "id",
            "given_name",
            "family_name",
            "patronymic",
            "sex",
            "birth_date_value",
            "birth_date_precision",
            "birth_place",
            "origin_oblast",
            "status",
            "russian_citizenship_imposed",
            "adopted_or_guardianship_in_russia",
            "consent_tracing",
            "consent_share",
            "organisation_id",
            "notes",
            "version",
            "created_at",
            "updated_at",
        ],
        child_rows(),
    )
    truth = {r.record_id: r for r in data.records}

    rows = data.family + data.registry

    def record_rows() -> Iterable[tuple[Any, ...]]:
        for number, row in enumerate(rows, start=1):
            fact = truth[row.record_id]
            born = parse_optional(row.birth_date)
            family = fact.side == "family"
            yield (
                number,
                children[fact.child_id] if fact.linked else None,
                1 if family else 2,
                row.record_id,
                "family_report" if family else "camp_list",
                seal("records.given_name", row.given_name or None),
                seal("records.family_name", row.family_name or None),
                seal("records.patronymic", row.patronymic or None),
                detect_script(row.given_name, row.family_name, row.patronymic).value,
                row.sex or None,
                born.value if born else None,
                born.precision.value if born else None,
                seal("records.birth_place", row.birth_place or None),
                seal("records.details", ""),
                org_id if family else None,
                True,
                now,
            )

    def token_rows() -> Iterable[tuple[Any, ...]]:
        for number, row in enumerate(rows, start=1):
            for token in record_tokens(ring, row.given_name, row.family_name, row.patronymic):
                yield (number, token)

    columns = [
        "id",
        "child_id",
        "source_id",
        "source_ref",
        "kind",
        "given_name",
        "family_name",
        "patronymic",
        "name_script",
        "sex",
        "birth_date_value",
        "birth_date_precision",
        "birth_place",
        "details",
        "organisation_id",
        "consent_share",
        "created_at",
    ]
    copy_rows(db, "records", columns, record_rows())
    copy_rows(db, "record_tokens", ["record_id", "token"], token_rows())
    with db.engine.begin() as connection:
        connection.execute(text("SELECT setval('children_id_seq', (SELECT max(id) FROM children))"))
        connection.execute(text("SELECT setval('records_id_seq', (SELECT max(id) FROM records))"))
    # What autovacuum does soon after a bulk load: statistics, and the visibility map that lets
    # name search read its index alone.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"p50 {p50 * 1000:6.1f} ms   p95 {p95 * 1000:6.1f} ms   max {ordered[-1] * 1000:6.1f} ms"


def timed(calls: list[Callable[[], object]]) -> list[float]:
    samples = []
    for call in calls:
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--children", type=int, default=560_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument(
        "--keep",
        type=Path,
        help="Keep the filled schema and its key file in this folder's name; a later run with "
        "the same --keep, --children and --seed reuses them instead of loading again.",
    )
    args = parser.parse_args()
    admin = open_database(SERVER)
    reuse = args.keep is not None and (args.keep / "keys.json").exists()
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        schema = f"ridni_bench_kept_{args.children}_{args.seed}"
        ring = keys.load(args.keep / "keys.json") if reuse else KeyRing.generate()
    else:
        schema = f"ridni_bench_{uuid.uuid4().hex[:8]}"
        ring = KeyRing.generate()
    if not reuse:
        with admin.engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    db = open_database(f"{SERVER}?options=-csearch_path%3D{schema},public", keyring=ring)
    try:
        started = time.perf_counter()
        data = generate(args.children, args.seed)
        print(
            f"generated {len(data.children)} children, {len(data.registry)} registry and "
            f"{len(data.family)} family records in {time.perf_counter() - started:.0f} s"
        )
        if not reuse:
            upgrade(db)
            started = time.perf_counter()
            load(db, data, ring)
            print(f"loaded by COPY in {time.perf_counter() - started:.0f} s")
            with db.session() as session:
                create_user(
                    session,
                    "bench",
                    "benchmark password",
                    roles=[RoleName.caseworker],
                    organisation=ensure_organisation(session, "Benchmark NGO (synthetic)"),
                )
            if args.keep is not None:
                keys.save(ring, args.keep / "keys.json")
        with db.session() as session:
            records = session.scalar(text("SELECT count(*) FROM records"))
        print(f"records in PostgreSQL: {records}" + (" (reused)" if reuse else ""))

        index = RegistryIndex()
        started = time.perf_counter()
        with db.session() as session:
            indexed = index.refresh(session)
        print(
            f"registry index: {indexed} records in {time.perf_counter() - started:.0f} s, "
            f"peak RSS {rss_mb():.0f} MB"
        )

        rng = random.Random(args.seed)
        sought = rng.sample(data.family, args.queries)

        def candidates_for(row: Any) -> Callable[[], object]:
            def run() -> object:
                with db.session() as session:
                    born = parse_optional(row.birth_date)
                    record = Record(
                        source_id=1,
                        source_ref=f"new-{uuid.uuid4()}",
                        kind="family_report",
                        given_name=row.given_name,
                        family_name=row.family_name,
                        patronymic=row.patronymic,
                        name_script=detect_script(row.given_name, row.family_name),
                        birth_date=born,
                        birth_place=row.birth_place,
                    )
                    session.add(record)
                    session.flush()
                    return match_sought(session, index, record)

            return run

        print(
            "candidates for a new trace (save + match + store):  "
            + percentiles(timed([candidates_for(row) for row in sought]))
        )

        queries = [
            f"{row.given_name} {row.family_name}" for row in rng.sample(data.registry, args.queries)
        ]

        def search(query: str) -> Callable[[], object]:
            def run() -> object:
                with db.session() as session:
                    return search_children(session, query, per_page=50)

            return run

        print(
            "case search (name in any script, first page):       "
            + percentiles(timed([search(q) for q in queries]))
        )

        settings = load_settings()
        app = create_app(settings, db, registry_index=index)
        with TestClient(app) as client:
            page = client.get("/login")
            token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
            client.post(
                "/login",
                data={"username": "bench", "password": "benchmark password", "csrf_token": token},
            )
            ids = rng.sample(range(1, len(data.children) + 1), args.queries)

            def show(child_id: int) -> Callable[[], object]:
                def run() -> object:
                    response = client.get(f"/children/{child_id}")
                    assert response.status_code == 200
                    return response

                return run

            print(
                "case page render (HTTP, logged in):                  "
                + percentiles(timed([show(i) for i in ids]))
            )
        print(f"peak RSS {rss_mb():.0f} MB")
    finally:
        db.dispose()
        if args.keep is None:
            with admin.engine.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
