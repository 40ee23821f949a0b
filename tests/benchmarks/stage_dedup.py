"""Benchmark of the dedup stage: articles per second on one core with 100,000 articles in the
window, serialised state bytes per windowed article, and MinHash LSH against SimHash for
finding syndicated copies in the labelled corpus.

Articles are generated synthetically and already tagged (no parse, no tag, no faust): stories
with their own people, places and words over a Zipf-distributed background vocabulary, a
third of the articles syndicated copies with a small edit. `measure(smoke=True)` uses 2,000
articles. Run alone: `python -m tests.benchmarks.stage_dedup [--smoke]`.
"""

from __future__ import annotations

import gc
import random
import sys
import time
from dataclasses import replace
from itertools import combinations
from pathlib import Path

import numpy as np
import orjson
import yaml

from wirewatch.agents.dedup import Deduper
from wirewatch.agents.dedup.features import body_minhash, words
from wirewatch.agents.state import MemoryStore
from wirewatch.streams.records import Article, Block, Entity, Mention, Quotation, TaggedArticle

CORPUS = Path(__file__).resolve().parents[1] / "data" / "dedup" / "corpus.yaml"
WINDOW_ARTICLES = 100_000
MEASURED_ARTICLES = 5_000
SMOKE_ARTICLES = 2_000
COPY_SHARE = 0.3


class SyntheticStream:
    """Tagged articles: each story has its own entities and words; copies change a little."""

    def __init__(self, seed: int = 5) -> None:
        self.random = random.Random(seed)
        self.vocabulary = [f"w{i}" for i in range(30_000)]
        ranks = np.arange(1, len(self.vocabulary) + 1)
        self.cumulative = np.cumsum(1.0 / ranks) / (1.0 / ranks).sum()
        self.numpy_random = np.random.default_rng(seed)
        self.entities = [(f"person:p{i}", "person") for i in range(3_000)] + [
            (f"country:c{i}", "place") for i in range(200)
        ]
        self.recent: list[TaggedArticle] = []
        self.stories: list[tuple[list[tuple[str, str]], list[str]]] = []

    def background(self, count: int) -> list[str]:
        picks = np.searchsorted(self.cumulative, self.numpy_random.random(count))
        picks = np.minimum(picks, len(self.vocabulary) - 1)
        return [self.vocabulary[i] for i in picks]

    def article(self, number: int, published: float) -> TaggedArticle:
        pick = self.random.random()
        if self.recent and pick < COPY_SHARE:
            return self.copy_of(self.random.choice(self.recent[-200:]), number, published)
        if self.stories and pick < COPY_SHARE + 0.35:
            story = self.random.choice(self.stories[-300:])
        else:
            story = (
                self.random.sample(self.entities, 3),
                [f"topic{self.random.randrange(10**6)}" for _ in range(12)],
            )
            self.stories.append(story)
            del self.stories[:-300]
        entities, topic = story
        paragraphs = []
        for _ in range(5):
            body = self.background(32) + self.random.sample(topic, 4)
            self.random.shuffle(body)
            paragraphs.append(" ".join(body))
        title = " ".join(self.random.sample(topic, 3) + self.background(5))
        tagged = TaggedArticle(
            article=Article(
                id=f"a-{number:09d}",
                title=title,
                blocks=[Block(p) for p in paragraphs],
                source=f"outlet {self.random.randrange(40)}",
                published=_iso(published),
                origin=f"bench/0/{number}",
            ),
            entities=[
                Entity(id=e, name=e, type=kind, mentions=[Mention(0, 1, e)] * self.random.randint(1, 4))  # type: ignore[arg-type]
                for e, kind in entities
            ],
            quotes=[Quotation(text="a quoted line", speaker=entities[0][0], speaker_id=entities[0][0])],
        )
        self.recent.append(tagged)
        del self.recent[:-400]
        return tagged

    def copy_of(self, original: TaggedArticle, number: int, published: float) -> TaggedArticle:
        blocks = list(original.article.blocks)
        edit = self.random.randrange(3)
        if edit == 0:
            blocks = blocks[:-1]  # truncated tail
        elif edit == 1:
            blocks = [*blocks, Block("This article first appeared in another outlet.")]
        else:
            first = blocks[0].text.split()
            first[3] = "changed"
            blocks[0] = Block(" ".join(first))
        article = replace(
            original.article,
            id=f"a-{number:09d}",
            title="another headline " + original.article.title,
            blocks=blocks,
            source=f"outlet {self.random.randrange(40)}",
            published=_iso(published),
            origin=f"bench/0/{number}",
        )
        return replace(original, article=article)


def _iso(epoch_seconds: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch_seconds))


def stage_throughput(window_articles: int, measured_articles: int) -> dict[str, float]:
    """Fill the window, then time `measured_articles` more; bytes per article in the store."""
    stream = SyntheticStream()
    store = MemoryStore()
    deduper = Deduper(store, window_hours=72.0, lateness_hours=6.0)
    start = 1_700_000_000.0
    # All of the window's articles stay inside 72 h of event time: 60 h for the fill.
    step = 60 * 3600 / (window_articles + measured_articles)
    # The window's articles are made one at a time and dropped: only the stage's own state
    # should be on the heap (Python's collector walks every live object now and then).
    for n in range(window_articles):
        deduper(stream.article(n, start + n * step))
    total = window_articles + measured_articles
    articles = [stream.article(n, start + n * step) for n in range(window_articles, total)]
    began = time.process_time()
    for tagged in articles:
        deduper(tagged)
    elapsed = time.process_time() - began
    deduper.commit()
    windowed = sum(1 for key in store.data if key.startswith("dedup:a:"))
    state_bytes = sum(len(key.encode()) + len(orjson.dumps(value)) for key, value in store.data.items())
    # How much of that is Python's cyclic collector walking the window's state: as many
    # articles again (the window barely grows: their event times are still inside it, and
    # those articles are not part of the state figures above), with the collector off.
    more = [stream.article(n, start + n * step) for n in range(total, total + measured_articles)]
    gc.disable()
    try:
        began = time.process_time()
        for tagged in more:
            deduper(tagged)
        elapsed_without_collector = time.process_time() - began
    finally:
        gc.enable()
    return {
        "dedup_articles_per_s": measured_articles / elapsed,
        "dedup_articles_per_s_collector_off": measured_articles / elapsed_without_collector,
        "dedup_windowed_articles": float(windowed),
        "dedup_state_bytes_per_article": state_bytes / windowed,
    }


def window_is_bounded(smoke: bool) -> dict[str, float]:
    """Articles kept after a stream four windows long: the window's worth, not the stream."""
    stream = SyntheticStream(seed=9)
    store = MemoryStore()
    deduper = Deduper(store, window_hours=72.0, lateness_hours=6.0)
    total = 2_000 if smoke else 20_000
    step = 4 * 72 * 3600 / total
    for n in range(total):
        deduper(stream.article(n, 1_700_000_000.0 + n * step))
    return {
        "dedup_kept_articles_after_4_windows": float(sum(1 for k in store.data if k.startswith("dedup:a:")))
    }


# --- MinHash LSH against SimHash on the labelled corpus ---------------------------------------


def simhash(body_words: list[str], bits: int = 64) -> int:
    """Charikar's SimHash of word 5-shingles (64 bits from two 32-bit crc-based halves)."""
    import zlib

    shingles = [" ".join(body_words[i : i + 5]).encode() for i in range(max(1, len(body_words) - 4))]
    hashes = np.array([(zlib.crc32(s) << 32) | zlib.crc32(s, 0x9E3779B9) for s in shingles], dtype=np.uint64)
    bits_set = (hashes[:, None] >> np.arange(bits, dtype=np.uint64)) & np.uint64(1)
    votes = bits_set.sum(axis=0) * 2 > len(hashes)
    return int(sum(1 << i for i, v in enumerate(votes) if v))


def copy_detection_comparison() -> dict[str, float]:
    """Best recall at full precision for each method, and its cost per article."""
    items = yaml.safe_load(CORPUS.read_text("utf-8"))["articles"]
    bodies = {i["id"]: words("\n\n".join(i["paragraphs"])) for i in items}
    root = {i["id"]: i["duplicate_of"] or i["id"] for i in items}
    pairs = list(combinations(sorted(bodies), 2))
    is_copy = [root[a] == root[b] for a, b in pairs]

    began = time.process_time()
    minhashes = {k: body_minhash(v) for k, v in bodies.items()}
    minhash_seconds = (time.process_time() - began) / len(bodies)
    began = time.process_time()
    simhashes = {k: simhash(v) for k, v in bodies.items()}
    simhash_seconds = (time.process_time() - began) / len(bodies)

    minhash_similarity = [minhashes[a].jaccard(minhashes[b]) for a, b in pairs]
    simhash_similarity = [1 - bin(simhashes[a] ^ simhashes[b]).count("1") / 64 for a, b in pairs]

    other_bits = [64 * (1 - s) for s, c in zip(simhash_similarity, is_copy, strict=True) if not c]

    def recall_at_full_precision(similarity: list[float]) -> float:
        # the best threshold: just above the most similar pair that is not a copy
        worst_false = max((s for s, c in zip(similarity, is_copy, strict=True) if not c), default=0.0)
        found = sum(1 for s, c in zip(similarity, is_copy, strict=True) if c and s > worst_false)
        return found / sum(is_copy)

    return {
        "minhash_copy_recall_at_precision_1": recall_at_full_precision(minhash_similarity),
        "simhash_copy_recall_at_precision_1": recall_at_full_precision(simhash_similarity),
        "minhash_min_copy_similarity": min(s for s, c in zip(minhash_similarity, is_copy, strict=True) if c),
        "minhash_max_other_similarity": max(
            s for s, c in zip(minhash_similarity, is_copy, strict=True) if not c
        ),
        "simhash_min_copy_similarity": min(s for s, c in zip(simhash_similarity, is_copy, strict=True) if c),
        "simhash_max_other_similarity": max(
            s for s, c in zip(simhash_similarity, is_copy, strict=True) if not c
        ),
        "simhash_other_mean_bits_apart": float(np.mean(other_bits)),
        "simhash_other_std_bits_apart": float(np.std(other_bits)),
        "minhash_us_per_article": minhash_seconds * 1e6,
        "simhash_us_per_article": simhash_seconds * 1e6,
    }


def measure(smoke: bool = False) -> dict[str, float]:
    window = SMOKE_ARTICLES if smoke else WINDOW_ARTICLES
    measured = SMOKE_ARTICLES // 2 if smoke else MEASURED_ARTICLES
    return {
        **stage_throughput(window, measured),
        **window_is_bounded(smoke),
        **copy_detection_comparison(),
    }


if __name__ == "__main__":
    for name, value in measure(smoke="--smoke" in sys.argv).items():
        print(f"{name:40s} {value:12.3f}")
