"""The dedup and alert state as one record per article: exactly one store write per processed
article, nothing written for a record processed twice (which gets its stored decisions back),
an index rebuilt from the store equal to the live one whatever order the store yields its keys
in, and story and alert memory that span the window."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import yaml

from tests.benchmarks.stage_dedup import SyntheticStream
from wirewatch.agents.alert import AlertEngine, Watchlist, WatchlistSet, load_watchlists
from wirewatch.agents.dedup import Deduper
from wirewatch.agents.dedup.ledger import ARTICLE_PREFIX, WindowIndex
from wirewatch.agents.pipeline import Pipeline
from wirewatch.agents.state import MemoryStore
from wirewatch.streams.records import Alert, Article, Block, Entity, RawRecord, TaggedArticle

CORPUS = Path(__file__).resolve().parents[1] / "data" / "dedup" / "corpus.yaml"
WATCHLISTS = """
watchlists:
  - id: grain
    query: 'grain'
  - id: nato
    query: 'NATO'
  - id: harbour
    query: 'harbour OR port'
"""


class CountingStore(MemoryStore):
    """A MemoryStore that counts writes and deletes, and remembers the keys written."""

    def __init__(self) -> None:
        super().__init__()
        self.writes = 0
        self.deletes = 0
        self.keys_written: set[str] = set()

    def set(self, key: str, value: Any) -> None:
        self.writes += 1
        self.keys_written.add(key)
        super().set(key, value)

    def delete(self, key: str) -> None:
        self.deletes += 1
        super().delete(key)


class ShuffledStore(MemoryStore):
    """A copy of a store whose `items()` come in a random order, as a recovered table may."""

    def __init__(self, data: dict[str, Any], seed: int) -> None:
        super().__init__()
        self.data = dict(data)
        self.random = random.Random(seed)

    def items(self) -> Iterator[tuple[str, Any]]:
        pairs = list(self.data.items())
        self.random.shuffle(pairs)
        return iter(pairs)


def corpus_records() -> list[RawRecord]:
    """The labelled dedup corpus as news-API JSON records, one per article, in stream order."""
    items = yaml.safe_load(CORPUS.read_text("utf-8"))["articles"]
    return [
        RawRecord(
            value=orjson.dumps(
                {
                    "source": {"name": item["source"]},
                    "title": item["title"],
                    "url": item["url"],
                    "publishedAt": item["published"],
                    "content": "\n\n".join(item["paragraphs"]),
                }
            ),
            topic="raw",
            partition=0,
            offset=offset,
            timestamp_ms=1_800_000_000_000 + offset,
        )
        for offset, item in enumerate(items)
    ]


def pipeline(store: MemoryStore) -> Pipeline:
    return Pipeline(WatchlistSet(load_watchlists(WATCHLISTS)), store, clock=lambda raw: "t")


def alert_keys(alerts: list[Alert]) -> list[tuple[str, str, str, str]]:
    return [(a.id, a.watchlist, a.kind, a.story["id"]) for a in alerts]


def test_one_write_per_article_and_nothing_but_article_records() -> None:
    store = CountingStore()
    live = pipeline(store)
    records = corpus_records()
    articles = 0
    for raw in records:
        outcome = live.process(raw)
        assert not outcome.dead_letters
        articles += len(outcome.articles)
    assert articles == len(records)
    assert store.writes == articles  # one write per article: no story, watermark or alert keys
    assert all(key.startswith(ARTICLE_PREFIX) for key in store.keys_written)
    # the corpus spans two weeks: the first days have left the 72-hour window, one delete each
    assert store.deletes == articles - len(store.data) > 0
    assert any("k" in record for record in store.data.values())  # alert decisions ride along


def test_a_record_processed_twice_returns_its_decisions_and_writes_nothing() -> None:
    store = CountingStore()
    live = pipeline(store)
    records = corpus_records()[:40]
    first = [live.process(raw) for raw in records]
    writes = store.writes
    for raw, earlier in zip(records[-10:], first[-10:], strict=True):
        again = live.process(raw)  # the same topic/partition/offset: processed again after a crash
        assert alert_keys(again.alerts) == alert_keys(earlier.alerts)
        assert [(a.story.id, a.duplicate_of) for a in again.articles] == [
            (a.story.id, a.duplicate_of) for a in earlier.articles
        ]
    assert store.writes == writes
    # the same after a restart: a pipeline rebuilt from the store
    restarted = pipeline(store)
    for raw, earlier in zip(records[-10:], first[-10:], strict=True):
        assert alert_keys(restarted.process(raw).alerts) == alert_keys(earlier.alerts)
    assert store.writes == writes
    # the same article sent again from elsewhere is a duplicate of itself: no alert, no write
    resent = RawRecord(value=records[5].value, topic="raw", partition=0, offset=999, timestamp_ms=1)
    outcome = restarted.process(resent)
    assert outcome.alerts == [] and outcome.articles[0].duplicate_of == outcome.articles[0].tagged.article.id
    assert store.writes == writes


def snapshot(index: WindowIndex) -> dict[str, Any]:
    """Everything a decision reads from the index, in a comparable form (orders included)."""
    return {
        "stories": {
            story_id: (
                list(story.articles.items()),
                story.times,
                sorted(story.features.items()),
                list(story.outlets.items()),
                sorted(story.speakers.items()),
            )
            for story_id, story in sorted(index.stories.items())
        },
        "postings": {feature: list(posting.items()) for feature, posting in sorted(index.postings.items())},
        "document_frequency": sorted(index.document_frequency.items()),
        "fingerprints": sorted(index.fingerprints.items()),
        "fingerprint_later": sorted(index.fingerprint_later.items()),
        "alerts": {
            key: (view.decisions, sorted(view.sources.items()), sorted(view.speakers.items()), view.updates)
            for key, view in sorted(index.alerts.items())
        },
        "expiry": sorted(index.expiry),
        "originals": index.originals,
        "lsh": [sorted((key, sorted(ids)) for key, ids in bucket.items()) for bucket in index.lsh.buckets],
    }


def synthetic_articles(count: int) -> list[TaggedArticle]:
    """Tagged articles with stories, copies and re-used outlets, published out of order (up to
    2 h early or late, and now and then 9 h late) so that eviction does not follow processing."""
    stream = SyntheticStream(seed=11)
    jitter = random.Random(12)
    start = 1_700_000_000.0
    articles = []
    for n in range(count):
        published = start + n * 120 + jitter.uniform(-7200, 7200)
        if jitter.random() < 0.03:
            published -= 9 * 3600
        articles.append(stream.article(n, published))
    return articles


SYNTHETIC_WATCHLISTS = [
    Watchlist.from_dict({"id": "any-topic", "query": "topic*"}),
    Watchlist.from_dict({"id": "common", "query": "w0 AND w1"}),
    Watchlist.from_dict({"id": "rarer", "query": "w40 OR w41"}),
]


def test_an_index_rebuilt_from_the_store_in_any_order_equals_the_live_one() -> None:
    articles = synthetic_articles(700)
    store = MemoryStore()
    live = Deduper(store, window_hours=6, lateness_hours=1)
    engine = AlertEngine(store, updates_per_story_per_hour=2)
    checked = 0
    for n, tagged in enumerate(articles):
        if n in (150, 400, 699):
            for seed in (1, 2):
                rebuilt = Deduper(ShuffledStore(store.data, seed), window_hours=6, lateness_hours=1)
                assert snapshot(rebuilt.index) == snapshot(live.index), n
                assert (rebuilt.watermark, rebuilt.ledger.next_seq) == (live.watermark, live.ledger.next_seq)
                checked += 1
        item = live(tagged)
        engine(item, SYNTHETIC_WATCHLISTS, "t")
        live.commit()
    assert checked == 6
    assert live.index.originals < 400  # the window has moved on: records were evicted
    assert any(view.updates for view in live.index.alerts.values())


def test_a_rebuilt_stage_decides_as_the_live_one_from_there_on() -> None:
    articles = synthetic_articles(500)
    store = MemoryStore()
    live = Deduper(store, window_hours=6, lateness_hours=1)
    live_engine = AlertEngine(store, updates_per_story_per_hour=2)

    def decide(deduper: Deduper, engine: AlertEngine, tagged: TaggedArticle) -> tuple:
        item = deduper(tagged)
        alerts = engine(item, SYNTHETIC_WATCHLISTS, "t")
        deduper.commit()
        return item.story.id, item.story.size, item.story.sources, item.duplicate_of, alert_keys(alerts)

    for tagged in articles[:250]:
        decide(live, live_engine, tagged)
    copy = ShuffledStore(store.data, seed=3)
    rebuilt, rebuilt_engine = Deduper(copy, window_hours=6, lateness_hours=1), AlertEngine(copy, 2)
    live_out = [decide(live, live_engine, tagged) for tagged in articles[250:]]
    rebuilt_out = [decide(rebuilt, rebuilt_engine, tagged) for tagged in articles[250:]]
    assert live_out == rebuilt_out
    assert any(out[4] for out in live_out) and any(out[3] for out in live_out)


def story_article(article_id: str, hours: float, source: str, extra: str = "") -> TaggedArticle:
    """One report of the same harbour story (the words reordered, so never a copy)."""
    words = [
        "harbour",
        "authority",
        "ferry",
        "pier",
        "corrosion",
        "inspectors",
        "steel",
        "supports",
        "council",
        "engineer",
        "pontoon",
        "lifeboat",
        "timetable",
        "repairs",
        "months",
        "decade",
        "passengers",
        "chamber",
    ]
    random.Random(article_id).shuffle(words)
    published = 1_700_000_000 + hours * 3600
    return TaggedArticle(
        article=Article(
            id=article_id,
            title="Harbour pier " + extra,
            blocks=[Block(" ".join(words) + " " + extra)],
            source=source,
            published=f"{datetime.fromtimestamp(published, UTC):%Y-%m-%dT%H:%M:%SZ}",
            origin=f"raw/0/{article_id}",
        ),
        entities=[Entity(id="org:harbour-authority", name="harbour authority", type="org")],
    )


def test_story_and_alert_memory_span_the_window() -> None:
    store = MemoryStore()
    deduper = Deduper(store, window_hours=24, lateness_hours=1)
    engine = AlertEngine(store)
    watchlist = [Watchlist.from_dict({"id": "w", "query": "lighthouse"})]

    def process(tagged: TaggedArticle) -> tuple[Any, list[str]]:
        item = deduper(tagged)
        kinds = [a.kind for a in engine(item, watchlist, "t")]
        deduper.commit()
        return item, kinds

    first, kinds = process(story_article("a-1", 0, "Coast Post", "lighthouse"))
    assert kinds == ["new"]
    second, kinds = process(story_article("a-2", 20, "Bay News"))  # the story, not the watchlist
    assert second.story.id == first.story.id and kinds == []
    # 30 h later the first article has left the window (watermark 29 h, window 24 h); the
    # story lives on in the second, but the watchlist's memory of it went with the first
    third, kinds = process(story_article("a-3", 30, "Coast Post", "lighthouse"))
    assert third.story.id == first.story.id
    assert third.story.size == 2 and third.story.sources == ["Bay News", "Coast Post"]
    assert kinds == ["new"]
