"""A batch left pending while the front process works on the next one (streams/pending.py):
its events held unacknowledged until it is finished, by the next batch or by the timer."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from wirewatch.streams.pending import PendingBatch


@dataclass
class FakeMessage:
    refcount: int = 1  # the agent's own reference, which Faust acknowledges after the loop

    def incref(self) -> None:
        self.refcount += 1


@dataclass
class FakeEvent:
    message: FakeMessage = field(default_factory=FakeMessage)

    def ack(self) -> None:
        self.message.refcount -= 1


@dataclass
class Batch:
    name: str
    events: list[FakeEvent] = field(default_factory=lambda: [FakeEvent(), FakeEvent()])


class Finisher:
    def __init__(self, fail: bool = False) -> None:
        self.finished: list[str] = []
        self.errors: list[Exception] = []
        self.fail = fail

    async def finish(self, batch: Batch) -> int:
        if self.fail:
            raise RuntimeError("broker gone")
        self.finished.append(batch.name)
        return 3

    async def on_error(self, exc: Exception) -> None:
        self.errors.append(exc)


def refcounts(batch: Batch) -> list[int]:
    return [event.message.refcount for event in batch.events]


async def left_to_the_timer(finisher: Finisher, flush_after: float, name: str) -> Batch:
    """Leave a batch pending and let no next batch come: wait for the timer's outcome."""
    batch = Batch(name)
    PendingBatch(finisher.finish, flush_after, finisher.on_error).leave(batch)
    for _ in range(100):
        if finisher.finished or finisher.errors:
            break
        await asyncio.sleep(0.01)
    return batch


async def test_the_next_batch_finishes_the_pending_one_and_releases_its_events() -> None:
    finisher = Finisher()
    pending = PendingBatch(finisher.finish, 10.0, finisher.on_error)
    first = Batch("first")
    pending.leave(first)
    assert refcounts(first) == [2, 2]  # held past Faust's own acknowledgement
    for event in first.events:  # what Faust does when the agent asks for the next batch
        event.ack()
    assert refcounts(first) == [1, 1] and finisher.finished == []
    assert await pending.finish_pending() == 3
    assert finisher.finished == ["first"] and refcounts(first) == [0, 0]
    assert await pending.finish_pending() == 0  # nothing held any more
    assert pending.left == 1


async def test_the_timer_finishes_a_batch_no_next_batch_comes_for() -> None:
    finisher = Finisher()
    batch = await left_to_the_timer(finisher, 0.05, "alone")
    assert finisher.finished == ["alone"] and refcounts(batch) == [1, 1]
    assert finisher.errors == []


async def test_a_failure_in_the_timers_finishing_is_reported() -> None:
    finisher = Finisher(fail=True)
    batch = await left_to_the_timer(finisher, 0.01, "doomed")
    assert [str(exc) for exc in finisher.errors] == ["broker gone"]
    assert refcounts(batch) == [2, 2]  # never acknowledged: the next owner processes it again


async def test_a_cancelled_timer_leaves_the_batch_unfinished() -> None:
    finisher = Finisher()
    pending = PendingBatch(finisher.finish, 0.01, finisher.on_error)
    pending.leave(Batch("held"))
    pending.cancel_timer()  # the worker stopping: the batch stays unacknowledged
    await asyncio.sleep(0.05)
    assert finisher.finished == []
