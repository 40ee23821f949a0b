"""The watchlist query language: operators, fields, limits and error positions."""

import pytest

from wirewatch.agents.alert.query import QueryError, parse_query, required_terms
from wirewatch.agents.alert.watchlists import Watchlist, WatchlistError, load_watchlists, match
from wirewatch.streams.records import Article, Block, Quotation, TaggedArticle


def article(
    title: str, *paragraphs: str, quotes: list[Quotation] | None = None, source: str = ""
) -> TaggedArticle:
    return TaggedArticle(
        Article(id="a", title=title, blocks=[Block(p) for p in paragraphs], source=source),
        quotes=quotes or [],
    )


DOC = article(
    "Ministers meet over grain exports",
    "The Black Sea grain corridor reopened on Monday, officials in Ankara said.",
    "Shipping insurers remained cautious about the route.",
    source="Harbour Ledger",
)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("grain AND corridor", True),
        ("grain corridor", True),
        ("grain AND wheat", False),
        ("grain OR wheat", True),
        ("grain AND NOT wheat", True),
        ("grain AND NOT insurers", False),
        ('"grain corridor"', True),
        ('"corridor grain"', False),
        ("reopen*", True),
        ("reop", False),
        ("grain NEAR/2 reopened", True),
        ("grain NEAR/1 reopened", False),
        ("title:grain", True),
        ("title:corridor", False),
        ("body:corridor", True),
        ("source:ledger", True),
        ("source:grain", False),
        ("(wheat OR maize) AND grain", False),
        ("(wheat OR insurers) AND grain", True),
        ("GRAIN", True),
        ("gra", False),  # a bare term matches whole words only
    ],
)
def test_operators_and_fields(query: str, expected: bool) -> None:
    found = match(Watchlist.from_dict({"id": "w", "query": query}), DOC)
    assert (found is not None) is expected


@pytest.mark.parametrize(
    ("query", "position", "fragment"),
    [
        ("Kremlin AND", 11, "ends where a term"),
        ("(Kremlin OR Iraq", 0, "missing ')'"),
        ("Kremlin OR Iraq)", 15, "unexpected ')'"),
        ('"Kremlin', 0, "unclosed quotation"),
        ("colour:red", 0, "unknown field"),
        ("ab*", 0, "at least 3"),
        ("a NEAR/0 b", 2, "NEAR distance"),
        ("a NEAR/500 b", 2, "NEAR distance"),
        ("NEAR b", 0, "NEAR needs a distance"),
        ("", 0, "empty query"),
        ("((((((((((a))))))))))", 8, "nested deeper"),
    ],
)
def test_errors_point_at_the_fault(query: str, position: int, fragment: str) -> None:
    with pytest.raises(QueryError) as info:
        parse_query(query)
    assert info.value.position == position
    assert fragment in str(info.value)


def test_term_limit() -> None:
    with pytest.raises(QueryError, match="more than 40 terms"):
        parse_query(" OR ".join(f"t{i}" for i in range(41)))


def test_required_terms_for_presearch() -> None:
    assert [t.words for t in required_terms(parse_query("Kremlin AND Iraq"))] in ([("kremlin",)], [("iraq",)])
    assert len(required_terms(parse_query("a OR b OR c"))) == 3
    assert required_terms(parse_query("NOT a")) is None


def test_speaker_watchlist_needs_a_quotation_not_a_mention() -> None:
    quoted = Quotation("Talks on Syria will resume.", "Sergei Lavrov", "person:sergei-lavrov", "said")
    other = Quotation("Syria is a priority.", "Someone Else", "person:someone-else", "said")
    watchlist = Watchlist.from_dict({"id": "l", "speakers": ["Sergei Lavrov"], "query": "quote:Syria"})
    mentioned = article("Lavrov in Ankara", "Sergei Lavrov met officials to discuss Syria.", quotes=[other])
    assert match(watchlist, mentioned) is None
    found = match(watchlist, article("Lavrov", "x", quotes=[quoted, other]))
    assert found is not None and [q.text for q in found.quotes] == [quoted.text]
    # the term only in another speaker's quote does not satisfy quote:
    wrong = Quotation("We discussed grain.", "Sergei Lavrov", "person:sergei-lavrov", "said")
    assert match(watchlist, article("L", "x", quotes=[wrong, other])) is None


def test_reported_speech_only_when_asked() -> None:
    said_that = Quotation(
        "talks would resume", "Sergei Lavrov", "person:sergei-lavrov", "said", kind="reported"
    )
    doc = TaggedArticle(Article(id="a", title="t", blocks=[Block("x")]), reported=[said_that])
    assert match(Watchlist.from_dict({"id": "a", "speakers": ["Sergei Lavrov"]}), doc) is None
    assert match(Watchlist.from_dict({"id": "a", "speakers": ["Sergei Lavrov"], "reported": True}), doc)


def test_watchlist_file_errors_are_actionable() -> None:
    with pytest.raises(WatchlistError, match=r"watchlist #2.*position"):
        load_watchlists("watchlists:\n  - {id: a, query: x}\n  - {id: b, query: 'x AND'}\n")
    with pytest.raises(WatchlistError, match="appears twice"):
        load_watchlists("watchlists:\n  - {id: a, query: x}\n  - {id: a, query: y}\n")
    with pytest.raises(WatchlistError, match=r"not valid YAML \(line 3, column 1\)"):
        load_watchlists("watchlists:\n  - id: [unclosed\n")
    with pytest.raises(WatchlistError, match="needs a query, speakers"):
        load_watchlists("watchlists:\n  - {id: a}\n")
