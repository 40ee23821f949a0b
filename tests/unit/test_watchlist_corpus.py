"""The watchlist language on a corpus of our own (tests/data/watchlists/corpus.yaml): each
watchlist must match exactly the articles the file lists, through a full evaluation and
through presearch alike."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from wirewatch.agents.alert import Watchlist, WatchlistSet
from wirewatch.agents.alert.watchlists import build_document, match
from wirewatch.agents.tag import Tagger
from wirewatch.streams.records import Article, Block, TaggedArticle

CORPUS = Path(__file__).resolve().parents[1] / "data" / "watchlists" / "corpus.yaml"
DATA = yaml.safe_load(CORPUS.read_text("utf-8"))
WATCHLISTS = [
    Watchlist.from_dict({k: v for k, v in item.items() if k != "expect"}) for item in DATA["watchlists"]
]
EXPECTED = {item["id"]: set(item["expect"]) for item in DATA["watchlists"]}


@pytest.fixture(scope="module")
def tagged_corpus() -> dict[str, TaggedArticle]:
    tagger = Tagger()
    tagger.add_people(sorted({s for w in WATCHLISTS for s in w.speakers}))
    return {
        item["id"]: tagger(
            Article(
                id=item["id"],
                title=item["title"],
                blocks=[Block(p) for p in item["paragraphs"]],
                source=item["source"],
                published=item["published"],
            )
        )
        for item in DATA["articles"]
    }


@pytest.mark.parametrize("watchlist", WATCHLISTS, ids=[w.id for w in WATCHLISTS])
def test_each_watchlist_matches_exactly_its_articles(watchlist: Watchlist, tagged_corpus) -> None:
    matched = {aid for aid, tagged in tagged_corpus.items() if match(watchlist, tagged) is not None}
    assert matched == EXPECTED[watchlist.id]


def test_presearch_gives_the_same_matches_as_evaluating_all(tagged_corpus) -> None:
    watchlists = WatchlistSet(WATCHLISTS)
    for aid, tagged in tagged_corpus.items():
        base = build_document(tagged, [q for q in tagged.quotes if q.speaker])
        via_presearch = {w.id for w in watchlists.candidates(tagged, base) if match(w, tagged, base)}
        everything = {w.id for w in WATCHLISTS if match(w, tagged)}
        assert via_presearch == everything == {w for w, ids in EXPECTED.items() if aid in ids}


def test_quote_evidence_is_the_speakers_own_quotation(tagged_corpus) -> None:
    reyes = next(w for w in WATCHLISTS if w.id == "speaker-own-quote")
    found = match(reyes, tagged_corpus["port-talks"])
    assert found is not None
    assert [q.speaker for q in found.quotes] == ["Tomas Reyes"]
    assert "contracts" in found.quotes[0].text
    assert found.matched == ["speaker:Tomas Reyes", "quote:contracts"]
