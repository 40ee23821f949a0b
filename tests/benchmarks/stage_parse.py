"""Benchmark of the parse stage: articles per second on one core, per input format.

The inputs are the labelled parse corpus (tests/data/parse/inputs), grouped by the format
expected.yaml gives them; inputs that only produce dead letters (empty, binary, unsafe or
broken files) are left out, so the figure is the cost of producing an article. Each format's
inputs go through `parse_bytes` in a loop for about 2 s (smoke: about 0.1 s) after one warm-up
pass, in this one process and thread, timed in process CPU time, so the figure is one core's
work whatever else the machine is doing. No faust here.

With --corpus it also gives milliseconds per article on the pipeline's benchmark corpus
(tests/benchmarks/corpus.py, the records the stage-core figures of `make bench` use), per
format and on average over the corpus's mix: the best of a few passes, so that a busy machine
inflates it less.

    python -m tests.benchmarks.stage_parse [--smoke] [--corpus]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import yaml

from tests.benchmarks.corpus import generate
from wirewatch.agents.parse import parse_bytes

CORPUS = Path(__file__).resolve().parents[1] / "data" / "parse"
FORMATS = ("text", "html", "rss", "atom", "json", "jsonl", "history")
INGEST_MS = 1_800_000_000_000


def inputs_by_format() -> dict[str, list[bytes]]:
    """The corpus inputs that yield at least one article, grouped by their labelled format."""
    cases = yaml.safe_load((CORPUS / "expected.yaml").read_text("utf-8"))["cases"]
    grouped: dict[str, list[bytes]] = {fmt: [] for fmt in FORMATS}
    for case in cases:
        if case["articles"]:
            grouped.setdefault(case["format"], []).append((CORPUS / "inputs" / case["file"]).read_bytes())
    return {fmt: inputs for fmt, inputs in grouped.items() if inputs}


def parse_all(inputs: list[bytes]) -> int:
    """Parse every input once; the number of articles produced."""
    # Every input here yields articles, so a StageError is a regression and is left to raise.
    return sum(len(parse_bytes(data, ingest_ms=INGEST_MS).articles) for data in inputs)


def articles_per_second(inputs: list[bytes], budget_seconds: float) -> float:
    parse_all(inputs)  # warm-up: data files loaded, regular expressions compiled
    # CPU time of this process, not wall time: the figure is one core's work, and other
    # processes on a shared machine do not shrink it.
    articles, started = 0, time.process_time()
    while True:
        articles += parse_all(inputs)
        elapsed = time.process_time() - started
        if elapsed >= budget_seconds:
            return articles / elapsed


def measure(smoke: bool = False) -> dict[str, float]:
    """Articles per second per format, e.g. {"parse.html articles/s": 140.0, ...}."""
    budget = 0.1 if smoke else 2.0
    return {
        f"parse.{fmt} articles/s": round(articles_per_second(inputs, budget), 1)
        for fmt, inputs in inputs_by_format().items()
    }


def corpus_ms_per_article(records: int = 2000, passes: int = 3) -> dict[str, float]:
    """Milliseconds per article on the benchmark corpus, per format and over the whole mix."""
    by_format: dict[str, list[bytes]] = {}
    for record in generate(records):
        by_format.setdefault(record.format, []).append(record.value)
    for values in by_format.values():
        parse_all(values[:5])  # warm-up
    figures: dict[str, float] = {}
    for fmt, values in sorted(by_format.items()):
        best = float("inf")
        for _ in range(passes):
            started = time.process_time()
            parse_all(values)
            best = min(best, time.process_time() - started)
        figures[f"parse.corpus.{fmt} ms/article"] = round(best / len(values) * 1000, 3)
    total = sum(figures[f"parse.corpus.{fmt} ms/article"] * len(values) for fmt, values in by_format.items())
    figures["parse.corpus.all ms/article"] = round(total / records, 3)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="about 0.1 s per format instead of 2 s")
    parser.add_argument("--corpus", action="store_true", help="also ms/article on the benchmark corpus")
    arguments = parser.parse_args()
    figures = measure(arguments.smoke)
    if arguments.corpus:
        figures |= corpus_ms_per_article(200 if arguments.smoke else 2000, 1 if arguments.smoke else 3)
    for name, value in figures.items():
        print(f"{name:32} {value:10.3f}" if "ms/" in name else f"{name:32} {value:10.1f}")


if __name__ == "__main__":
    main()
