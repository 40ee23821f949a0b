"""The dedup and alert state: one stored record per article, and everything derived from it.

Each processed article is written to the store once, as `dedup:a:<article id>`, holding
everything that article decided: its story, its body fingerprint, MinHash and story features
(an original) or the original it copies (a copy), its outlet and quoted speakers, the alert
decisions of the watchlists it matched, and a processing sequence number. When the article
leaves the window its record leaves the index and retires: it stays in the store one more window
length, for the same raw record redone after a crash, and is then deleted. Nothing else is
stored.

Everything else is derived in memory from those records (`WindowIndex`): the story views
(size, outlets, speakers, time span), the alert memory per watchlist and story, the
watermark, and the lookup structures (LSH, fingerprints, posting lists). The index follows
each committed record and each eviction, and is rebuilt from `store.items()` in sequence
order when the ledger is built, so a restarted worker derives exactly what the one it
replaces had, whatever order the store yields its keys in. A worker killed at any moment
leaves whole records behind, never part of one (the state of a Faust table is whatever
prefix of its changelog reached the broker).
"""

from __future__ import annotations

import binascii
import heapq
import math
import struct
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

import numpy as np
from datasketch import LeanMinHash

from wirewatch.agents.state import StateStore
from wirewatch.streams.records import StoryRef

from .features import is_anchor, unpack_hashes

ARTICLE_PREFIX = "dedup:a:"

# 16 bands of 2 rows over 32 permutations: a pair at Jaccard 0.5 becomes a candidate with
# probability 1 - (1 - 0.5**2)**16 = 0.99; candidates are then checked on the estimate.
LSH_BANDS, LSH_ROWS = 16, 2
BAND_BYTES = LSH_ROWS * 4  # rows are uint32 hash values
# A band's two little-endian uint32 rows read as one little-endian uint64: all the band keys of
# a packed sketch in one call.
_BAND_KEYS = struct.Struct(f"<{LSH_BANDS}Q")
assert BAND_BYTES == 8

RecordLookup = Callable[[str], "dict[str, Any] | None"]  # article id -> its stored record


class MinHashBands:
    """MinHash LSH: the sketch is cut into LSH_BANDS bands of LSH_ROWS values, and articles
    that share a band's values are candidates. What datasketch's `MinHashLSH` does with these
    parameters (its buckets are keyed by the same values), without its per-call checks and
    storage layers, which cost more than the lookups; a band's key is its two rows as one
    integer, read from the packed sketch's bytes (little-endian uint32, `features.pack_minhash`).
    """

    def __init__(self) -> None:
        # band key -> the ids having it, as a tuple: a tuple of strings is not tracked by the
        # cyclic collector (sets were, eleven per windowed article: most of what a full
        # collection walked in a large window)
        self.buckets: list[dict[int, tuple[str, ...]]] = [{} for _ in range(LSH_BANDS)]
        # article id -> its packed sketch: the candidates are checked against them without
        # reading or decoding their records
        self.sketches: dict[str, bytes] = {}

    @staticmethod
    def band_keys(sketch: bytes) -> tuple[int, ...]:
        return _BAND_KEYS.unpack(sketch)

    def insert(self, article_id: str, sketch: bytes) -> None:
        if article_id in self.sketches:  # one sketch per article: every candidate has one
            self.remove(article_id)
        self.sketches[article_id] = sketch
        for bucket, key in zip(self.buckets, _BAND_KEYS.unpack(sketch), strict=True):
            ids = bucket.get(key)
            bucket[key] = (article_id,) if ids is None else (*ids, article_id)

    def remove(self, article_id: str) -> None:
        sketch = self.sketches.pop(article_id, None)
        if sketch is None:
            return
        for bucket, key in zip(self.buckets, _BAND_KEYS.unpack(sketch), strict=True):
            ids = bucket.get(key)
            if ids is None or article_id not in ids:
                continue
            if len(ids) == 1:
                del bucket[key]
            else:
                rest = list(ids)
                rest.remove(article_id)
                bucket[key] = tuple(rest)

    def query(self, minhash: LeanMinHash) -> set[str]:
        """The articles sharing at least one band with a sketch."""
        return self.candidates(np.asarray(minhash.hashvalues, dtype="<u4").tobytes())

    def candidates(self, sketch: bytes) -> set[str]:
        """The articles sharing at least one band with a packed sketch's bytes."""
        return set().union(*filter(None, map(dict.get, self.buckets, _BAND_KEYS.unpack(sketch))))

    def ids(self) -> set[str]:
        return set().union(*self.buckets[0].values())


@dataclass(slots=True)
class StoryState:
    """In-memory view of one story, over its articles in the window."""

    id: str
    # every article in the window, copies included, in processing order:
    # article id -> (sequence number, is an original)
    articles: dict[str, tuple[int, bool]] = field(default_factory=dict)
    times: list[float] = field(default_factory=list)  # publication times of its originals, sorted
    # (sequence number, article id) of its originals, sorted: when one leaves, the ones before it
    # are found without walking the story's later articles (a long story has thousands)
    originals: list[tuple[int, str]] = field(default_factory=list)
    # feature hash -> originals having it (a Counter: an original's features are counted in C)
    features: Counter[int] = field(default_factory=Counter)
    anchors: int = 0  # anchor features (features.is_anchor) over its originals, with repeats
    # outlet -> sequence numbers of its articles, outlets ordered by their first article
    outlets: dict[str, list[int]] = field(default_factory=dict)
    speakers: dict[str, int] = field(default_factory=dict)  # quoted speaker -> originals

    @property
    def members(self) -> int:
        """Originals in the window (copies do not carry features)."""
        return len(self.times)

    @property
    def first(self) -> float:
        return self.times[0] if self.times else math.inf

    @property
    def last(self) -> float:
        return self.times[-1] if self.times else -math.inf

    @property
    def size(self) -> int:
        return len(self.articles)

    @property
    def sources(self) -> list[str]:
        return list(self.outlets)

    def ref(self) -> StoryRef:
        return StoryRef(id=self.id, size=len(self.articles), sources=list(self.outlets))


@dataclass(slots=True)
class AlertView:
    """What one watchlist's alerts have seen of one story, over the articles in the window."""

    decisions: int = 0  # matching articles (any kind, `none` included): the story had its `new`
    sources: dict[str, int] = field(default_factory=dict)  # outlet -> matching articles
    speakers: dict[str, int] = field(default_factory=dict)  # quoted speaker -> matching articles
    # publication times of its `update`s: each update keeps those less than an hour before it
    # (the rate limit's memory, as a record replayed in processing order leaves it)
    updates: list[float] = field(default_factory=list)


@dataclass
class WindowIndex:
    """Everything derived from the stored records, for lookups without scanning the store."""

    lsh: MinHashBands = field(default_factory=MinHashBands)
    # body fingerprint -> the earliest processed article with it, and the later ones, so a
    # fingerprint still finds a copy once its first article has left the window
    fingerprints: dict[str, str] = field(default_factory=dict)
    fingerprint_later: dict[str, list[str]] = field(default_factory=dict)
    stories: dict[str, StoryState] = field(default_factory=dict)
    document_frequency: Counter[int] = field(default_factory=Counter)
    # feature -> {story id: sequence number of its latest original with the feature}, ordered
    # by that number (a dict as an ordered set: a story moves or leaves in O(1))
    postings: dict[int, dict[str, int]] = field(default_factory=dict)
    expiry: list[tuple[float, str]] = field(default_factory=list)  # heap of (published, article id)
    alerts: dict[tuple[str, str], AlertView] = field(default_factory=dict)  # (watchlist, story)
    originals: int = 0

    def add_article(
        self,
        article_id: str,
        record: dict[str, Any],
        features: list[int] | None = None,
    ) -> None:
        """Index one stored record (`features`, when the caller has them, save decoding what
        it has just encoded). Records are added in sequence order."""
        seq, published, story_id = record.get("n", -1), record["t"], record["s"]
        heapq.heappush(self.expiry, (published, article_id))
        fingerprint = record.get("f")
        if fingerprint and self.fingerprints.setdefault(fingerprint, article_id) != article_id:
            self.fingerprint_later.setdefault(fingerprint, []).append(article_id)
        story = self.stories.get(story_id)
        if story is None:
            story = self.stories[story_id] = StoryState(story_id)
        source = record.get("src", "")
        original = not record.get("d")
        story.articles[article_id] = (seq, original)
        if source:  # the newest article: an outlet already there keeps its place
            story.outlets.setdefault(source, []).append(seq)
        if original:
            self._add_original(article_id, record, story, features)
        decisions = record.get("k")
        if decisions:
            speakers = record.get("spk", ())
            for watchlist_id, kind in decisions.items():
                key = (watchlist_id, story_id)
                view = self.alerts.get(key)
                if view is None:
                    view = self.alerts[key] = AlertView()
                view.decisions += 1
                if source:
                    view.sources[source] = view.sources.get(source, 0) + 1
                for speaker in speakers:
                    view.speakers[speaker] = view.speakers.get(speaker, 0) + 1
                if kind == "update":  # the times within the hour before it, then it
                    view.updates = [t for t in view.updates if published - t < 3600]
                    view.updates.append(published)

    def _add_original(
        self,
        article_id: str,
        record: dict[str, Any],
        story: StoryState,
        features: list[int] | None,
    ) -> None:
        seq, published = record.get("n", -1), record["t"]
        self.originals += 1
        if record.get("m"):
            self.lsh.insert(article_id, binascii.a2b_base64(record["m"]))
        insort(story.times, published)
        insort(story.originals, (seq, article_id))
        for speaker in record.get("spk", ()):
            story.speakers[speaker] = story.speakers.get(speaker, 0) + 1
        if features is None:
            features = unpack_hashes(record.get("x", ""))
        self.document_frequency.update(features)
        story.features.update(features)
        story.anchors += sum(map(is_anchor, features))
        postings = self.postings
        for feature in features:
            # the story moves to the end: the newest record has the highest sequence number
            posting = postings.get(feature)
            if posting is None:
                postings[feature] = {story.id: seq}
            else:
                posting.pop(story.id, None)
                posting[story.id] = seq

    def holds(self, article_id: str, record: dict[str, Any]) -> bool:
        """Whether a record is indexed (in the window), not retired."""
        story = self.stories.get(record["s"])
        return story is not None and article_id in story.articles

    def remove_article(
        self, article_id: str, record: dict[str, Any], record_of: RecordLookup | None = None
    ) -> None:
        """Forget one record, leaving the index as if it had never been added. `record_of`
        (article id -> stored record) is needed when the record was its story's latest
        original with a feature that an earlier original also has (an article published
        late, evicted before articles processed before it)."""
        fingerprint = record.get("f")
        if fingerprint:
            self._forget_fingerprint(fingerprint, article_id)
        seq, story_id, published = record.get("n", -1), record["s"], record["t"]
        story = self.stories.get(story_id)
        if story is None or story.articles.pop(article_id, None) is None:
            return
        source = record.get("src", "")
        seqs = story.outlets.get(source) if source else None
        if seqs and seq in seqs:
            first = seqs[0] == seq
            seqs.remove(seq)
            if not seqs:
                del story.outlets[source]
            elif first:  # the outlet now counts from its next article: it may move back
                story.outlets = dict(sorted(story.outlets.items(), key=lambda item: item[1][0]))
        if not record.get("d"):
            self._remove_original(article_id, record, story, record_of)
        decisions = record.get("k")
        if decisions:
            speakers = record.get("spk", ())
            for watchlist_id, kind in decisions.items():
                key = (watchlist_id, story_id)
                view = self.alerts.get(key)
                if view is None:
                    continue
                view.decisions -= 1
                if view.decisions <= 0:
                    del self.alerts[key]
                    continue
                if source:
                    _decrement(view.sources, source)
                for speaker in speakers:
                    _decrement(view.speakers, speaker)
                if kind == "update" and published in view.updates:
                    view.updates.remove(published)
        if not story.articles:
            del self.stories[story_id]

    def _forget_fingerprint(self, fingerprint: str, article_id: str) -> None:
        later = self.fingerprint_later.get(fingerprint)
        if self.fingerprints.get(fingerprint) == article_id:
            if later:
                self.fingerprints[fingerprint] = later.pop(0)
            else:
                del self.fingerprints[fingerprint]
        elif later and article_id in later:
            later.remove(article_id)
        if later is not None and not later:
            del self.fingerprint_later[fingerprint]

    def _remove_original(
        self,
        article_id: str,
        record: dict[str, Any],
        story: StoryState,
        record_of: RecordLookup | None,
    ) -> None:
        seq, published = record.get("n", -1), record["t"]
        self.originals -= 1
        if record.get("m"):
            self.lsh.remove(article_id)
        at = bisect_left(story.times, published)
        if at < len(story.times) and story.times[at] == published:
            del story.times[at]
        at = bisect_left(story.originals, (seq, article_id))
        if at < len(story.originals) and story.originals[at] == (seq, article_id):
            del story.originals[at]
        for speaker in record.get("spk", ()):
            _decrement(story.speakers, speaker)
        moved: list[int] = []
        frequency, postings = self.document_frequency, self.postings
        story_features, story_id = story.features, story.id
        features = unpack_hashes(record.get("x", ""))
        story.anchors -= sum(map(is_anchor, features))
        for feature in features:
            left = frequency.get(feature, 0) - 1
            if left > 0:
                frequency[feature] = left
            else:
                frequency.pop(feature, None)
                postings.pop(feature, None)
            having = story_features.get(feature)  # the story's originals with it, this one included
            if having is None:
                continue
            posting = postings.get(feature)
            if having <= 1:
                story_features.pop(feature)  # dict.pop: Counter.__delitem__ is Python code
                if posting:
                    posting.pop(story_id, None)
            else:
                story_features[feature] = having - 1
                if posting is not None and posting.get(story_id) == seq:
                    moved.append(feature)
        if moved:
            self._reposition(story, seq, moved, record_of)

    def _reposition(
        self,
        story: StoryState,
        removed_seq: int,
        moved: list[int],
        record_of: RecordLookup | None,
    ) -> None:
        """The story's latest original with these features has gone, while earlier ones with
        them stay: each posting takes the story back to where its latest remaining one puts it.
        Its originals before the one removed are read newest first, until each feature has been
        found (a later original would have been the posting's latest already)."""
        latest: dict[int, int] = {}
        if record_of is not None:
            wanted = set(moved)
            originals = story.originals
            # past the originals numbered up to the removed one ((n + 1,) sorts before (n + 1, id))
            position = bisect_left(originals, (removed_seq + 1,))
            while wanted and position > 0:
                position -= 1
                seq, member_id = originals[position]
                member = record_of(member_id)
                if member:
                    for feature in wanted.intersection(unpack_hashes(member.get("x", ""))):
                        latest[feature] = seq
                        wanted.discard(feature)
        for feature in moved:
            posting = self.postings[feature]
            if feature in latest:
                posting[story.id] = latest[feature]
                self.postings[feature] = dict(sorted(posting.items(), key=itemgetter(1)))
            else:  # no record to tell (no record_of): the story leaves the posting
                posting.pop(story.id, None)


def _decrement(counts: dict[str, int], key: str) -> None:
    left = counts.get(key, 0) - 1
    if left > 0:
        counts[key] = left
    else:
        counts.pop(key, None)


@dataclass(slots=True)
class PendingArticle:
    """One article's record between its decision and its commit: the dedup stage fills in its
    story and copy decision, the alert stage adds its decisions, then it is written once.
    `stored` marks a record already in the store (the same record processed again after a
    crash): its decisions are returned as they are and nothing is written."""

    article_id: str
    record: dict[str, Any]
    ledger: ArticleLedger | None = None  # where it is committed, and the views it is decided on
    stored: bool = False
    features: list[int] | None = None

    def decision(self, watchlist_id: str) -> str | None:
        """The stored alert decision for a watchlist (`new`, `update`, `none`), if any."""
        decisions = self.record.get("k")
        return decisions.get(watchlist_id) if decisions else None

    def decide(self, decisions: dict[str, str]) -> None:
        """Record the alert decisions of the watchlists this article matched."""
        if self.stored:
            raise ValueError(f"the record of {self.article_id} is already stored")
        if decisions:
            self.record["k"] = decisions


class ArticleLedger:
    """The store of article records, the index derived from it, and the event-time window."""

    def __init__(
        self,
        store: StateStore,
        window_hours: float = 72.0,
        lateness_hours: float = 6.0,
        retired_hours: float | None = None,
    ) -> None:
        self.store = store
        self.window_hours = window_hours
        self.lateness_hours = lateness_hours
        # how long a record stays stored after it left the window (None: the window's length)
        self.retired_hours = window_hours if retired_hours is None else max(0.0, retired_hours)
        self.index = WindowIndex()
        self.pending: PendingArticle | None = None
        # Records other workers wrote (other partitions' changelog, README "Keys and
        # partitions"): indexed like our own so copies and stories are found across
        # partitions, but never written or deleted here.
        self.foreign: dict[str, dict[str, Any]] = {}
        # One pass over the store when the ledger is built (the worker builds the pipeline
        # after the table has recovered from its changelog), in processing order.
        records = sorted(
            (
                (value.get("n", -1), key[len(ARTICLE_PREFIX) :], value)
                for key, value in store.items()
                if key.startswith(ARTICLE_PREFIX) and isinstance(value, dict)
            ),
            key=itemgetter(0, 1),
        )
        self.next_seq = records[-1][0] + 1 if records else 0
        # the latest publication time seen: no record that set it has left the window, since
        # the window ends `window_hours` behind the watermark
        latest = max((record["t"] for _, _, record in records), default=None)
        self.watermark = latest - lateness_hours * 3600 if latest is not None else 0.0
        # Retired records (left the window, kept for replays) are the ones before the window
        # that were processed before the watermark last moved: the window moves only with the
        # first record to reach the latest publication time, and evicts when it moves. A late
        # arrival processed since is still indexed, as in the worker that wrote it.
        cutoff = self.watermark - window_hours * 3600
        last_move = min((n for n, _, record in records if record["t"] == latest), default=-1)
        self.retired: list[tuple[float, str]] = []  # heap of (published, article id)
        for seq, article_id, record in records:
            if record["t"] < cutoff and seq < last_move:
                self.retired.append((record["t"], article_id))
            else:
                self.index.add_article(article_id, record)
        heapq.heapify(self.retired)

    # --- records -----------------------------------------------------------------------------

    def record(self, article_id: str) -> dict[str, Any] | None:
        """The stored record of an article, if it is in the window."""
        record = self.store.get(ARTICLE_PREFIX + article_id)
        if isinstance(record, dict):
            return record
        return self.foreign.get(article_id)

    def absorb(self, article_id: str, record: dict[str, Any] | None) -> bool:
        """Index a record another worker committed (None: it left that worker's window).
        Idempotent: a record already known, or already out of the window, changes nothing.
        Returns whether the index changed."""
        if record is None:
            known = self.foreign.pop(article_id, None)
            if known is None:
                return False
            self.index.remove_article(article_id, known, self.record)
            return True
        if not isinstance(record, dict) or "t" not in record or "s" not in record:
            return False
        if self.record(article_id) is not None:
            return False
        if record["t"] < self.watermark - self.window_hours * 3600:
            return False
        self.foreign[article_id] = record
        self.index.add_article(article_id, record)
        return True

    def begin(
        self,
        article_id: str,
        record: dict[str, Any],
        features: list[int] | None = None,
    ) -> PendingArticle:
        """A new record, numbered, to be completed and committed (anything still pending is
        committed first: one record is pending at a time)."""
        self.commit()
        record["n"] = self.next_seq
        self.next_seq += 1
        self.pending = PendingArticle(article_id, record, self, features=features)
        return self.pending

    def commit(self) -> None:
        """Write the pending record (the article's one state write) and index it."""
        pending, self.pending = self.pending, None
        if pending is None or pending.stored:
            return
        self.store.set(ARTICLE_PREFIX + pending.article_id, pending.record)
        self.index.add_article(pending.article_id, pending.record, pending.features)

    # --- derived views -------------------------------------------------------------------------

    def story(self, story_id: str) -> StoryState | None:
        return self.index.stories.get(story_id)

    def story_ref(self, story_id: str) -> StoryRef:
        story = self.index.stories.get(story_id)
        return story.ref() if story is not None else StoryRef(id=story_id, size=0, sources=[])

    def alert_view(self, watchlist_id: str, story_id: str) -> AlertView | None:
        return self.index.alerts.get((watchlist_id, story_id))

    # --- the window ----------------------------------------------------------------------------

    def advance(self, published: float) -> None:
        """Move the watermark with event time (never the wall clock) and evict what left."""
        mark = published - self.lateness_hours * 3600
        if mark > self.watermark:
            self.watermark = mark
            self.evict()

    def evict(self) -> int:
        """Take the records that have left the window out of the index; returns how many.

        Our own stay in the store, retired, for `retired_hours` (one more window length by
        default) before they are deleted: a record handed over again after a crash (the group
        redoes what was not committed, which in a fast replay of history can span days of
        publication time) then finds its article's record and gets the decisions it had,
        instead of coming in as a late arrival and decided afresh against what is left of its
        story."""
        self.commit()
        cutoff = self.watermark - self.window_hours * 3600
        expiry = self.index.expiry
        dropped = 0
        while expiry and expiry[0][0] < cutoff:
            published, article_id = heapq.heappop(expiry)
            own = self.store.get(ARTICLE_PREFIX + article_id)
            # another worker's record is deleted by that worker; ours retires
            ours = isinstance(own, dict)
            record = own if ours else self.foreign.pop(article_id, None)
            if record is None:
                continue
            if ours:
                heapq.heappush(self.retired, (published, article_id))
            dropped += 1
            self.index.remove_article(article_id, record, self.record)
        retired, forgotten = self.retired, cutoff - self.retired_hours * 3600
        while retired and retired[0][0] < forgotten:
            published, article_id = heapq.heappop(retired)
            kept = self.store.get(ARTICLE_PREFIX + article_id)
            # unless the article came back since, sent again, and is in the window once more
            if isinstance(kept, dict) and not self.index.holds(article_id, kept):
                self.store.delete(ARTICLE_PREFIX + article_id)
        return dropped
