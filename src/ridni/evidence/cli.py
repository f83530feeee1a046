"""`ridni evidence` (add, capture, log, verify) and `ridni export` (ftm, geojson)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from ridni.cli.context import opened_database
from ridni.cli.errors import RidniTyper
from ridni.cli.ids import MAX_ID
from ridni.cli.output import err, out
from ridni.errors import InputError, RidniError
from ridni.evidence.enums import EvidenceKind
from ridni.output_file import check_output, writing_whole

if TYPE_CHECKING:  # the evidence store and the facility checks (shapely) load when a command runs
    from ridni.evidence.service import Upload

evidence_app = RidniTyper(help="Evidence and its chain of custody.", no_args_is_help=True)
export_app = RidniTyper(
    help="Exports: lists and dossiers (encrypted when personal), FollowTheMoney, GeoJSON.",
    no_args_is_help=True,
)
COLLECTOR_HELP = "Who collected it (name or username)."


class VerificationFailed(RidniError):
    exit_code = 7


def register(app: typer.Typer) -> None:
    app.add_typer(evidence_app, name="evidence")
    app.add_typer(export_app, name="export")


def _open(path: Path) -> Upload:
    from ridni.evidence.models import FileRole
    from ridni.evidence.service import Upload

    if not path.is_file():
        raise InputError(f"{path} is not a file")
    return Upload(FileRole.original, path.name, path.open("rb"))


@evidence_app.command("add")
def add(
    file: Annotated[Path, typer.Argument(help="The file to store as an immutable original.")],
    title: Annotated[str, typer.Option("--title", "-t", help="What it is.")],
    collector: Annotated[str, typer.Option("--collector", "-c", help=COLLECTOR_HELP)],
    kind: Annotated[EvidenceKind, typer.Option("--kind", "-k")] = EvidenceKind.document,
    reason: Annotated[str, typer.Option("--reason", help="How and why it was collected.")] = "",
    facility: Annotated[
        int | None, typer.Option("--facility", max=MAX_ID, help="Facility id.")
    ] = None,
) -> None:
    """Store a file as evidence: SHA-256, an immutable original, the first custody entry."""
    from ridni.evidence.service import EvidenceIn, collect, store_for
    from ridni.security.encryption import ring_of

    upload = _open(file)
    with opened_database() as (settings, db), db.session() as session:
        data = EvidenceIn(title, kind, collector, facility_id=facility, reason=reason)
        data.files = [upload]
        evidence = collect(session, store_for(settings, ring_of(db.engine.dialect)), data)
        out.print(f"Stored evidence #{evidence.id}: SHA-256 {evidence.sha256}", soft_wrap=True)
    upload.stream.close()


@evidence_app.command("capture")
def capture(
    url: Annotated[str, typer.Argument(help="The address the page was captured from.")],
    captured_at: Annotated[
        str, typer.Option("--captured-at", help="Capture time in UTC, e.g. 2024-05-01T14:30:00Z.")
    ],
    collector: Annotated[str, typer.Option("--collector", "-c", help=COLLECTOR_HELP)],
    tool: Annotated[str, typer.Option("--tool", help="The capture tool and its version.")],
    html: Annotated[Path | None, typer.Option("--html", help="The saved HTML.")] = None,
    screenshot: Annotated[Path | None, typer.Option("--screenshot", help="Screenshot.")] = None,
    title: Annotated[str | None, typer.Option("--title", "-t")] = None,
) -> None:
    """Register a web capture: address, capture time (UTC), collector, tool and its files."""
    from ridni.evidence.models import FileRole
    from ridni.evidence.service import EvidenceIn, Upload, collect, parse_utc, store_for
    from ridni.security.encryption import ring_of

    files = []
    for role, path in ((FileRole.html, html), (FileRole.screenshot, screenshot)):
        if path is not None:
            upload = _open(path)
            files.append(Upload(role, upload.filename, upload.stream))
    when = parse_utc(captured_at)
    with opened_database() as (settings, db), db.session() as session:
        data = EvidenceIn(
            title or url, EvidenceKind.web_capture, collector, url=url, captured_at=when, tool=tool
        )
        data.files = files
        evidence = collect(session, store_for(settings, ring_of(db.engine.dialect)), data)
        out.print(f"Stored web capture #{evidence.id} of {url}")
    for upload in files:
        upload.stream.close()


@evidence_app.command("log")
def log(evidence_id: Annotated[int, typer.Argument(max=MAX_ID, help="Evidence id.")]) -> None:
    """Show an item's chain of custody."""
    from ridni.evidence.service import get_evidence

    with opened_database() as (_settings, db), db.session() as session:
        evidence = get_evidence(session, evidence_id)
        table = Table("when (UTC)", "action", "who", "why", "hash", title=evidence.title)
        for event in evidence.custody:
            table.add_row(
                f"{event.at:%Y-%m-%d %H:%M:%S}",
                event.action.value,
                event.actor,
                event.reason,
                (event.hash or "")[:16],
            )
        out.print(table)


@evidence_app.command("export")
def export(
    evidence_id: Annotated[int, typer.Argument(max=MAX_ID, help="Evidence id.")],
    to: Annotated[Path, typer.Option("--to", help="Folder to copy the files into.")],
    reason: Annotated[str, typer.Option("--reason", help="Why, and to whom.")],
    by: Annotated[str, typer.Option("--by", help="Who is exporting.")],
) -> None:
    """Copy an item's files out (e.g. for a prosecutor), recording it in the custody log."""
    from ridni.evidence.custody import append
    from ridni.evidence.models import CustodyAction
    from ridni.evidence.service import get_evidence, store_for
    from ridni.security.encryption import ring_of

    with opened_database() as (settings, db), db.session() as session:
        evidence = get_evidence(session, evidence_id)
        store = store_for(settings, ring_of(db.engine.dialect))
        to.mkdir(parents=True, exist_ok=True)
        for item in evidence.files:
            (to / item.filename).write_bytes(b"".join(store.read(item.stored_path)))
        append(session, evidence, CustodyAction.exported, actor=by, reason=reason)
        out.print(f"Copied {len(evidence.files)} file(s) of evidence #{evidence.id} to {to}")


@evidence_app.command("verify")
def verify(
    heads: Annotated[
        bool, typer.Option("--heads", help="Also print each item's newest custody hash.")
    ] = False,
) -> None:
    """Re-hash every original and check every custody log; name each mismatch (exit 7)."""
    from ridni.evidence.service import store_for
    from ridni.evidence.service import verify as verify_all
    from ridni.security.encryption import ring_of

    with (
        opened_database() as (settings, db),
        db.session() as session,
        Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err
        ) as progress,
    ):
        task = progress.add_task("Verifying evidence", total=None)
        result = verify_all(
            session,
            store_for(settings, ring_of(db.engine.dialect)),
            lambda done, total: progress.update(task, completed=done, total=total),
        )
    if heads:  # for keeping outside Ridni: a later verify can be compared with them
        for evidence_id, head in result.heads.items():
            out.print(f"{evidence_id}\t{head}", soft_wrap=True)
    for problem in result.problems:
        err.print(f"[bold red]mismatch:[/bold red] {problem}", soft_wrap=True, highlight=False)
    out.print(
        f"Checked {result.checked} evidence items and {result.files} files: "
        f"{len(result.problems)} problem(s)."
    )
    if result.problems:
        raise VerificationFailed(
            f"{len(result.problems)} problem(s) in the evidence store",
            "the original or its custody log was changed after collection",
        )


@export_app.command("ftm")
def export_ftm(
    out_file: Annotated[
        Path | None, typer.Option("--out", "-o", help="File (default: stdout).")
    ] = None,
) -> None:
    """FollowTheMoney entities as JSON lines: facilities, actors, links, documents."""
    from ridni.evidence.ftm import ftm_lines

    if out_file is not None:
        check_output(out_file)
    with opened_database() as (_settings, db), db.session() as session:
        lines = list(ftm_lines(session))
    _write("".join(lines), out_file)
    err.print(f"{len(lines)} FollowTheMoney entities")


@export_app.command("geojson")
def export_geojson(
    out_file: Annotated[
        Path | None, typer.Option("--out", "-o", help="File (default: stdout).")
    ] = None,
) -> None:
    """Facilities with coordinates as a GeoJSON FeatureCollection."""
    from ridni.facilities.geojson import facilities_geojson
    from ridni.facilities.service import FacilityFilter, all_facilities

    if out_file is not None:
        check_output(out_file)
    with opened_database() as (_settings, db), db.session() as session:
        data = facilities_geojson(all_facilities(session, FacilityFilter()))
    _write(json.dumps(data, ensure_ascii=False, indent=1) + "\n", out_file)
    err.print(f"{len(data['features'])} facilities")


def _write(text: str, path: Path | None) -> None:
    if path is None:
        sys.stdout.write(text)
    else:
        with writing_whole(path) as handle:
            handle.write(text.encode("utf-8"))
