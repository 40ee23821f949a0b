"""A batch left pending: parsed and tagged in the front process while the batch before it is
finished (streams/app.py), then finished by the next batch, or by a timer when none comes.

Its events stay unacknowledged until it is finished. Faust acknowledges a batch's events when
the agent's loop comes back for the next batch; the reference taken here outlives that, so the
consumer does not count them done, and a rebalance or a clean stop (which wait for every event
taken to be acknowledged) waits for them. The timer matters there: a rebalance clears what was
waiting behind the batch, so no next batch would come to finish it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Generic, Protocol, TypeVar

log = logging.getLogger(__name__)


class HasEvents(Protocol):
    events: list[Any]  # Faust events: `event.message.incref()`, `event.ack()`


BatchT = TypeVar("BatchT", bound=HasEvents)


class PendingBatch(Generic[BatchT]):
    """At most one batch, finished (`finish`) by the next `finish_pending`, or after
    `flush_after` seconds; `on_error` gets what the timer's finishing raised."""

    def __init__(
        self,
        finish: Callable[[BatchT], Awaitable[int]],
        flush_after: float,
        on_error: Callable[[Exception], Awaitable[Any]],
    ) -> None:
        self._finish = finish
        self.flush_after = flush_after
        self._on_error = on_error
        self._batch: BatchT | None = None
        self._lock = asyncio.Lock()
        self._timer: asyncio.TimerHandle | None = None
        self._flushing: set[asyncio.Future[None]] = set()  # the loop holds running tasks weakly
        self.left = 0  # batches left pending so far

    def leave(self, batch: BatchT) -> None:
        """Hold a batch (after `finish_pending` took the one before) until it is finished."""
        assert self._batch is None, "one batch at a time"
        for event in batch.events:
            event.message.incref()
        self._batch = batch
        self.left += 1
        self._timer = asyncio.get_running_loop().call_later(self.flush_after, self._start_flush)

    async def finish_pending(self) -> int:
        """Finish the batch held, if any, and acknowledge its events; its alert count."""
        self.cancel_timer()
        async with self._lock:
            batch, self._batch = self._batch, None
            if batch is None:
                return 0
            alerts = await self._finish(batch)
            for event in batch.events:  # the reference taken in `leave`
                event.ack()
            return alerts

    def cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _start_flush(self) -> None:
        self._timer = None
        task = asyncio.ensure_future(self._flush())
        self._flushing.add(task)
        task.add_done_callback(self._flushing.discard)

    async def _flush(self) -> None:
        try:
            await self.finish_pending()
        except Exception as exc:
            log.exception("finishing a pending batch failed")
            await self._on_error(exc)
