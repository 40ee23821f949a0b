"""Every error message and limit of the watchlist language, and the traps on the seed
articles and on an HTML page through the whole pipeline: a term only in a navigation link, a
person mentioned but not quoted, a term inside another word, and a `quote:` term that only
another speaker said."""

from __future__ import annotations

from pathlib import Path

import pytest

from wirewatch.agents.alert import Watchlist, WatchlistError, WatchlistSet, load_watchlists, match
from wirewatch.agents.alert.query import (
    MAX_DEPTH,
    MAX_NEAR,
    MAX_QUERY_CHARS,
    MAX_TERMS,
    QueryError,
    parse_query,
)
from wirewatch.agents.parse import parse_record
from wirewatch.agents.pipeline import Pipeline
from wirewatch.agents.tag import Tagger
from wirewatch.streams.records import RawRecord, TaggedArticle

PARSE_INPUTS = Path(__file__).resolve().parents[1] / "data" / "parse" / "inputs"


@pytest.mark.parametrize(
    ("query", "position", "message"),
    [
        ("", 0, "empty query"),
        ("grain AND", 9, "the query ends where a term was expected"),
        ("OR grain", 0, "'OR' where a term was expected"),
        ("(grain OR wheat", 0, "missing ')' to close the '(' opened"),
        ("grain OR wheat)", 14, "unexpected ')'"),
        ("grain AND ()", 10, "empty parentheses"),
        ('grain "black sea', 6, "unclosed quotation mark"),
        ("colour:red", 0, "unknown field 'colour' (fields: title, body, source, entity, speaker, quote)"),
        ("title: OR grain", 7, "title: must be followed by a term, phrase or group"),
        ("gr*", 0, "a prefix needs at least 3 characters before '*'"),
        ('"black s*"', 0, "a prefix needs at least 3 characters before '*'"),
        ("gr*ain", 0, "'*' is only allowed at the end of a term"),
        ('"!!"', 0, "a term or phrase with no letters or digits"),
        ("grain NEAR wheat", 6, "NEAR needs a distance, as in NEAR/5"),
        ("grain NEAR/0 wheat", 6, f"NEAR distance must be between 1 and {MAX_NEAR}"),
        (f"grain NEAR/{MAX_NEAR + 1} wheat", 6, f"NEAR distance must be between 1 and {MAX_NEAR}"),
        ("(grain OR corn) NEAR/3 wheat", 16, "NEAR joins two terms or phrases, not groups or NOT"),
        ("entity:Iraq NEAR/3 wheat", 12, "NEAR works on text fields (title, body, quote)"),
        ("NOT grain NOT wheat", 0, "a query cannot consist only of NOT clauses"),
        (
            "(" * (MAX_DEPTH + 1) + "grain" + ")" * (MAX_DEPTH + 1),
            MAX_DEPTH,
            f"parentheses nested deeper than {MAX_DEPTH}",
        ),
    ],
)
def test_every_error_names_the_fault_and_its_position(query: str, position: int, message: str) -> None:
    with pytest.raises(QueryError) as info:
        parse_query(query)
    assert info.value.message == message
    assert info.value.position == position
    assert str(info.value).startswith(f"{message} at position {position}")
    if query:  # the message shows the query with a caret under the fault
        assert str(info.value).endswith(f"\n  {query}\n  {' ' * position}^")


def test_limits_accept_the_bound_and_refuse_one_more() -> None:
    parse_query(" OR ".join(f"t{i}" for i in range(MAX_TERMS)))
    with pytest.raises(QueryError, match=f"more than {MAX_TERMS} terms"):
        parse_query(" OR ".join(f"t{i}" for i in range(MAX_TERMS + 1)))
    parse_query("(" * MAX_DEPTH + "grain" + ")" * MAX_DEPTH)
    parse_query(f"grain NEAR/1 wheat AND grain NEAR/{MAX_NEAR} wheat")
    parse_query("gra*")
    with pytest.raises(QueryError, match=f"longer than {MAX_QUERY_CHARS} characters"):
        parse_query("grain " * (MAX_QUERY_CHARS // 6 + 1))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("just text", "a watchlist must be a mapping, got str"),
        ({"id": "a", "query": "x", "colour": "red"}, "unknown watchlist keys: colour"),
        ({"id": "has space", "query": "x"}, "watchlist id 'has space' must be 1-128 characters"),
        ({"id": "", "query": "x"}, "watchlist id '' must be 1-128 characters"),
        ({"id": "a"}, "watchlist 'a' needs a query, speakers, or both"),
        (
            {"id": "a", "query": "x AND"},
            "watchlist 'a': the query ends where a term was expected at position 5",
        ),
    ],
)
def test_watchlist_errors(data: object, message: str) -> None:
    with pytest.raises(WatchlistError) as info:
        Watchlist.from_dict(data)  # type: ignore[arg-type]
    assert str(info.value).startswith(message)


def test_files_are_read_with_a_safe_loader() -> None:
    with pytest.raises(WatchlistError, match="not valid YAML"):
        load_watchlists("watchlists:\n  - !!python/object/apply:os.system ['true']\n")
    with pytest.raises(WatchlistError, match="must hold a list under 'watchlists:'"):
        load_watchlists("watchlists: 7\n")
    assert [w.id for w in load_watchlists("- {id: a, query: x}\n")] == ["a"]


# --- traps on the seed articles ----------------------------------------------------------

SEED_TRAPS = """
watchlists:
  - {id: peskov, speakers: ['Dmitry Peskov']}
  - {id: biden-quoted, speakers: ['Joe Biden']}
  - {id: biden-reported, speakers: ['Joe Biden'], reported: true}
  - {id: peskov-on-war, speakers: ['Dmitry Peskov'], query: 'quote:war'}
  - {id: chepa-on-war, speakers: ['Alexei Chepa'], query: 'quote:war'}
  - {id: afghan, query: 'Afghan'}
  - {id: afghan-prefix, query: 'Afghan*'}
  - {id: taliban, query: 'Taliban'}
  - {id: kremlin-iraq, query: 'Kremlin AND Iraq'}
"""


@pytest.fixture(scope="module")
def seeds_tagged(seed_bytes: list[bytes]) -> dict[str, TaggedArticle]:
    tagger = Tagger()
    watchlists = load_watchlists(SEED_TRAPS)
    tagger.add_people(sorted({s for w in watchlists for s in w.speakers}))
    tagged = {}
    for raw in seed_bytes:
        (article,) = parse_record(RawRecord(value=raw, timestamp_ms=1_627_400_000_000)).articles
        tagged[article.source] = tagger(article)
    return tagged


def matching(seeds: dict[str, TaggedArticle], watchlist_id: str) -> dict[str, list[str]]:
    watchlist = next(w for w in load_watchlists(SEED_TRAPS) if w.id == watchlist_id)
    found = {}
    for source, tagged in seeds.items():
        result = match(watchlist, tagged)
        if result is not None:
            found[source] = sorted({q.speaker for q in result.quotes})
    return found


def test_seed_traps(seeds_tagged: dict[str, TaggedArticle]) -> None:
    assert len(seeds_tagged) == 2
    # the outlet that quotes two people, and the one that quotes only the spokesman
    first, second = sorted(seeds_tagged, key=lambda s: -len({q.speaker for q in seeds_tagged[s].quotes}))
    # both quote the spokesman
    assert set(matching(seeds_tagged, "peskov")) == {first, second}
    # the president is only reported ("said that ..."), never quoted
    assert matching(seeds_tagged, "biden-quoted") == {}
    assert set(matching(seeds_tagged, "biden-reported")) == {second}
    # the deputy's quotation says "war"; the spokesman's, in the same article, never does
    assert matching(seeds_tagged, "peskov-on-war") == {}
    assert matching(seeds_tagged, "chepa-on-war") == {first: ["Alexei Chepa"]}
    # a term inside another word does not match; the prefix does
    assert matching(seeds_tagged, "afghan") == {}
    assert set(matching(seeds_tagged, "afghan-prefix")) == {first, second}
    assert set(matching(seeds_tagged, "taliban")) == {second}
    assert set(matching(seeds_tagged, "kremlin-iraq")) == {first, second}


def test_a_term_only_in_navigation_links_raises_no_alert_through_the_pipeline() -> None:
    page = PARSE_INPUTS / "html-sidebar-trap.html"
    raw = page.read_bytes()
    assert b"Kremlin" in raw and b"Iraq" in raw  # present on the page, in nav and sidebar only
    watchlists = WatchlistSet(
        load_watchlists(
            "watchlists:\n  - {id: kremlin, query: 'Kremlin OR Iraq'}\n  - {id: snow, query: 'avalanche* AND Alps'}\n"
        )
    )
    outcome = Pipeline(watchlists).process(RawRecord(value=raw, key=page.name.encode(), offset=0))
    assert outcome.dead_letters == []
    assert [a.watchlist for a in outcome.alerts] == ["snow"]
