"""Benchmark of the default tagging path (knowledge base + quote attribution, no NER model):
articles per second on one core on seed-sized articles, and the memory of a knowledge base
with 100,000 aliases.

The articles are seed-sized (about 2,500 characters in 8 to 11 paragraphs, like the two seed
articles) and built from the labelled quotation corpus's paragraphs, shuffled, so they carry
the names, roles and quotations the tagger works on. The 100,000-alias knowledge base is
synthetic: generated people with a full name and a surname each, a dated role every tenth
person, on top of the shipped data files. Memory is what tracemalloc sees allocated while
building it (the Python objects) plus what the process's resident memory grows by while its
automaton is built (ahocorasick_rs allocates outside Python's allocator, so tracemalloc does not
see it).

These seed-sized draws are denser in quotations than the seeds (about 13 an article against the
seeds' 7 and 4): every corpus paragraph was written around a hard case. Two more rates put
them in context, from the same tagger: the two seed articles themselves (when ../shared/seeds
is beside the repository), and everyday copy, the articles of the held-out quotation sets
(tests/data/quotes/heldout*.yaml: news copy written apart from the rules, about 7 quotations an
article, median body 1,865 characters, shorter than the seeds).

When the tag stage is compiled (setup.py), its plain-Python source is timed too, in the same
run, the two taking turns (`tag plain-Python articles/s`, and the ratio of the two).
No faust. Run alone: `python -m tests.benchmarks.stage_tag [--smoke]`.
"""

from __future__ import annotations

import os
import random
import statistics
import string
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import yaml

from tests.benchmarks.stage_match import yaml_articles
from wirewatch.agents import compiled
from wirewatch.agents.parse import parse_bytes
from wirewatch.agents.tag import Tagger
from wirewatch.agents.tag.kb import _load, load_kb
from wirewatch.agents.tag.quotes import WORDS
from wirewatch.streams.records import Article, Block

CORPUS = Path(__file__).resolve().parents[1] / "data" / "quotes" / "corpus.yaml"
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
SEED_CHARS = 2_500  # the seed articles' bodies are 2,348 and 2,582 characters
KB_ALIASES = 100_000


def seed_sized_articles(count: int, seed: int = 11) -> list[Article]:
    """Articles of about seed size, each a random draw of corpus paragraphs."""
    entries = yaml.safe_load(CORPUS.read_text("utf-8"))["articles"]
    rng = random.Random(seed)
    articles = []
    for number in range(count):
        entry = rng.choice(entries)
        paragraphs = list(entry["paragraphs"])
        size = sum(map(len, paragraphs))
        # topped up a paragraph at a time, in order, from other articles: adding whole
        # articles overshot to about 3,000 characters and 19 paragraphs
        while size < SEED_CHARS:
            for paragraph in rng.choice(entries)["paragraphs"]:
                paragraphs.append(paragraph)
                size += len(paragraph)
                if size >= SEED_CHARS:
                    break
        articles.append(
            Article(
                id=f"bench-{number}",
                title=entry["title"],
                blocks=[Block(p) for p in paragraphs],
                published=f"{entry['published']}T00:00:00Z",
            )
        )
    return articles


def everyday_articles() -> list[Article]:
    """The articles of the held-out quotation sets: everyday news copy, written apart from the rules."""
    return [
        article for path in sorted(CORPUS.parent.glob("heldout*.yaml")) for article in yaml_articles(path)
    ]


def seed_articles() -> list[Article]:
    """The two seed articles, parsed as the pipeline parses them; none when the folder is absent."""
    if not SEEDS.is_dir():
        return []
    return [
        article
        for path in sorted(SEEDS.glob("*.txt"))
        for article in parse_bytes(path.read_bytes(), origin=path.name).articles
    ]


def body_chars(article: Article) -> int:
    return sum(len(block.text) for block in article.blocks)


def articles_per_second(
    tagger: Callable[[Article], object], articles: list[Article], min_seconds: float
) -> float:
    """Articles per CPU second of this process: one core, and fair on a machine whose other
    core is busy (wall time there measures the neighbours too)."""
    for article in articles[:20]:  # warm up: the automaton is built on first use
        tagger(article)
    done, started = 0, time.process_time()
    while True:
        for article in articles:
            tagger(article)
        done += len(articles)
        elapsed = time.process_time() - started
        if elapsed >= min_seconds:
            return done / elapsed


def synthetic_people(aliases: int, seed: int = 3) -> list[dict]:
    """People with a generated full name and surname: two aliases each."""
    rng = random.Random(seed)
    people = []
    for number in range(aliases // 2):
        first = "".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 8))).title()
        last = "".join(rng.choices(string.ascii_lowercase, k=rng.randint(5, 10))).title() + f"{number:x}"
        person: dict = {"name": f"{first} {last}", "gender": rng.choice("mf"), "aliases": [last]}
        if number % 10 == 0:
            person["roles"] = [{"role": f"Minister of Synthetic Affairs {number}", "from": "2020-01-01"}]
        people.append(person)
    return people


def resident_bytes() -> int:
    """This process's resident memory (Linux; 0 elsewhere)."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def knowledge_base_megabytes(aliases: int) -> tuple[float, int]:
    """Memory of a knowledge base with `aliases` generated aliases on top of the shipped data,
    and the number of patterns its automaton searches for."""
    people = synthetic_people(aliases) + _load("people.yaml")["people"]
    organisations, places = _load("organisations.yaml")["organisations"], _load("places.yaml")
    tracemalloc.start()
    kb = load_kb(people, organisations, places)
    kb.add_words(WORDS)  # as a Tagger does
    allocated, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    before = resident_bytes()
    kb.automaton  # noqa: B018 -- built here: its memory is outside Python's allocator
    return (allocated + resident_bytes() - before) / 1e6, kb.pattern_count


def measure(smoke: bool = False) -> dict[str, float]:
    articles = seed_sized_articles(50 if smoke else 400)
    seconds = 0.2 if smoke else 5.0
    plain: dict[str, float] = {}
    if compiled.compiled():
        # the compiled tagger and its source take turns, so both see the same load
        with tempfile.TemporaryDirectory() as directory:
            source = compiled.plain_package("tag", "plain_tag_bench", Path(directory))
            taggers = {"compiled": Tagger(), "plain": source.Tagger()}
            rates: dict[str, list[float]] = {name: [] for name in taggers}
            for _ in range(3):
                for name, tagger in taggers.items():
                    rates[name].append(articles_per_second(tagger, articles, seconds / 3))
        rate = statistics.median(rates["compiled"])
        plain_rate = statistics.median(rates["plain"])
        plain = {
            "tag plain-Python articles/s": round(plain_rate, 1),
            "tag compiled / plain": round(rate / plain_rate, 2),
        }
    else:
        rate = articles_per_second(Tagger(), articles, seconds)
    tagger = Tagger()
    context: dict[str, float] = {
        "tag quotations/article": round(statistics.mean(len(tagger(a).quotes) for a in articles), 1),
    }
    for name, sample in (("seed articles", seed_articles()), ("everyday copy", everyday_articles())):
        if not sample:
            continue
        context[f"tag articles/s, {name}"] = round(articles_per_second(tagger, sample, seconds / 2), 1)
        context[f"tag quotations/article, {name}"] = round(
            statistics.mean(len(tagger(a).quotes) for a in sample), 1
        )
        context[f"tag median chars, {name}"] = float(statistics.median(map(body_chars, sample)))
    megabytes, surfaces = knowledge_base_megabytes(2_000 if smoke else KB_ALIASES)
    return {
        "tag articles/s": round(rate, 1),
        "tag ms/article": round(1000 / rate, 3),
        **plain,
        **context,
        "tag KB 100k aliases MB" if not smoke else "tag KB 2k aliases MB (smoke)": round(megabytes, 1),
        "tag KB surfaces": float(surfaces),
    }


if __name__ == "__main__":
    for key, value in measure(smoke="--smoke" in sys.argv).items():
        print(f"{key}: {value}")
