"""Records linked directly or through others form one cluster, whatever scored the links."""

from __future__ import annotations

from ridni.linkage.clusters import cluster


def test_links_chain_into_one_cluster_named_after_its_smallest_record() -> None:
    table, count = cluster(["c", "b", "a", "d"], [("c", "b", 0.9), ("b", "a", 0.6)])
    rows = {r["record_id"]: r for r in table.to_pylist()}
    assert count == 2
    assert rows["a"]["cluster_id"] == rows["b"]["cluster_id"] == rows["c"]["cluster_id"] == "a"
    assert rows["d"]["cluster_id"] == "d"
    # Each record's strongest link inside its cluster; a record alone is certain.
    assert [rows[r]["probability"] for r in "abcd"] == [0.6, 0.9, 0.9, 1.0]
