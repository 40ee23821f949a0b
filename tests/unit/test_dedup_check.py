"""The dedup decision in two halves: the copy check before tagging (`Deduper.check`, the
article's text only) and story grouping after it (`Deduper.group`). Split, it decides as the
whole call does; the pipeline tags only what the check leaves undecided."""

from __future__ import annotations

from wirewatch.agents.alert import AlertEngine, WatchlistSet, load_watchlists
from wirewatch.agents.dedup import Deduper
from wirewatch.agents.pipeline import Pipeline, timestamp_clock
from wirewatch.agents.state import MemoryStore
from wirewatch.agents.tag import Tagger
from wirewatch.streams.records import Article, TaggedArticle

from ..conftest import SEED_WATCHLISTS
from .test_dedup_corpus import tagged_corpus
from .test_pipeline import pipeline, raw


def decision(deduped) -> tuple:
    return (
        deduped.tagged.article.id,
        deduped.story.id,
        deduped.story.size,
        tuple(deduped.story.sources),
        deduped.duplicate_of,
        deduped.new_source,
        tuple(deduped.new_speakers),
    )


def test_check_then_group_decides_as_the_whole_call_on_the_corpus() -> None:
    whole, split = Deduper(MemoryStore()), Deduper(MemoryStore())
    copies = 0
    for tagged in tagged_corpus():
        expected = whole(tagged)
        check = split.check(tagged.article)  # the article alone, as the pipeline has it
        if check.needs_tags:
            got = split.group(tagged, check)
        else:
            got = check.decided
            copies += 1
            assert got.duplicate_of  # only copies are decided untagged
            assert got.tagged.article is tagged.article and not got.tagged.quotes
        assert decision(got) == decision(expected)
        whole.commit()
        split.commit()
    assert copies >= 30  # the corpus's copies were all decided before tagging
    assert dict(split.store.items()) == dict(whole.store.items())


class CountingTagger(Tagger):
    """The real tagger, counting the articles it is given."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def __call__(self, article: Article) -> TaggedArticle:
        self.seen.append(article.id)
        return super().__call__(article)


def test_the_pipeline_tags_originals_only_and_alerts_as_before(seed_bytes: list[bytes]) -> None:
    tagger = CountingTagger()
    sparing = Pipeline(WatchlistSet(load_watchlists(SEED_WATCHLISTS)), clock=timestamp_clock, tagger=tagger)
    first = sparing.process(raw(seed_bytes[0], 0))
    resent = sparing.process(raw(seed_bytes[0], 1))  # the same article in another record: a copy
    other = sparing.process(raw(seed_bytes[1], 2))  # the other outlet: an original, same story
    redone = sparing.process(raw(seed_bytes[0], 0))  # the first record again, after a crash
    assert len(tagger.seen) == 3  # the first, the other outlet, and the redone original
    assert first.alerts and not resent.alerts and other.alerts
    assert resent.articles[0].duplicate_of == first.articles[0].tagged.article.id
    assert {a.kind for a in other.alerts} == {"update"}
    # the redone record raises its alerts again, with the same ids and kinds
    assert [(a.id, a.kind) for a in redone.alerts] == [(a.id, a.kind) for a in first.alerts]
    # the same alerts as the whole dedup call after tagging gives (the front process's path)
    whole = pipeline()
    outcomes = [
        whole.finish(whole.front(raw(data, offset)), raw(data, offset))
        for data, offset in ((seed_bytes[0], 0), (seed_bytes[0], 1), (seed_bytes[1], 2), (seed_bytes[0], 0))
    ]
    assert [[(a.id, a.kind) for a in o.alerts] for o in outcomes] == [
        [(a.id, a.kind) for a in o.alerts] for o in (first, resent, other, redone)
    ]


class FailingTagger(Tagger):
    """The real tagger, failing on articles whose title holds a word (a bug's stand-in)."""

    def __init__(self, word: str) -> None:
        super().__init__()
        self.word = word

    def __call__(self, article: Article) -> TaggedArticle:
        if self.word in article.title:
            raise RuntimeError("tagger bug")
        return super().__call__(article)


def test_a_stage_failing_on_an_original_or_a_copy_is_a_dead_letter_and_the_stream_goes_on(
    seed_bytes: list[bytes],
) -> None:
    # the TASS seed's title has "combat"; the Interfax seed's does not
    sparing = Pipeline(
        WatchlistSet(load_watchlists(SEED_WATCHLISTS)), clock=timestamp_clock, tagger=FailingTagger("combat")
    )
    failed = sparing.process(raw(seed_bytes[1], 0))
    assert not failed.alerts and [(d.stage, d.offset) for d in failed.dead_letters] == [("tag", 0)]
    assert "tagger bug" in failed.dead_letters[0].error
    assert sparing.process(raw(seed_bytes[0], 1)).alerts  # the next record still works
    # a copy is never tagged, so the tagger's bug cannot touch it
    copy = sparing.process(raw(seed_bytes[0], 2))
    assert not copy.dead_letters and copy.articles[0].duplicate_of


class FailingEngine(AlertEngine):
    """An alert stage with a bug that shows on originals only."""

    def __call__(self, item, watchlists, detected_at):  # type: ignore[no-untyped-def]
        if not item.duplicate_of:
            raise RuntimeError("alert bug")
        return super().__call__(item, watchlists, detected_at)


def test_an_alert_stage_failure_keeps_the_dedup_decision(seed_bytes: list[bytes]) -> None:
    failing = pipeline()
    failing.alerter = FailingEngine(failing.store)
    outcome = failing.process(raw(seed_bytes[0], 0))
    assert [d.stage for d in outcome.dead_letters] == ["alert"] and not outcome.alerts
    # the article's dedup record was written: the same article from another record is a copy
    again = failing.process(raw(seed_bytes[0], 1))
    assert not again.dead_letters and again.articles[0].duplicate_of
