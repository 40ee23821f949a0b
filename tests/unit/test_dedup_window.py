"""The dedup stage's window and state: event-time eviction, bounded state, a Deduper rebuilt
from the store deciding as the first one would, and the same record processed twice."""

from __future__ import annotations

from wirewatch.agents.dedup import Deduper
from wirewatch.agents.dedup.core import ARTICLE_PREFIX
from wirewatch.agents.state import MemoryStore
from wirewatch.streams.records import Article, Block, Entity, TaggedArticle

BODY = [
    "The harbour authority of a coastal town voted on Tuesday to close the old ferry pier after "
    "inspectors found corrosion in the steel supports beneath the waiting hall.",
    "Repairs would take at least eight months and cost more than the pier earns in a decade, "
    "the authority's engineer told a packed council chamber.",
    "Ferry passengers will board from a temporary pontoon near the lifeboat station from next "
    "month, and the timetable will not change, the operator said.",
]


def tagged(
    article_id: str,
    published: str,
    body: list[str] | None = None,
    title: str = "Harbour closes old ferry pier",
    source: str = "Coast Post",
    origin: str = "",
) -> TaggedArticle:
    return TaggedArticle(
        article=Article(
            id=article_id,
            title=title,
            blocks=[Block(p) for p in (body or BODY)],
            source=source,
            published=published,
            origin=origin or f"raw/0/{article_id}",
        ),
        entities=[Entity(id="org:harbour-authority", name="harbour authority", type="org")],
    )


def other_story(n: int, published: str) -> TaggedArticle:
    body = [f"Story number {n} is about a singular topic{n} with word{n} and thing{n} in town{n}."] * 3
    return tagged(f"a-other-{n}", published, body=body, title=f"Headline {n} topic{n}", source=f"Outlet {n}")


def test_copies_of_each_kind_are_duplicates_of_the_first() -> None:
    deduper = Deduper(MemoryStore())
    first = deduper(tagged("a-1", "2024-01-01T08:00:00Z"))
    assert not first.duplicate_of
    copies = {
        "headline": tagged("a-2", "2024-01-01T09:00:00Z", title="Pier shut over corrosion"),
        "boilerplate": tagged("a-3", "2024-01-01T09:00:00Z", body=[*BODY, "Follow us for more news."]),
        "truncated": tagged("a-4", "2024-01-01T09:00:00Z", body=BODY[:2]),
        "typo": tagged("a-5", "2024-01-01T09:00:00Z", body=[BODY[0].replace("corrosion", "rust"), *BODY[1:]]),
        "punctuation": tagged("a-6", "2024-01-01T09:00:00Z", body=[p.replace("'", "’") for p in BODY]),
    }
    for edit, copy in copies.items():
        out = deduper(copy)
        assert out.duplicate_of == "a-1", edit
        assert out.story.id == first.story.id, edit


def test_same_record_again_keeps_its_decision_but_a_resend_is_a_duplicate() -> None:
    deduper = Deduper(MemoryStore())
    deduper(tagged("a-1", "2024-01-01T08:00:00Z", origin="raw/0/1"))
    again = deduper(tagged("a-1", "2024-01-01T08:00:00Z", origin="raw/0/1"))
    resent = deduper(tagged("a-1", "2024-01-01T08:00:00Z", origin="raw/0/7"))
    assert again.duplicate_of == ""  # reprocessed after a crash: alert ids are re-emitted
    assert resent.duplicate_of == "a-1"


def test_window_advances_with_event_time_and_evicts() -> None:
    store = MemoryStore()
    deduper = Deduper(store, window_hours=72, lateness_hours=6)
    deduper(tagged("a-1", "2024-01-01T08:00:00Z"))
    # 70 h later the first article is still in the window (watermark = 64 h after it)
    deduper(other_story(1, "2024-01-04T06:00:00Z"))
    assert store.get(ARTICLE_PREFIX + "a-1") is not None
    # a copy published much later is past the window: the original is gone, it starts afresh
    deduper(other_story(2, "2024-01-05T00:00:00Z"))
    assert "s-1" not in deduper.index.stories  # the story view goes with its last article
    deduper.commit()
    assert Deduper(store).watermark == deduper.watermark  # derived from the records
    late = deduper(tagged("a-9", "2024-01-05T01:00:00Z"))
    assert not late.duplicate_of and late.story.size == 1
    # the original's record stays retired for one more window length, then goes
    assert store.get(ARTICLE_PREFIX + "a-1") is not None
    deduper(other_story(3, "2024-01-07T12:00:00Z"))  # 148 h after it
    assert store.get(ARTICLE_PREFIX + "a-1") is not None
    deduper(other_story(4, "2024-01-07T16:00:00Z"))  # 152 h: past 72 + 72 + 6 h
    assert store.get(ARTICLE_PREFIX + "a-1") is None


def test_a_record_redone_after_its_article_left_the_window_keeps_its_decisions() -> None:
    """A crash before the consumer committed hands records over again, and in a fast replay
    of history the window may have moved past them by then: the retired record answers."""
    store = MemoryStore()
    deduper = Deduper(store, window_hours=72, lateness_hours=6)
    first = deduper(tagged("a-1", "2024-01-01T08:00:00Z", origin="raw/0/1"))
    copy = deduper(tagged("a-2", "2024-01-03T08:00:00Z", title="Pier shut over corrosion", origin="raw/0/2"))
    assert copy.duplicate_of == "a-1"
    deduper(other_story(1, "2024-01-04T20:00:00Z"))  # the original leaves the window, its copy stays
    deduper.commit()
    assert "a-1" not in deduper.index.stories[first.story.id].articles
    for redone in (deduper, Deduper(store, window_hours=72, lateness_hours=6)):  # live, restarted
        again = redone(tagged("a-1", "2024-01-01T08:00:00Z", origin="raw/0/1"))
        assert again.pending is not None and again.pending.stored  # its decisions, nothing written
        assert again.duplicate_of == "" and again.story.id == first.story.id
    # sent anew (another raw record) it is a late arrival, as before
    resent = deduper(tagged("a-1", "2024-01-01T08:00:00Z", origin="raw/0/9"))
    assert resent.pending is not None and not resent.pending.stored


def test_state_stays_bounded_over_a_long_stream() -> None:
    store = MemoryStore()
    deduper = Deduper(store, window_hours=24, lateness_hours=1)
    for n in range(400):
        day, hour = divmod(n, 24)
        deduper(other_story(n, f"2024-02-{1 + day:02d}T{hour:02d}:00:00Z"))
    kept = [k for k in store.data if k.startswith(ARTICLE_PREFIX)]
    # a day and its lateness in the window, and a day retired: not 400 articles
    assert 45 <= len(kept) <= 55
    assert len(deduper.index.stories) <= 30 and 20 <= deduper.index.originals <= 30


def test_a_rebuilt_deduper_decides_as_the_first_one() -> None:
    store = MemoryStore()
    first = Deduper(store)
    original = first(tagged("a-1", "2024-01-01T08:00:00Z"))
    first(other_story(1, "2024-01-01T09:00:00Z"))
    first.commit()
    rebuilt = Deduper(store)  # what a restarted worker does after the table recovered
    copy = rebuilt(tagged("a-2", "2024-01-01T10:00:00Z", title="Another headline", source="Bay News"))
    assert copy.duplicate_of == "a-1" and copy.story.id == original.story.id
    assert copy.story.sources == ["Coast Post", "Bay News"]
    assert rebuilt.index.originals == first.index.originals
    assert rebuilt.index.document_frequency == first.index.document_frequency


def test_a_copy_of_a_copy_points_to_the_original() -> None:
    deduper = Deduper(MemoryStore())
    deduper(tagged("a-1", "2024-01-01T08:00:00Z"))
    truncated = deduper(tagged("a-2", "2024-01-01T09:00:00Z", body=BODY[:2]))
    again = deduper(tagged("a-3", "2024-01-01T10:00:00Z", body=BODY[:2], source="Bay News"))
    assert truncated.duplicate_of == "a-1" and again.duplicate_of == "a-1"


def test_headline_only_items_are_not_copies_of_each_other() -> None:
    deduper = Deduper(MemoryStore())
    first = deduper(tagged("a-1", "2024-01-01T08:00:00Z", body=[" "], title="Ferry pier closes for repairs"))
    second = deduper(tagged("a-2", "2024-01-01T08:05:00Z", body=[" "], title="Lifeboat crew rescues two"))
    same = deduper(tagged("a-3", "2024-01-01T08:10:00Z", body=[" "], title="Ferry pier closes for repairs"))
    assert not first.duplicate_of and not second.duplicate_of
    assert same.duplicate_of == "a-1"


def test_retired_hours_bound_how_long_a_record_outlives_the_window(monkeypatch) -> None:
    from wirewatch.streams.settings import Settings

    store = MemoryStore()
    deduper = Deduper(store, window_hours=72, lateness_hours=6, retired_hours=0)
    deduper(tagged("a-1", "2024-01-01T08:00:00Z"))
    deduper(other_story(1, "2024-01-05T00:00:00Z"))  # 88 h later: past the window
    deduper.commit()
    assert store.get(ARTICLE_PREFIX + "a-1") is None  # deleted as it left, as before retiring
    monkeypatch.setenv("WIREWATCH_RETIRED_HOURS", "12")
    assert Settings.from_env().retired_hours == 12.0
    monkeypatch.setenv("WIREWATCH_RETIRED_HOURS", "")
    assert Settings.from_env().retired_hours is None  # the window's length
