"""The hot path as a list of stages: parse -> tag -> dedup -> alert.

Pure (never imports faust). The live worker and offline replay both call
`Pipeline.process(raw)`, so they run the same stage code by construction. Any record a
stage cannot handle becomes a DeadLetter naming the stage; nothing raises out of here.

One step runs out of that order: the dedup stage's copy check (`Deduper.check`: the same
article again, the same body, a syndicated copy) reads the article's text only, so
`process` takes it before tagging and tags only the articles it leaves undecided. Where
parse and tag run elsewhere (the front process, the NER stage) every article comes tagged,
and `back` takes the whole dedup decision; except that the front process leaves untagged an
article whose body it has tagged before (`SeenBodies`): the copy check decides it in `finish`
(and when it is not a copy after all, it is tagged there).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from wirewatch.streams.records import (
    Alert,
    Article,
    DeadLetter,
    DedupedArticle,
    RawRecord,
    StageError,
    TaggedArticle,
)

from .alert import AlertEngine, WatchlistSet
from .dedup import Deduper, Prepared, prepare
from .dedup.core import Check
from .parse import parse_record
from .state import MemoryStore, StateStore
from .tag import Tagger

log = logging.getLogger(__name__)


def wall_clock() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(slots=True)
class Outcome:
    alerts: list[Alert] = field(default_factory=list)
    dead_letters: list[DeadLetter] = field(default_factory=list)
    articles: list[DedupedArticle] = field(default_factory=list)


@dataclass(slots=True)
class Front:
    """What parse and tag made of one raw record."""

    tagged: list[TaggedArticle] = field(default_factory=list)
    dead_letters: list[DeadLetter] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)  # parsed, not tagged (`front(tag=False)`)
    # with `front(prepare=True)`: the dedup stage's stateless part of each tagged article
    prepared: list[Prepared | None] = field(default_factory=list)


def body_key(article: Article) -> str:
    """A hash of the parsed body's text: equal for a resend and for most syndicated copies
    (the dedup fingerprint, over its words, would catch a few more at six times the cost)."""
    return hashlib.blake2b(article.text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


class SeenBodies:
    """The body keys of the articles a front process tagged lately, the oldest forgotten first
    past `size`. A body seen before is most likely a copy (a resend, a syndicated copy), which
    the copy check decides without its tags: not tagging it spares the front process the tag
    work of every copy. Only a hint: the check has the last word, and an article it finds new
    after all is tagged then."""

    def __init__(self, size: int = 50_000) -> None:
        self.size = size
        self._keys: dict[str, None] = {}  # in the order first seen

    def seen_before(self, key: str) -> bool:
        """Whether the key was seen (else it is remembered now)."""
        if key in self._keys:
            return True
        self._keys[key] = None
        if len(self._keys) > self.size:
            del self._keys[next(iter(self._keys))]
        return False


class Pipeline:
    def __init__(
        self,
        watchlists: WatchlistSet | None = None,
        store: StateStore | None = None,
        *,
        max_article_bytes: int = 2 * 1024 * 1024,
        story_window_hours: float = 72.0,
        allowed_lateness_hours: float = 6.0,
        retired_hours: float | None = None,
        updates_per_story_per_hour: int = 6,
        clock: Callable[[RawRecord], str] | None = None,
        tagger: Tagger | None = None,
    ) -> None:
        self.watchlists = watchlists if watchlists is not None else WatchlistSet()
        self.store = store if store is not None else MemoryStore()
        self.max_article_bytes = max_article_bytes
        self.tagger = tagger or Tagger()
        self.deduper = Deduper(self.store, story_window_hours, allowed_lateness_hours, retired_hours)
        self.alerter = AlertEngine(self.store, updates_per_story_per_hour)
        self.clock = clock or (lambda raw: wall_clock())
        self._speakers_version = -1

    def _sync_speakers(self) -> None:
        # Watchlists extend the knowledge base with the people they name.
        if self._speakers_version != self.watchlists.version:
            self.tagger.add_people(self.watchlists.speakers())
            self._speakers_version = self.watchlists.version

    def process(self, raw: RawRecord) -> Outcome:
        """Every stage, for one raw record (the worker's hot path, and offline replay). A copy
        of an article already seen is recognised before it is tagged (`Deduper.check`): it
        never raises an alert, so tagging it would be wasted (a third of the benchmark
        corpus, and more of a wire-heavy feed)."""
        return self.finish(self.front(raw, tag=False), raw)

    def finish(self, front: Front, raw: RawRecord) -> Outcome:
        """dedup -> alert for what parse (and tag) made of one raw record, here or elsewhere:
        its untagged articles are checked for copies first and tagged only if new."""
        outcome = Outcome(dead_letters=front.dead_letters)
        prepared = front.prepared or [None] * len(front.tagged)
        for tagged, made in zip(front.tagged, prepared, strict=True):
            self.back(tagged, raw, outcome, prepared=made)
        for article in front.articles:
            try:
                check = self.deduper.check(article)
            except Exception as exc:
                self._failed("dedup", article, exc, raw, outcome.dead_letters)
                continue
            if check.decided is not None:
                self.back(check.decided.tagged, raw, outcome, check.decided)
                continue
            tagged = self._tag(article, raw, outcome.dead_letters)
            if tagged is not None:
                self.back(tagged, raw, outcome, check)
        return outcome

    def front(
        self, raw: RawRecord, tag: bool = True, seen: SeenBodies | None = None, prepare: bool = False
    ) -> Front:
        """parse -> tag: the stages before the optional NER stage (parse alone, the articles in
        `articles`, with `tag=False`). The front process also passes `seen`: the one article
        of a record whose body was tagged before is left untagged, in `articles`; and
        `prepare`: the dedup stage's stateless part of each tagged article is done here too."""
        front = Front()
        try:
            parsed = parse_record(raw, max_bytes=self.max_article_bytes)
        except StageError as exc:
            front.dead_letters.append(DeadLetter.of("parse", exc.reason, str(exc), raw, wall_clock()))
            return front
        except Exception as exc:  # a bug must not stop the stream: the record is kept
            log.exception("parse failed on %s/%s/%s", raw.topic, raw.partition, raw.offset)
            front.dead_letters.append(DeadLetter.of("parse", "internal-error", repr(exc), raw, wall_clock()))
            return front
        for failure in parsed.failures:
            front.dead_letters.append(DeadLetter.of("parse", failure.reason, str(failure), raw, wall_clock()))
        if not tag or (
            seen is not None and len(parsed.articles) == 1 and seen.seen_before(body_key(parsed.articles[0]))
        ):
            front.articles = parsed.articles
            return front
        for article in parsed.articles:
            tagged = self._tag(article, raw, front.dead_letters)
            if tagged is not None:
                front.tagged.append(tagged)
                if prepare:
                    front.prepared.append(_prepared(tagged))
        return front

    def _tag(self, article: Article, raw: RawRecord, dead_letters: list[DeadLetter]) -> TaggedArticle | None:
        self._sync_speakers()
        try:
            return self.tagger(article)
        except Exception as exc:
            self._failed("tag", article, exc, raw, dead_letters)
            return None

    @staticmethod
    def _failed(
        stage: str, article: Article, exc: Exception, raw: RawRecord, dead_letters: list[DeadLetter]
    ) -> None:
        log.exception("%s failed on article %s", stage, article.id)
        dead_letters.append(
            DeadLetter.of(stage, "internal-error", f"article {article.id}: {exc!r}", raw, wall_clock())
        )

    def back(
        self,
        tagged: TaggedArticle,
        raw: RawRecord,
        outcome: Outcome | None = None,
        checked: Check | DedupedArticle | None = None,
        prepared: Prepared | None = None,
    ) -> Outcome:
        """dedup -> alert for one tagged article (after the optional NER stage); `checked`: the
        Deduper's `check` of it, or its decision, when `process` took that before tagging;
        `prepared`: the dedup stage's stateless part of it, when done elsewhere."""
        outcome = outcome if outcome is not None else Outcome()
        article = tagged.article
        stage = "dedup"
        try:
            if isinstance(checked, DedupedArticle):
                deduped = checked
            elif checked is not None:
                deduped = self.deduper.group(tagged, checked)
            else:
                deduped = self.deduper(tagged, prepared)
            stage = "alert"
            alerts = self.alerter(deduped, self.watchlists, self.clock(raw))
            stage = "dedup"
            # the article's one state write: its dedup record with the alert decisions
            self.deduper.commit()
            outcome.alerts += alerts
            outcome.articles.append(deduped)
        except Exception as exc:
            if stage == "alert":  # the dedup decision stands; no alert was decided
                self.deduper.commit()
            self._failed(stage, article, exc, raw, outcome.dead_letters)
        return outcome


def _prepared(tagged: TaggedArticle) -> Prepared | None:
    """`prepare`, or None when it fails (the worker's dedup stage then does that part, and
    reports the failure as it would have)."""
    try:
        return prepare(tagged)
    except Exception:
        log.exception("dedup preparation failed on article %s", tagged.article.id)
        return None


def timestamp_clock(raw: RawRecord) -> str:
    """Deterministic detection time for replay: the record's own timestamp."""
    ms = raw.timestamp_ms if raw.timestamp_ms is not None else int(time.time() * 1000)
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
