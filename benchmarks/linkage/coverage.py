"""Blocking coverage: how many true pairs become candidates, at what cost, and what is missed.

    nice .venv/bin/python benchmarks/linkage/coverage.py --sought 5000 --seed 101

Draws the synthetic set (the generator `run.py synthetic` uses), computes the engine's block
keys with its cap (:func:`ridni.linkage.blocking.add_block_keys`) and prints: the share of
true pairs that agree on at least one rule's key (coverage), distinct candidate pairs per left
record, per rule its pairs and the true pairs only it finds, and the missed true pairs broken
down by which fields differ (given name key, surname key, patronymic key, birth date level as
the model names it, place key, sex) and by the generator's distortions. A missed pair whose
keys agree on some rule was lost to that rule's cap; the others agree on no rule at all.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import duckdb
import pyarrow as pa

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from ridni.demo.linkage_set import LinkageSet, generate_linkage_set  # noqa: E402
from ridni.linkage.blocking import BATCH_CAP, RULES, add_block_keys, rule_key  # noqa: E402
from ridni.linkage.comparisons import level_of  # noqa: E402
from ridni.linkage.fields import BIRTH_DATE  # noqa: E402
from ridni.linkage.prepare import FEATURE_COLUMNS, Features, features_of_table, rows_table  # noqa: E402


def _true_pairs(data: LinkageSet, keyed: list[pa.Table]) -> list[tuple[int, int]]:
    """True pairs as (family row, registry row) positions in the keyed tables (whose rows
    DuckDB may have reordered)."""
    left, right = (
        {record: n for n, record in enumerate(table.column("unique_id").to_pylist())}
        for table in keyed
    )
    registry_of: dict[str, list[int]] = {}
    for row in data.registry:
        registry_of.setdefault(data.child_of[row.record_id], []).append(right[row.record_id])
    return [
        (left[row.record_id], other)
        for row in data.family
        for other in registry_of.get(data.child_of[row.record_id], [])
    ]


def _state(left: object, right: object) -> str:
    if left is None or right is None:
        return "missing"
    return "same" if left == right else "differs"


def _surname(left: Features, right: Features) -> str:
    if left.family_key is not None and right.family_key is not None:
        if left.family_key == right.family_key:
            return "same"
        if left.family_stem == right.family_stem:
            return "same stem"
        return "differs"
    if left.family_initial is not None and right.family_initial is not None:
        return "initial " + ("same" if left.family_initial == right.family_initial else "differs")
    return "missing"


def _fields(left: Features, right: Features) -> dict[str, str]:
    return {
        "given": _state(left.given_key, right.given_key),
        "surname": _surname(left, right),
        "patronymic": _state(left.patronymic_key, right.patronymic_key),
        "date": BIRTH_DATE.levels[level_of(BIRTH_DATE, left, right)].label,
        "place": _state(left.place_key, right.place_key),
        "sex": _state(left.sex, right.sex),
    }


def _rows(table: pa.Table, positions: list[int]) -> dict[int, Features]:
    picked = table.take(pa.array(positions, pa.int64()))
    columns = [picked.column(name).to_pylist() for name in FEATURE_COLUMNS]
    return {
        position: Features._make(values)
        for position, values in zip(positions, zip(*columns, strict=True), strict=True)
    }


# Every key a rule could be made of: the narrowest block a missed pair could fall in agrees
# on all of those it agrees on.
KEY_COLUMNS = (
    "given_key",
    "given_sk",
    "given_prefix",
    "family_key",
    "family_stem",
    "family_prefix",
    "family_first",
    "family_last",
    "family_initial",
    "names_sorted",
    "patronymic_key",
    "sex",
    "birth_year",
    "birth_month",
    "birth_day",
    "birth_days",
    "birth_unordered",
    "birth_week",
    "birth_week_offset",
    "place_key",
)


def _agreeing(left: Features, right: Features) -> tuple[str, ...]:
    return tuple(
        column
        for column in KEY_COLUMNS
        if getattr(left, column) is not None and getattr(left, column) == getattr(right, column)
    )


def _narrowest_blocks(
    con: duckdb.DuckDBPyConnection,
    missed: list[int],
    left: dict[int, Features],
    right: dict[int, Features],
) -> dict[int, int]:
    """Per missed pair, the pairs of the block made of every key its records agree on."""
    by_agreement: dict[tuple[str, ...], list[int]] = {}
    for k in missed:
        by_agreement.setdefault(_agreeing(left[k >> 32], right[k & 0xFFFFFFFF]), []).append(k)
    sizes: dict[int, int] = {}
    for agreed, pairs in by_agreement.items():
        if not agreed:  # agreeing on nothing: the block is everyone
            sizes.update(dict.fromkeys(pairs, 1 << 62))
            continue
        present = " AND ".join(f"{column} IS NOT NULL" for column in agreed)
        values = ", ".join(agreed)
        counts = [
            dict(
                con.sql(
                    f"SELECT hash({values}), count(*) FROM {side} WHERE {present} GROUP BY 1"
                ).fetchall()
            )
            for side in ("l", "r")
        ]
        wanted = ", ".join(map(str, pairs))
        for k, h in con.sql(
            f"SELECT m.k, hash({values}) FROM (SELECT unnest([{wanted}]::BIGINT[]) AS k) m "
            "JOIN l ON l.rid = m.k >> 32"
        ).fetchall():
            sizes[k] = counts[0].get(h, 0) * counts[1].get(h, 0)
    return sizes


def _cap_for(sizes: list[int], allowed: int) -> int | None:
    """The cap that leaves at most ``allowed`` of the missed pairs beyond every rule."""
    if len(sizes) <= allowed:
        return None  # reached under the cap already, or reachable with new rules
    return sizes[allowed]


def measure(
    data: LinkageSet,
    rules: tuple[tuple[str, ...], ...] = RULES,
    cap: int = BATCH_CAP,
    show: int = 25,
) -> dict[str, object]:
    started = time.perf_counter()
    features = [features_of_table(rows_table(side)) for side in (data.family, data.registry)]
    keyed = add_block_keys(features, cap, rules)
    keying = time.perf_counter() - started
    spill = tempfile.mkdtemp(prefix="ridni-coverage-")
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '4GB'; SET temp_directory = '{spill}'")
    blocks = [f"block_{n}" for n in range(len(rules))]
    for name, table in zip(("l", "r"), keyed, strict=True):
        numbered = table.select([*blocks, *KEY_COLUMNS]).append_column(
            "rid", pa.array(range(table.num_rows), pa.int64())
        )
        con.register(f"{name}_arrow", numbered)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_arrow")
    truth = _true_pairs(data, keyed)
    con.register(
        "truth_arrow",
        pa.table({"k": pa.array([a << 32 | b for a, b in truth], pa.int64())}),
    )
    con.execute("CREATE TABLE truth AS SELECT k FROM truth_arrow")
    con.execute("CREATE TABLE pairs (k BIGINT, rule SMALLINT)")
    for number, column in enumerate(blocks):
        con.execute(
            f"INSERT INTO pairs SELECT l.rid << 32 | r.rid, {number} "
            f"FROM l JOIN r ON l.{column} = r.{column}"
        )
    con.execute(
        "CREATE TABLE distinct_pairs AS SELECT k, count(*) AS rules, min(rule) AS rule "
        "FROM pairs GROUP BY k"
    )
    total = con.sql("SELECT count(*) FROM distinct_pairs").fetchall()[0][0]
    found = con.sql("SELECT count(*) FROM truth JOIN distinct_pairs USING (k)").fetchall()[0][0]
    per_rule = con.sql(
        "SELECT p.rule, count(*) AS pairs, count(t.k) AS true_pairs, "
        "count(t.k) FILTER (WHERE d.rules = 1) AS only_here, "
        "count(*) FILTER (WHERE d.rules = 1) AS pairs_only_here "
        "FROM pairs p JOIN distinct_pairs d USING (k) LEFT JOIN truth t USING (k) "
        "GROUP BY 1 ORDER BY 1"
    ).fetchall()
    missed = [
        k for (k,) in con.sql("SELECT k FROM truth ANTI JOIN distinct_pairs USING (k)").fetchall()
    ]
    left = _rows(keyed[0], sorted({k >> 32 for k in missed}))
    right = _rows(keyed[1], sorted({k & 0xFFFFFFFF for k in missed}))
    narrowest = _narrowest_blocks(con, missed, left, right)
    con.close()
    beyond = [k for k in missed if narrowest[k] > cap]
    by_field: dict[str, Counter[str]] = {}
    combos: Counter[tuple[str, ...]] = Counter()
    variants: Counter[str] = Counter()
    capped: Counter[str] = Counter()
    for k in missed:
        a, b = left[k >> 32], right[k & 0xFFFFFFFF]
        fields = _fields(a, b)
        for name, state in fields.items():
            by_field.setdefault(name, Counter())[state] += 1
        combos[tuple(f"{name}={state}" for name, state in fields.items())] += 1
        variants[data.variants[b.unique_id]] += 1
        agreeing = [n for n, rule in enumerate(rules) if rule_key(a, rule) == rule_key(b, rule)]
        capped["capped" if any(rule_key(a, rules[n]) for n in agreeing) else "no rule"] += 1
    return {
        "left": len(data.family),
        "right": len(data.registry),
        "true_pairs": len(truth),
        "coverage": round(found / len(truth), 5),
        "missed": len(missed),
        "pairs": total,
        "pairs_per_left": round(total / len(data.family), 1),
        "keying_s": round(keying, 1),
        "missed_kind": dict(capped),
        # Missed pairs no rule under the cap can find: even every key they agree on, taken
        # together, makes a block of more than `cap` pairs.
        "missed_beyond_any_rule": len(beyond),
        "coverage_ceiling": round(1 - len(beyond) / len(truth), 5),
        # The smallest cap under which some rule set could reach 99.5%.
        "cap_for_995": _cap_for(sorted(narrowest.values(), reverse=True), len(truth) // 200),
        "beyond_by_agreement": [
            [count, agreed]
            for agreed, count in Counter(
                "+".join(_agreeing(left[k >> 32], right[k & 0xFFFFFFFF])) or "nothing"
                for k in beyond
            ).most_common(show)
        ],
        "per_rule": [
            {
                "rule": "+".join(rules[rule]),
                "pairs": pairs,
                "true": true_pairs,
                "only_here": only,
                "pairs_only_here": pairs_only,
            }
            for rule, pairs, true_pairs, only, pairs_only in per_rule
        ],
        "missed_by_field": {
            name: dict(counter.most_common()) for name, counter in by_field.items()
        },
        "missed_combinations": [
            [count, ", ".join(combo)] for combo, count in combos.most_common(show)
        ],
        "missed_variants": [[count, kinds] for kinds, count in variants.most_common(show)],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sought", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=101)
    parser.add_argument("--cap", type=int, default=BATCH_CAP)
    parser.add_argument("--show", type=int, default=25, help="combinations of fields to list")
    parser.add_argument(
        "--rules", type=Path, help="try these rules instead (JSON: a list of lists of columns)"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    data = generate_linkage_set(args.sought, args.seed)
    drawn = time.perf_counter() - started
    rules = RULES
    if args.rules:
        rules = tuple(tuple(rule) for rule in json.loads(args.rules.read_text(encoding="utf-8")))
    result = measure(data, rules, args.cap, args.show)
    print(json.dumps({"sought": args.sought, "seed": args.seed, "draw_s": round(drawn, 1)}))
    for key, value in result.items():
        if isinstance(value, list):
            print(f"{key}:")
            for item in value:
                print("  " + json.dumps(item, ensure_ascii=False))
        else:
            print(f"{key}: {json.dumps(value, ensure_ascii=False)}")


if __name__ == "__main__":
    main()
