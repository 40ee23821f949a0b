"""Benchmark of watchlist matching: per-article time and presearch candidates at 100, 10,000
and 100,000 watchlists (smoke: 100 and 1,000).

The articles are the parse corpus (tests/data/parse/inputs), the sample articles, the
quotation and dedup corpora (tests/data/quotes, tests/data/dedup) and, when the folder
exists, the seeds, parsed and tagged once up front; the timed part is what the alert
stage does per article before its alert rules: build the article's document, ask the
WatchlistSet for presearch candidates, and evaluate each candidate (`match`).

Query generator (`generate_watchlists`, deterministic for a seed):

- vocabulary: the corpus's body and title tokens of at least 3 characters that are not pure
  digits, ranked by frequency, without those found in more than 10% of the articles (they
  stand in for stopwords, which no one puts on a watchlist); terms are drawn Zipf-like over that ranking, as
  Zipf-Mandelbrot with offset 100: the weight of the word of rank r is 1/(r + 100). (Plain 1/r
  on a corpus this small puts a handful of words in a third of all queries, and two such
  words in one article match hundreds of watchlists at 100,000: real watchlists are more
  specific than that.);
- each query has 2 to 6 distinct terms (uniform), joined by AND;
- of the terms: 10% are two-word phrases, two adjacent words of the corpus text that are
  both vocabulary words (a name or a collocation: "grain corridor"), drawn by occurrence;
  8% are prefixes of words of 6 letters or more, the word without its last 1-3 letters and
  at least 5 kept (`reopen*`: the forms of one word); 5% of the queries join two terms with
  NEAR/1-10, 5% put the first term in `title:`;
- 15% of the queries turn two terms into an OR group, 10% add a NOT clause;
- 8% of the watchlists are speaker watchlists, half of them with a `quote:` term; 1 in 20 of
  them names a person of the tag stage's knowledge base, the others a made-up two-word name
  (most people watched are not quoted in any given corpus);
- one watchlist in 5,000 is a pure NOT query, which presearch must evaluate for every article.

Times are the process's CPU time (one core), the median of at least 7 rounds per size, the
sizes' rounds taken in turn so that their ratio is measured under the same load. No faust
here: the numbers are the pure core's.

The generator was unsound before, and was fixed (not tuned) as follows: its phrases were any
two adjacent words, so most were stopword pairs ("of the", "said on") that match nearly every
article; its prefixes were any word cut to 4-6 letters ("pres*": president, press, presence),
which no one writes; and a query could repeat a term ("trade AND trade"). With those, about
56 of 100,000 watchlists matched each article; with the fixes, about 50, of which 20 are the
always-true `NOT word` queries: a corpus of a few hundred articles on a few subjects makes
Zipf-drawn conjunctions match far more often than a news vocabulary would.
"""

from __future__ import annotations

import bisect
import itertools
import random
import statistics
import time
from collections import Counter
from functools import cache
from pathlib import Path

import yaml

from wirewatch.agents.alert import Watchlist, WatchlistSet
from wirewatch.agents.alert.query import words
from wirewatch.agents.alert.watchlists import build_document, match
from wirewatch.agents.parse import parse_record
from wirewatch.agents.tag import Tagger
from wirewatch.agents.tag.kb import KnowledgeBase, shipped_kb
from wirewatch.streams.records import Article, Block, RawRecord, TaggedArticle

REPO = Path(__file__).resolve().parents[2]
CORPUS_DIRS = [
    REPO / "tests" / "data" / "parse" / "inputs",
    REPO / "tests" / "data" / "watchlists" / "articles",
    REPO / "streams" / "samples" / "articles",
    REPO.parent / "shared" / "seeds",
]
# labelled corpora of the other stages: articles as `title` + `paragraphs` in YAML
YAML_CORPORA = [
    REPO / "tests" / "data" / "quotes" / "corpus.yaml",
    REPO / "tests" / "data" / "dedup" / "corpus.yaml",
]
STOPWORD_SHARE = 0.10
ZIPF_OFFSET = 100
SEED = 20261122
WARM_OBSERVED = 512  # articles the presearch index has learned from before timing starts


def yaml_articles(path: Path) -> list[Article]:
    """The articles of a labelled YAML corpus (a list under `articles:` of title + paragraphs)."""
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text("utf-8")) or {}
    found = []
    for index, item in enumerate(data.get("articles") or []):
        if not isinstance(item, dict) or not item.get("title") or not item.get("paragraphs"):
            continue
        published = str(item.get("published") or "2024-01-01")
        if len(published) == 10:
            published += "T00:00:00Z"
        found.append(
            Article(
                id=f"{path.parent.name}-{item.get('id', index)}",
                title=str(item["title"]),
                blocks=[Block(str(p)) for p in item["paragraphs"]],
                source=str(item.get("source") or ""),
                published=published,
            )
        )
    return found


@cache
def benchmark_kb() -> KnowledgeBase:
    """The knowledge base this benchmark tags and draws people with, its own: the process's
    may hold people another benchmark's watchlists added (`default_kb`), and the figures must
    not depend on what ran before. Built once; nothing here adds people to it."""
    return shipped_kb()


def corpus_articles(dirs: list[Path] | None = None) -> list[TaggedArticle]:
    """Every article the corpus folders parse to, and those of the YAML corpora, tagged once
    (with `benchmark_kb`)."""
    tagger = Tagger(benchmark_kb())
    tagged = []
    for path in YAML_CORPORA if dirs is None else []:
        tagged += [tagger(article) for article in yaml_articles(path)]
    for folder in dirs or CORPUS_DIRS:
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            record = RawRecord(
                value=path.read_bytes(),
                key=path.name.encode(),
                headers={"filename": path.name},
                timestamp_ms=1_700_000_000_000,
            )
            try:
                parsed = parse_record(record)
            except Exception:  # the corpus holds broken inputs on purpose
                continue
            tagged += [tagger(article) for article in parsed.articles]
    return tagged


class QueryGenerator:
    """Draws watchlists from a corpus as the module docstring states."""

    def __init__(self, articles: list[TaggedArticle], people: list[str], seed: int = SEED) -> None:
        self.random = random.Random(seed)
        counts: Counter[str] = Counter()
        in_articles: Counter[str] = Counter()
        self.sentences: list[list[str]] = []
        for tagged in articles:
            seen: set[str] = set()
            for text in [tagged.article.title, *(b.text for b in tagged.article.blocks)]:
                tokens = words(text)
                self.sentences.append(tokens)
                kept = [t for t in tokens if len(t) >= 3 and not t.isdigit()]
                counts.update(kept)
                seen.update(kept)
            in_articles.update(seen)
        common = len(articles) * STOPWORD_SHARE
        ranked = [word for word, _ in counts.most_common() if in_articles[word] <= common]
        self.vocabulary = ranked
        self.cumulative = list(
            itertools.accumulate(1.0 / (rank + ZIPF_OFFSET) for rank in range(1, len(ranked) + 1))
        )
        self.people = people
        # phrases: two adjacent words of the text that are both vocabulary words (a name or a
        # collocation, "grain corridor"), each occurrence one draw, so frequent ones come
        # often; any adjacent pair would be mostly stopword pairs ("of the") that no one watches
        kept = set(ranked)
        self.bigrams = sorted(
            (a, b)
            for tokens in self.sentences
            for a, b in itertools.pairwise(tokens)
            if a in kept and b in kept
        )

    def word(self) -> str:
        pick = self.random.random() * self.cumulative[-1]
        return self.vocabulary[bisect.bisect_left(self.cumulative, pick)]

    def term(self) -> str:
        roll = self.random.random()
        if roll < 0.10:
            return '"' + " ".join(self.random.choice(self.bigrams)) + '"'
        word = self.word()
        if roll < 0.18 and len(word) >= 6:
            # a prefix catches the forms of one word (reopen*: reopens, reopened), as people
            # write them: the word without its last 1-3 letters, at least 5 kept
            return word[: self.random.randint(max(5, len(word) - 3), len(word) - 1)] + "*"
        return word

    def query(self) -> str:
        count = self.random.randint(2, 6)
        terms: list[str] = []
        while len(terms) < count:  # distinct terms: "trade AND trade" is one term
            term = self.term()
            if term not in terms:
                terms.append(term)
        if self.random.random() < 0.05:
            terms[0] = f"title:{terms[0]}"
        if self.random.random() < 0.05:
            terms[-2:] = [f"{terms[-2].removeprefix('title:')} NEAR/{self.random.randint(1, 10)} {terms[-1]}"]
        if len(terms) >= 3 and self.random.random() < 0.15:
            terms[1:3] = [f"({terms[1]} OR {terms[2]})"]
        if self.random.random() < 0.10:
            terms.append(f"NOT {self.word()}")
        return " AND ".join(terms)

    def watchlist(self, index: int) -> Watchlist:
        ident = f"w{index}"
        if index % 5000 == 4999:
            return Watchlist.from_dict({"id": ident, "query": f"NOT {self.word()}"})
        if self.random.random() < 0.08:
            # most people watched are not quoted in this corpus: a made-up name, else a person
            # the knowledge base knows
            if self.random.random() < 0.05:
                person = self.random.choice(self.people)
            else:
                person = f"{self.word().title()} {self.word().title()}"
            data: dict[str, object] = {"id": ident, "speakers": [person]}
            if self.random.random() < 0.5:
                data["query"] = f"quote:{self.word()}"
            return Watchlist.from_dict(data)
        return Watchlist.from_dict({"id": ident, "query": self.query()})


def known_people(tagger: Tagger | None = None) -> list[str]:
    kb = tagger.kb if tagger is not None else benchmark_kb()
    return sorted({name for name, kind in kb.names.values() if kind == "person"})


def generate_watchlists(
    count: int, articles: list[TaggedArticle], seed: int = SEED, people: list[str] | None = None
) -> list[Watchlist]:
    generator = QueryGenerator(articles, people if people is not None else known_people(), seed)
    return [generator.watchlist(i) for i in range(count)]


def match_articles(watchlists: WatchlistSet, articles: list[TaggedArticle]) -> tuple[int, int]:
    """What the alert stage does before its rules; returns (candidates, matches) summed."""
    candidates = matches = 0
    for tagged in articles:
        base = build_document(tagged, [q for q in tagged.quotes if q.speaker])
        chosen = watchlists.candidates(tagged, base)
        candidates += len(chosen)
        for watchlist in chosen:
            if match(watchlist, tagged, base) is not None:
                matches += 1
    return candidates, matches


def measure(smoke: bool = False) -> dict[str, float]:
    """Every size's set is built and warmed first; then the rounds (one pass over the articles
    each) are taken in turn, one of each size after the other, so the sizes see the same load
    on the machine and their ratio is fair; each size's figure is its median round."""
    articles = corpus_articles()
    people = known_people()
    sizes = [100, 1_000] if smoke else [100, 10_000, 100_000]
    generator = QueryGenerator(articles, people, SEED)
    pool = [generator.watchlist(i) for i in range(max(sizes))]
    results: dict[str, float] = {"match.corpus articles": float(len(articles))}
    min_seconds = 0.3 if smoke else 2.0
    min_rounds = 3 if smoke else 7
    sets: dict[int, WatchlistSet] = {}
    for size in sizes:
        started = time.perf_counter()
        watchlists = sets[size] = WatchlistSet(pool[:size])
        results[f"match.{size} index build s"] = time.perf_counter() - started
        # warm up: the caches, and the index's learning of which words are rare (its
        # re-filing after 32, 128 and 512 observed articles is a start-up cost, timed apart;
        # the later ones, after 2,048 and then every 4,096, are rare and cheap)
        started = time.process_time()
        match_articles(watchlists, articles)
        while watchlists.presearch.observed < WARM_OBSERVED:
            match_articles(watchlists, articles)
        results[f"match.{size} warm-up s"] = time.process_time() - started
    rounds: dict[int, list[float]] = {size: [] for size in sizes}
    found = {size: [0, 0] for size in sizes}  # candidates, matches
    while any(len(taken) < min_rounds or sum(taken) < min_seconds for taken in rounds.values()):
        for size in sizes:
            # CPU time of this process: the figure is per core, and on a shared machine
            # the time other processes hold the core is not ours
            started = time.process_time()
            candidates, matches = match_articles(sets[size], articles)
            rounds[size].append(time.process_time() - started)
            found[size][0] += candidates
            found[size][1] += matches
    for size in sizes:
        done = len(rounds[size]) * len(articles)
        per_article = statistics.median(rounds[size]) / len(articles)
        results[f"match.{size} articles/s"] = 1.0 / per_article
        results[f"match.{size} us/article"] = per_article * 1e6
        results[f"match.{size} rounds"] = float(len(rounds[size]))
        results[f"match.{size} candidates/article"] = found[size][0] / done
        results[f"match.{size} always-evaluate"] = float(len(sets[size].presearch.always))
        results[f"match.{size} matches/article"] = found[size][1] / done
    low, high = sizes[0], sizes[-1]
    results[f"match.{high}/{low} time ratio"] = (
        results[f"match.{high} us/article"] / results[f"match.{low} us/article"]
    )
    return results


if __name__ == "__main__":
    import sys

    for name, value in measure(smoke="--smoke" in sys.argv).items():
        print(f"{name:40s} {value:12.2f}")
