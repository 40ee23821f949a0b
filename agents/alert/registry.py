"""The live set of watchlists, changed by records of the compacted watchlists topic.

The set keeps its presearch index (presearch.py) in step with every put and remove, so the
worker, which applies topic records while it runs, always picks candidates from the current
watchlists.
"""

from __future__ import annotations

from collections.abc import Iterator

import orjson

from wirewatch.streams.records import TaggedArticle

from .presearch import Presearcher, article_speakers, article_tokens
from .query import Document
from .watchlists import Watchlist, WatchlistError


class WatchlistSet:
    def __init__(self, watchlists: list[Watchlist] | None = None) -> None:
        self._by_id: dict[str, Watchlist] = {}
        # each id's insertion rank and watchlist: candidates come out in the order a full scan
        # would see them, sorted on the rank with one lookup each
        self._ranked: dict[str, tuple[int, Watchlist]] = {}
        self._next_rank = 0
        self.presearch = Presearcher()
        self.version = 0
        for watchlist in watchlists or []:
            self.put(watchlist)

    def put(self, watchlist: Watchlist) -> None:
        known = self._ranked.get(watchlist.id)
        if known is None:
            rank = self._next_rank
            self._next_rank += 1
        else:
            rank = known[0]
        self._ranked[watchlist.id] = (rank, watchlist)
        self._by_id[watchlist.id] = watchlist
        self.presearch.add(watchlist)
        self.version += 1

    def remove(self, watchlist_id: str) -> bool:
        self.version += 1
        self.presearch.discard(watchlist_id)
        self._ranked.pop(watchlist_id, None)
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

    def candidates(self, tagged: TaggedArticle, base: Document) -> list[Watchlist]:
        """The watchlists that could match the article (a superset of those that do), in the
        same order iteration would give; `base` is the article's document (build_document)."""
        ids = self.presearch.candidate_ids(article_tokens(tagged, base), article_speakers(tagged, base))
        # ranks are unique, so the sort never compares two watchlists
        return [watchlist for _, watchlist in sorted(map(self._ranked.__getitem__, ids))]

    def __iter__(self) -> Iterator[Watchlist]:
        return iter(list(self._by_id.values()))

    def __len__(self) -> int:
        return len(self._by_id)
