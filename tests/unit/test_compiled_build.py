"""The compiled build (setup.py, mypyc) behaves as its source does.

mypyc compiles the same Python, but not every construct means the same compiled: a dict
subclass's own `get` is bypassed, and type hints are checked at run time. So the compiled tag
and alert stages are run beside their plain-Python source, loaded from the .py files as
packages of their own, on every article of the labelled corpora, and must give identical
results: every entity, quotation and speaker, every candidate and match, every alert.

In a plain-Python install (WIREWATCH_COMPILE=0) there is nothing compiled to compare, and
the test says so by skipping.
"""

from __future__ import annotations

import sys
from types import ModuleType

import pytest

from tests.benchmarks import stage_match
from wirewatch.agents import compiled
from wirewatch.agents.alert import AlertEngine, WatchlistSet
from wirewatch.agents.alert.watchlists import build_document, match
from wirewatch.agents.dedup import Deduper
from wirewatch.agents.state import MemoryStore
from wirewatch.agents.tag import Tagger

pytestmark = pytest.mark.skipif(
    not compiled.compiled(), reason="plain-Python install: no compiled module to compare"
)


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ModuleType]:
    where = tmp_path_factory.mktemp("plain")
    packages = {
        "tag": compiled.plain_package("tag", "plain_tag", where),
        "alert": compiled.plain_package("alert", "plain_alert", where),
    }
    yield packages
    for name in [n for n in sys.modules if n.split(".")[0] in ("plain_tag", "plain_alert")]:
        del sys.modules[name]


def test_the_stages_run_compiled_here() -> None:
    assert set(compiled.compiled()) >= {
        "wirewatch.agents.tag.quotes",
        "wirewatch.agents.alert.query",
        "wirewatch.agents.alert.presearch",
    }
    assert type(Tagger.__call__).__name__ != "function"  # a compiled method, not Python's
    assert compiled.compiled(compiled.KERNELS) == [
        "wirewatch.agents.alert.pairkernel",
        "wirewatch.agents.alert.wordkernel",
    ]


def test_compiled_tagging_equals_the_source(plain: dict[str, ModuleType]) -> None:
    articles = stage_match.corpus_articles()  # tagged by the compiled tagger
    assert len(articles) > 200
    plain_tagger = plain["tag"].Tagger()
    assert type(plain_tagger).__module__.startswith("plain_tag")
    differing = [t.article.id for t in articles if plain_tagger(t.article) != t]
    assert not differing
    assert sum(len(t.quotes) for t in articles) > 500  # the comparison saw speakers to get wrong
    assert all(q.speaker for t in articles for q in t.quotes if q.speaker_id)


def test_compiled_matching_and_alerts_equal_the_source(plain: dict[str, ModuleType]) -> None:
    articles = stage_match.corpus_articles()
    generator = stage_match.QueryGenerator(articles, stage_match.known_people(), stage_match.SEED)
    watchlists = [generator.watchlist(i) for i in range(10_000)]
    plain_alert = plain["alert"]
    compiled_set = WatchlistSet(watchlists)
    plain_set = plain_alert.WatchlistSet([plain_alert.Watchlist.from_dict(w.to_dict()) for w in watchlists])
    matches = 0
    for tagged in articles:
        base = build_document(tagged, [q for q in tagged.quotes if q.speaker])
        plain_base = plain_alert.watchlists.build_document(tagged, [q for q in tagged.quotes if q.speaker])
        chosen = compiled_set.candidates(tagged, base)
        assert [w.id for w in chosen] == [w.id for w in plain_set.candidates(tagged, plain_base)]
        for watchlist in chosen:
            got = match(watchlist, tagged, base)
            expected = plain_alert.watchlists.match(plain_set.get(watchlist.id), tagged, plain_base)
            assert (got is None) == (expected is None)
            if got is not None:
                matches += 1
                assert (got.matched, got.quotes) == (expected.matched, expected.quotes)
    assert matches > 800

    # the alert engine, each beside a deduplicator of its own, on the same article stream
    engines = []
    for engine_class, watchlist_set in ((AlertEngine, compiled_set), (plain_alert.AlertEngine, plain_set)):
        store = MemoryStore()
        engines.append((Deduper(store), engine_class(store), watchlist_set))
    raised: list[list[list]] = [[], []]
    for tagged in articles:
        for side, (deduper, engine, watchlist_set) in enumerate(engines):
            alerts = engine(deduper(tagged), watchlist_set, "2023-01-01T00:00:00Z")
            raised[side].append(alerts)
    assert sum(map(len, raised[0])) > 600
    assert raised[0] == raised[1]
