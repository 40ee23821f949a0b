"""The small state interface that stateful stage cores work against.

Two homes, one core: `MemoryStore` for offline replay and unit tests; in the worker a
Faust table (backed by a changelog topic) is wrapped in the same interface by streams/.
Values are plain JSON-serialisable data.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol


class StateStore(Protocol):
    def get(self, key: str) -> Any | None: ...

    def set(self, key: str, value: Any) -> None: ...

    def delete(self, key: str) -> None: ...

    def items(self) -> Iterator[tuple[str, Any]]: ...


class MemoryStore:
    """A dict with the StateStore interface."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}

    def get(self, key: str) -> Any | None:
        return self.data.get(key)

    def set(self, key: str, value: Any) -> None:
        self.data[key] = value

    def delete(self, key: str) -> None:
        self.data.pop(key, None)

    def items(self) -> Iterator[tuple[str, Any]]:
        return iter(list(self.data.items()))
