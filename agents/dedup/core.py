"""Duplicate detection and story grouping against a StateStore.

First version: exact duplicates by a fingerprint of the normalised body; stories by the
overlap of linked entities and quoted speakers within the window. The window advances with
event time (the latest publication time seen, minus the allowed lateness), never with the
wall clock, so replaying old history behaves as it did live.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from wirewatch.agents.alert.query import words
from wirewatch.agents.state import StateStore
from wirewatch.streams.records import DedupedArticle, StoryRef, TaggedArticle

_TYPE_WEIGHT = {"person": 3.0, "org": 2.0, "place": 1.0}
STORY_THRESHOLD = 0.5
EVICT_EVERY = 256


def epoch(iso: str) -> float:
    return datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()


def fingerprint(tagged: TaggedArticle) -> str:
    return hashlib.sha256(" ".join(words(tagged.article.text)).encode()).hexdigest()[:24]


def signature(tagged: TaggedArticle) -> dict[str, float]:
    weights: dict[str, float] = {}
    for entity in tagged.entities:
        weights[entity.id] = _TYPE_WEIGHT.get(entity.type, 1.0) * (2.0 if entity.in_title else 1.0)
    for quote in tagged.quotes:
        if quote.speaker_id:
            weights[f"quoted:{quote.speaker_id}"] = 3.0
    return weights


def similarity(a: dict[str, float], b: dict[str, float]) -> float:
    shared = sum(min(a[k], b[k]) for k in a.keys() & b.keys())
    smaller = min(sum(a.values()), sum(b.values())) or 1.0
    return shared / smaller


@dataclass(slots=True)
class Deduper:
    store: StateStore
    window_hours: float = 72.0
    lateness_hours: float = 6.0
    watermark: float = 0.0
    _seen: int = 0

    def __post_init__(self) -> None:
        self.watermark = float(self.store.get("meta:watermark") or 0.0)

    def __call__(self, tagged: TaggedArticle) -> DedupedArticle:
        article = tagged.article
        published = epoch(article.published)
        self._advance(published)
        known = self.store.get(f"article:{article.id}")
        if known is not None:
            story = self.store.get(f"story:{known['story']}")
            return DedupedArticle(
                tagged, _ref(story), duplicate_of=known.get("duplicate_of") or article.id, new_source=False
            )
        fp = fingerprint(tagged)
        first = self.store.get(f"fp:{fp}")
        if first is not None:
            story = self.store.get(f"story:{first['story']}")
            self.store.set(
                f"article:{article.id}",
                {"story": first["story"], "duplicate_of": first["id"], "ts": published},
            )
            return DedupedArticle(tagged, _ref(story), duplicate_of=first["id"], new_source=False)
        sig = signature(tagged)
        story = self._best_story(sig, published)
        if story is None:
            story = {
                "id": "s-" + article.id.removeprefix("a-"),
                "size": 0,
                "sources": [],
                "speakers": [],
                "sig": {},
                "first": published,
                "last": published,
            }
        new_source = bool(article.source) and article.source not in story["sources"]
        speakers = sorted({q.speaker for q in tagged.quotes if q.speaker})
        new_speakers = [s for s in speakers if s not in story["speakers"]]
        story["size"] += 1
        if new_source:
            story["sources"].append(article.source)
        story["speakers"] = sorted({*story["speakers"], *speakers})
        for key, weight in sig.items():
            story["sig"][key] = max(story["sig"].get(key, 0.0), weight)
        story["last"] = max(story["last"], published)
        story["first"] = min(story["first"], published)
        self.store.set(f"story:{story['id']}", story)
        self.store.set(f"fp:{fp}", {"id": article.id, "story": story["id"], "ts": published})
        self.store.set(f"article:{article.id}", {"story": story["id"], "duplicate_of": "", "ts": published})
        return DedupedArticle(tagged, _ref(story), new_source=new_source, new_speakers=new_speakers)

    def _best_story(self, sig: dict[str, float], published: float) -> dict | None:
        best, best_score = None, STORY_THRESHOLD
        horizon = self.window_hours * 3600
        for key, story in self.store.items():
            if not key.startswith("story:"):
                continue
            if published < story["first"] - horizon or published > story["last"] + horizon:
                continue
            score = similarity(sig, story["sig"])
            if score >= best_score:
                best, best_score = story, score
        return best

    def _advance(self, published: float) -> None:
        mark = published - self.lateness_hours * 3600
        if mark > self.watermark:
            self.watermark = mark
            self.store.set("meta:watermark", mark)
        self._seen += 1
        if self._seen % EVICT_EVERY == 0:
            self.evict()

    def evict(self) -> int:
        """Forget what has left the window; returns how many keys were dropped."""
        cutoff = self.watermark - self.window_hours * 3600
        dropped = 0
        for key, value in self.store.items():
            if not isinstance(value, dict):
                continue
            ts = value.get("last", value.get("ts"))
            if ts is not None and ts < cutoff:
                self.store.delete(key)
                dropped += 1
        return dropped


def _ref(story: dict | None) -> StoryRef:
    if story is None:
        return StoryRef(id="", size=0, sources=[])
    return StoryRef(id=story["id"], size=story["size"], sources=list(story["sources"]))
