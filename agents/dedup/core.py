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

Steps 1 to 3 read the article's text only, not what the tag stage made of it, and a copy is
never alerted on: `check(article)` takes them before the article is tagged, so the pipeline
tags only what `check` leaves undecided (`Check.needs_tags`), and `group(tagged, check)`
takes step 4. Calling the Deduper on a tagged article does both.

State is one record per article (`ledger.py`): the Deduper decides and hands the pending
record on with the DedupedArticle, the alert stage adds its decisions, and `commit()` writes
it, once. Story views, alert memory, the watermark and the lookup index are derived from the
records in memory, so no article scans the store. The window advances with event time
(latest publication time seen, minus the allowed lateness), never with the wall clock.
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

import numpy as np

from wirewatch.agents.state import StateStore
from wirewatch.streams.records import Article, DedupedArticle, StoryRef, TaggedArticle

from .features import (
    ANCHOR_BIT,
    NUM_PERM,
    SPEAKER_WEIGHT,
    body_fingerprint,
    body_minhash,
    body_text,
    country_features,
    equal_lanes,
    minhash_bytes,
    minhash_of_bytes,
    pack_hashes,
    pack_minhash,
    story_features,
    words,
)
from .ledger import ARTICLE_PREFIX, ArticleLedger, PendingArticle, StoryState, WindowIndex

__all__ = [
    "ARTICLE_PREFIX",
    "Deduper",
    "Prepared",
    "StoryState",
    "WindowIndex",
    "epoch",
    "prepare",
    "published_epoch",
    "time_factor",
]

# Copies of one text share >= 0.73 of their 5-shingles in the corpus, independent reports of
# one event <= 0.02: anything between is a wide margin.
NEAR_DUPLICATE_JACCARD = 0.5
# Up to this many near-duplicate candidates, they are compared one by one rather than in numpy.
FEW_CANDIDATES = 12
# Below this many body words (a feed item with a headline only, or a one-line summary), the
# title is part of the text compared, or every such item would be a copy of the first.
SHORT_BODY_WORDS = 20
# Story scoring (see docs/dedup.md): share of the article's IDF-weighted features found in
# the story, times a factor that falls with the time between the article and the story.
# 0.22 since the terms became the rarest words and figures joined them (docs/dedup.md, the
# table of thresholds): 0.25 before.
STORY_THRESHOLD = 0.22
# A second way to join, for reports of one event that quote different people: from a score of
# STORY_WORDS_THRESHOLD, when the story explains STORY_WORDS_SHARE of the article's words
# (every feature but the anchors), and the two share an actor, or one of them has none leading
# it and the story is another outlet's with no other country (docs/dedup.md, "Eighth round"). One
# person's two events on one day share that person and few words (the labelled corpus's
# Sikorski, Scholz, von der Leyen and Pistorius pairs score 0.15 to 0.20 on everything and
# 0.02 to 0.10 on words); another outlet's report of a fire shares the place and the rare
# words and quotes other people (0.15 to 0.21, and 0.15 to 0.30 on words, on the held-out
# streams). docs/dedup.md, "Third round".
STORY_WORDS_THRESHOLD = 0.15
STORY_WORDS_SHARE = 0.15
# Either way, the story explains at least this share of the article's words: one person's
# second announcement of the day (a chancellor on a rail link, then on a firm's job cuts) scores
# on the actor, and shares 0.07 to 0.12 of the words; reports of one event share 0.137 or more
# on the held-out streams. docs/dedup.md, "Fifth round".
STORY_MIN_WORDS_SHARE = 0.12
# A country's feature weighs this much or more when the title names it (0.8 x 1.5 x 1.17 for one
# mention); out of the title it would take some twenty mentions (features.story_features).
TITLE_COUNTRY_WEIGHT = 1.4
SAME_TIME_HOURS = 18.0
TIME_FACTOR_FLOOR = 0.5
# The time factor stops here for a story that shares with the article an actor no other story in
# the window names (a defendant at the trial's opening and at its verdict three days later): the
# factor keeps an old story with the same cast from taking a new event, and a cast of one story
# only is no such cast. The held-out streams gained more the higher it went (four of them at
# 0.7, seven at 0.8, eight at 0.9, ten at 1.0) and none lost; the benchmark corpus, whose
# generator sends one public figure to several events, merged nothing more at 0.7, one pair at
# 0.8, three at 0.9 and seven at 1.0 (docs/dedup.md, "Sixth round").
UNIQUE_ACTOR_TIME_FLOOR = 0.8
# Candidate stories come from the most recent postings of the article's rarer features.
POSTINGS_SCANNED = 16
COMMON_FEATURE_SHARE = 0.02
COMMON_FEATURE_CAP = 500
STORIES_SCORED = 4
# An anchor weighs this much when it leads the article (features.story_features): a person in
# the title (2.8 and up), an organisation in it (2.1), a person named three times or more
# (2.02). A person named twice (1.91) led it too until 2026-12-07; on the held-out streams
# that kept a report from its story when a new voice (a midwife quoted twice after the health
# district's announcement) led it more often than it kept two events apart (docs/dedup.md). A
# person named once weighs 1.8, a quoted speaker's feature SPEAKER_WEIGHT.
LEADING_ANCHOR_WEIGHT = 1.95


def epoch(iso: str) -> float:
    """Seconds since 1970 of an ISO-8601 UTC time ("2021-07-27T00:00:00Z")."""
    moment = datetime.fromisoformat(iso)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def published_epoch(iso: str) -> float:
    """`epoch`, or 0 for a time that cannot be read (such an article leaves the window first)."""
    try:
        return epoch(iso)
    except ValueError:
        return 0.0


def time_factor(published: float, story: StoryState) -> float:
    """1 within SAME_TIME_HOURS of the story's span, falling linearly to the floor at 72 h."""
    gap = max(0.0, story.first - published, published - story.last) / 3600
    if gap <= SAME_TIME_HOURS:
        return 1.0
    slope = (1.0 - TIME_FACTOR_FLOOR) / (72.0 - SAME_TIME_HOURS)
    return max(TIME_FACTOR_FLOOR, 1.0 - slope * (gap - SAME_TIME_HOURS))


@dataclass(slots=True)
class Check:
    """What `Deduper.check` made of an article before it is tagged: the final answer for a
    copy or an article seen before (`decided`), or what grouping an original needs."""

    decided: DedupedArticle | None = None
    # the same raw record as an original processed before (redone after a crash): its story
    # and stored decisions, which need the article's tags to be re-derived
    again: tuple[StoryRef, PendingArticle] | None = None
    published: float = 0.0
    origin: int = 0
    body_words: list[str] = field(default_factory=list)
    fingerprint: str = ""
    minhash: Any = None
    features: dict[int, float] | None = None  # the story features, when `prepare` made them

    @property
    def needs_tags(self) -> bool:
        """Whether the decision still needs the tagged article (`Deduper.group`)."""
        return self.decided is None


@dataclass(slots=True)
class Prepared:
    """What the stage computes from a tagged article alone, before it reads any state: made
    where the article is tagged (the worker's front process, `prepare`), so that the worker
    only decides. The same values `check` and `group` compute when they are not given."""

    fingerprint: str
    sketch: bytes  # the body MinHash's values (`minhash_bytes`)
    features: dict[int, float]  # `story_features`


def _compared_text(article: Article) -> tuple[list[str], bytes]:
    """The words the copy check compares, and their `body_text`: the body's, or for a
    headline-only item the title's and the body's (its title is its text)."""
    body_words = words(article.text)
    if len(body_words) < SHORT_BODY_WORDS:
        body_words = words(article.title) + body_words
    return body_words, body_text(body_words)


def prepare(tagged: TaggedArticle) -> Prepared:
    """The stateless part of the stage for one tagged article (see `Prepared`)."""
    body_words, text = _compared_text(tagged.article)
    return Prepared(
        body_fingerprint(text),
        minhash_bytes(body_minhash(text)),
        story_features(tagged, words(tagged.article.title), body_words),
    )


class Deduper:
    """Callable stage: TaggedArticle -> DedupedArticle, with its state in a StateStore.

    The decision's record rides on the DedupedArticle (`pending`) for the alert stage to
    complete; `commit()` writes it. A Deduper used on its own writes it when the next article
    comes (or on `commit()`), so its store always ends up with every article it decided."""

    def __init__(
        self,
        store: StateStore,
        window_hours: float = 72.0,
        lateness_hours: float = 6.0,
        retired_hours: float | None = None,
    ) -> None:
        self.ledger = ArticleLedger(store, window_hours, lateness_hours, retired_hours)
        self.index = self.ledger.index

    @property
    def store(self) -> StateStore:
        return self.ledger.store

    @property
    def watermark(self) -> float:
        return self.ledger.watermark

    def commit(self) -> None:
        """Write the last decided article's record (with the alert decisions it was given)."""
        self.ledger.commit()

    def evict(self) -> int:
        """Forget the articles that have left the window; returns how many."""
        return self.ledger.evict()

    # --- the stage -------------------------------------------------------------------------

    def __call__(self, tagged: TaggedArticle, prepared: Prepared | None = None) -> DedupedArticle:
        check = self.check(tagged.article, tagged, prepared)
        return check.decided if check.decided is not None else self.group(tagged, check)

    def check(
        self, article: Article, tagged: TaggedArticle | None = None, prepared: Prepared | None = None
    ) -> Check:
        """Steps 1 to 3, which need the article's text only: a copy, or an article seen
        before, is decided here (with `tagged` when the caller has it, else the article
        untagged: nothing downstream reads a copy's tags); an original is left to `group`.
        `prepared`: what `prepare` computed of the tagged article elsewhere, if it did."""
        ledger = self.ledger
        ledger.commit()  # the previous article's record, if its caller did not commit it
        as_tagged = tagged or TaggedArticle(article)  # what a copy's decision carries
        published = published_epoch(article.published)
        origin = zlib.crc32(article.origin.encode("utf-8"))
        known = ledger.record(article.id)
        same_record = known is not None and known.get("o") == origin
        # A retired record (out of the window) answers only for the same raw record again;
        # the article sent anew after its window is a new arrival.
        if known is not None and (same_record or ledger.index.holds(article.id, known)):
            story = ledger.story_ref(known["s"])
            if same_record:  # the same record again: the same decisions, no write
                again = PendingArticle(article.id, known, ledger, stored=True)
                if known.get("d"):
                    return Check(DedupedArticle(as_tagged, story, duplicate_of=known["d"], pending=again))
                return Check(again=(story, again))
            return Check(
                DedupedArticle(as_tagged, story, duplicate_of=known.get("d") or article.id, new_source=False)
            )
        ledger.advance(published)

        if prepared is None:
            body_words, text = _compared_text(article)
            fingerprint = body_fingerprint(text)
        else:
            body_words, text, fingerprint = [], b"", prepared.fingerprint
        first = self.index.fingerprints.get(fingerprint)
        minhash = None
        if first is None:
            minhash = body_minhash(text) if prepared is None else minhash_of_bytes(prepared.sketch)
            first = self._near_duplicate_of(minhash)
        if first is None:
            return Check(
                published=published,
                origin=origin,
                body_words=body_words,
                fingerprint=fingerprint,
                minhash=minhash,
                features=prepared.features if prepared is not None else None,
            )
        source = article.source
        original = ledger.record(first) or {}
        first = original.get("d") or first  # a copy of a copy points to the original
        story_id = original.get("s") or _story_id(first)
        record: dict[str, Any] = {
            "s": story_id,
            "d": first,
            "t": published,
            "o": origin,
            "f": fingerprint,
        }
        if source:
            record["src"] = source
        story, new_source = self._joined(story_id, source)
        pending = ledger.begin(article.id, record)
        return Check(
            DedupedArticle(
                as_tagged,
                story,
                duplicate_of=first,
                new_source=new_source,
                pending=pending,
            )
        )

    def group(self, tagged: TaggedArticle, check: Check) -> DedupedArticle:
        """Step 4 for an article `check` left undecided: the story it joins, or starts."""
        if check.again is not None:
            story, again = check.again
            return DedupedArticle(tagged, story, duplicate_of="", pending=again)
        ledger = self.ledger
        article = tagged.article
        source = article.source
        features = check.features
        if features is None:
            features = story_features(tagged, words(article.title), check.body_words)
        story_id = self._best_story(features, check.published, source) or _story_id(article.id)
        story, new_source = self._joined(story_id, source)
        speakers = sorted({q.speaker for q in tagged.quotes if q.speaker})
        known_speakers = ledger.story(story_id)
        new_speakers = [s for s in speakers if known_speakers is None or s not in known_speakers.speakers]
        feature_list = sorted(features)
        record = {
            "s": story_id,
            "t": check.published,
            "o": check.origin,
            "f": check.fingerprint,
            "m": pack_minhash(check.minhash),
            "x": pack_hashes(feature_list),
        }
        if source:
            record["src"] = source
        if speakers:
            record["spk"] = speakers
        pending = ledger.begin(article.id, record, feature_list)
        return DedupedArticle(
            tagged, story, new_source=new_source, new_speakers=new_speakers, pending=pending
        )

    def _joined(self, story_id: str, source: str) -> tuple[StoryRef, bool]:
        """The story as it is with this article in it, and whether the outlet is new to it."""
        story = self.ledger.story(story_id)
        sources = story.sources if story is not None else []  # a new list each time
        new_source = bool(source) and source not in sources
        if new_source:
            sources.append(source)
        size = story.size + 1 if story is not None else 1
        return StoryRef(id=story_id, size=size, sources=sources), new_source

    def _near_duplicate_of(self, minhash: Any) -> str | None:
        """The most similar LSH candidate whose estimated Jaccard similarity (the share of
        equal hash values) reaches NEAR_DUPLICATE_JACCARD; of equals, the smallest id, the
        same pick every run. Many candidates (the pipeline corpus gives ~45 per article) are
        compared at once in numpy; a few, one by one as integers (numpy's per-call cost is
        more than theirs)."""
        lsh = self.index.lsh
        sketches = lsh.sketches
        sketch = np.asarray(minhash.hashvalues, dtype="<u4").tobytes()
        candidates = list(lsh.candidates(sketch))
        if not candidates:
            return None
        if len(candidates) <= FEW_CANDIDATES:
            query = int.from_bytes(sketch, "little")
            equal = [
                equal_lanes(query, int.from_bytes(sketches[candidate], "little")) for candidate in candidates
            ]
        else:
            rows = np.frombuffer(b"".join(map(sketches.__getitem__, candidates)), dtype="<u4")
            # a sum of the booleans along each row: count_nonzero with an axis is that sum
            # behind a Python-level wrapper and a conversion
            equal = (rows.reshape(len(candidates), NUM_PERM) == minhash.hashvalues).sum(axis=1).tolist()
        most = max(equal)
        if most / NUM_PERM < NEAR_DUPLICATE_JACCARD:
            return None
        return min(candidate for candidate, lanes in zip(candidates, equal, strict=True) if lanes == most)

    def _best_story(self, features: dict[int, float], published: float, source: str = "") -> str | None:
        """The story in the window that explains the largest IDF-weighted share of the
        article's features (times the time factor), if that share reaches STORY_THRESHOLD, or
        STORY_WORDS_THRESHOLD with STORY_WORDS_SHARE of the article's words and an actor in
        common, or none leading on one side when the story is another outlet's and names no
        other country. `source`: the article's outlet.

        Candidates and partial scores come from the postings of the rarer features; the best
        few are then scored on all features. A candidate whose originals name people or
        organisations (anchors), none of them the article's, is passed over when the article
        names some too; so is one that names countries, none of them a country in the article's
        title."""
        index = self.index
        frequency = index.document_frequency.get  # names bound once: this is the stage's hot spot
        postings = index.postings
        log1p = math.log1p
        originals = index.originals + 1
        limit = min(COMMON_FEATURE_CAP, max(POSTINGS_SCANNED, COMMON_FEATURE_SHARE * index.originals))
        weights: dict[int, float] = {}
        partial: dict[str, float] = {}
        partial_score = partial.get
        for feature, weight in features.items():
            df = frequency(feature, 0)
            # IDF over the window: ln(1 + (N + 1) / (df + 1))
            weight = weights[feature] = weight * log1p(originals / (df + 1))
            if 0 < df <= limit:  # rare enough to find candidates by
                for story_id in islice(reversed(postings[feature]), POSTINGS_SCANNED):
                    partial[story_id] = partial_score(story_id, 0.0) + weight
        total = sum(weights.values())
        if total <= 0:
            return None
        # the words (terms, figures, word pairs, places: every feature but the anchors) apart,
        # for the second way to join (STORY_WORDS_THRESHOLD)
        words = {feature: weight for feature, weight in weights.items() if not feature & ANCHOR_BIT}
        words_total = sum(words.values()) or 1.0
        actors = {feature: weight for feature, weight in weights.items() if feature & ANCHOR_BIT}
        best, best_score = None, 0.0
        anchors = list(actors)
        # Only an article with a leading actor (a person or organisation in its title, or named
        # three times or more) is kept from stories with none of its actors: another outlet's
        # report of the same fire quotes other neighbours and names no one else.
        # (the anchors' own weights, before the IDF: a handful, not every feature again)
        if not any(LEADING_ANCHOR_WEIGHT <= features[anchor] != SPEAKER_WEIGHT for anchor in anchors):
            anchors = []
        # the countries in the article's title ("Prague stocks close higher"): a story that names
        # countries, none of them these, is another event (one agency's close for Warsaw)
        countries = country_features()
        title_countries = [
            feature for feature in words if feature in countries and features[feature] >= TITLE_COUNTRY_WEIGHT
        ]
        article_countries = [feature for feature in words if feature in countries]
        # ties keep the postings' order, which a rebuilt index reproduces
        for story_id, _ in heapq.nlargest(STORIES_SCORED, partial.items(), key=itemgetter(1)):
            story = index.stories[story_id]
            if (
                title_countries
                and story.features.keys().isdisjoint(title_countries)
                and not story.features.keys().isdisjoint(countries)
            ):
                continue
            if anchors and story.anchors and story.features.keys().isdisjoint(anchors):
                # both name who acts, and no one in common: another event, whatever words they
                # share (scoring the next candidate instead merged more on the benchmark corpus)
                continue
            # each feature counts by the share of the story's originals that have it: the story
            # is compared as its centroid, not as the union of its articles' features, which a
            # long story grows until any article finds most of its own there (on the benchmark
            # corpus, 1,368 originals of 581 events fell into 11 stories, one of 1,317)
            having = story.features.get
            shared_words = sum([weight * having(feature, 0) for feature, weight in words.items()])
            shared_actors = sum([weight * having(feature, 0) for feature, weight in actors.items()])
            factor = time_factor(published, story)
            if factor < UNIQUE_ACTOR_TIME_FLOOR and any(
                0 < having(actor, 0) == frequency(actor, 0) for actor in actors
            ):
                factor = UNIQUE_ACTOR_TIME_FLOOR
            factor /= story.members or 1
            score = (shared_words + shared_actors) / total * factor
            words_share = shared_words / words_total * factor
            if (
                score > best_score
                and words_share >= STORY_MIN_WORDS_SHARE
                and (
                    score > STORY_THRESHOLD
                    or (
                        score > STORY_WORDS_THRESHOLD
                        and words_share >= STORY_WORDS_SHARE
                        and (
                            shared_actors > 0
                            # another outlet's report of the event: it quotes other people, none
                            # of whom leads it, in no other country (one agency's template for
                            # two areas, one kind of event in two countries, share words too)
                            or (
                                (not anchors or not story.anchors)
                                and source not in story.outlets
                                and (
                                    not article_countries
                                    or story.features.keys().isdisjoint(countries)
                                    or not story.features.keys().isdisjoint(article_countries)
                                )
                            )
                        )
                    )
                )
            ):
                best, best_score = story_id, score
        return best


def _story_id(article_id: str) -> str:
    return "s-" + article_id.removeprefix("a-")
