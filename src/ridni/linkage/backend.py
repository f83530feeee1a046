"""Where Splink runs: DuckDB embedded (the default) or Spark for scale-out.

Both receive the same feature tables and the same SQL; only registration and the final
export differ. pyspark is optional: asking for Spark without it is an input error, not a crash.
"""

from __future__ import annotations

import shutil
import tempfile
from typing import Any, Literal

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
from splink import Linker

from ridni.errors import InputError
from ridni.linkage.model import LinkType, Parameters, settings
from ridni.settings import read_setting

BackendName = Literal["duckdb", "spark"]
# DuckDB takes up to 80% of RAM by default. Past this it spills candidate pairs and join
# tables to disk instead: 200,000 × 950,000 records then peak near 3.4 GB in all, not 4.6
# (Splink's own chunking cost twice the time). At 2 GB the same run peaked at 2.7 GB but
# scored for 75 s instead of 60 (decision 108). Lists larger than a machine are what the
# Spark backend is for.
DUCKDB_MEMORY = "2.5GB"


class Backend:
    """One Splink database connection holding this run's tables."""

    name: BackendName = "duckdb"

    def __init__(self) -> None:
        from splink import DuckDBAPI

        self.connection = duckdb.connect()
        threads = read_setting("linkage_threads")  # checked as every setting is
        if threads is not None:
            self.run(f"SET threads = {int(threads)}")
        self.run("SET preserve_insertion_order = false")
        self.run(f"SET memory_limit = '{DUCKDB_MEMORY}'")
        self._spill = tempfile.mkdtemp(prefix="ridni-linkage-")
        self.run(f"SET temp_directory = '{self._spill}'")
        self.db_api: Any = DuckDBAPI(self.connection)
        self._count = 0

    def register(self, table: pa.Table, display_name: str) -> Any:
        self._count += 1
        physical = f"ridni_input_{self._count}"
        self.connection.register(f"{physical}_arrow", table)
        self.run(f"CREATE TABLE {physical} AS SELECT * FROM {physical}_arrow")  # noqa: S608 (table names are generated here, never user text)
        self.connection.unregister(f"{physical}_arrow")
        return self.db_api.register(physical, table_name=display_name)

    def linker(
        self,
        tables: list[Any],
        parameters: Parameters | None,
        link_type: LinkType,
        sizes: tuple[int, int],
    ) -> Linker:
        return Linker(tables, settings(parameters, link_type, *sizes), log_level=None)

    def predict(
        self,
        tables: list[Any],
        parameters: Parameters,
        link_type: LinkType,
        sizes: tuple[int, int],
        threshold: float = 0.01,
    ) -> tuple[Linker, Any]:
        linker = self.linker(tables, parameters, link_type, sizes)
        predictions = linker.inference.predict(
            threshold_match_probability=threshold, warning_mode="never"
        )
        return linker, predictions

    def run(self, statement: str) -> None:
        # DuckDB keeps a result open until it is fetched; Splink needs the connection free.
        self.connection.execute(statement).fetchall()

    def sql(self, query: str) -> pa.Table:
        return self.connection.sql(query).to_arrow_table()

    def expected_match_rate(
        self,
        tables: list[Any],
        parameters: Parameters,
        link_type: LinkType,
        sizes: tuple[int, int],
    ) -> float:
        """Expected matches per record of the smaller side, under ``parameters``."""
        _, predictions = self.predict(tables, parameters, link_type, sizes, threshold=0.001)
        side = "unique_id_l" if sizes[0] <= sizes[1] else "unique_id_r"
        row = self.connection.execute(
            f"SELECT sum(p) FROM (SELECT max(match_probability) AS p "  # noqa: S608 (table names are generated here, never user text)
            f"FROM {predictions.physical_name} GROUP BY {side})"
        ).fetchall()
        total = float(row[0][0] or 0.0) if row else 0.0
        return max(0.01, min(1.0, total / max(1, min(sizes))))

    def close(self) -> None:
        self.connection.close()
        shutil.rmtree(self._spill, ignore_errors=True)


def check_backend(name: str) -> str:
    """Refuse an unknown ``--backend`` before any list is read, not after the normalising."""
    if name not in ("duckdb", "spark"):
        raise InputError(f"unknown backend {name!r}", "use --backend duckdb or --backend spark")
    return name


def open_backend(name: str) -> Backend:
    if name == "duckdb":
        return Backend()
    if name == "spark":
        from ridni.linkage.spark import SparkBackend

        return SparkBackend()
    raise InputError(f"unknown backend {name!r}", "use --backend duckdb or --backend spark")
