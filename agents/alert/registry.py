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

try:  # the candidates gathered in C, every memory read at once (pairkernel.c)
    from .pairkernel import take
except ImportError:  # a plain-Python install: read one by one
    take = None  # type: ignore[assignment]


class WatchlistSet:
    def __init__(self, watchlists: list[Watchlist] | None = None) -> None:
        # each id's rank (the order a full scan sees the watchlists in, kept when a watchlist
        # is replaced) and the watchlist at each rank (None once removed; a new id takes a new
        # rank): the presearch index files watchlists by rank, so candidates come out in scan
        # order with a list lookup each
        self._rank_of: dict[str, int] = {}
        self._by_rank: list[Watchlist | None] = []
        self.presearch = Presearcher()
        self.version = 0
        for watchlist in watchlists or []:
            self.put(watchlist)

    def put(self, watchlist: Watchlist) -> None:
        rank = self._rank_of.get(watchlist.id)
        if rank is None:
            rank = self._rank_of[watchlist.id] = len(self._by_rank)
            self._by_rank.append(watchlist)
        else:
            self._by_rank[rank] = watchlist
        self.presearch.add(watchlist, rank)
        self.version += 1

    def remove(self, watchlist_id: str) -> bool:
        self.version += 1
        self.presearch.discard(watchlist_id)
        rank = self._rank_of.pop(watchlist_id, None)
        if rank is None:
            return False
        self._by_rank[rank] = None
        return True

    def apply_record(self, key: bytes | None, value: bytes | None) -> None:
        """Apply one watchlists-topic record: a JSON watchlist, or a tombstone to delete."""
        if key is None:
            raise WatchlistError("watchlist record without a key")
        if not value:
            self.remove(key.decode("utf-8"))
            return
        self.put(Watchlist.from_dict(orjson.loads(value)))

    def get(self, watchlist_id: str) -> Watchlist | None:
        rank = self._rank_of.get(watchlist_id)
        return None if rank is None else self._by_rank[rank]

    def speakers(self) -> list[str]:
        return sorted({s for w in self for s in w.speakers})

    def candidates(self, tagged: TaggedArticle, base: Document) -> list[Watchlist]:
        """The watchlists that could match the article (a superset of those that do), in the
        same order iteration would give; `base` is the article's document (build_document)."""
        ranks = self.presearch.candidates(article_tokens(tagged, base), article_speakers(tagged, base))
        if take is not None:
            return take(self._by_rank, ranks)  # type: ignore[arg-type]
        return list(map(self._by_rank.__getitem__, ranks))  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[Watchlist]:
        return iter([watchlist for watchlist in self._by_rank if watchlist is not None])

    def __len__(self) -> int:
        return len(self._rank_of)
