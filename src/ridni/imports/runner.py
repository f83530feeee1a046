"""Writing a list into the database: batches, each one transaction, resumable after a kill.

Each batch inserts the rows whose id (``source_ref``) its source does not have yet, matches
them against every open trace, auto-links the unambiguous near-certain matches if that is
switched on, and updates the run's counters — all in one transaction. A process killed
mid-way leaves whole batches only; the same command again skips what is there and adds the
rest. Rows are streamed, so memory stays flat however long the list.

Reading, converting, sealing and tokenising the next batches runs ahead of the writes, in a
thread or (for a long list) a process of its own: :mod:`ridni.imports.preparing`. Only this
module's thread talks to the database for writing, in batch order (decisions 305, 307).
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ridni.errors import InputError, Interrupted
from ridni.evidence.models import Source, SourceKind
from ridni.form_input import clean_text
from ridni.imports.mapping import Mapping
from ridni.imports.matching import BatchMatcher
from ridni.imports.models import ImportRun, ImportStatus
from ridni.imports.preparing import Job, prepared
from ridni.imports.reading import Table
from ridni.imports.writing import Prepared, Writer
from ridni.storage.engine import Database, by_ctrl_c
from ridni.storage.types import utcnow
from ridni.tracing.models import CandidateState, Decision, MatchCandidate
from ridni.tracing.registry_index import SOUGHT_KINDS
from ridni.tracing.review import decide

SOURCE_KINDS = {
    "family_report": SourceKind.family_report,
    "camp_list": SourceKind.camp_list,
    "adoption_listing": SourceKind.adoption_listing,
    "return_list": SourceKind.return_list,
    "media_report": SourceKind.media,
    "testimony": SourceKind.testimony,
}
Progress = Callable[[int, ImportRun], None]


@dataclass(frozen=True, slots=True)
class Options:
    batch_size: int = 5000
    match: bool = True
    auto_link: float = 1.0  # 1 = never
    user_id: int | None = None
    organisation_id: int | None = None
    # Prepare in a process of its own (a second core) rather than a thread: worth its
    # second of start-up on long lists (settings.import_process_from).
    in_process: bool = False


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def source_title(title: str) -> str:
    """``--source`` as stored (as a form's text is: without control characters, so a NUL
    typed on the import page cannot stop PostgreSQL), or an :class:`InputError` before any
    row is read."""
    title = clean_text(title)
    if not title or len(title) > 300:
        raise InputError("the source needs a name of 1–300 characters")
    return title


def source_named(
    session: Session, title: str, mapping: Mapping, organisation_id: int | None
) -> Source:
    """The source called ``title``, created on first import of a list from it."""
    title = source_title(title)
    found = session.scalar(select(Source).where(Source.title == title).limit(1))
    if found is None:
        found = Source(
            title=title,
            kind=SOURCE_KINDS.get(mapping.kind.value, SourceKind.other),
            organisation_id=organisation_id,
            notes="Created by a bulk import.",
        )
        session.add(found)
        session.flush()
    return found


def _auto_link(session: Session, found: list[MatchCandidate], run_id: int, options: Options) -> int:
    """Confirm near-certain matches that are the only such candidate on both sides: two
    families' children must never be merged because one camp-list entry resembles both."""
    if options.auto_link >= 1.0:
        return 0
    strong = [
        c for c in found if c.probability >= options.auto_link and c.state is CandidateState.open
    ]
    linked = 0
    for candidate in strong:
        rivals = session.scalar(
            select(MatchCandidate.id)
            .where(
                MatchCandidate.id != candidate.id,
                MatchCandidate.probability >= options.auto_link,
                MatchCandidate.state.in_((CandidateState.open, CandidateState.confirmed)),
                (MatchCandidate.sought_record_id == candidate.sought_record_id)
                | (MatchCandidate.found_record_id == candidate.found_record_id),
            )
            .limit(1)
        )
        if rivals is not None:
            continue
        try:
            decide(
                session,
                candidate,
                Decision.confirm,
                user_id=options.user_id,
                reason=f"auto-linked by import {run_id}: probability {candidate.probability:.4f}",
            )
        except InputError:
            continue  # answered meanwhile (e.g. by an earlier link in this batch)
        linked += 1
    return linked


def _write_batch(
    session: Session,
    batch: Prepared,
    run: ImportRun,
    writer: Writer,
    matcher: BatchMatcher,
    options: Options,
) -> None:
    # A ref repeated inside the file is added once: prepare() kept its first row, and a
    # later batch finds it here among the rows already there.
    existing = writer.existing(session, batch.refs)
    fresh = {ref for ref in batch.refs if ref not in existing}
    added = writer.store(session, batch, fresh)
    candidates = linked = 0
    if options.match and writer.kind not in SOUGHT_KINDS:
        candidates = matcher.match(session, added)
        if candidates and options.auto_link < 1.0:
            strong = session.scalars(
                select(MatchCandidate).where(
                    MatchCandidate.found_record_id.in_([a.record_id for a in added]),
                    MatchCandidate.probability >= options.auto_link,
                )
            ).all()
            linked = _auto_link(session, list(strong), run.id, options)
    session.execute(
        update(ImportRun)
        .where(ImportRun.id == run.id)
        .values(
            rows_read=ImportRun.rows_read + batch.count,
            rows_added=ImportRun.rows_added + len(fresh),
            rows_existing=ImportRun.rows_existing + batch.count - len(fresh),
            candidates=ImportRun.candidates + candidates,
            auto_linked=ImportRun.auto_linked + linked,
        )
    )


def start_run(
    db: Database,
    table: Table,
    mapping: Mapping,
    source_title: str,
    options: Options,
    invalid: int,
    file_name: str | None = None,
) -> ImportRun:
    """Record the run (committed at once, so a kill leaves a trace of it); earlier runs of
    the same file into the same source that never finished are marked interrupted."""
    digest = file_digest(table.path)
    with db.write_session() as session:
        source = source_named(session, source_title, mapping, options.organisation_id)
        session.execute(
            update(ImportRun)
            .where(
                ImportRun.source_id == source.id,
                ImportRun.file_sha256 == digest,
                ImportRun.status == ImportStatus.running,
            )
            .values(status=ImportStatus.interrupted)
        )
        run = ImportRun(
            source_id=source.id,
            file_name=(file_name or table.name)[:300],
            file_sha256=digest,
            kind=mapping.kind,
            user_id=options.user_id,
            mapping=mapping.as_json(),
            rows_invalid=invalid,
        )
        session.add(run)
        session.flush()
        session.expunge(run)
    return run


def record_failed_run(
    db: Database,
    path: Path,
    mapping: Mapping,
    source_title: str,
    options: Options,
    invalid: int,
    file_name: str,
) -> ImportRun:
    """Record a run that failed before :func:`start_run` recorded it (the web import runs in
    the background: without this, the page said it had started and nothing ever showed it
    had not). Raises what the database raises, if it cannot be written either."""
    try:
        digest = file_digest(path)
    except OSError:  # the upload is gone: the run is still worth showing
        digest = ""
    with db.write_session() as session:
        source = source_named(session, source_title, mapping, options.organisation_id)
        run = ImportRun(
            source_id=source.id,
            file_name=file_name[:300],
            file_sha256=digest,
            kind=mapping.kind,
            status=ImportStatus.failed,
            user_id=options.user_id,
            mapping=mapping.as_json(),
            rows_invalid=invalid,
            finished_at=utcnow(),
        )
        session.add(run)
        session.flush()
        session.expunge(run)
    return run


def run_import(
    db: Database,
    table: Table,
    mapping: Mapping,
    run: ImportRun,
    options: Options,
    progress: Progress | None = None,
) -> ImportRun:
    """Write every valid row of ``table``; return the finished run. Ctrl-C rolls back the
    batch in progress, records the run as interrupted and raises :class:`ImportInterrupted`."""
    try:
        with db.session() as session:
            writer = Writer(session, run.source_id, mapping, options.organisation_id)
        matcher = BatchMatcher()
        job = Job(table, mapping, run.source_id, options.organisation_id, options.batch_size)
        with prepared(db, job, options.in_process) as batches:
            for batch in batches:
                # A batch reads (the ids already there) before it writes: on SQLite, a commit
                # by the web app in between would fail it, so it holds the write lock throughout.
                with db.write_session() as session:
                    _write_batch(session, batch, run, writer, matcher, options)
                if progress:
                    progress(batch.count, run)
    except IntegrityError:
        _finish(db, run, ImportStatus.failed)
        raise InputError(
            "another import is adding rows of the same source at this moment",
            "wait for it to finish, then run this one again: it adds what is missing",
        ) from None
    except BaseException as exc:
        if not by_ctrl_c(exc):
            _finish(db, run, ImportStatus.failed)
            raise
        # handled below, once this block has let go of the interrupted statement
    else:
        return _finish(db, run, ImportStatus.completed)
    _let_go(db)
    raise ImportInterrupted(_finish(db, run, ImportStatus.interrupted))


def _let_go(db: Database) -> None:
    """Release what the statement Ctrl-C interrupted may still hold. On SQLite its write lock
    stays until the statement is finalised (the traceback's frames held its cursor: gone now,
    but perhaps in a cycle); on PostgreSQL a connection stopped mid-command cannot even roll
    back. Closing the pool's connections ends both; the batch was never committed."""
    gc.collect()
    db.engine.dispose()


class ImportInterrupted(Interrupted):
    """Ctrl-C during an import: whole batches are kept, the run is recorded as interrupted."""

    def __init__(self, run: ImportRun) -> None:
        super().__init__("interrupted", "run the same command again to add the rest")
        self.run = run

    @property
    def kept(self) -> int:
        """The file's first rows, in order, that are in the database (added by this run or
        already there); later ones may be there too, from an earlier run."""
        return (self.run.rows_added or 0) + (self.run.rows_existing or 0)


def _finish(db: Database, run: ImportRun, status: ImportStatus) -> ImportRun:
    with db.write_session() as session:
        stored = session.get(ImportRun, run.id)
        if stored is None:  # pragma: no cover - deleted under us
            return run
        stored.status = status
        stored.finished_at = utcnow()
        session.flush()
        session.expunge(stored)
        return stored
