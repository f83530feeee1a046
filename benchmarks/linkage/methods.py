"""One linkage method per process, so wall time and peak RSS are its own.

    python benchmarks/linkage/methods.py engine|engine-one-to-one|peer DIR

Writes DIR/pairs-<method>.csv and prints a JSON line with wall seconds and peak RSS in MB.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import pyarrow.csv as pacsv


def engine(directory: Path, one_to_one: bool = False, top: int = 0) -> None:
    from ridni.linkage.batch import link_files

    name = "engine-one-to-one" if one_to_one else f"engine-top{top}" if top else "engine"
    model = directory / "model.json"
    link_files(
        directory / "left.csv",
        directory / "right.csv",
        directory / f"pairs-{name}.csv",
        model=model if model.exists() else None,
        one_to_one=one_to_one,
        top=top,
    )


def engine_one_to_one(directory: Path) -> None:
    """`ridni link --one-to-one`: for sets where neither side lists anyone twice (FEBRL4)."""
    engine(directory, one_to_one=True)


def engine_top10(directory: Path) -> None:
    """`ridni link --top 10`: each family record's 10 best candidates even below 0.01."""
    engine(directory, top=10)


def peer(directory: Path) -> None:
    """Splink out of the box: its default name and date-of-birth comparisons, unidecoded."""
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    from unidecode import unidecode

    con = duckdb.connect()
    # Out of the box, DuckDB may take 80% of RAM; on a shared machine the peer spills to
    # disk past 5 GB instead (its 200k run would otherwise need about 20 GB).
    con.execute(f"SET memory_limit = '5GB'; SET temp_directory = '{directory / 'spill'}'")
    con.create_function("unidecode", lambda s: unidecode(s) if s else None, ["VARCHAR"], "VARCHAR")
    for side in ("left", "right"):
        con.execute(
            f"""CREATE TABLE peer_{side} AS SELECT record_id AS unique_id,  -- noqa: S608
              nullif(lower(unidecode(given_name)), '') AS first_name,
              nullif(lower(unidecode(family_name)), '') AS surname,
              nullif(sex, '') AS sex,
              nullif(lower(unidecode(birth_place)), '') AS place,
              CASE length(birth_date) WHEN 10 THEN birth_date WHEN 7 THEN birth_date || '-01'
                   WHEN 4 THEN birth_date || '-01-01' END AS dob,
              nullif(substr(birth_date, 1, 4), '') AS year
            FROM read_csv('{directory / (side + ".csv")}', all_varchar=true, header=true)"""
        ).fetchall()
    db_api = DuckDBAPI(con)
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("sex"),
            cl.ExactMatch("place"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"),
            block_on("surname", "year"),
            block_on("first_name", "dob"),
        ],
    )
    tables = [db_api.register("peer_left"), db_api.register("peer_right")]
    linker = Linker(tables, settings, log_level=None)
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    predictions = linker.inference.predict(threshold_match_probability=0.01)
    table = con.sql(
        f"SELECT unique_id_l AS left_id, unique_id_r AS right_id, match_probability "
        f"FROM {predictions.physical_name}"
    ).to_arrow_table()
    pacsv.write_csv(table, directory / "pairs-peer.csv")


def main() -> None:
    method, directory = sys.argv[1], Path(sys.argv[2])
    started = time.perf_counter()
    methods = {
        "engine": engine,
        "engine-one-to-one": engine_one_to_one,
        "engine-top10": engine_top10,
        "peer": peer,
    }
    methods[method](directory)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result = {
        "method": method,
        "wall_s": round(wall, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_mb": round(peak_rss_kb() / 1024),
    }
    print(json.dumps(result))


def peak_rss_kb() -> int:
    """This process image's own high-water mark. getrusage's ru_maxrss is not: Linux carries
    it over from the parent through fork and exec, so a child of a big benchmark runner
    would report the runner's memory as its own."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    main()
