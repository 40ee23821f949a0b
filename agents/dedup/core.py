"""Duplicate detection and story grouping against a StateStore, in an event-time window.

For each tagged article, in order:

1. the same article id seen before: the earlier decision is returned (a record processed
   again after a crash keeps its decision, so the alert stage re-emits the same alert ids;
   the same article re-sent from elsewhere is a duplicate of itself);
2. the same normalised body under another id or url: a duplicate (exact fingerprint);
3. a syndicated copy (changed headline, boilerplate added or removed, truncated tail, typo,
   photo credit): a MinHash LSH candidate whose estimated Jaccard similarity of word
   5-shingles is at least NEAR_DUPLICATE_JACCARD;
4. otherwise an original: it joins the best-scoring story in the window, or starts one.

State lives in the store (`dedup:a:<article id>`, `dedup:s:<story id>`, `dedup:watermark`) and
is written through on every article; the in-memory `WindowIndex` is derived from it, rebuilt
from `store.items()` when the Deduper is built, so no article scans the store. The window
advances with event time (latest publication time seen, minus the allowed lateness), never
with the wall clock.
"""

from __future__ import annotations

import heapq
import math
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from operator import itemgetter
from typing import Any

from datasketch import LeanMinHash, MinHashLSH

from wirewatch.agents.state import StateStore
from wirewatch.streams.records import DedupedArticle, StoryRef, TaggedArticle

from .features import (
    NUM_PERM,
    body_fingerprint,
    body_minhash,
    pack_hashes,
    pack_minhash,
    story_features,
    unpack_hashes,
    unpack_minhash,
    words,
)

ARTICLE_PREFIX = "dedup:a:"
STORY_PREFIX = "dedup:s:"
WATERMARK_KEY = "dedup:watermark"

# Copies of one text share >= 0.73 of their 5-shingles in the corpus, independent reports of
# one event <= 0.02: anything between is a wide margin.
NEAR_DUPLICATE_JACCARD = 0.5
# Below this many body words (a feed item with a headline only, or a one-line summary), the
# title is part of the text compared, or every such item would be a copy of the first.
SHORT_BODY_WORDS = 20
# 16 bands of 2 rows over 32 permutations: a pair at Jaccard 0.5 becomes a candidate with
# probability 1 - (1 - 0.5**2)**16 = 0.99; candidates are then checked on the estimate.
LSH_BANDS, LSH_ROWS = 16, 2

# Story scoring (see docs/dedup.md): share of the article's IDF-weighted features found in
# the story, times a factor that falls with the time between the article and the story.
STORY_THRESHOLD = 0.25
SAME_TIME_HOURS = 18.0
TIME_FACTOR_FLOOR = 0.5
# Candidate stories come from the most recent postings of the article's rarer features.
POSTINGS_SCANNED = 16
COMMON_FEATURE_SHARE = 0.02
COMMON_FEATURE_CAP = 500
STORIES_SCORED = 4

# State of other stages with a "last" event time (the alert stage's `alerted:*` keys) is swept
# with the window too, but rarely: once per this many hours of event time.
FOREIGN_SWEEP_HOURS = 6.0


def epoch(iso: str) -> float:
    """Seconds since 1970 of an ISO-8601 UTC time ("2021-07-27T00:00:00Z")."""
    moment = datetime.fromisoformat(iso)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _published(iso: str) -> float:
    try:
        return epoch(iso)
    except ValueError:
        return 0.0


@dataclass(slots=True)
class StoryState:
    """In-memory view of one story: what scoring needs, derived from the store."""

    id: str
    first: float
    last: float
    members: int = 0  # originals in the window (copies do not carry features)
    features: dict[int, int] = field(default_factory=dict)  # feature hash -> members having it


@dataclass
class WindowIndex:
    """Everything derived from the stored state, for lookups without scanning the store."""

    lsh: MinHashLSH = field(
        default_factory=lambda: MinHashLSH(num_perm=NUM_PERM, params=(LSH_BANDS, LSH_ROWS))
    )
    fingerprints: dict[str, str] = field(default_factory=dict)  # body fingerprint -> article id
    stories: dict[str, StoryState] = field(default_factory=dict)
    document_frequency: dict[int, int] = field(default_factory=dict)
    # feature -> the live stories that have it, by their latest article with it (a dict as an
    # ordered set: a story moves or leaves in O(1), which a list of 100,000 ids would not allow)
    postings: dict[int, dict[str, None]] = field(default_factory=dict)
    expiry: list[tuple[float, str]] = field(default_factory=list)  # heap of (published, article id)
    story_expiry: list[tuple[float, str]] = field(default_factory=list)  # heap of (last, story id)
    originals: int = 0

    def add_article(
        self,
        article_id: str,
        record: dict[str, Any],
        minhash: LeanMinHash | None = None,
        features: list[int] | None = None,
    ) -> None:
        """Index one stored article record (`minhash` and `features`, when the caller has them,
        save decoding what it has just encoded)."""
        heapq.heappush(self.expiry, (record["t"], article_id))
        if record.get("f"):
            self.fingerprints.setdefault(record["f"], article_id)
        if record.get("d"):
            return
        self.originals += 1
        if record.get("m"):
            minhash = minhash if minhash is not None else unpack_minhash(record["m"])
            self.lsh.insert(article_id, minhash, check_duplication=False)
        story = self.stories.get(record["s"])
        if story is None:
            story = self.stories[record["s"]] = StoryState(record["s"], record["t"], record["t"])
        story.members += 1
        story.first, story.last = min(story.first, record["t"]), max(story.last, record["t"])
        for feature in features if features is not None else unpack_hashes(record.get("x", "")):
            self.document_frequency[feature] = self.document_frequency.get(feature, 0) + 1
            story.features[feature] = story.features.get(feature, 0) + 1
            # the story moves to the end: postings are ordered by each story's latest article
            # with the feature, an order a rebuild from the store reproduces exactly
            posting = self.postings.setdefault(feature, {})
            posting.pop(story.id, None)
            posting[story.id] = None

    def remove_article(self, article_id: str, record: dict[str, Any]) -> None:
        """Forget an article (and its story's in-memory view once no original is left)."""
        if record.get("f") and self.fingerprints.get(record["f"]) == article_id:
            del self.fingerprints[record["f"]]
        if record.get("d"):
            return
        self.originals -= 1
        if article_id in self.lsh:
            self.lsh.remove(article_id)
        story = self.stories.get(record["s"])
        for feature in unpack_hashes(record.get("x", "")):
            left = self.document_frequency.get(feature, 0) - 1
            if left > 0:
                self.document_frequency[feature] = left
            else:
                self.document_frequency.pop(feature, None)
                self.postings.pop(feature, None)
            if story is not None and feature in story.features:
                story.features[feature] -= 1
                if story.features[feature] <= 0:
                    del story.features[feature]
                    posting = self.postings.get(feature)
                    if posting:
                        posting.pop(story.id, None)
        if story is not None:
            story.members -= 1
            if story.members <= 0:
                del self.stories[story.id]

    def idf(self, feature: int) -> float:
        return math.log1p((self.originals + 1) / (self.document_frequency.get(feature, 0) + 1))

    def rare(self, feature: int) -> bool:
        """Rare enough to find candidate stories by: a feature a large part of the window
        shares (a country, a common word) finds nothing in particular."""
        limit = min(COMMON_FEATURE_CAP, max(POSTINGS_SCANNED, COMMON_FEATURE_SHARE * self.originals))
        return self.document_frequency.get(feature, 0) <= limit

    def recent_stories(self, feature: int) -> list[str]:
        """The stories with the most recent articles having a feature, latest first. Postings
        hold exactly the live stories with the feature, ordered by their latest article with
        it, so an index rebuilt from the store finds the same candidates as the one it replaces."""
        return list(islice(reversed(self.postings.get(feature, {})), POSTINGS_SCANNED))


def time_factor(published: float, story: StoryState) -> float:
    """1 within SAME_TIME_HOURS of the story's span, falling linearly to the floor at 72 h."""
    gap = max(0.0, story.first - published, published - story.last) / 3600
    if gap <= SAME_TIME_HOURS:
        return 1.0
    slope = (1.0 - TIME_FACTOR_FLOOR) / (72.0 - SAME_TIME_HOURS)
    return max(TIME_FACTOR_FLOOR, 1.0 - slope * (gap - SAME_TIME_HOURS))


class Deduper:
    """Callable stage: TaggedArticle -> DedupedArticle, with its state in a StateStore."""

    def __init__(self, store: StateStore, window_hours: float = 72.0, lateness_hours: float = 6.0) -> None:
        self.store = store
        self.window_hours = window_hours
        self.lateness_hours = lateness_hours
        self.watermark = float(store.get(WATERMARK_KEY) or 0.0)
        self.index = WindowIndex()
        self._next_foreign_sweep = 0.0
        # The derived index: one pass over the store when the stage is built (the worker builds
        # the pipeline after the table has recovered from its changelog).
        for key, value in store.items():
            if key.startswith(ARTICLE_PREFIX) and isinstance(value, dict):
                self.index.add_article(key[len(ARTICLE_PREFIX) :], value)
            elif key.startswith(STORY_PREFIX) and isinstance(value, dict):
                heapq.heappush(self.index.story_expiry, (value["t1"], key[len(STORY_PREFIX) :]))

    # --- the stage -------------------------------------------------------------------------

    def __call__(self, tagged: TaggedArticle) -> DedupedArticle:
        article = tagged.article
        published = _published(article.published)
        self._advance(published)
        origin = zlib.crc32(article.origin.encode("utf-8"))
        known = self.store.get(ARTICLE_PREFIX + article.id)
        if known is not None:
            story = self.store.get(STORY_PREFIX + known["s"])
            if known.get("o") == origin:  # the same record again: the same decision
                return DedupedArticle(tagged, _ref(known["s"], story), duplicate_of=known.get("d", ""))
            return DedupedArticle(
                tagged, _ref(known["s"], story), duplicate_of=known.get("d") or article.id, new_source=False
            )

        body_words = words(article.text)
        if len(body_words) < SHORT_BODY_WORDS:  # a headline-only item: its title is its text
            body_words = words(article.title) + body_words
        fingerprint = body_fingerprint(body_words)
        first = self.index.fingerprints.get(fingerprint)
        if first is None:
            minhash = body_minhash(body_words)
            first = self._near_duplicate_of(minhash)
        if first is not None:
            original = self.store.get(ARTICLE_PREFIX + first) or {}
            first = original.get("d") or first  # a copy of a copy points to the original
            story_id = original.get("s") or _story_id(first)
            return self._record_copy(tagged, published, origin, fingerprint, first, story_id)

        features = story_features(tagged, words(article.title), body_words)
        story_id = self._best_story(features, published) or _story_id(article.id)
        story = self.store.get(STORY_PREFIX + story_id) or _new_story(published)
        new_source = self._join(story, tagged, published)
        new_speakers = sorted({q.speaker for q in tagged.quotes if q.speaker} - set(story["spk"]))
        story["spk"] = sorted({*story["spk"], *new_speakers})
        self._save_story(story_id, story)
        feature_list = sorted(features)
        record = {
            "s": story_id,
            "t": published,
            "o": origin,
            "f": fingerprint,
            "m": pack_minhash(minhash),
            "x": pack_hashes(feature_list),
        }
        self.store.set(ARTICLE_PREFIX + article.id, record)
        self.index.add_article(article.id, record, minhash, feature_list)
        return DedupedArticle(tagged, _ref(story_id, story), new_source=new_source, new_speakers=new_speakers)

    def _near_duplicate_of(self, minhash: Any) -> str | None:
        best, best_similarity = None, NEAR_DUPLICATE_JACCARD
        for candidate in sorted(self.index.lsh.query(minhash)):  # ties: the same pick every run
            record = self.store.get(ARTICLE_PREFIX + candidate)
            if not record or not record.get("m"):
                continue
            similarity = minhash.jaccard(unpack_minhash(record["m"]))
            if similarity > best_similarity or (similarity == best_similarity and best is None):
                best, best_similarity = candidate, similarity
        return best

    def _record_copy(
        self,
        tagged: TaggedArticle,
        published: float,
        origin: int,
        fingerprint: str,
        first: str,
        story_id: str,
    ) -> DedupedArticle:
        story = self.store.get(STORY_PREFIX + story_id) or _new_story(published)
        new_source = self._join(story, tagged, published)
        self._save_story(story_id, story)
        record = {"s": story_id, "d": first, "t": published, "o": origin, "f": fingerprint}
        self.store.set(ARTICLE_PREFIX + tagged.article.id, record)
        self.index.add_article(tagged.article.id, record)
        return DedupedArticle(tagged, _ref(story_id, story), duplicate_of=first, new_source=new_source)

    @staticmethod
    def _join(story: dict[str, Any], tagged: TaggedArticle, published: float) -> bool:
        source = tagged.article.source
        new_source = bool(source) and source not in story["src"]
        if new_source:
            story["src"].append(source)
        story["n"] += 1
        story["t0"], story["t1"] = min(story["t0"], published), max(story["t1"], published)
        return new_source

    def _save_story(self, story_id: str, story: dict[str, Any]) -> None:
        self.store.set(STORY_PREFIX + story_id, story)
        heapq.heappush(self.index.story_expiry, (story["t1"], story_id))

    def _best_story(self, features: dict[int, float], published: float) -> str | None:
        """The story in the window that explains the largest IDF-weighted share of the
        article's features (times the time factor), if that share reaches STORY_THRESHOLD.

        Candidates and partial scores come from the postings of the rarer features; the best
        few are then scored on all features."""
        index = self.index
        frequency = index.document_frequency
        originals = index.originals + 1
        limit = min(COMMON_FEATURE_CAP, max(POSTINGS_SCANNED, COMMON_FEATURE_SHARE * index.originals))
        weights: dict[int, float] = {}
        partial: dict[str, float] = {}
        for feature, weight in features.items():
            df = frequency.get(feature, 0)
            weight = weights[feature] = weight * math.log1p(originals / (df + 1))  # WindowIndex.idf
            if 0 < df <= limit:  # WindowIndex.rare, inlined: this loop is the stage's hot spot
                for story_id in islice(reversed(index.postings[feature]), POSTINGS_SCANNED):
                    partial[story_id] = partial.get(story_id, 0.0) + weight
        total = sum(weights.values())
        if total <= 0:
            return None
        best, best_score = None, STORY_THRESHOLD
        # ties keep the postings' order, which a rebuilt index reproduces
        for story_id, _ in heapq.nlargest(STORIES_SCORED, partial.items(), key=itemgetter(1)):
            story = index.stories[story_id]
            shared = sum(w for f, w in weights.items() if f in story.features)
            score = shared / total * time_factor(published, story)
            if score > best_score:
                best, best_score = story_id, score
        return best

    # --- the window --------------------------------------------------------------------------

    def _advance(self, published: float) -> None:
        mark = published - self.lateness_hours * 3600
        if mark <= self.watermark:
            return
        self.watermark = mark
        self.store.set(WATERMARK_KEY, mark)
        self.evict()

    def evict(self) -> int:
        """Forget the articles (and stories) that have left the window; returns how many."""
        cutoff = self.watermark - self.window_hours * 3600
        expiry = self.index.expiry
        dropped = 0
        while expiry and expiry[0][0] < cutoff:
            _, article_id = heapq.heappop(expiry)
            record = self.store.get(ARTICLE_PREFIX + article_id)
            if record is None:
                continue
            self.store.delete(ARTICLE_PREFIX + article_id)
            dropped += 1
            self.index.remove_article(article_id, record)
        stories = self.index.story_expiry
        while stories and stories[0][0] < cutoff:
            _, story_id = heapq.heappop(stories)
            story = self.store.get(STORY_PREFIX + story_id)
            if story is not None and story["t1"] < cutoff:  # else a later article re-queued it
                self.store.delete(STORY_PREFIX + story_id)
        if self.watermark >= self._next_foreign_sweep:
            self._next_foreign_sweep = self.watermark + FOREIGN_SWEEP_HOURS * 3600
            dropped += self._sweep_foreign(cutoff)
        return dropped

    def _sweep_foreign(self, cutoff: float) -> int:
        """Other stages' per-story state (a "last" event time, the story id as the key's last
        part, like the alert stage's `alerted:<watchlist>:<story>`) leaves with the window, but
        never while its story is still alive: the alert stage must not forget a story's `new`."""
        dropped = 0
        for key, value in self.store.items():
            if key.startswith("dedup:") or not isinstance(value, dict):
                continue
            last = value.get("last")
            if not isinstance(last, int | float) or last >= cutoff:
                continue
            if self.store.get(STORY_PREFIX + key.rsplit(":", 1)[-1]) is not None:
                continue
            self.store.delete(key)
            dropped += 1
        return dropped


def _story_id(article_id: str) -> str:
    return "s-" + article_id.removeprefix("a-")


def _new_story(published: float) -> dict[str, Any]:
    return {"n": 0, "src": [], "spk": [], "t0": published, "t1": published}


def _ref(story_id: str, story: dict[str, Any] | None) -> StoryRef:
    if story is None:
        return StoryRef(id=story_id, size=0, sources=[])
    return StoryRef(id=story_id, size=story["n"], sources=list(story["src"]))
