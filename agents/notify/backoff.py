"""When to retry a failed webhook delivery: exponential backoff with full jitter.

Attempt n (1 = the first retry) waits a random time in [0, min(cap, base * factor**(n-1))]
("full jitter"): subscribers that went down together do not come back to a thundering herd.
A subscriber's own `Retry-After` is honoured when it asks for longer, up to the cap.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BackoffPolicy:
    base_seconds: float = 0.5
    factor: float = 2.0
    cap_seconds: float = 60.0
    # 1.0: full jitter, delays drawn from [0, ceiling]; 0.0: no jitter, always the ceiling
    jitter: float = 1.0

    def __post_init__(self) -> None:
        if self.base_seconds <= 0 or self.cap_seconds <= 0:
            raise ValueError("backoff base and cap must be positive")
        if self.factor < 1:
            raise ValueError("backoff factor must be at least 1")
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError("backoff jitter is a share between 0 and 1")

    def ceiling(self, attempt: int) -> float:
        """The longest wait before retry number `attempt` (1-based)."""
        if attempt < 1:
            raise ValueError("attempts are counted from 1")
        # min() before the power would overflow: factor**attempt grows without bound
        exponent = min(attempt - 1, 64)
        return min(self.cap_seconds, self.base_seconds * self.factor**exponent)

    def delay(
        self, attempt: int, rng: random.Random | None = None, retry_after: float | None = None
    ) -> float:
        """How long to wait before retry number `attempt`."""
        ceiling = self.ceiling(attempt)
        draw = (rng or random).random()
        wait = ceiling * (1.0 - self.jitter * draw)
        if retry_after is not None and retry_after > wait:
            wait = min(retry_after, self.cap_seconds)
        return wait

    def schedule(self, attempts: int) -> list[float]:
        """The ceilings of the first `attempts` retries (what the docs and tests show)."""
        return [self.ceiling(n) for n in range(1, attempts + 1)]


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a `Retry-After: <seconds>` header; HTTP dates and junk are ignored."""
    if not value:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if seconds >= 0 else None
