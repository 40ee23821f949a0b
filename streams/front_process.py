"""Parse and tag in a second process, so that one worker uses two cores (WIREWATCH_FRONT_PROCESS).

The worker's Python code runs on one core at a time. Parse and tag keep no state between
records, so they can run beside the worker: while the worker deduplicates, alerts and moves the
records of one chunk, this process parses and tags the next chunk. Records keep their order:
chunks go to one process, which works through them in the order they were sent, and the worker
finishes them in that order.

What crosses between the processes is the raw records one way and the `Front` results (tagged
articles, dead letters) the other, pickled. A dataclass pickles by default through a per-field
state loop in Python that cost more to read back than half the tag stage; the reducers below
rebuild each record class by calling it with its fields, which reads back four times faster.
"""

from __future__ import annotations

import asyncio
import copyreg
import dataclasses
import gc
import logging
import multiprocessing
import operator
import os
import threading
import time
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from wirewatch.agents.alert import WatchlistSet
from wirewatch.agents.dedup import Prepared
from wirewatch.agents.pipeline import Front, Pipeline, SeenBodies
from wirewatch.streams import records
from wirewatch.streams.records import RawRecord

log = logging.getLogger(__name__)


def _rebuild(cls: type, values: tuple[Any, ...]) -> Any:
    return cls(*values)


def _reducer(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    names = [field.name for field in dataclasses.fields(cls)]
    # attrgetter of one name returns the value itself, of several a tuple
    get = operator.attrgetter(*names) if len(names) > 1 else (lambda obj: (getattr(obj, names[0]),))

    def reduce(obj: Any) -> tuple[Any, ...]:
        return _rebuild, (type(obj), get(obj))

    return reduce


def register_reducers() -> None:
    """Pickle the record dataclasses (and Front, Prepared) as a call with their fields, in order."""
    for value in [*vars(records).values(), Front, Prepared]:
        is_record = isinstance(value, type) and dataclasses.is_dataclass(value)
        if is_record and all(field.init for field in dataclasses.fields(value)):
            copyreg.pickle(value, _reducer(value))


register_reducers()


# --- the second process -------------------------------------------------------------------------

_front_pipeline: Pipeline | None = None
_seen_bodies = SeenBodies()  # a record with a body seen before is left untagged (`Pipeline.front`)


def _start(max_article_bytes: int) -> None:
    global _front_pipeline
    _front_pipeline = Pipeline(WatchlistSet(), max_article_bytes=max_article_bytes)
    # As in the worker: the knowledge base lives as long as the process, out of the way of the
    # cyclic collector's full collections.
    gc.collect()
    gc.freeze()
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """A worker killed outright cannot stop this process, and the pool's queue keeps it
    waiting: leave once the worker is gone (this process is then handed to another parent)."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _fronts(raws: Sequence[RawRecord], new_people: list[str]) -> list[Front]:
    """Parse and tag each record, after adding the watchlist people named since the last call
    (in the order the worker first saw them, as its own tagger would have added them)."""
    assert _front_pipeline is not None, "the front process was not started"
    _front_pipeline.tagger.add_people(new_people)
    return [_front_pipeline.front(raw, seen=_seen_bodies, prepare=True) for raw in raws]


def _ready() -> bool:
    return _front_pipeline is not None


# --- the worker's side ----------------------------------------------------------------------------


@dataclasses.dataclass
class QueuedChunks:
    """A batch's records, queued to the second process chunk by chunk (None: not queued)."""

    chunk: int
    pieces: list[Sequence[RawRecord]]
    futures: list[Future[list[Front]] | None]


class FrontProcessFailed(RuntimeError):
    """The second process died; the caller parses and tags the chunk itself."""


class FrontProcess:
    """The worker's handle on the second process: send chunks of raw records, get Fronts back."""

    def __init__(self, max_article_bytes: int) -> None:
        self.max_article_bytes = max_article_bytes
        self.executor: ProcessPoolExecutor | None = None
        # Every person the watchlists have named, in the order first seen (a tagger keeps the
        # people it was given, so only new names need sending), and how many the current
        # process has been sent.
        self.people: list[str] = []
        self.named: set[str] = set()
        self.sent = 0
        self.version = -1
        self.records_done = 0  # records the second process parsed and tagged

    def start(self) -> None:
        """Start the process and wait until its knowledge base has loaded (at start-up)."""
        self._launch().submit(_ready).result(timeout=300)

    def _launch(self) -> ProcessPoolExecutor:
        """A new process, not waited for: its first chunk waits for it instead."""
        # spawn, not fork: the worker has threads (the Kafka consumer's), and a forked copy of a
        # threaded process can inherit a lock some other thread held.
        context = multiprocessing.get_context("spawn")
        self.executor = ProcessPoolExecutor(
            1, mp_context=context, initializer=_start, initargs=(self.max_article_bytes,)
        )
        self.sent = 0
        return self.executor

    def sync(self, watchlists: WatchlistSet) -> None:
        """Note the watchlists' people when the set has changed since the last call."""
        if watchlists.version != self.version:
            for name in watchlists.speakers():
                if name not in self.named:
                    self.named.add(name)
                    self.people.append(name)
            self.version = watchlists.version

    def submit(self, raws: Sequence[RawRecord]) -> asyncio.Future[list[Front]]:
        """Queue one chunk; the future holds its Fronts, in the order of `raws`."""
        return asyncio.wrap_future(self._queue(raws))

    def _queue(self, raws: Sequence[RawRecord]) -> Future[list[Front]]:
        # after a failure, a new process is started without blocking the worker's event loop
        executor = self.executor if self.executor is not None else self._launch()
        new_people, self.sent = self.people[self.sent :], len(self.people)
        try:
            return executor.submit(_fronts, list(raws), new_people)
        except (BrokenProcessPool, RuntimeError) as exc:
            self.restart()
            raise FrontProcessFailed(str(exc)) from exc

    async def result(self, future: asyncio.Future[list[Front]]) -> list[Front]:
        try:
            fronts = await future
        except BrokenProcessPool as exc:
            log.error("the front process died (%s); starting a new one", exc)
            self.restart()
            raise FrontProcessFailed(str(exc)) from exc
        self.records_done += len(fronts)
        return fronts

    def queue(self, raws: Sequence[RawRecord], chunk: int, watchlists: WatchlistSet) -> QueuedChunks:
        """Queue a batch's records in chunks, after noting the watchlists' people; the second
        process works through them while the worker does other things (`in_order` collects)."""
        self.sync(watchlists)
        pieces = [raws[start : start + chunk] for start in range(0, len(raws), chunk)]
        futures: list[Future[list[Front]] | None] = []
        for piece in pieces:
            try:
                futures.append(self._queue(piece))
            except FrontProcessFailed:
                futures.append(None)
        return QueuedChunks(chunk, pieces, futures)

    async def in_order(
        self, queued: QueuedChunks, here: Callable[[Sequence[RawRecord]], list[Front | None]]
    ) -> AsyncIterator[tuple[int, list[Front | None]]]:
        """The Fronts of queued chunks in order, each chunk's with the index of its first
        record. A chunk the second process failed (it died, or was never queued) is parsed and
        tagged by `here`, in the worker (None for a record it could not do: the caller runs
        that one through the whole pipeline)."""
        for index, (piece, future) in enumerate(zip(queued.pieces, queued.futures, strict=True)):
            fronts: list[Front | None] | None = None
            if future is not None:
                try:
                    fronts = list(await self.result(asyncio.wrap_future(future)))
                except FrontProcessFailed:
                    fronts = None
            if fronts is None:
                fronts = here(piece)
            yield index * queued.chunk, fronts

    def restart(self) -> None:
        """Drop a broken process; the next chunk starts a new one, sent every person named."""
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = None
        self.sent = 0

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None
