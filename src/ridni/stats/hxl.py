"""The published figures as one HXL-tagged CSV (Humanitarian Exchange Language).

Long format: one line per breakdown row and status group, so humanitarian tools can filter on
the tags. A hidden count is an empty cell with ``#meta+suppressed`` = ``yes``; never a zero.
A breakdown's totals are the lines whose breakdown columns are empty; children the breakdown
knows nothing about are in lines marked ``(not recorded)``.
"""

from __future__ import annotations

import csv
import io

from ridni.stats.labels import COUNTRIES
from ridni.stats.publication import Breakdown, Publication, Row

HEADERS = (
    ("Breakdown", "#meta+breakdown"),
    ("Oblast of origin", "#adm1+name+origin"),
    ("Destination country code", "#country+code"),
    ("Destination country", "#country+name"),
    ("Destination region", "#adm1+name+destination"),
    ("Facility type", "#loc+type"),
    ("Age band (years)", "#group+age"),
    ("Month", "#date+month"),
    ("Status", "#status+code"),
    ("Children", "#affected+children"),
    ("Suppressed", "#meta+suppressed"),
)


NOT_RECORDED = "(not recorded)"


def _parts(row: Row) -> dict[str, str]:
    if any(row.parts.values()):
        return row.parts
    return dict.fromkeys(row.parts, NOT_RECORDED)


def _place(parts: dict[str, str]) -> tuple[str, str]:
    code = parts.get("country", "")
    if not code or code == NOT_RECORDED:
        return "", code
    return code.split("-")[0], str(COUNTRIES.get(code, code))


def _lines(breakdown: Breakdown) -> list[list[str]]:
    lines = []
    statuses = [*breakdown.columns, "total"] if not breakdown.one_way else ["children"]
    for row in [*breakdown.rows, None]:
        parts = _parts(row) if row else {}
        values = row.cells if row else breakdown.totals
        code, country = _place(parts)
        for status, value in zip(statuses, values, strict=False):
            lines.append(
                [
                    breakdown.key,
                    parts.get("oblast", ""),
                    code,
                    country,
                    parts.get("region", ""),
                    parts.get("facility_type", ""),
                    parts.get("age_band", ""),
                    parts.get("month", ""),
                    status,
                    "" if value is None else str(value),
                    "yes" if value is None else "",
                ]
            )
    return lines


def hxl_csv(publication: Publication) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([name for name, _ in HEADERS])
    writer.writerow([tag for _, tag in HEADERS])
    for breakdown in publication.breakdowns:
        writer.writerows(_lines(breakdown))
    return buffer.getvalue()
