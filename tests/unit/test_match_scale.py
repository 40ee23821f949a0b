"""The shortcuts that make matching fast give exactly what the plain definitions give: the
tokenizer that lowers whole texts, the compiled queries, the speaker keys, and the presearch
index of speakers (people spelt by full name, surname, initial, one word, in quotations and in
reported speech), checked against evaluating every watchlist."""

from __future__ import annotations

import random
import re

import pytest

from tests.unit.test_presearch import VOCABULARY, random_article, random_query, random_watchlists
from wirewatch.agents.alert import Watchlist, WatchlistSet
from wirewatch.agents.alert.query import (
    Document,
    FieldText,
    Node,
    compile_query,
    evaluate,
    parse_query,
    words,
)
from wirewatch.agents.alert.watchlists import build_document, match, speaker_key
from wirewatch.streams.records import Article, Block, Quotation, TaggedArticle

_WORD = re.compile(r"[\w]+(?:['’.\-][\w]+)*", re.UNICODE)


def words_one_by_one(text: str) -> list[str]:
    """The tokenizer's definition: cut the words, then lower each one."""
    return [w.replace("’", "'").lower() for w in _WORD.findall(text)]


TRICKY = "aZ9 _'’.-\u0130\u03a3\u03c3\u03c2\u00df\u1e9e\u212a\u2160\u24b6\u0345\u0307éÉ\u00a0,;\n"


@pytest.mark.parametrize("seed", range(3))
def test_words_cuts_and_lowers_as_word_by_word(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(3000):
        text = "".join(rng.choice(TRICKY) for _ in range(rng.randint(0, 24)))
        assert words(text) == words_one_by_one(text), text
    for text in ["Ali İnönü’s ΟΔΟΣ.Α and ΠΑΣ", "al-Kadhimi U.S. Russia’s", "plain ascii, Text."]:
        assert words(text) == words_one_by_one(text)


def surname_rule(speaker: str, wanted: list[str]) -> bool:
    """How a speaker watchlist compares names: equal full names, or (both of several words)
    the same surname and first initial."""
    name = " ".join(words(speaker))
    names = {" ".join(words(w)) for w in wanted}
    if name in names:
        return True
    parts = name.split()
    for other in (n.split() for n in names):
        if len(parts) > 1 and len(other) > 1 and parts[-1] == other[-1] and parts[0][0] == other[0][0]:
            return True
    return False


NAMES = [
    "Ana Lind",
    "A. Lind",
    "Anders Lind",
    "Bo Lind",
    "Lind",
    "lind",
    "ANA LIND",
    "Ana Maria Lind",
    "..",
    "",
]


def test_speaker_keys_agree_exactly_with_the_name_rule() -> None:
    for speaker in NAMES:
        for wanted in NAMES:
            if not wanted:
                continue
            same_key = speaker_key(speaker) == speaker_key(wanted)
            assert same_key is surname_rule(speaker, [wanted]), (speaker, wanted)


def random_document(rng: random.Random, index: int) -> Document:
    tagged = random_article(rng, index)
    return build_document(tagged, [q for q in tagged.quotes if q.speaker])


@pytest.mark.parametrize("seed", range(3))
def test_compiled_queries_match_and_explain_as_the_tree_walk(seed: int) -> None:
    rng = random.Random(seed)
    documents = [random_document(rng, i) for i in range(30)]
    checked = held = 0
    for _ in range(400):
        try:
            node = parse_query(random_query(rng))
        except ValueError:
            continue
        explained = explained_alike(node, documents)
        checked += len(explained)
        held += sum(matched is not None for matched in explained)
    assert checked > 5000 and 0 < held < checked


def explained_alike(node: Node, documents: list[Document]) -> list[list[str] | None]:
    """Checks that the compiled query holds where the tree walk does, naming the same clauses,
    on each document; returns what matched on each (None where the query does not hold)."""
    compiled = compile_query(node)
    explained: list[list[str] | None] = []
    for doc in documents:
        by_tree: list[str] = []
        by_compiled: list[str] = []
        result = evaluate(node, doc, by_tree)
        assert compiled.holds(doc, by_compiled) is result
        assert by_compiled == by_tree
        explained.append(by_tree if result else None)
    return explained


@pytest.mark.parametrize("seed", range(3))
def test_conjunctions_of_bare_words_explain_as_the_tree_walk(seed: int) -> None:
    # the commonest watchlist shape, which the compiled form decides with one set test
    rng = random.Random(seed)
    documents = [random_document(rng, i) for i in range(30)]
    held = 0
    for _ in range(200):
        terms = rng.sample(VOCABULARY, rng.randint(2, 5))
        if rng.random() < 0.3:  # some with a phrase or a field among them: the general path
            terms.insert(rng.randint(0, len(terms)), rng.choice(['"amber birch"', "title:cedar", "gro*"]))
        explained = explained_alike(parse_query(" AND ".join(terms)), documents)
        held += sum(matched is not None and len(matched) > 1 for matched in explained)
    assert held > 50


@pytest.mark.parametrize("seed", range(3))
def test_near_of_phrases_prefixes_and_fields_explains_as_the_tree_walk(seed: int) -> None:
    # the compiled NEAR measures distance on the joined text: words apart within a paragraph,
    # never across two; the same word on both sides; phrases and prefixes on either side
    rng = random.Random(seed)
    documents = [random_document(rng, i) for i in range(30)]
    documents.append(build_document(random_article(rng, 99), []))
    documents[-1].fields["title"] = FieldText([words("nothing here")])
    documents[-1].fields["body"] = FieldText([words("amber birch cedar ember"), words("delta amber")])

    def side() -> str:
        roll = rng.random()
        word = rng.choice(VOCABULARY)
        if roll < 0.25:
            return f'"{word} {rng.choice(VOCABULARY)}"'
        if roll < 0.45:
            return f"{word[: rng.randint(3, len(word))]}*"
        return word

    held = missed = 0
    for _ in range(300):
        field = rng.choice(["", "", "title:", "body:", "quote:"])
        query = f"{field}{side()} NEAR/{rng.randint(1, 5)} {side()}"
        for matched in explained_alike(parse_query(query), documents):
            held += matched is not None
            missed += matched is None
    for query, holds in [
        ("amber NEAR/1 amber", True),  # one occurrence is both sides
        ("birch NEAR/1 amber", True),
        ("ember NEAR/2 amber", False),  # three words apart
        ("ember NEAR/3 delta", False),  # the next paragraph's first word
        ("delta NEAR/1 amb*", True),
        ('"cedar ember" NEAR/2 "amber birch"', True),
    ]:
        assert (explained_alike(parse_query(query), documents[-1:])[0] is not None) is holds, query
    assert held > 100 and missed > 100


@pytest.mark.parametrize("seed", range(3))
def test_matched_names_each_clause_once(seed: int) -> None:
    # `match` de-duplicates only queries that can repeat a clause; every query must come out as
    # the tree walk's clauses with repeats dropped
    rng = random.Random(seed)
    articles = [random_article(rng, i) for i in range(20)]
    queries = [random_query(rng) for _ in range(300)]
    queries += [
        "amber AND (amber OR birch)",
        "(amber OR birch) AND (birch OR cedar)",
        "amber NEAR/3 birch OR amber",
    ]
    repeated = 0
    for query in queries:
        try:
            watchlist = Watchlist.from_dict({"id": "w", "query": query})
        except ValueError:
            continue
        for tagged in articles:
            document = build_document(tagged, [q for q in tagged.quotes if q.speaker])
            found = match(watchlist, tagged, document)
            by_tree: list[str] = []
            assert watchlist.ast is not None
            if not evaluate(watchlist.ast, document, by_tree):
                assert found is None
                continue
            assert found is not None and found.matched == list(dict.fromkeys(by_tree))
            repeated += len(set(by_tree)) < len(by_tree)
    assert repeated > 10


def test_field_text_shortcuts_find_the_same_places() -> None:
    text = FieldText([words("the grain corridor reopened"), words("grain exports, grain prices")])
    term = parse_query('"grain corridor"')
    assert text.positions(term) == [(0, 1)]  # type: ignore[arg-type]
    assert text.positions(parse_query("grain")) == [(0, 1), (1, 0), (1, 2)]  # type: ignore[arg-type]
    assert text.positions(parse_query("gra*")) == [(0, 1), (1, 0), (1, 2)]  # type: ignore[arg-type]
    assert text.positions(parse_query('"grain wheat"')) == []  # type: ignore[arg-type]
    assert not text.occurs(parse_query("reopen"))  # type: ignore[arg-type]
    assert text.occurs(parse_query("reopen*"))  # type: ignore[arg-type]


SPELLINGS = ["Ana Lind", "A. Lind", "Anders Lind", "Lind", "Bo Varga", "B Varga", "Varga", "Cy Moreau", "..."]


def article_with_speakers(rng: random.Random, index: int) -> TaggedArticle:
    tagged = random_article(rng, index)
    said = [Quotation("amber birch grove", rng.choice([*SPELLINGS, ""]), "", "said") for _ in range(3)]
    reported = [
        Quotation("cedar delta", rng.choice(SPELLINGS), "", "said", kind="reported")
        for _ in range(rng.randint(0, 2))
    ]
    return TaggedArticle(
        tagged.article, tagged.entities, said[: rng.randint(0, 3)] + tagged.quotes, tagged.reported + reported
    )


@pytest.mark.parametrize("seed", range(3))
def test_the_speaker_index_never_misses_a_match(seed: int) -> None:
    rng = random.Random(seed)
    watchlists = []
    for i in range(300):
        data: dict[str, object] = {
            "id": f"w{i}",
            "speakers": rng.sample(SPELLINGS, rng.randint(1, 2)),
            "reported": rng.random() < 0.4,
        }
        if rng.random() < 0.4:
            data["query"] = rng.choice(["quote:amber", "quote:cedar", "birch", "quote:grov*", "NOT ember"])
        watchlists.append(Watchlist.from_dict(data))
    live = WatchlistSet(watchlists)
    found = candidates = 0
    for index in range(80):
        tagged = article_with_speakers(rng, index)
        base = build_document(tagged, [q for q in tagged.quotes if q.speaker])
        via_index = [(w, match(w, tagged, base)) for w in live.candidates(tagged, base)]
        everything = [(w, match(w, tagged)) for w in watchlists]
        assert [(w.id, m) for w, m in via_index if m] == [(w.id, m) for w, m in everything if m]
        # the index is exact for people: a speakers-only candidate always matches
        assert all(m is not None for w, m in via_index if not w.query)
        found += sum(1 for _, m in everything if m)
        candidates += len(via_index)
    assert found > 100
    assert candidates < 300 * 80


def test_a_speaker_watchlist_is_a_candidate_only_where_its_person_speaks() -> None:
    live = WatchlistSet(
        [
            Watchlist.from_dict({"id": "lind", "speakers": ["Ana Lind"]}),
            Watchlist.from_dict({"id": "lind-reported", "speakers": ["Ana Lind"], "reported": True}),
        ]
    )

    def ids(quotes: list[Quotation], reported: list[Quotation]) -> list[str]:
        tagged = TaggedArticle(
            Article(id="a", title="t", blocks=[Block("x")]), quotes=quotes, reported=reported
        )
        return [w.id for w in live.candidates(tagged, build_document(tagged, quotes))]

    assert ids([Quotation("x", "Bo Lind", "", "said")], []) == []  # same surname, other person
    assert ids([Quotation("x", "A. Lind", "", "said")], []) == ["lind", "lind-reported"]
    assert ids([], [Quotation("x", "Ana Lind", "", "said", kind="reported")]) == ["lind-reported"]


def test_refiling_under_rarer_words_changes_no_result() -> None:
    # two long words in every article, a short one in a few: filed first under the two long
    # ones (the longest guess the rarest), the watchlists move once the set has seen articles
    watchlists = [
        Watchlist.from_dict({"id": f"w{i}", "query": f"alwayshere everywhere r{i % 3} AND NOT x{i}"})
        for i in range(30)
    ] + [
        Watchlist.from_dict({"id": f"v{i}", "query": f"alwayshere AND (r{i % 3} OR r9) AND everywhere"})
        for i in range(30)
    ]
    live = WatchlistSet(watchlists)
    rng = random.Random(5)

    def article(index: int) -> TaggedArticle:
        extra = [f"r{index % 3}"] if index % 5 == 0 else []
        body = " ".join(["alwayshere everywhere", *extra, *rng.sample([f"x{i}" for i in range(30)], 3)])
        return TaggedArticle(Article(id=f"a{index}", title="t", blocks=[Block(body)]))

    hits_before = []
    for index in range(40):
        tagged = article(index)
        live.candidates(tagged, build_document(tagged, []))
        hits_before.append(live.presearch.stats.index_hits)
    assert hits_before[0] == 60  # every watchlist, under the pair of long words
    live.presearch.rebalance()
    for w in watchlists:
        assert ("word", "everywhere") not in live.presearch.groups_of(w.id)[0]
    hits_after = []
    for index in range(40, 80):
        tagged = article(index)
        base = build_document(tagged, [])
        via_index = [(w.id, match(w, tagged, base)) for w in live.candidates(tagged, base)]
        hits_after.append(live.presearch.stats.index_hits)
        everything = [(w.id, match(w, tagged)) for w in watchlists]
        assert [x for x in via_index if x[1]] == [x for x in everything if x[1]]
        assert any(m for _, m in everything) is (index % 5 == 0)
    assert sum(hits_after) / 40 < 60 / 4


def test_the_index_is_empty_after_removing_refiled_and_paired_watchlists() -> None:
    rng = random.Random(11)
    watchlists = [
        Watchlist.from_dict(
            {
                "id": f"w{i}",
                "query": f"{rng.choice(VOCABULARY)} AND ({rng.choice(VOCABULARY)} OR {rng.choice(VOCABULARY)})",
            }
        )
        for i in range(100)
    ] + random_watchlists(rng, 200)
    live = WatchlistSet(watchlists)
    for index in range(100):  # observed and re-filed along the way
        tagged = random_article(rng, index)
        live.candidates(tagged, build_document(tagged, [q for q in tagged.quotes if q.speaker]))
    live.presearch.rebalance()
    for watchlist in watchlists:
        live.remove(watchlist.id)
    index = live.presearch
    assert not index._pairs and not any(index._tables.values()) and not index.always
    assert not index._filed and not index._groups and not index._prefix_lengths
