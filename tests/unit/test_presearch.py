"""Presearch must never change a result: evaluating only the candidates gives exactly what
evaluating every watchlist gives, on random queries over a small vocabulary (every operator,
field and shape) and on the benchmark's generated queries over the real corpora; and the
index follows every put and remove. Each of these runs with the pair index in dictionaries
and with it compiled for the C kernel (tests/unit/test_presearch_compiled.py has more of the
compiled index, with numpy as well)."""

from __future__ import annotations

import random

import pytest

from tests.benchmarks.stage_match import corpus_articles, generate_watchlists
from wirewatch.agents.alert import AlertEngine, Watchlist, WatchlistSet
from wirewatch.agents.alert import presearch as presearch_module
from wirewatch.agents.alert import registry as registry_module
from wirewatch.agents.alert.presearch import required_groups
from wirewatch.agents.alert.query import QueryError
from wirewatch.agents.alert.watchlists import build_document, match
from wirewatch.agents.state import MemoryStore
from wirewatch.streams.records import (
    Article,
    Block,
    DedupedArticle,
    Entity,
    Quotation,
    StoryRef,
    TaggedArticle,
)


@pytest.fixture(params=["dictionaries", "kernel"], autouse=True)
def index_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Which walk of the pair index the test takes: the dictionaries (no kernel, and too few
    entries to compile for numpy, and the candidates gathered in Python), or the compiled index
    walked by the C kernel (and the candidates gathered by its `take`)."""
    if request.param == "dictionaries":
        monkeypatch.setattr(presearch_module, "PAIR_KERNEL", None)
        monkeypatch.setattr(registry_module, "take", None)
    elif presearch_module.PAIR_KERNEL is None:
        pytest.skip("plain-Python install: the C kernel is not built")
    return request.param


VOCABULARY = ["amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "harbor", "inlet", "juniper"]
PEOPLE = ["Ana Lind", "Bo Varga", "Cy Moreau"]


def random_article(rng: random.Random, index: int) -> TaggedArticle:
    def sentence(n: int) -> str:
        return " ".join(rng.choice(VOCABULARY) for _ in range(n))

    quotes = [
        Quotation(sentence(rng.randint(2, 6)), rng.choice([*PEOPLE, ""]), "", "said")
        for _ in range(rng.randint(0, 3))
    ]
    reported = [
        Quotation(sentence(3), rng.choice(PEOPLE), "", "said", kind="reported")
        for _ in range(rng.randint(0, 1))
    ]
    entities = [Entity(f"place:{w}", w.title(), "place") for w in rng.sample(VOCABULARY, rng.randint(0, 2))]
    return TaggedArticle(
        Article(
            id=f"a{index}",
            title=sentence(rng.randint(1, 4)),
            blocks=[Block(sentence(rng.randint(3, 12))) for _ in range(rng.randint(1, 3))],
            source=rng.choice(["Amber Post", "Fjord Times", ""]),
            published=f"2025-01-0{1 + index % 9}T00:00:00Z",
        ),
        entities=entities,
        quotes=quotes,
        reported=reported,
    )


def random_query(rng: random.Random, depth: int = 0) -> str:
    roll = rng.random()
    if depth < 3 and roll < 0.35:
        op = rng.choice([" AND ", " OR ", " "])
        parts = [random_query(rng, depth + 1) for _ in range(rng.randint(2, 3))]
        return "(" + op.join(parts) + ")"
    if roll < 0.45:
        return "NOT " + random_query(rng, depth + 1)
    if roll < 0.55:
        return f"{rng.choice(VOCABULARY)} NEAR/{rng.randint(1, 4)} {rng.choice(VOCABULARY)}"
    field = rng.choice(["", "", "", "title:", "body:", "source:", "entity:", "speaker:", "quote:"])
    if roll < 0.65:
        return f'{field}"{rng.choice(VOCABULARY)} {rng.choice(VOCABULARY)}"'
    word = rng.choice([*VOCABULARY, "lind", "varga", "post", "times"])
    if roll < 0.75:
        return f"{field}{word[: rng.randint(3, len(word))]}*"
    return field + word


def random_watchlists(rng: random.Random, count: int) -> list[Watchlist]:
    made: list[Watchlist] = []
    while len(made) < count:
        data: dict[str, object] = {"id": f"w{len(made)}"}
        if rng.random() < 0.3:
            data["speakers"] = rng.sample([*PEOPLE, "Lind", "Moreau"], rng.randint(1, 2))
            data["reported"] = rng.random() < 0.3
        if "speakers" not in data or rng.random() < 0.6:
            data["query"] = random_query(rng)
        try:
            made.append(Watchlist.from_dict(data))
        except Exception as exc:  # a generated query can be invalid (only NOTs): draw again
            assert isinstance(exc.__cause__ or exc, QueryError | ValueError)
    return made


def results(
    watchlists: list[Watchlist], live: WatchlistSet, tagged: TaggedArticle, shared: bool = False
) -> tuple[list, list]:
    base = build_document(tagged, [q for q in tagged.quotes if q.speaker])
    via_presearch = []
    for watchlist in live.candidates(tagged, base):
        found = match(watchlist, tagged, base)
        if found is not None:
            via_presearch.append((watchlist.id, found.matched, found.quotes))
    everything = []
    # the reference path builds its own document per watchlist, unless that is too slow
    reference = build_document(tagged, [q for q in tagged.quotes if q.speaker]) if shared else None
    for watchlist in watchlists:
        found = match(watchlist, tagged, reference)
        if found is not None:
            everything.append((watchlist.id, found.matched, found.quotes))
    return via_presearch, everything


@pytest.mark.parametrize("seed", range(5))
def test_presearch_equals_brute_force_on_random_queries(seed: int) -> None:
    rng = random.Random(seed)
    watchlists = random_watchlists(rng, 300)
    live = WatchlistSet(watchlists)
    candidates = matched = 0
    for index in range(60):
        tagged = random_article(rng, index)
        via_presearch, everything = results(watchlists, live, tagged)
        assert via_presearch == everything
        candidates += live.presearch.stats.candidates
        matched += len(everything)
    assert matched > 0  # the generator does produce matches, so equality means something
    assert candidates < 300 * 60  # and presearch does leave watchlists out


def test_presearch_equals_brute_force_on_generated_queries_and_the_corpora() -> None:
    articles = corpus_articles()
    assert len(articles) >= 20
    watchlists = generate_watchlists(1000, articles, seed=7)
    live = WatchlistSet(watchlists)
    candidates = matches = 0
    for tagged in articles:
        via_presearch, everything = results(watchlists, live, tagged, shared=True)
        assert via_presearch == everything
        candidates += live.presearch.stats.candidates
        matches += len(everything)
    assert matches > 0
    # far fewer evaluations than watchlists: the point of presearch
    assert candidates / len(articles) < 0.05 * len(watchlists)


def test_the_alert_engine_raises_the_same_alerts_with_presearch() -> None:
    rng = random.Random(99)
    watchlists = random_watchlists(rng, 200)
    with_presearch = AlertEngine(MemoryStore())
    without = AlertEngine(MemoryStore())
    live = WatchlistSet(watchlists)
    for index in range(40):
        tagged = random_article(rng, index)
        item = DedupedArticle(tagged, StoryRef(f"s{index % 7}", 1, [tagged.article.source]))
        assert with_presearch(item, live, "t") == without(item, list(watchlists), "t")


def test_the_index_follows_put_replace_and_remove() -> None:
    live = WatchlistSet()
    tagged = TaggedArticle(Article(id="a", title="Amber harbor", blocks=[Block("birch grove")]))
    base = build_document(tagged, [])
    live.put(Watchlist.from_dict({"id": "x", "query": "amber AND grove"}))
    assert [w.id for w in live.candidates(tagged, base)] == ["x"]
    live.put(Watchlist.from_dict({"id": "x", "query": "cedar"}))  # replaced: old keys gone
    assert live.candidates(tagged, base) == []
    assert live.presearch.groups_of("x") == [(("word", "cedar"),)]
    live.apply_record(b"x", b'{"id": "x", "query": "birch"}')
    assert [w.id for w in live.candidates(tagged, base)] == ["x"]
    live.apply_record(b"x", None)  # a tombstone
    assert live.candidates(tagged, base) == [] and live.get("x") is None
    assert live.presearch.groups_of("x") == []
    live.put(Watchlist.from_dict({"id": "n", "query": "NOT cedar"}))
    assert live.presearch.always == {"n"}
    live.remove("n")
    assert live.presearch.always == frozenset()


def test_candidates_come_in_the_order_a_full_scan_sees_them() -> None:
    live = WatchlistSet([Watchlist.from_dict({"id": i, "query": "amber"}) for i in ["c", "a", "b"]])
    live.put(Watchlist.from_dict({"id": "a", "query": "amber OR birch"}))  # a replace keeps its place
    tagged = TaggedArticle(Article(id="a", title="amber", blocks=[Block("x")]))
    assert [w.id for w in live.candidates(tagged, build_document(tagged, []))] == ["c", "a", "b"]


@pytest.mark.parametrize(
    ("data", "groups"),
    [
        ({"query": "Kremlin AND Iraq"}, [(("word", "kremlin"),), (("word", "iraq"),)]),
        ({"query": '"grain corridor"'}, [(("word", "grain"),), (("word", "corridor"),)]),
        ({"query": "grain OR wheat"}, [(("word", "grain"), ("word", "wheat"))]),
        ({"query": "reopen*"}, [(("prefix", "reopen"),)]),
        ({"query": "a NEAR/3 bc"}, [(("word", "a"),), (("word", "bc"),)]),
        ({"query": "grain AND NOT wheat"}, [(("word", "grain"),)]),
        ({"query": "NOT wheat"}, []),
        ({"query": "grain OR NOT wheat"}, []),
        (
            {"speakers": ["Sergei Lavrov"], "query": "quote:Syria"},
            [(("speaker", "lavrov"),), (("word", "syria"),)],
        ),
        ({"speakers": ["..."]}, []),
    ],
)
def test_required_groups(data: dict, groups: list) -> None:
    assert required_groups(Watchlist.from_dict({"id": "w", **data})) == groups


def test_presearch_stays_exact_while_watchlists_change_between_articles() -> None:
    # the index remembers per token which prefixes it starts with; watchlists put, replaced
    # and removed between articles (prefixes appearing and going) must not leave it stale
    rng = random.Random(23)
    pool = random_watchlists(rng, 400)
    live = WatchlistSet(pool[:100])
    current = {w.id: w for w in pool[:100]}
    matched = 0
    for index in range(120):
        churn(rng, rng.sample(pool, 6), live, current)
        prefix = Watchlist.from_dict({"id": f"p{index}", "query": f"{rng.choice(VOCABULARY)[:3]}*"})
        live.put(prefix)
        current[prefix.id] = prefix
        via_presearch, everything = results(list(current.values()), live, random_article(rng, index))
        assert sorted(via_presearch) == sorted(everything)
        matched += len(everything)
    assert matched > 0


def churn(rng: random.Random, watchlists: list[Watchlist], live: WatchlistSet, current: dict) -> None:
    """Removes about half of those in the set and puts the others (a replace, when present),
    in `live` and in `current`, the plain record of what it holds."""
    for watchlist in watchlists:
        if watchlist.id in current and rng.random() < 0.5:
            live.remove(watchlist.id)
            del current[watchlist.id]
        else:
            live.put(watchlist)
            current[watchlist.id] = watchlist
