"""The Spark backend, for lists too large for one machine's DuckDB.

Needs the optional ``spark`` extra (pyspark and a Java runtime). Tables travel as Arrow; the
SQL is Splink's, translated from our DuckDB-dialect levels by sqlglot.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]

from ridni.errors import InputError
from ridni.linkage.backend import Backend

_TABLES = itertools.count(1)
APP_NAME = "ridni-linkage"  # the local session Ridni starts when none is open


class SparkBackend(Backend):
    name = "spark"

    def __init__(self) -> None:
        try:
            from pyspark.sql import SparkSession  # type: ignore[import-not-found, unused-ignore]
            from splink import SparkAPI
            from splink.backends.spark import similarity_jar_location
        except ImportError:
            raise InputError(
                "the Spark backend needs pyspark", "pip install 'ridni[spark]' (and a Java runtime)"
            ) from None
        # A session already open in this process (a cluster's, a notebook's) is used as it
        # is: getOrCreate() would overwrite its modifiable settings, such as its shuffle
        # partitions, with the local ones below. It needs Splink's jar in its spark.jars.
        callers = SparkSession.getActiveSession()
        self.spark = callers or (
            SparkSession.builder.master("local[2]")
            .appName(APP_NAME)
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            # Each blocking rule's join may hold its small side in memory, one page each. At
            # the default page (32 MB under a 1 GB heap) the 33 rules' joins of even a few
            # records ran out of heap: dozens of OutOfMemoryError traces and retried tasks on
            # every run. 4 MB pages still allow 32 GB a task (8,192 pages).
            .config("spark.buffer.pageSize", "4m")
            # Not ./spark-warehouse in whatever directory the command ran from.
            .config("spark.sql.warehouse.dir", str(Path(tempfile.gettempdir()) / "ridni-spark"))
            # Splink's jar holds the Jaro-Winkler and Damerau-Levenshtein functions.
            .config("spark.jars", similarity_jar_location())
            .getOrCreate()
        )
        # Splink cuts a query's lineage after each step by writing the table as parquet
        # under the checkpoint directory. (Persisting keeps the lineage, and iterative steps
        # such as Splink's clustering grew plans that exhausted the driver's heap.) In
        # Ridni's own session each run gets its own directory, removed when it closes; a
        # caller's session keeps the directory it has (on a cluster, shared storage).
        self._scratch: str | None = None
        context = self.spark.sparkContext
        if callers is None or context.appName == APP_NAME or context.getCheckpointDir() is None:
            self._scratch = tempfile.mkdtemp(prefix="ridni-spark-")
            context.setCheckpointDir(self._scratch)
        self.db_api: Any = SparkAPI(  # type: ignore[no-untyped-call]
            spark_session=self.spark, break_lineage_method="parquet"
        )

    def register(self, table: pa.Table, display_name: str) -> Any:
        # Table names live as long as the session, which outlives one run.
        name = f"{display_name}_{next(_TABLES)}"
        # Arrow in and out, not through pandas: pandas made a 64-bit block key column with a
        # NULL a float column, and distinct keys could then meet as the same float.
        frame = self.spark.createDataFrame(table)
        return self.db_api.register(frame, table_name=name)

    def run(self, statement: str) -> None:
        self.spark.sql(statement).collect()

    def sql(self, query: str) -> pa.Table:
        return self.spark.sql(query).toArrow()

    def expected_match_rate(
        self, tables: list[Any], parameters: Any, link_type: Any, sizes: tuple[int, int]
    ) -> float:
        _, predictions = self.predict(tables, parameters, link_type, sizes, threshold=0.001)
        side = "unique_id_l" if sizes[0] <= sizes[1] else "unique_id_r"
        frame = self.sql(
            f"SELECT sum(p) AS total FROM (SELECT max(match_probability) AS p "  # noqa: S608 (table names are generated here, never user text)
            f"FROM {predictions.physical_name} GROUP BY {side})"
        )
        total = frame.column("total")[0].as_py() or 0.0
        return max(0.01, min(1.0, float(total) / max(1, min(sizes))))

    def close(self) -> None:
        """The session is shared across runs in one process; Spark stops it at exit."""
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
