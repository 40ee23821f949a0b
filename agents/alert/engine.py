"""Alert rules: which matches become alerts, of which kind, with which id.

- A duplicate or syndicated copy never alerts.
- The first matching article of a story raises `new`; a later one raises `update` only when
  it brings another outlet or another quoted speaker, at most N per story and watchlist per
  hour of event time.
- The id hashes watchlist id and article id, so a reprocessed record re-emits the same id
  (at-least-once delivery; subscribers drop repeats).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from wirewatch.agents.dedup.core import epoch
from wirewatch.agents.state import StateStore
from wirewatch.streams.records import Alert, DedupedArticle

from .query import words
from .registry import WatchlistSet
from .watchlists import Match, Watchlist, build_document, match

SNIPPET_CHARS = 240


def alert_id(watchlist_id: str, article_id: str) -> str:
    return hashlib.sha256(f"{watchlist_id}\x00{article_id}".encode()).hexdigest()[:32]


@dataclass(slots=True)
class AlertEngine:
    store: StateStore
    updates_per_story_per_hour: int = 6

    def __call__(
        self, item: DedupedArticle, watchlists: Iterable[Watchlist], detected_at: str
    ) -> list[Alert]:
        if item.duplicate_of:
            return []
        tagged = item.tagged
        base = build_document(tagged, [q for q in tagged.quotes if q.speaker])
        # a live set evaluates only its presearch candidates; a plain list is evaluated whole
        if isinstance(watchlists, WatchlistSet):
            watchlists = watchlists.candidates(tagged, base)
        alerts = []
        for watchlist in watchlists:
            found = match(watchlist, tagged, base)
            if found is None:
                continue
            alert = self._decide(watchlist, item, found, detected_at)
            if alert is not None:
                alerts.append(alert)
        return alerts

    def _decide(
        self, watchlist: Watchlist, item: DedupedArticle, found: Match, detected_at: str
    ) -> Alert | None:
        article = item.tagged.article
        key = f"alerted:{watchlist.id}:{item.story.id}"
        state = self.store.get(key) or {"articles": {}, "sources": [], "speakers": [], "updates": []}
        previous = state["articles"].get(article.id)
        if previous is not None:  # reprocessed after a crash: same decision, same id
            return self._build(watchlist, item, found, previous, detected_at) if previous != "none" else None
        speakers = {q.speaker for q in item.tagged.quotes if q.speaker}
        now = epoch(article.published)
        if not state["articles"]:
            kind = "new"
        else:
            brings_new = (article.source and article.source not in state["sources"]) or bool(
                speakers - set(state["speakers"])
            )
            recent = [t for t in state["updates"] if now - t < 3600]
            if not brings_new or len(recent) >= self.updates_per_story_per_hour:
                kind = "none"
            else:
                kind = "update"
                state["updates"] = [*recent, now]
        state["articles"][article.id] = kind
        if article.source and article.source not in state["sources"]:
            state["sources"].append(article.source)
        state["speakers"] = sorted({*state["speakers"], *speakers})
        state["last"] = now
        self.store.set(key, state)
        return None if kind == "none" else self._build(watchlist, item, found, kind, detected_at)

    def _build(
        self, watchlist: Watchlist, item: DedupedArticle, found: Match, kind: str, detected_at: str
    ) -> Alert:
        article = item.tagged.article
        return Alert(
            id=alert_id(watchlist.id, article.id),
            watchlist=watchlist.id,
            kind=kind,  # type: ignore[arg-type]
            story={"id": item.story.id, "size": item.story.size, "sources": list(item.story.sources)},
            article={
                "id": article.id,
                "title": article.title,
                "source": article.source,
                "agency": article.agency,
                "url": article.url,
                "published": article.published,
                "published_precision": article.published_precision,
            },
            matched=found.matched,
            quotes=[{"speaker": q.speaker, "text": q.text} for q in found.quotes],
            snippet=snippet(article.text, found.matched),
            detected_at=detected_at,
        )


def snippet(text: str, matched: list[str]) -> str:
    """Plain text around the first matched term (the body is already plain text)."""
    lowered = text.lower()
    for label in matched:
        term = label.split(":", 1)[-1].strip('"').rstrip("*")
        if " NEAR/" in term:
            term = term.split(" NEAR/")[0].strip('"')
        needle = " ".join(words(term))
        if not needle:
            continue
        at = lowered.find(needle)
        if at >= 0:
            start = max(0, at - SNIPPET_CHARS // 2)
            start = text.rfind(" ", 0, start) + 1 if start > 0 else 0
            end = min(len(text), start + SNIPPET_CHARS)
            piece = " ".join(text[start:end].split())
            return ("…" if start > 0 else "") + piece + ("…" if end < len(text) else "")
    piece = " ".join(text[:SNIPPET_CHARS].split())
    return piece + ("…" if len(text) > SNIPPET_CHARS else "")
