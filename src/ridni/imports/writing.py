"""Writing one batch of a list: its records and their blind-index tokens, at bulk speed.

A million rows leave no room for per-row ORM work (see docs/decisions/303). The records go in
as one COPY on PostgreSQL and one ``executemany`` on SQLite, with every value already in the
form the column types would bind: names sealed with the same AES-GCM format the
:class:`~ridni.security.encryption.Encrypted` type writes (so the application reads them as
usual), enums, dates and times through the columns' own bind processors. What the ORM's
insert events on Record derive — the script and the blind-index tokens — is derived with the
same functions, cached per distinct name: lists repeat their names heavily, and a name's
spellings in other scripts cost far more to work out than to look up.
tests/imports/test_import.py compares an imported record and its tokens with an ORM-made one,
so a change to those events cannot be missed here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from psycopg import Connection as PgConnection
from psycopg import Copy
from psycopg.errors import IntegrityError as PgIntegrityError
from sqlalchemy import ColumnElement, Dialect, String, and_, any_, literal, select
from sqlalchemy import Table as DbTable
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ridni.cases.models import Record, RecordToken
from ridni.imports.mapping import Mapping
from ridni.imports.rows import Row
from ridni.linkage.contract import PersonRow
from ridni.linkage.scripts import Script, detect_script
from ridni.partial_date import PartialDate
from ridni.security.blind_index import CATEGORIES, words
from ridni.security.encryption import Encrypted, Sealer, blind_token, ring_of
from ridni.security.keys import KeyRing

RECORDS = cast(DbTable, Record.__table__)
TOKENS = cast(DbTable, RecordToken.__table__)
COLUMNS = (
    "source_id",
    "source_ref",
    "kind",
    "given_name",
    "family_name",
    "patronymic",
    "name_script",
    "sex",
    "birth_date_value",
    "birth_date_precision",
    "birth_place",
    "reported_on_value",
    "reported_on_precision",
    "details",
    "organisation_id",
    "consent_share",
    "created_at",
)
SEALED = ("given_name", "family_name", "patronymic", "birth_place", "details")
# What each value is sealed with (the AAD): the column type's own context, "records.<column>".
CONTEXTS = tuple(cast(Encrypted, RECORDS.c[name].type).context for name in SEALED)
CACHE_LIMIT = 200_000  # distinct names (or scripts) kept; a full cache starts again empty


@dataclass(frozen=True, slots=True)
class Added:
    """A record this batch wrote, with the plain values matching needs."""

    record_id: int
    person: PersonRow


@dataclass(frozen=True, slots=True)
class Prepared:
    """One batch made ready to write: per distinct ref (in file order) its record's row as
    the column types bind it, its plain values for matching and its blind-index tokens.
    For PostgreSQL the row is already COPY text: the preparing side formats it, so the
    writing side (the import's critical path) only streams it, and it crosses from the
    preparing process as one string per row rather than as 17 objects."""

    count: int  # the batch's rows, repeated refs included
    people: dict[str, tuple[str, ...]]
    tokens: dict[str, set[int]]
    rows: dict[str, tuple[object, ...]]  # SQLite: the values to bind
    lines: dict[str, str]  # PostgreSQL: the line of COPY text

    @property
    def refs(self) -> list[str]:
        return list(self.people)


class Names:
    """What one name derives, worked out once per distinct name and run."""

    def __init__(self, ring: KeyRing) -> None:
        self._ring = ring
        self._tokens: dict[tuple[str, str], frozenset[int]] = {}
        self._scripts: dict[str, Script] = {}
        self._combined: dict[frozenset[Script], Script] = {}

    def tokens(self, given: str | None, family: str | None, patronymic: str | None) -> set[int]:
        """:func:`ridni.security.blind_index.record_tokens`, a union over the three names."""
        found: set[int] = set()
        for name, category in zip((given, family, patronymic), CATEGORIES, strict=True):
            if name:
                found |= self._name_tokens(name, category)
        return found

    def _name_tokens(self, name: str, category: str) -> frozenset[int]:
        key = (name, category)
        tokens = self._tokens.get(key)
        if tokens is None:
            alone: list[str | None] = [None, None, None]
            alone[CATEGORIES.index(category)] = name
            tokens = frozenset(blind_token(self._ring, word) for word in words(*alone))
            if len(self._tokens) >= CACHE_LIMIT:
                self._tokens.clear()
            self._tokens[key] = tokens
        return tokens

    def script(self, given: str | None, family: str | None, patronymic: str | None) -> Script:
        """:func:`detect_script` of the three names together, from each name's script: the
        function classifies the letters of all three, so names that agree on their script give
        that script, and names in different scripts give what any names in those scripts do
        (Latin and Ukrainian make mixed; Ukrainian and common Cyrillic make Ukrainian)."""
        found = frozenset(self._script(name) for name in (given, family, patronymic) if name)
        if len(found) == 1:
            return next(iter(found))
        # What the names' letters add up to depends only on which scripts they are in.
        combined = self._combined.get(found)
        if combined is None:
            combined = self._combined[found] = detect_script(given, family, patronymic)
        return combined

    def _script(self, name: str) -> Script:
        script = self._scripts.get(name)
        if script is None:
            script = detect_script(name)
            if len(self._scripts) >= CACHE_LIMIT:
                self._scripts.clear()
            self._scripts[name] = script
        return script


# PostgreSQL's COPY text format: a backslash, tab, newline or carriage return inside a value
# is written as its escape; an absent value as \N.
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value: object) -> str:
    """One bound value as a field of a COPY text line, as psycopg's ``write_row`` would
    write it. tests/imports/test_import.py checks that imported records read back as the ORM
    writes them, and tests/imports/test_preparing.py that ids needing escapes (tab, backslash,
    newline, carriage return, a literal ``\\N``) read back as written."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):  # datetimes too: ISO 8601, as the server reads them
        return value.isoformat()
    if isinstance(value, str):
        return value.translate(COPY_ESCAPES)
    raise TypeError(f"no COPY text for a {type(value).__name__}")


@contextmanager
def _copy(session: Session, statement: str) -> Iterator[Copy]:
    """A PostgreSQL COPY on the session's connection, inside its transaction."""
    connection = cast(PgConnection[Any], session.connection().connection.dbapi_connection)
    try:
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            yield copy
    except PgIntegrityError as exc:
        # The driver's own error, as SQLAlchemy would have wrapped it: a row another import
        # added meanwhile is reported as such, not as a crash.
        raise IntegrityError(statement, None, exc) from exc


def _processor(dialect: Dialect, column: str) -> Callable[[Any], Any] | None:
    processor = RECORDS.c[column].type.dialect_impl(dialect).bind_processor(dialect)
    return cast(Callable[[Any], Any] | None, processor)


class Writer:
    """Writes the batches of one import run."""

    def __init__(
        self, session: Session, source_id: int, mapping: Mapping, organisation_id: int | None
    ) -> None:
        dialect = session.get_bind().dialect
        ring = ring_of(dialect)
        self.postgres = dialect.name == "postgresql"
        self.source_id = source_id
        self.kind = mapping.kind
        self.names = Names(ring)
        self.sealer = Sealer(ring)
        self.constant = {
            "source_id": source_id,
            "kind": mapping.kind,
            "organisation_id": organisation_id,
            "consent_share": mapping.shares,
        }
        self.processors = {name: _processor(dialect, name) for name in COLUMNS}
        self.quoted = ", ".join(dialect.identifier_preparer.quote(c) for c in COLUMNS)
        self.records = dialect.identifier_preparer.format_table(RECORDS)
        self.tokens = dialect.identifier_preparer.format_table(TOKENS)

    def _bound(self, name: str, value: object) -> object:
        processor = self.processors[name]
        return value if processor is None or value is None else processor(value)

    def prepare(
        self, rows: Sequence[Row], now: datetime, skip: frozenset[str] = frozenset()
    ) -> Prepared:
        """Everything about ``rows`` that needs no database: sealed values, scripts, tokens;
        rows whose ref is in ``skip`` (known to be there) are left out. A ref repeated inside
        ``rows`` keeps its first row. Runs ahead of the writes, in the import's preparing
        thread or process (:mod:`ridni.imports.preparing`)."""
        fixed = {name: self._bound(name, value) for name, value in self.constant.items()}
        fixed["created_at"] = self._bound("created_at", now)
        seal, names = self.sealer.seal, self.names
        table: dict[str, tuple[object, ...]] = {}
        lines: dict[str, str] = {}
        people: dict[str, tuple[str, ...]] = {}
        tokens: dict[str, set[int]] = {}
        for row in rows:
            values = row.values
            ref = cast(str, values["source_ref"])
            if ref in people or ref in skip:
                continue
            given, family, patronymic, place, details, sex, birth, listed = (
                cast(Any, values.get(name))
                for name in (
                    "given_name",
                    "family_name",
                    "patronymic",
                    "birth_place",
                    "details",
                    "sex",
                    "birth_date",
                    "reported_on",
                )
            )
            plain: dict[str, object] = {
                **fixed,
                "source_ref": ref,
                "name_script": self._bound("name_script", names.script(given, family, patronymic)),
                "sex": self._bound("sex", sex),
                **self._date("birth_date", birth),
                **self._date("reported_on", listed),
            }
            for name, context, value in zip(
                SEALED, CONTEXTS, (given, family, patronymic, place, details or ""), strict=True
            ):
                plain[name] = None if value is None else seal(context, value)
            if self.postgres:
                lines[ref] = "\t".join([copy_text(plain[name]) for name in COLUMNS]) + "\n"
            else:
                table[ref] = tuple(plain[name] for name in COLUMNS)
            people[ref] = (  # PersonRow's fields after its id, as matching reads a record
                given or "",
                family or "",
                patronymic or "",
                sex.value if sex else "",
                birth.iso() if isinstance(birth, PartialDate) else "",
                place or "",
            )
            tokens[ref] = names.tokens(given, family, patronymic)
        return Prepared(len(rows), people, tokens, table, lines)

    def store(self, session: Session, prepared: Prepared, fresh: set[str]) -> list[Added]:
        """Insert the prepared rows whose ref is in ``fresh`` (new to their source) and their
        tokens; the records, with ids."""
        refs = [ref for ref in prepared.refs if ref in fresh]
        if not refs:
            return []
        if self.postgres:
            with _copy(session, f"COPY {self.records} ({self.quoted}) FROM STDIN") as copy:
                copy.write("".join([prepared.lines[ref] for ref in refs]))
        else:
            marks = ", ".join("?" for _ in COLUMNS)
            session.connection().exec_driver_sql(
                f"INSERT INTO {self.records} ({self.quoted}) VALUES ({marks})",  # noqa: S608 (our names)
                [prepared.rows[ref] for ref in refs],
            )
        ids = self._ids(session, refs)
        self._insert_tokens(
            session, [(ids[ref], token) for ref in refs for token in prepared.tokens[ref]]
        )
        return [Added(ids[ref], PersonRow(str(ids[ref]), *prepared.people[ref])) for ref in refs]

    def _date(self, name: str, value: object) -> dict[str, object]:
        if not isinstance(value, PartialDate):
            return {f"{name}_value": None, f"{name}_precision": None}
        return {
            f"{name}_value": self._bound(f"{name}_value", value.value),
            f"{name}_precision": self._bound(f"{name}_precision", value.precision),
        }

    def of_source(self, refs: list[str]) -> ColumnElement[bool]:
        """The records of this source with one of ``refs`` as their id. PostgreSQL gets the
        ids as one array: psycopg would otherwise parse a statement of 5,000 placeholders,
        twice per batch."""
        column = RECORDS.c.source_ref
        among = column == any_(literal(refs, ARRAY(String))) if self.postgres else column.in_(refs)
        return and_(RECORDS.c.source_id == self.source_id, among)

    def existing(self, session: Session, refs: list[str]) -> set[str]:
        """Which of ``refs`` the source already has."""
        return set(session.scalars(select(RECORDS.c.source_ref).where(self.of_source(refs))))

    def _ids(self, session: Session, refs: list[str]) -> dict[str, int]:
        query = select(RECORDS.c.id, RECORDS.c.source_ref).where(self.of_source(refs))
        return {ref: record_id for record_id, ref in session.execute(query)}

    def _insert_tokens(self, session: Session, rows: list[tuple[int, int]]) -> None:
        if not rows:
            return
        if self.postgres:
            # Ids and tokens are integers, which need no escaping: the COPY text is one block.
            data = "".join(f"{record_id}\t{token}\n" for record_id, token in rows)
            with _copy(session, f"COPY {self.tokens} (record_id, token) FROM STDIN") as copy:
                copy.write(data)
        else:
            session.connection().exec_driver_sql(
                f"INSERT INTO {self.tokens} (record_id, token) VALUES (?, ?)",  # noqa: S608 (our names)
                rows,
            )
