"""The live set of watchlists, changed by records of the compacted watchlists topic."""

from __future__ import annotations

from collections.abc import Iterator

import orjson

from .watchlists import Watchlist, WatchlistError


class WatchlistSet:
    def __init__(self, watchlists: list[Watchlist] | None = None) -> None:
        self._by_id: dict[str, Watchlist] = {}
        self.version = 0
        for watchlist in watchlists or []:
            self.put(watchlist)

    def put(self, watchlist: Watchlist) -> None:
        self._by_id[watchlist.id] = watchlist
        self.version += 1

    def remove(self, watchlist_id: str) -> bool:
        self.version += 1
        return self._by_id.pop(watchlist_id, None) is not None

    def apply_record(self, key: bytes | None, value: bytes | None) -> None:
        """Apply one watchlists-topic record: a JSON watchlist, or a tombstone to delete."""
        if key is None:
            raise WatchlistError("watchlist record without a key")
        if not value:
            self.remove(key.decode("utf-8"))
            return
        self.put(Watchlist.from_dict(orjson.loads(value)))

    def get(self, watchlist_id: str) -> Watchlist | None:
        return self._by_id.get(watchlist_id)

    def speakers(self) -> list[str]:
        return sorted({s for w in self._by_id.values() for s in w.speakers})

    def __iter__(self) -> Iterator[Watchlist]:
        return iter(list(self._by_id.values()))

    def __len__(self) -> int:
        return len(self._by_id)
