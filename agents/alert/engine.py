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
from dataclasses import dataclass, field
from typing import Any

from mypy_extensions import mypyc_attr

from wirewatch.agents.dedup.core import published_epoch
from wirewatch.agents.dedup.ledger import AlertView, ArticleLedger, PendingArticle
from wirewatch.agents.state import StateStore
from wirewatch.streams.records import Alert, DedupedArticle

from .query import words
from .registry import WatchlistSet
from .watchlists import Match, Watchlist, build_document, match

SNIPPET_CHARS = 240


def alert_id(watchlist_id: str, article_id: str) -> str:
    return hashlib.sha256(f"{watchlist_id}\x00{article_id}".encode()).hexdigest()[:32]


@mypyc_attr(allow_interpreted_subclasses=True)  # the tests subclass it (see agents/tag/core.py)
@dataclass(slots=True)
class AlertEngine:
    """Decides which matches become alerts. Its memory is the alert decisions stored in each
    article's record (`agents/dedup/ledger.py`): it adds them to the record the dedup stage
    hands on, which the pipeline then writes once. An item that comes without one (the
    engine used on its own) gets a record of the engine's own, written at once."""

    store: StateStore
    updates_per_story_per_hour: int = 6
    _own_ledger: ArticleLedger | None = field(default=None, init=False, repr=False)

    def __call__(
        self, item: DedupedArticle, watchlists: Iterable[Watchlist], detected_at: str
    ) -> list[Alert]:
        if item.duplicate_of:
            return []
        tagged = item.tagged
        article = tagged.article
        pending: PendingArticle | None = item.pending
        own = pending is None
        if pending is None:
            pending = self._record_of_its_own(item)
        base = build_document(tagged, [q for q in tagged.quotes if q.speaker])
        # a live set evaluates only its presearch candidates; a plain list is evaluated whole
        if isinstance(watchlists, WatchlistSet):
            watchlists = watchlists.candidates(tagged, base)
        alerts = []
        decisions: dict[str, str] = {}
        speakers: set[str] | None = None
        body: ArticleBody | None = None
        for watchlist in watchlists:
            found = match(watchlist, tagged, base)
            if found is None:
                continue
            if pending.stored:  # reprocessed after a crash: same decisions, same ids
                kind = pending.decision(watchlist.id)
            else:
                if speakers is None:
                    speakers = {q.speaker for q in tagged.quotes if q.speaker}
                view = pending.ledger.alert_view(watchlist.id, item.story.id) if pending.ledger else None
                kind = decisions[watchlist.id] = self._decide(
                    view, article.source, speakers, pending.record["t"]
                )
            if kind in ("new", "update"):
                if body is None:  # the body's text, joined and lower-cased once per article
                    body = ArticleBody(article.text)
                alerts.append(self._build(watchlist, item, found, kind, detected_at, body))
        if not pending.stored:
            pending.decide(decisions)
        if own and pending.ledger is not None:
            pending.ledger.commit()
        return alerts

    def _decide(self, view: AlertView | None, source: str, speakers: set[str], now: float) -> str:
        """`new` for the story's first match, `update` when the article brings another outlet
        or another quoted speaker and the hour's updates allow it, else `none`."""
        if view is None:
            return "new"
        brings_new = (source and source not in view.sources) or not speakers.issubset(view.speakers)
        if not brings_new:
            return "none"
        recent = sum(1 for t in view.updates if now - t < 3600)
        return "update" if recent < self.updates_per_story_per_hour else "none"

    def _record_of_its_own(self, item: DedupedArticle) -> PendingArticle:
        """A record for an item that comes without one: the stored one when the article was
        seen before (its decisions stand), else a new one holding what the rules need."""
        if self._own_ledger is None:
            self._own_ledger = ArticleLedger(self.store)
        ledger = self._own_ledger
        article = item.tagged.article
        known = ledger.record(article.id)
        if known is not None:
            return PendingArticle(article.id, known, ledger, stored=True)
        record: dict[str, Any] = {"s": item.story.id, "t": published_epoch(article.published)}
        if article.source:
            record["src"] = article.source
        speakers = sorted({q.speaker for q in item.tagged.quotes if q.speaker})
        if speakers:
            record["spk"] = speakers
        return ledger.begin(article.id, record)

    def _build(
        self,
        watchlist: Watchlist,
        item: DedupedArticle,
        found: Match,
        kind: str,
        detected_at: str,
        body: ArticleBody,
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
            snippet=body.snippet(found.matched),
            detected_at=detected_at,
        )


class ArticleBody:
    """An article's body text and its lower-cased form, shared by its alerts' snippets."""

    __slots__ = ("lowered", "snippets", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.lowered = text.lower()
        # the snippet depends only on the text and `matched`, which many alerts share
        self.snippets: dict[tuple[str, ...], str] = {}

    def snippet(self, matched: list[str]) -> str:
        key = tuple(matched)
        found = self.snippets.get(key)
        if found is None:
            found = self.snippets[key] = snippet(self.text, matched, self.lowered)
        return found


def snippet(text: str, matched: list[str], lowered: str | None = None) -> str:
    """Plain text around the first matched term (the body is already plain text); `lowered`
    is `text.lower()`, when the caller has it."""
    lowered = text.lower() if lowered is None else lowered
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
