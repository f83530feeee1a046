"""A quote never closed in a CSV file is found with the line its record starts on; quoted fields
holding line breaks, closed, are read like any other."""

from __future__ import annotations

import io

import pytest

from ridni.csv_quotes import QuoteCheckedReader, UnclosedQuote


def _rows(text: str, delimiter: str = ",") -> list[list[str]]:
    return list(QuoteCheckedReader(io.StringIO(text, newline=""), delimiter))


def test_closed_quotes_are_read_as_the_csv_module_reads_them() -> None:
    text = 'a,b\r\n1,"two\r\nlines"\r\n2,"x, y"\r\n\r\n3,last'  # no line break at the end
    assert _rows(text) == [["a", "b"], ["1", "two\r\nlines"], ["2", "x, y"], [], ["3", "last"]]
    assert _rows('a;b\n1;"c;d"\n', ";") == [["a", "b"], ["1", "c;d"]]
    assert _rows("") == []


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('a,b\n1,"open\n2,x\n3,y\n', 2),
        ('a,b\n1,"two\nlines"\n2,"open\n', 4),  # counted after a record over two lines
        ('a,b\n1,"ab"c\n2,"open', 3),  # after a field the lenient reader took in its stride
        ('"a,b', 1),
    ],
)
def test_a_quote_never_closed_names_the_line_its_record_starts_on(text: str, line: int) -> None:
    with pytest.raises(UnclosedQuote) as refused:
        _rows(text)
    assert refused.value.line == line


def test_the_rows_before_it_are_read_and_the_line_reached_is_known() -> None:
    reader = QuoteCheckedReader(io.StringIO('a,b\n1,"two\nlines"\n2,x\n', newline=""))
    seen = [(reader.start, reader.line_num, cells) for cells in reader]
    assert seen == [(1, 1, ["a", "b"]), (2, 3, ["1", "two\nlines"]), (4, 4, ["2", "x"])]
