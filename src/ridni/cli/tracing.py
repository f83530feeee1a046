"""`ridni cases`, `ridni tracing` and `ridni review`: the caseworker's day in a terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from ridni.cases.enums import ChildStatus
from ridni.cli.context import opened_database
from ridni.cli.errors import RidniTyper
from ridni.cli.ids import MAX_ID
from ridni.cli.output import err, out
from ridni.errors import InputError, NotFoundError
from ridni.tracing.enums import CloseReason, Decision

if TYPE_CHECKING:  # the services and the matching engine load when a command runs
    from sqlalchemy.orm import Session

    from ridni.accounts.models import User
    from ridni.storage.engine import Database
    from ridni.tracing.closing import AuditEntry
    from ridni.tracing.models import MatchCandidate, TracingRequest
    from ridni.tracing.registry_index import RegistryIndex

cases = RidniTyper(help="The case registry.", no_args_is_help=True)
tracing = RidniTyper(help="Tracing requests.", no_args_is_help=True)
review = RidniTyper(help="Review suggested matches.", no_args_is_help=True)
UserOption = Annotated[
    str, typer.Option("--user", "-u", help="Your username: decisions are recorded as yours.")
]


def _user(session: Session, username: str) -> User:
    from sqlalchemy import select

    from ridni.accounts.models import User

    found = session.scalar(select(User).where(User.username == username.lower()))
    if found is None or not found.is_active:
        raise NotFoundError(f"no active user {username!r}", "see `ridni users list`")
    return found


@cases.command("list")
def list_cases(
    query: Annotated[str, typer.Argument(help="Names in any script.")] = "",
    status: Annotated[ChildStatus | None, typer.Option("--status", "-s")] = None,
    oblast: Annotated[str | None, typer.Option("--oblast")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=500)] = 20,
) -> None:
    """List children, searching names across scripts."""
    from ridni.cases.service import Filters, search_children

    with opened_database() as (_settings, db), db.session() as session:
        page = search_children(
            session, query, filters=Filters(status=status, oblast=oblast), per_page=limit
        )
        table = Table(
            "id", "name", "born", "birth place", "status", "records", title=f"{page.total} children"
        )
        for row in page.items:
            child = row.child
            table.add_row(
                str(child.id),
                child.display_name,
                str(child.birth_date or "—"),
                child.birth_place or "—",
                child.status.value,
                str(row.record_count),
            )
        out.print(table)


@cases.command("show")
def show_case(
    child_id: Annotated[int, typer.Argument(min=1, max=MAX_ID, help="The child's id.")],
) -> None:
    """One child: identity, records as written with their sources, movements."""
    from ridni.cases.service import get_child

    with opened_database() as (_settings, db), db.session() as session:
        child = get_child(session, child_id)
        out.print(f"[bold]{child.display_name}[/bold]  ({child.status.value})")
        out.print(
            f"born {child.birth_date or '—'} in {child.birth_place or '—'}; "
            f"case version {child.version}"
        )
        records = Table("record", "source", "name as written", "born", "place", title="Records")
        for record in child.records:
            records.add_row(
                str(record.id),
                record.source.title,
                record.display_name,
                str(record.birth_date or "—"),
                record.birth_place or "—",
            )
        out.print(records)
        for movement in child.movements:
            where = movement.facility.name if movement.facility else movement.to_place or ""
            out.print(f"  {movement.on_date or '????'}  {movement.kind.value:9} {where}")


def _print_candidate(candidate: MatchCandidate) -> None:
    from ridni.tracing.side_by_side import compare

    out.print(
        f"[bold]Candidate {candidate.id}[/bold]: probability "
        f"{candidate.probability:.1%} ({candidate.state.value})"
    )
    table = Table(
        "field",
        f"sought (record {candidate.sought_record_id})",
        f"found (record {candidate.found_record_id})",
        "agreement",
        "weight",
    )
    for row in compare(candidate):
        table.add_row(
            row.field, row.sought or "—", row.found or "—", row.level, f"{row.weight:+.1f}"
        )
    out.print(table)
    out.print(f"found in: {candidate.found.source.title}", style="dim")


@tracing.command("match")
def match(
    request_id: Annotated[
        int | None, typer.Option("--request", "-r", min=1, max=MAX_ID, help="Request id.")
    ] = None,
    all_open: Annotated[
        bool,
        typer.Option(
            "--all-open", help="Every open request (after an import run with --no-match)."
        ),
    ] = False,
) -> None:
    """Match a tracing request (or every open one) against the registry now."""
    if (request_id is None) == (not all_open):
        raise InputError("give either --request ID or --all-open")
    from ridni.tracing.closing import refuse_if_closed
    from ridni.tracing.matching import match_request
    from ridni.tracing.models import TracingRequest
    from ridni.tracing.registry_index import RegistryIndex

    with opened_database() as (_settings, db):
        index = RegistryIndex()
        if all_open:
            _match_all_open(db, index)
            return
        with db.session() as session:
            item = session.get(TracingRequest, request_id)
            if item is None:
                raise NotFoundError(f"no tracing request with id {request_id}")
            refuse_if_closed(item)
            out.print(f"Indexing the registry… {index.refresh(session)} records")
            _print_found(request_id, match_request(session, index, item))


NoteOption = Annotated[
    str,
    typer.Option("--note", help="Why, for the audit trail (3–500 characters)."),
]


def _writable_request(session: Session, user: User, request_id: int) -> TracingRequest:
    """The request if ``user`` may change it, as on the web: their role holds tracing.write and
    the request is their organisation's (a system administrator's: any)."""
    from ridni.security.matrix import allowed, roles_of, sees_every_organisation
    from ridni.tracing.models import TracingRequest

    roles = roles_of([role.name.value for role in user.roles])
    if not allowed("tracing.write", roles):
        raise InputError(f"{user.username}'s role may not close or reopen tracing requests")
    item = session.get(TracingRequest, request_id)
    if item is None or (
        not sees_every_organisation(roles) and item.organisation_id != user.organisation_id
    ):
        raise NotFoundError(f"no tracing request with id {request_id}")
    return item


def _audit(session: Session, user: User, action: str, request_id: int, entry: AuditEntry) -> None:
    from ridni.audit.chain import record

    record(
        session,
        action,
        actor=user.username,
        user_id=user.id,
        entity_type="request_id",
        entity_id=str(request_id),
        reason=entry.note,
        detail={"via": "cli", **entry.detail},
    )


@tracing.command("close")
def close(
    request_id: Annotated[int, typer.Argument(min=1, max=MAX_ID, help="Request id.")],
    reason: Annotated[CloseReason, typer.Option("--reason", help="Why it is closed.")],
    note: NoteOption,
    username: UserOption,
) -> None:
    """Stop matching a request against new records (nothing is deleted; `reopen` undoes it)."""
    from ridni.tracing.closing import close_request

    with opened_database() as (_settings, db), db.session() as session:
        user = _user(session, username)
        item = _writable_request(session, user, request_id)
        entry = close_request(item, reason, note)
        _audit(session, user, "close tracing request", request_id, entry)
        out.print(f"Request {request_id} closed ({reason.value}): no longer matched.")


@tracing.command("reopen")
def reopen(
    request_id: Annotated[int, typer.Argument(min=1, max=MAX_ID, help="Request id.")],
    note: NoteOption,
    username: UserOption,
    consent_renewed: Annotated[
        bool,
        typer.Option(
            "--consent-renewed",
            help="The family consented to tracing again (needed after they withdrew it).",
        ),
    ] = False,
) -> None:
    """Match a closed request again, against the registry at once and new records from now on."""
    from ridni.tracing.closing import reopen_request
    from ridni.tracing.matching import match_request
    from ridni.tracing.registry_index import RegistryIndex

    with opened_database() as (_settings, db), db.session() as session:
        user = _user(session, username)
        item = _writable_request(session, user, request_id)
        entry = reopen_request(item, note, consent_renewed=consent_renewed)
        _audit(session, user, "reopen tracing request", request_id, entry)
        index = RegistryIndex()
        out.print(f"Indexing the registry… {index.refresh(session)} records")
        _print_found(request_id, match_request(session, index, item))


def _match_all_open(db: Database, index: RegistryIndex) -> None:
    """One request per transaction: an interrupted run keeps what it found, and running it
    again updates the same candidates instead of adding new ones."""
    from sqlalchemy import select

    from ridni.tracing.matching import match_request
    from ridni.tracing.models import RequestStatus, TracingRequest

    with db.session() as session:
        ids = list(
            session.scalars(
                select(TracingRequest.id)
                .where(TracingRequest.status == RequestStatus.open)
                .order_by(TracingRequest.id)
            )
        )
        out.print(f"Indexing the registry… {index.refresh(session)} records")
    found = 0
    with Progress(*Progress.get_default_columns(), console=err, transient=True) as bar:
        task = bar.add_task("Matching open requests", total=len(ids))
        for request_id in ids:
            with db.session() as session:
                item = session.get(TracingRequest, request_id)
                if item is not None and item.status is RequestStatus.open:
                    found += len(match_request(session, index, item))
            bar.advance(task)
    out.print(
        f"{len(ids)} open requests matched against the registry: {found} candidates "
        "(new ones wait in the review queue)."
    )


def _print_found(request_id: int | None, found: list[MatchCandidate]) -> None:
    table = Table(
        "candidate",
        "probability",
        "found",
        "born",
        "source",
        "state",
        title=f"Tracing request {request_id}: {len(found)} candidates",
    )
    for candidate in found:
        table.add_row(
            str(candidate.id),
            f"{candidate.probability:.1%}",
            candidate.found.display_name,
            str(candidate.found.birth_date or "—"),
            candidate.found.source.title,
            candidate.state.value,
        )
    out.print(table)


CHOICES = {"c": Decision.confirm, "r": Decision.reject, "u": Decision.unsure}


@review.command("next")
def review_next(
    user: UserOption,
    decision: Annotated[
        Decision | None,
        typer.Option("--decide", help="Decide without being asked (confirm, reject, unsure)."),
    ] = None,
    reason: Annotated[str, typer.Option("--reason", help="Why.")] = "",
) -> None:
    """Show the most probable open candidate side by side, and record your decision."""
    from ridni.accounts.signed_in import SignedIn
    from ridni.tracing.queue import next_candidate
    from ridni.tracing.review import decide

    with opened_database() as (_settings, db), db.session() as session:
        me = _user(session, user)
        candidate = next_candidate(session, SignedIn.of(me))
        _print_candidate(candidate)
        if decision is None:
            answer = (
                typer.prompt("Same child? [c]onfirm / [r]eject / [u]nsure / [s]kip", default="s")
                .strip()
                .lower()[:1]
            )
            if answer not in CHOICES:
                out.print("Skipped; nothing recorded.")
                return
            decision = CHOICES[answer]
            reason = reason or typer.prompt("Reason (optional)", default="")
        if decision is Decision.undo:
            raise InputError("use the web page or the API to undo a decision")
        decide(session, candidate, decision, user_id=me.id, reason=reason)
        out.print(
            f"Recorded: {decision.value} (candidate {candidate.id} is now {candidate.state.value})."
        )
