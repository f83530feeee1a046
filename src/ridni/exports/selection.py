"""The children a list export holds, read in batches: never the whole table in memory."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ridni.accounts.models import Organisation
from ridni.cases.models import Child, Record
from ridni.cases.service import Filters, case_conditions
from ridni.exports.access import Exporter
from ridni.exports.fields import ExportField
from ridni.facilities.models import Facility
from ridni.movements.models import Movement
from ridni.partial_date import PartialDate, Precision

BATCH = 500
ON_DATE = Movement.__table__
Cell = str | int | bool | None


@dataclass
class _Extras:
    organisations: dict[int, str] = field(default_factory=dict)
    last_facility: dict[int, tuple[str, str]] = field(default_factory=dict)
    last_seen: dict[int, str] = field(default_factory=dict)
    records: dict[int, int] = field(default_factory=dict)


def count_children(session: Session, filters: Filters, exporter: Exporter) -> int:
    conditions = _conditions(filters, exporter)
    return session.scalar(select(func.count(Child.id)).where(*conditions)) or 0


def _conditions(filters: Filters, exporter: Exporter) -> list[Any]:
    # Exactly the case list's filters and record scope (cases.service.case_conditions).
    return case_conditions(
        filters,
        organisation_id=exporter.organisation_id,
        every_organisation=exporter.every_organisation,
    )


def rows(
    session: Session,
    fields: list[ExportField],
    filters: Filters,
    exporter: Exporter,
    batch: int = BATCH,
) -> Iterator[list[Cell]]:
    """One list of cells per child, oldest case first, read ``batch`` children at a time
    (keyset pagination on the id, so a long export never re-reads or skips a row)."""
    conditions = _conditions(filters, exporter)
    needs = {f.needs for f in fields}
    organisations: dict[int, str] = {}
    if "organisation" in needs:
        organisations = dict(session.execute(select(Organisation.id, Organisation.name)).all())
    last_id = 0
    while True:
        children = list(
            session.scalars(
                select(Child).where(*conditions, Child.id > last_id).order_by(Child.id).limit(batch)
            )
        )
        if not children:
            return
        ids = [child.id for child in children]
        extras = _Extras(organisations=organisations)
        if "movement" in needs:
            _movements(session, ids, extras)
        if "records" in needs:
            extras.records = dict(
                session.execute(  # type: ignore[arg-type]
                    select(Record.child_id, func.count(Record.id))
                    .where(Record.child_id.in_(ids))
                    .group_by(Record.child_id)
                ).all()
            )
        for child in children:
            yield [_cell(f.name, child, extras) for f in fields]
        last_id = ids[-1]
        # The identity map holds children weakly: dropping our references frees the batch.
        del children


def _movements(session: Session, ids: list[int], extras: _Extras) -> None:
    steps = session.execute(
        select(
            Movement.child_id,
            Movement.sequence,
            ON_DATE.c.on_date_value,
            ON_DATE.c.on_date_precision,
            Facility.name,
            Facility.country,
        )
        .outerjoin(Facility, Facility.id == Movement.facility_id)
        .where(Movement.child_id.in_(ids))
        .order_by(Movement.child_id, Movement.sequence)
    )
    for child_id, _sequence, on_value, on_precision, name, country in steps:
        if name is not None:
            extras.last_facility[child_id] = (name, country)
        if on_value is not None:
            extras.last_seen[child_id] = _partial(on_value, on_precision)


def _partial(value: date, precision: Precision | str) -> str:
    return str(PartialDate(value, Precision(precision)))


def _cell(name: str, child: Child, extras: _Extras) -> Cell:
    if name == "sex":
        return child.sex.value if child.sex else None
    if name == "birth_date":
        return str(child.birth_date) if child.birth_date else None
    if name == "birth_date_precision":
        return child.birth_date.precision.value if child.birth_date else None
    if name == "status":
        return child.status.value
    if name == "organisation":
        return extras.organisations.get(child.organisation_id or 0)
    if name == "last_facility":
        return extras.last_facility.get(child.id, (None, None))[0]
    if name == "last_facility_country":
        return extras.last_facility.get(child.id, (None, None))[1]
    if name == "last_seen":
        return extras.last_seen.get(child.id)
    if name == "record_count":
        return extras.records.get(child.id, 0)
    value: Cell = getattr(child, name)
    return value
