"""Records that describe one child, from the links between them.

Clustering runs on the links at or above the threshold only, which are few (one per duplicate,
give or take), so it runs here in Python whichever backend scored the pairs. Splink's own
clustering on Spark iterates dozens of Spark jobs and, with lineage kept, exhausts the driver.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa  # type: ignore[import-untyped]


def cluster(
    records: Iterable[str], links: Iterable[tuple[str, str, float]]
) -> tuple[pa.Table, int]:
    """``record_id, cluster_id, probability`` for every record, and the number of clusters.

    A cluster is a connected group of links; it is named after its smallest record_id. A
    record's probability is its strongest link inside the cluster (1 for a record alone).
    """
    parent: dict[str, str] = {}

    def find(item: str) -> str:
        root = item
        while (up := parent.get(root, root)) != root:
            root = up
        while item != root:  # path compression keeps later look-ups flat
            parent[item], item = root, parent[item]
        return root

    best: dict[str, float] = {}
    for left, right, probability in links:
        a, b = find(left), find(right)
        if a != b:
            parent[max(a, b)] = min(a, b)
        for record in (left, right):
            best[record] = max(best.get(record, 0.0), probability)
    rows = sorted((find(record), record) for record in records)
    table = pa.table(
        {
            "record_id": [record for _, record in rows],
            "cluster_id": [root for root, _ in rows],
            "probability": [round(best.get(record, 1.0), 6) for _, record in rows],
        }
    )
    return table, len({root for root, _ in rows})
