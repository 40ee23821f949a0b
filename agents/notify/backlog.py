"""Per-subscriber backlog bookkeeping: a bounded queue of alerts waiting for delivery, in
order, and the dead-letter record for an alert that will not be delivered.

The head of the queue stays in it until delivered, so the bound counts the alert being
retried too. When the queue is full a newly arriving alert is refused (the caller sends it
to the subscriber dead-letter topic): what is queued stays a gap-free, ordered run.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import orjson


@dataclass(slots=True)
class PendingAlert:
    alert_id: str
    body: bytes  # the alert JSON exactly as on the alerts topic: what is signed and POSTed
    attempts: int = 0
    first_failure: str = ""
    last_failure: str = ""
    queued_at: float = field(default_factory=time.time)


class Backlog:
    """A subscriber's queue of alerts to deliver, at most `capacity` long."""

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("a backlog holds at least one alert")
        self.capacity = capacity
        self._queue: deque[PendingAlert] = deque()
        self.delivered = 0
        self.overflowed = 0

    def offer(self, pending: PendingAlert) -> bool:
        """Queue an alert; False when the backlog is full (the caller dead-letters it)."""
        if len(self._queue) >= self.capacity:
            self.overflowed += 1
            return False
        self._queue.append(pending)
        return True

    def head(self) -> PendingAlert | None:
        return self._queue[0] if self._queue else None

    def done(self) -> PendingAlert:
        """Remove the head after it was delivered (or given up on)."""
        self.delivered += 1
        return self._queue.popleft()

    def drain(self) -> list[PendingAlert]:
        """Everything still queued, emptied (when a subscriber is removed or a worker stops)."""
        items = list(self._queue)
        self._queue.clear()
        return items

    def __len__(self) -> int:
        return len(self._queue)


def dead_letter(subscriber_id: str, pending: PendingAlert, reason: str, error: str = "") -> bytes:
    """The value written to the subscriber dead-letter topic (key: the subscriber id)."""
    try:
        alert: Any = orjson.loads(pending.body)
    except orjson.JSONDecodeError:
        alert = pending.body.decode("utf-8", "replace")
    return orjson.dumps(
        {
            "subscriber": subscriber_id,
            "reason": reason,
            "error": error or pending.last_failure,
            "alert_id": pending.alert_id,
            "attempts": pending.attempts,
            "queued_at": pending.queued_at,
            "at": time.time(),
            "alert": alert,
        }
    )
