"""The pair index compiled to arrays finds what the dictionaries find: checked against
evaluating every watchlist, with the compiling threshold lowered so that small sets use it,
while watchlists are put, replaced, removed and re-filed between articles (first keys that
changed since compiling are looked up in the dictionaries, then compiled in again)."""

from __future__ import annotations

import random

import pytest

from tests.benchmarks.stage_match import corpus_articles, generate_watchlists
from tests.unit.test_presearch import VOCABULARY, churn, random_article, random_watchlists, results
from wirewatch.agents.alert import Watchlist, WatchlistSet
from wirewatch.agents.alert import presearch as presearch_module


@pytest.fixture(params=["numpy", "kernel"])
def compile_small_sets(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The compiled index from 8 entries on, walked with numpy or by the C kernel."""
    monkeypatch.setattr(presearch_module, "COMPILE_MIN_ENTRIES", 8)
    monkeypatch.setattr(presearch_module, "KERNEL_COMPILE_MIN_ENTRIES", 8)
    monkeypatch.setattr(presearch_module, "STALE_MIN", 4)
    if request.param == "numpy":
        monkeypatch.setattr(presearch_module, "PAIR_KERNEL", None)
    elif presearch_module.PAIR_KERNEL is None:
        pytest.skip("plain-Python install: the C kernel is not built")
    return request.param


def walked_by(compiled: presearch_module.CompiledPairs | None, path: str) -> bool:
    """Whether the index is compiled, and walked the way the test means to test."""
    return compiled is not None and (compiled.kernel is not None) == (path == "kernel")


def paired_watchlists(rng: random.Random, count: int) -> list[Watchlist]:
    """Two required words (and sometimes an OR group or a third word): filed under pairs."""
    made = []
    for number in range(count):
        first, second, third = rng.sample(VOCABULARY, 3)
        query = f"{first} AND {second}"
        if number % 3 == 0:
            query += f" AND ({third} OR {rng.choice(VOCABULARY)[:4]}*)"
        made.append(Watchlist.from_dict({"id": f"p{number}", "query": query}))
    return made


@pytest.mark.parametrize("seed", range(3))
def test_the_compiled_pairs_equal_brute_force_while_watchlists_change(
    compile_small_sets: str, seed: int
) -> None:
    rng = random.Random(seed)
    pool = paired_watchlists(rng, 150) + random_watchlists(rng, 150)
    current = {w.id: w for w in pool[:120]}
    live = WatchlistSet(list(current.values()))
    compiled_ids = set()
    stale_seen = matched = 0
    for index in range(150):
        churn(rng, rng.sample(pool, 3), live, current)
        via_presearch, everything = results(list(current.values()), live, random_article(rng, index))
        assert sorted(via_presearch) == sorted(everything)
        matched += len(everything)
        compiled = live.presearch._compiled
        assert walked_by(compiled, compile_small_sets)  # the path under test is the one taken
        compiled_ids.add(id(compiled))
        stale_seen = max(stale_seen, len(live.presearch._stale))
    assert matched > 0
    assert stale_seen > 0  # articles were matched with changed first keys pending
    assert len(compiled_ids) > 1  # and the index was compiled again along the way


def test_the_compiled_pairs_equal_brute_force_on_the_corpora(compile_small_sets: str) -> None:
    articles = corpus_articles()
    watchlists = generate_watchlists(1500, articles, seed=3)
    live = WatchlistSet(watchlists)
    matches = 0
    for tagged in articles:
        via_presearch, everything = results(watchlists, live, tagged, shared=True)
        assert via_presearch == everything
        matches += len(everything)
    assert walked_by(live.presearch._compiled, compile_small_sets)
    assert matches > 0


@pytest.mark.usefixtures("compile_small_sets")
def test_the_compiled_index_is_dropped_when_the_pairs_shrink_below_the_threshold() -> None:
    watchlists = paired_watchlists(random.Random(4), 40)
    live = WatchlistSet(watchlists)
    tagged = random_article(random.Random(5), 0)
    results(watchlists, live, tagged)
    assert live.presearch._compiled is not None
    for watchlist in watchlists:
        live.remove(watchlist.id)
    via_presearch, everything = results([], live, tagged)
    assert via_presearch == everything == []
    assert live.presearch._compiled is None and not live.presearch._pairs


def test_a_pair_whose_third_required_key_is_absent_is_not_reached(compile_small_sets: str) -> None:
    """Entries of the compiled index carry a third key their check requires: an article that
    holds the pair but not that key touches no check of theirs."""
    rng = random.Random(6)
    watchlists = [
        *paired_watchlists(rng, 20),
        Watchlist.from_dict({"id": "three", "query": "harbour AND dredging AND permit"}),
    ]
    live = WatchlistSet(watchlists)
    presearch = live.presearch
    presearch.candidates({"harbour", "dredging", "permit"}, set())  # compiles the index
    compiled = presearch._compiled
    assert compiled is not None and walked_by(compiled, compile_small_sets)
    handle = presearch._handles["three"]
    if compiled.kernel is not None:  # no other entry is under these words: the hit is its own
        compiled.begin_article(["harbour", "dredging"])
        assert compiled.kernel.reach() == ([], 1)
        compiled.begin_article(["harbour", "dredging", "permit"])
        assert compiled.kernel.reach() == ([handle], 1)
    free, to_check, _positions, _ = compiled.reached(compiled.article_numbers(["harbour", "dredging"]))
    assert handle not in free and handle not in to_check
    free, to_check, _positions, _ = compiled.reached(
        compiled.article_numbers(["harbour", "dredging", "permit"])
    )
    assert handle in to_check + free
    assert presearch.candidates({"harbour", "dredging", "permit"}, set()) == [handle]


@pytest.mark.parametrize("cap", [10_000, 300])
def test_token_numbers_give_each_token_its_numbers_across_rebuilds(
    monkeypatch: pytest.MonkeyPatch, cap: int
) -> None:
    """Tokens are numbered by hash in arrays built again as new tokens come (and started over
    past the cap): every article's numbers are exactly what working each token out gives."""
    monkeypatch.setattr(presearch_module, "TOKENS_REBUILD_MIN", 16)
    monkeypatch.setattr(presearch_module, "PREFIX_CACHE_MAX", cap)
    rng = random.Random(cap)
    vocabulary = [f"{rng.choice(VOCABULARY)}{n}" for n in range(600)]

    def work_out(token: str) -> tuple[int, ...]:  # a few numbers, or none, as the index gives
        digest = sum(map(ord, token))
        return tuple(range(1 + digest % 7, 1 + digest % 7 + digest % 4))

    table = presearch_module.TokenNumbers()
    rebuilt = 0
    for _ in range(120):
        tokens = rng.sample(vocabulary, 40)
        expected = sorted(number for token in tokens for number in work_out(token))
        got = table.numbers(tokens, work_out)
        assert sorted(int(n) for n in got if n) == expected
        rebuilt += not table.pending
    assert rebuilt > 3 and len(table.hashes) > 0
    assert len(table.by_hash) <= cap
