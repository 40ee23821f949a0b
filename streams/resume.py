"""How the hot path takes up a raw partition at its first record after an assignment, from the
marker it keeps in its state (`processed:<partition>`: the first and last offsets of its latest
batch there). Plain code, no faust: the agent in streams/app.py logs and acts on the answer.

- Records below the marker's first offset were delivered in full (a batch's effects are all
  acknowledged before the next batch is taken): handed over again, they are passed over.
- Records after the last one processed that the group skipped are read again first.
- A gap larger than `refill_max`, either way, is no crash and no skip: the topic was recreated
  or the group's offsets were reset on purpose, and the records are taken as they come.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PROCESSED_PREFIX = "processed:"


def processed_key(partition: int) -> str:
    """State key of what the hot path processed last on a partition: `[first, last]`, the
    first and last raw offsets of that partition in its latest batch."""
    return f"{PROCESSED_PREFIX}{partition}"


def processed_span(marker: Any) -> tuple[int | None, int]:
    """(the last offset processed, the offset below which every record's effects were
    acknowledged) from a partition's processed marker; (None, -1) when there is none.

    A batch's alerts, dead letters and state writes are all acknowledged before the next batch
    is taken, so once a batch's marker is stored, every record before that batch was fully
    delivered; the batch itself may have been cut short by a crash. An older marker (a bare
    last offset) tells nothing about its batch, so nothing counts as delivered."""
    if isinstance(marker, list) and len(marker) == 2 and all(isinstance(n, int) for n in marker):
        return marker[1], marker[0]
    if isinstance(marker, int):
        return marker, -1
    return None, -1


@dataclass(frozen=True, slots=True)
class Resume:
    """What to do at a partition's first record after an assignment."""

    delivered_below: int = -1  # records below this offset are passed over
    refill: tuple[int, int] | None = None  # offsets [start, end) to read again and process first
    reset_from: int | None = None  # a deliberate reset: the offset the marker's side of it ends at


def resume(marker: Any, offset: int, refill_max: int) -> Resume:
    """The decision for a partition whose first record since the assignment is at `offset`."""
    done, delivered_below = processed_span(marker)
    if offset < delivered_below - refill_max:  # far below what was delivered
        return Resume(reset_from=delivered_below)
    if offset < delivered_below or done is None or offset <= done + 1:
        return Resume(delivered_below=delivered_below)
    if offset > done + 1 + refill_max:  # far past the last one processed
        return Resume(delivered_below=delivered_below, reset_from=done + 1)
    return Resume(delivered_below=delivered_below, refill=(done + 1, offset))
