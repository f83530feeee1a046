"""A quote never closed in a CSV file, found with the line where it starts.

A quoted field may hold line breaks (an address over two lines), so a quote that is never
closed does not look wrong to a CSV reader: Python's csv module, lenient as Excel is, makes
the rest of the file one silent field, and with it every later row. :class:`QuoteCheckedReader`
reads as that reader does and refuses this one case, naming the line where the record with the
open quote starts. Both the import (:mod:`ridni.imports.reading`) and ``ridni link``
(:mod:`ridni.linkage.reader`) find it here.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

# No text file holds record separators, so no file holds this line.
_END = "\x1eridni: the end of the file\x1e"


class UnclosedQuote(Exception):
    """A quoted field runs to the end of the file; ``line`` is where its record starts."""

    def __init__(self, line: int) -> None:
        super().__init__(f"line {line}: a quoted field is never closed")
        self.line = line


class QuoteCheckedReader:
    """The rows of a CSV file (``lines`` as read with ``newline=""``), as ``csv.reader`` gives
    them, except that a quote never closed raises :class:`UnclosedQuote`; other troubles raise
    ``csv.Error`` as the reader does.

    A sentinel line after the file's last shows the open quote: read as a row of its own, every
    quote was closed; swallowed into a field, the reader was still inside quotes at the end.
    """

    def __init__(self, lines: Iterable[str], delimiter: str = ",") -> None:
        self._reader = csv.reader(_ending_in_sentinel(lines), delimiter=delimiter)
        self.start = 1  # the line the record being read starts on

    @property
    def line_num(self) -> int:
        """The line the reader has reached (the last line of the record just read)."""
        return self._reader.line_num

    def __iter__(self) -> Iterator[list[str]]:
        for cells in self._reader:
            if cells and _END in cells[-1]:
                if cells == [_END]:
                    return
                raise UnclosedQuote(self.start)
            yield cells
            self.start = self._reader.line_num + 1


def _ending_in_sentinel(lines: Iterable[str]) -> Iterator[str]:
    yield from lines
    yield _END + "\r\n"  # each item is a line to the reader, even after a last line without \n
