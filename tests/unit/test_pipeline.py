"""The pure pipeline (parse -> tag -> dedup -> alert) on the seeds, and its alert rules."""

from pathlib import Path

from wirewatch.agents.alert import AlertEngine, WatchlistSet, load_watchlists
from wirewatch.agents.pipeline import Pipeline, timestamp_clock
from wirewatch.agents.state import MemoryStore
from wirewatch.streams.records import DedupedArticle, RawRecord, StoryRef

from ..conftest import SEED_WATCHLISTS


def pipeline() -> Pipeline:
    return Pipeline(WatchlistSet(load_watchlists(SEED_WATCHLISTS)), clock=timestamp_clock)


def raw(data: bytes, offset: int = 0) -> RawRecord:
    return RawRecord(
        value=data, topic="raw", partition=0, offset=offset, timestamp_ms=1_627_400_000_000 + offset
    )


def test_seeds_new_then_update(seed_bytes: list[bytes]) -> None:
    p = pipeline()
    first, second = p.process(raw(seed_bytes[0], 0)), p.process(raw(seed_bytes[1], 1))
    assert {(a.watchlist, a.kind) for a in first.alerts} == {("kremlin-iraq", "new"), ("peskov", "new")}
    assert {(a.watchlist, a.kind) for a in second.alerts} == {
        ("kremlin-iraq", "update"),
        ("peskov", "update"),
    }
    story_ids = {a.story["id"] for a in first.alerts + second.alerts}
    assert len(story_ids) == 1
    update = second.alerts[0]
    assert update.story["size"] == 2 and update.story["sources"] == ["RussiaLink", "Russia - Islamic World"]
    peskov = next(a for a in first.alerts if a.watchlist == "peskov")
    assert len(peskov.quotes) == 4 and {q["speaker"] for q in peskov.quotes} == {"Dmitry Peskov"}
    kremlin = next(a for a in first.alerts if a.watchlist == "kremlin-iraq")
    assert kremlin.matched == ["Kremlin", "Iraq"]
    assert "<" not in kremlin.snippet and kremlin.snippet


def test_same_article_twice_raises_nothing_new(seed_bytes: list[bytes]) -> None:
    p = pipeline()
    p.process(raw(seed_bytes[0], 0))
    again = p.process(raw(seed_bytes[0], 5))
    assert again.alerts == []
    assert again.articles[0].duplicate_of


def test_order_does_not_change_the_story(seed_bytes: list[bytes]) -> None:
    p = pipeline()
    first = p.process(raw(seed_bytes[1], 0))
    second = p.process(raw(seed_bytes[0], 1))
    assert {a.kind for a in first.alerts} == {"new"}
    assert {a.kind for a in second.alerts} == {"update"}


def test_bad_records_become_dead_letters_and_the_next_one_still_works(seed_bytes: list[bytes]) -> None:
    p = pipeline()
    bad = [b"", b"\x00\x01\x02binary", b'{"title": ', b"x" * (3 * 1024 * 1024)]
    for offset, data in enumerate(bad):
        outcome = p.process(raw(data, offset))
        assert outcome.alerts == [] and len(outcome.dead_letters) == 1
        letter = outcome.dead_letters[0]
        assert letter.stage == "parse" and letter.offset == offset and letter.size == len(data)
    assert p.process(raw(seed_bytes[0], 9)).alerts


def test_replay_is_deterministic(seed_bytes: list[bytes]) -> None:
    def run() -> list:
        p = pipeline()
        return [a for i, d in enumerate(seed_bytes) for a in p.process(raw(d, i)).alerts]

    assert run() == run()


def test_update_rate_limit_and_nothing_new_means_no_update(seed_bytes: list[bytes]) -> None:
    p = pipeline()
    tagged = p.tagger(p.process(raw(seed_bytes[0])).articles[0].tagged.article)
    engine = AlertEngine(MemoryStore(), updates_per_story_per_hour=1)
    watchlists = list(WatchlistSet(load_watchlists(SEED_WATCHLISTS)))
    story = StoryRef("s-1", 1, ["A"])

    def copy(article_id: str, source: str) -> DedupedArticle:
        from dataclasses import replace

        return DedupedArticle(
            replace(tagged, article=replace(tagged.article, id=article_id, source=source)), story
        )

    assert {a.kind for a in engine(copy("a1", "A"), watchlists, "t")} == {"new"}
    assert engine(copy("a2", "A"), watchlists, "t") == []  # same outlet, same speakers: nothing new
    assert {a.kind for a in engine(copy("a3", "B"), watchlists, "t")} == {"update"}
    assert engine(copy("a4", "C"), watchlists, "t") == []  # over the rate limit within the hour
    repeat = engine(copy("a1", "A"), watchlists, "t")  # reprocessed: same ids again
    assert {a.kind for a in repeat} == {"new"}


def test_replay_helper_reads_files(seed_paths: list[Path], watchlists_file: Path) -> None:
    from wirewatch.streams.replay import replay_files

    alerts = replay_files(seed_paths, watchlists_file)
    assert [(a["watchlist"], a["kind"]) for a in alerts] == [
        ("kremlin-iraq", "new"),
        ("peskov", "new"),
        ("kremlin-iraq", "update"),
        ("peskov", "update"),
    ]
    assert all(a["schema_version"] == 1 for a in alerts)
