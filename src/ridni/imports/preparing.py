"""Preparing an import's batches ahead of the writes: in a second thread, or a second process.

Reading, converting, sealing and tokenising batch N+1 is client CPU; writing batch N is mostly
the database's. The two overlap instead of adding up (decision 305). A thread is enough for a
short list, but two busy threads share one interpreter lock: on a long list the preparing side
runs in a process of its own (decision 307), which starts in about a second and then gives
each side a core. Either way only the caller's thread writes, in batch order, so what a batch
finds already there includes every earlier batch.

The preparing process reads the database (which refs the source already has, so a re-run of
a list seals nothing twice) through its own connection, with the caller's keys handed over
its pipe. It never writes. If the caller stops, fails or is killed, it stops too.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.queues
import os
import pickle
import queue
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import Protocol

from ridni.errors import RidniError
from ridni.imports.mapping import Mapping
from ridni.imports.preview import converted
from ridni.imports.reading import Table
from ridni.imports.rows import Row
from ridni.imports.writing import Prepared, Writer
from ridni.security.encryption import ring_of
from ridni.security.keys import KeyRing
from ridni.storage.engine import Database, open_database
from ridni.storage.types import utcnow

AHEAD = 2  # batches prepared and not yet written, at most
Item = Prepared | BaseException | None


class PreparingFailed(RidniError):
    """The preparing process ended without saying why (killed, out of memory)."""


class _Channel(Protocol):
    def put(self, item: Item, block: bool = ..., timeout: float | None = ...) -> None: ...
    def get(self, block: bool = ..., timeout: float | None = ...) -> Item: ...


@dataclass(frozen=True, slots=True)
class Job:
    """What the preparing side needs, all of it picklable (the process gets a copy)."""

    table: Table
    mapping: Mapping
    source_id: int
    organisation_id: int | None
    size: int


def _batches(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    valid = (row for row in rows if row.ok)
    while batch := list(islice(valid, size)):
        yield batch


def _produce(db: Database, job: Job, offer: Callable[[Item], bool]) -> None:
    """Offer the file's valid rows batch by batch, prepared; then None. Rows the source had
    before the batches in flight are left out unprepared (a re-run of a list costs a query,
    not the sealing); the writing side checks again, inside its transaction, and has the
    final word. Returns early when ``offer`` says the writing side is gone."""
    with db.session() as session:
        writer = Writer(session, job.source_id, job.mapping, job.organisation_id)
    with converted(job.table, job.mapping) as rows:
        for batch in _batches(rows, job.size):
            with db.session() as session:
                refs = [str(row.values["source_ref"]) for row in batch]
                there = frozenset(writer.existing(session, refs))
            if not offer(writer.prepare(batch, utcnow(), there)):
                return
    offer(None)


def _offering(channel: _Channel, going: Callable[[], bool]) -> Callable[[Item], bool]:
    def offer(item: Item) -> bool:
        while going():
            try:
                channel.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    return offer


def _received(channel: _Channel, alive: Callable[[], bool]) -> Iterator[Prepared]:
    while True:
        try:
            item = channel.get(timeout=0.5)
        except queue.Empty:
            if alive():
                continue
            try:  # what it sent just before it ended
                item = channel.get(timeout=0.5)
            except queue.Empty:
                raise PreparingFailed(
                    "the process preparing the rows stopped unexpectedly; nothing of the "
                    "batch in progress was written",
                    "run the same import again: it adds what is missing",
                ) from None
        if item is None:
            return
        if isinstance(item, BaseException):
            raise item
        yield item


@contextmanager
def _in_thread(db: Database, job: Job) -> Iterator[Iterator[Prepared]]:
    channel: queue.Queue[Item] = queue.Queue(maxsize=AHEAD)
    stop = threading.Event()
    offer = _offering(channel, lambda: not stop.is_set())

    def run() -> None:
        try:
            _produce(db, job, offer)
        except BaseException as exc:  # handed to the writing thread, raised there
            offer(exc)

    worker = threading.Thread(target=run, name="ridni-import-prepare", daemon=True)
    worker.start()
    try:
        yield _received(channel, worker.is_alive)
    finally:
        stop.set()
        worker.join(timeout=10)


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives the pipe, else its text in a plain RuntimeError."""
    try:
        pickle.loads(pickle.dumps(exc))  # noqa: S301 (our own bytes, just made)
    except Exception:  # any failure means: send the text instead
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def _process_main(
    url: str, keys: str, job: Job, channel: multiprocessing.queues.Queue[Item], parent: int
) -> None:
    """The preparing process: Ctrl-C is the parent's to handle (it stops this process);
    a parent that is gone (killed with -9) stops it at its next batch."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    offer = _offering(channel, lambda: os.getppid() == parent)
    try:
        db = open_database(url, keyring=KeyRing.from_json(keys, "the import's keys"))
        try:
            _produce(db, job, offer)
        finally:
            db.dispose()
    except BaseException as exc:
        offer(_portable(exc))
    finally:
        if os.getppid() != parent:  # nobody will read what is still in the pipe: don't wait
            channel.cancel_join_thread()


@contextmanager
def _in_process(db: Database, job: Job) -> Iterator[Iterator[Prepared]]:
    context = multiprocessing.get_context("spawn")  # no copy of the caller's threads or locks
    channel = context.Queue(maxsize=AHEAD)
    keys = ring_of(db.engine.dialect).to_json()
    url = db.url.render_as_string(hide_password=False)
    worker = context.Process(
        target=_process_main,
        args=(url, keys, job, channel, os.getpid()),
        name="ridni-import-prepare",
        daemon=True,
    )
    worker.start()
    try:
        yield _received(channel, worker.is_alive)
        worker.join(timeout=10)  # it ends by itself once it has sent everything
    finally:
        if worker.is_alive():  # the writing side stopped early: nothing there to keep
            worker.terminate()
            worker.join(timeout=5)
        channel.cancel_join_thread()
        channel.close()


@contextmanager
def prepared(db: Database, job: Job, in_process: bool) -> Iterator[Iterator[Prepared]]:
    """The file's valid rows in prepared batches, made ahead while the caller writes the ones
    before. An error on the preparing side is raised here, in the caller's thread."""
    making = _in_process if in_process else _in_thread
    with making(db, job) as batches:
        yield batches
