"""Duplicates and stories across partitions, in the pure core: two dedup stages, each with its
own store (two workers, one partition each), see the labelled corpus split between them. Each
absorbs the records the other commits (in the worker they arrive through the state changelog),
and together they must score as one stage seeing everything does."""

from __future__ import annotations

from wirewatch.agents.dedup import Deduper
from wirewatch.agents.dedup.ledger import ARTICLE_PREFIX
from wirewatch.agents.state import MemoryStore

from .test_dedup_corpus import bcubed, copy_pairs, corpus, precision_recall, tagged_corpus


def split_run(share: bool) -> tuple[dict[str, str], dict[str, str]]:
    """The corpus dealt to two stages by position (odd and even), as two partitions would."""
    stages = [Deduper(MemoryStore()), Deduper(MemoryStore())]
    duplicate_of, story = {}, {}
    for n, tagged in enumerate(tagged_corpus()):
        mine, other = stages[n % 2], stages[1 - n % 2]
        out = mine(tagged)
        mine.commit()
        duplicate_of[tagged.article.id] = out.duplicate_of
        story[tagged.article.id] = out.story.id
        if share:
            record = mine.ledger.store.get(ARTICLE_PREFIX + tagged.article.id)
            assert record is not None
            assert other.ledger.absorb(tagged.article.id, record)
            assert not other.ledger.absorb(tagged.article.id, record)  # idempotent
    return duplicate_of, story


def scores(duplicate_of: dict[str, str], story: dict[str, str]) -> tuple[float, float, float]:
    gold_duplicate_of = {item["id"]: item["duplicate_of"] or "" for item in corpus()}
    gold_story = {item["id"]: item["story"] for item in corpus()}
    precision, recall = precision_recall(copy_pairs(duplicate_of), copy_pairs(gold_duplicate_of))
    return precision, recall, bcubed(story, gold_story)[2]


def test_shared_records_catch_copies_and_stories_across_partitions() -> None:
    precision, recall, f1 = scores(*split_run(share=True))
    assert precision >= 0.98 and recall >= 0.95
    assert f1 >= 0.85


def test_without_sharing_the_split_misses_copies() -> None:
    # the same split without the other partition's records: what the sharing is for
    _, recall, f1 = scores(*split_run(share=False))
    assert recall < 0.8
    assert f1 < 0.85


def test_absorbed_records_are_never_written_and_leave_on_a_tombstone() -> None:
    items = tagged_corpus()
    writer, reader = Deduper(MemoryStore()), Deduper(MemoryStore())
    original = items[1]  # an original whose syndicated copy comes later in the corpus
    copy = next(
        t for t, item in zip(items, corpus(), strict=True) if item["duplicate_of"] == original.article.id
    )
    writer(original)
    writer.commit()
    record = writer.ledger.store.get(ARTICLE_PREFIX + original.article.id)
    assert reader.ledger.absorb(original.article.id, record)
    assert reader.ledger.store.get(ARTICLE_PREFIX + original.article.id) is None  # not written
    assert reader.ledger.absorb(original.article.id, None)  # the writer evicted it
    assert reader(copy).duplicate_of == ""  # forgotten: the copy is now an original here
