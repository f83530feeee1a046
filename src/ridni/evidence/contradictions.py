"""Where sources (or one source) disagree: made visible, never silently resolved.

Four checks, each cheap enough to run on every page view of the list:
- parts that do not add up to the total they break down ("13 + 43 ≠ 57");
- different counts of the same measure, region and date from different sources;
- one child placed at two facilities on the same date (claims and recorded movements);
- a child's movements whose dates run backwards.

A contradiction keeps its parts, not a sentence: ``message`` says it in English (the CLI and
the API), ``describe`` in the reader's language on a page, from the same ``N_`` templates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from ridni.evidence.models import Claim, ClaimKind
from ridni.i18n import N_, format_number, gettext_
from ridni.movements.models import Movement, MovementKind
from ridni.partial_date import PartialDate, Precision


class ContradictionKind(StrEnum):
    parts_total = "parts_total"
    counts_differ = "counts_differ"
    two_places = "two_places"
    dates_out_of_order = "dates_out_of_order"


@dataclass(frozen=True, slots=True)
class Count:
    """One number a source gives: a part of a total (by region), or a count of its own."""

    quantity: int
    region: str | None = None
    source_id: int | None = None


@dataclass(frozen=True, slots=True)
class Contradiction:
    kind: ContradictionKind
    claim_ids: tuple[int, ...] = ()
    movement_ids: tuple[int, ...] = ()
    child_id: int | None = None
    facility_ids: tuple[int, ...] = field(default=())
    # What the sentence says: the measure counted (and where), the counts given, the total;
    # the date of two places at once; the steps (sequence, date) out of order, later one first.
    measure: str = ""
    region: str | None = None
    counts: tuple[Count, ...] = ()
    total: int = 0
    on_date: str = ""
    steps: tuple[tuple[int, str], ...] = ()

    @property
    def message(self) -> str:
        """In English, for the CLI and the API."""
        return describe(self)

    def described(self) -> str:
        """In the reader's language, for a page."""
        return describe(self, gettext_, format_number)


def _same(text: str) -> str:
    return text


def _plain(value: int) -> str:
    return str(value)


def describe(
    found: Contradiction,
    gettext: Callable[[str], str] = _same,
    number: Callable[[int], str] = _plain,
) -> str:
    """The contradiction as one line, with ``gettext`` and ``number`` of the language wanted."""
    if found.kind is ContradictionKind.parts_total:
        terms = " + ".join(f"{number(c.quantity)} ({c.region or '?'})" for c in found.counts)
        return gettext(N_("{measure}: {terms} = {added}, but the total says {total}")).format(
            measure=found.measure,
            terms=terms,
            added=number(sum(c.quantity for c in found.counts)),
            total=number(found.total),
        )
    if found.kind is ContradictionKind.counts_differ:
        values = ", ".join(
            gettext(N_("{quantity} (source #{source})")).format(
                quantity=number(c.quantity), source=c.source_id
            )
            for c in found.counts
        )
        if found.region:
            text = gettext(N_("{measure} in {region}: sources give {values}"))
        else:
            text = gettext(N_("{measure}: sources give {values}"))
        return text.format(measure=found.measure, region=found.region, values=values)
    if found.kind is ContradictionKind.two_places:
        return gettext(N_("child #{child} is placed at facilities {facilities} on {date}")).format(
            child=found.child_id,
            facilities=", ".join(f"#{f}" for f in found.facility_ids),
            date=found.on_date,
        )
    (step, when), (before, before_when) = found.steps
    return gettext(
        N_("child #{child}: step {step} ({date}) is dated before step {before} ({before_date})")
    ).format(child=found.child_id, step=step, date=when, before=before, before_date=before_when)


def period_end(value: PartialDate) -> date:
    """The last day a partial date could mean."""
    start = value.value
    if value.precision is Precision.day:
        return start
    if value.precision is Precision.month:
        following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return following - timedelta(days=1)
    return date(start.year, 12, 31)


def find_contradictions(session: Session) -> list[Contradiction]:
    claims = list(session.scalars(select(Claim).order_by(Claim.id)))
    movements = list(
        session.scalars(select(Movement).order_by(Movement.child_id, Movement.sequence))
    )
    return [
        *_parts_and_totals(claims),
        *_differing_counts(claims),
        *_two_places(claims, movements),
        *_out_of_order(movements),
    ]


def child_contradictions(session: Session, child_id: int) -> list[Contradiction]:
    """The checks that concern one child: their chain's dates, two places at once."""
    claims = list(session.scalars(select(Claim).where(Claim.child_id == child_id)))
    movements = list(
        session.scalars(
            select(Movement).where(Movement.child_id == child_id).order_by(Movement.sequence)
        )
    )
    return [*_two_places(claims, movements), *_out_of_order(movements)]


def _parts_and_totals(claims: list[Claim]) -> list[Contradiction]:
    parts: dict[int, list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.part_of_claim_id is not None and claim.quantity is not None:
            parts[claim.part_of_claim_id].append(claim)
    found = []
    for claim in claims:
        pieces = parts.get(claim.id)
        if not pieces or claim.quantity is None:
            continue
        added = sum(p.quantity or 0 for p in pieces)
        if added != claim.quantity:
            found.append(
                Contradiction(
                    ContradictionKind.parts_total,
                    claim_ids=(claim.id, *(p.id for p in pieces)),
                    measure=claim.measure or "",
                    counts=tuple(Count(p.quantity or 0, p.region) for p in pieces),
                    total=claim.quantity,
                )
            )
    return found


def _differing_counts(claims: list[Claim]) -> list[Contradiction]:
    groups: dict[tuple[str, str, str], list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.kind is ClaimKind.quantity and claim.quantity is not None and claim.measure:
            when = claim.on_date.iso() if claim.on_date else ""
            region = (claim.region or "").casefold()
            groups[(claim.measure.casefold(), region, when)].append(claim)
    found = []
    for group in groups.values():
        if len({c.quantity for c in group}) > 1 and len({c.source_id for c in group}) > 1:
            first = group[0]
            found.append(
                Contradiction(
                    ContradictionKind.counts_differ,
                    claim_ids=tuple(c.id for c in group),
                    measure=first.measure or "",
                    region=first.region,
                    counts=tuple(Count(c.quantity or 0, source_id=c.source_id) for c in group),
                )
            )
    return found


@dataclass(frozen=True, slots=True)
class _Placement:
    child_id: int
    facility_id: int
    on_date: PartialDate
    claim_id: int | None
    movement_id: int | None


def _two_places(claims: list[Claim], movements: list[Movement]) -> list[Contradiction]:
    placements = [
        _Placement(c.child_id, c.facility_id, c.on_date, c.id, None)
        for c in claims
        if c.kind is ClaimKind.child_at_facility and c.child_id and c.facility_id and c.on_date
    ]
    placements += [
        _Placement(m.child_id, m.facility_id, m.on_date, None, m.id)
        for m in movements
        if m.facility_id and m.on_date and m.kind in (MovementKind.transfer, MovementKind.placement)
    ]
    by_day: dict[tuple[int, PartialDate], list[_Placement]] = defaultdict(list)
    for placement in placements:
        by_day[(placement.child_id, placement.on_date)].append(placement)
    found = []
    for (child_id, on_date), group in by_day.items():
        facilities = tuple(sorted({p.facility_id for p in group}))
        if len(facilities) > 1:
            found.append(
                Contradiction(
                    ContradictionKind.two_places,
                    claim_ids=tuple(p.claim_id for p in group if p.claim_id),
                    movement_ids=tuple(p.movement_id for p in group if p.movement_id),
                    child_id=child_id,
                    facility_ids=facilities,
                    on_date=str(on_date),
                )
            )
    return found


def _out_of_order(movements: list[Movement]) -> list[Contradiction]:
    found = []
    latest: dict[int, Movement] = {}
    for movement in movements:
        if movement.on_date is None:
            continue
        before = latest.get(movement.child_id)
        # Only a step that must have ended before the previous one began is out of order:
        # "2023" after "2023-05-14" is not a contradiction.
        previous = before.on_date if before is not None else None
        if (
            before is not None
            and previous is not None
            and period_end(movement.on_date) < previous.value
        ):
            found.append(
                Contradiction(
                    ContradictionKind.dates_out_of_order,
                    movement_ids=(before.id, movement.id),
                    child_id=movement.child_id,
                    facility_ids=tuple(
                        sorted({m.facility_id for m in (before, movement) if m.facility_id})
                    ),
                    steps=(
                        (movement.sequence, str(movement.on_date)),
                        (before.sequence, str(previous)),
                    ),
                )
            )
        if previous is None or movement.on_date.value >= previous.value:
            latest[movement.child_id] = movement
    return found
