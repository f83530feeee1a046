"""The file formats of a list export, apart from the writers (openpyxl), so the command line's
`--format` option is known without loading them."""

from __future__ import annotations

from enum import StrEnum


class ListFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
