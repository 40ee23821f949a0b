"""The optional NER stage's plumbing, without a broker: an article that crosses the stage (the
envelope on the tagged and enriched topics) reaches dedup and alert exactly as it would have
without the hop, and the real small English model finds a name the knowledge base does not."""

from __future__ import annotations

import orjson

from wirewatch.agents.alert import WatchlistSet, load_watchlists
from wirewatch.agents.pipeline import Pipeline, timestamp_clock
from wirewatch.agents.tag import Tagger
from wirewatch.agents.tag.ner import NamedEntityRecognizer
from wirewatch.streams.app import envelope, open_envelope
from wirewatch.streams.records import Article, Block, RawRecord, to_dict

from ..conftest import SEED_WATCHLISTS


def raws(seed_bytes: list[bytes]) -> list[RawRecord]:
    return [
        RawRecord(
            value=value,
            key=f"seed-{n}".encode(),
            topic="raw",
            partition=0,
            offset=n,
            timestamp_ms=1_700_000_000_000 + n,
        )
        for n, value in enumerate(seed_bytes)
    ]


def test_front_then_back_across_the_envelope_equals_the_one_agent_path(seed_bytes) -> None:
    watchlists = load_watchlists(SEED_WATCHLISTS)
    whole = Pipeline(WatchlistSet(watchlists), clock=timestamp_clock)
    split = Pipeline(WatchlistSet(watchlists), clock=timestamp_clock)
    expected, got = [], []
    for raw in raws(seed_bytes):
        expected += [to_dict(a) for a in whole.process(raw).alerts]
        front = split.front(raw)
        assert not front.dead_letters and front.tagged
        for tagged in front.tagged:
            crossed_raw, crossed = open_envelope(envelope(raw, tagged))
            assert crossed == tagged  # the article survives the JSON hop unchanged
            assert (crossed_raw.key, crossed_raw.partition, crossed_raw.offset) == (raw.key, 0, raw.offset)
            got += [to_dict(a) for a in split.back(crossed, crossed_raw).alerts]
    assert len(expected) == 4
    assert got == expected


def test_a_broken_envelope_raises_rather_than_passing_garbage_on() -> None:
    for bad in (b"not json", orjson.dumps({"raw": {}}), orjson.dumps([1, 2])):
        try:
            open_envelope(bad)
        except (ValueError, KeyError, TypeError):
            continue
        raise AssertionError(f"accepted {bad!r}")


def test_the_small_english_model_adds_a_person_the_knowledge_base_does_not_know() -> None:
    # named, but with no title, appositive or speech verb around the name: the default path
    # does not find him
    text = "Repairs to the breakwater went on while Tobias Wrenhaven looked on from the quay."
    tagged = Tagger()(Article(id="a-1", title="Breakwater repairs", blocks=[Block(text)], source="Test"))
    assert not [e for e in tagged.entities if "wrenhaven" in e.id]
    enriched = NamedEntityRecognizer().pipe([tagged])[0]
    person = next(e for e in enriched.entities if e.id == "person:tobias-wrenhaven")
    assert person.name == "Tobias Wrenhaven" and person.type == "person"
    assert [text[m.start : m.end] for m in person.mentions] == ["Tobias Wrenhaven"]
