"""The benchmark corpus is what tests/benchmarks/corpus.py says it is, and the table renders.

Nothing here is timed: speed is measured by `make bench`, never asserted in tests.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
from pathlib import Path

from tests.benchmarks import corpus, run
from tests.benchmarks.pipeline import PipelineResult, StageTimes, raw_of
from tests.benchmarks.run import SMOKE, Report, missing_figures, profile_summary, render, stage_modules
from wirewatch.agents.alert import Watchlist
from wirewatch.agents.parse import parse_record

REPO = Path(__file__).resolve().parents[2]

SIZE = 1500


def test_the_same_seed_gives_the_same_corpus() -> None:
    first = corpus.generate(300, seed=3)
    again = corpus.generate(300, seed=3)
    other = corpus.generate(300, seed=4)
    assert [(r.key, r.value) for r in first] == [(r.key, r.value) for r in again]
    assert [r.value for r in first] != [r.value for r in other]


def test_format_mix_is_as_stated() -> None:
    mix = corpus.format_mix(corpus.generate(SIZE))
    for fmt, share in corpus.FORMAT_SHARES.items():
        assert abs(mix[fmt] - share) < 0.05, (fmt, mix)


def test_lengths_centre_on_the_seed_size(seed_bytes: list[bytes]) -> None:
    records = corpus.generate(SIZE)
    seed_median = statistics.median(len(b) for b in seed_bytes)
    assert 0.75 * seed_median < corpus.median_size(records) < 1.3 * seed_median
    sizes = [len(r.value) for r in records]
    assert max(sizes) > 2 * corpus.median_size(records)  # a tail of long articles, not one size


def test_duplicates_and_stories_are_in_the_stated_proportions() -> None:
    records = corpus.generate(SIZE)
    assert abs(corpus.duplicate_share(records) - corpus.DUPLICATE_SHARE) < 0.05
    exact = [r for r in records if r.kind == "exact-duplicate"]
    assert exact and all(r.value == records[r.duplicate_of].value for r in exact)
    syndicated = [r for r in records if r.kind == "syndicated"]
    assert syndicated and all(r.value != records[r.duplicate_of].value for r in syndicated)
    articles_per_story: dict[int, int] = {}
    for record in records:
        if record.kind == "original":
            articles_per_story[record.story] = articles_per_story.get(record.story, 0) + 1
    sizes = list(articles_per_story.values())
    assert 0.4 < sum(s == 1 for s in sizes) / len(sizes) < 0.6
    assert max(sizes) >= 4


def test_every_format_parses_to_one_article_with_quotes_and_names() -> None:
    names = {p.name for p in corpus.world().known_people} | {p.name for p in corpus.world().invented_people}
    # an event's own speakers: a first name of the list, and a surname made of syllables
    own = re.compile(rf"\b(?:{'|'.join(corpus.FIRST_NAMES)}) [A-Z][a-z]+, ")
    for record in corpus.generate(200):
        parsed = parse_record(raw_of(record))
        assert not parsed.failures, record.format
        assert len(parsed.articles) == 1, record.format
        text = parsed.articles[0].text
        assert "“" in text, record.format
        assert any(name in text for name in names) or own.search(text), record.format


def test_watchlists_are_valid_and_start_with_the_catch_all() -> None:
    watchlists = corpus.watchlists(2000)
    assert len(watchlists) == 2000
    assert len({w["id"] for w in watchlists}) == 2000
    assert watchlists[0] == {"id": "bench-catch-all", "query": corpus.CATCH_ALL_QUERY}
    parsed = [Watchlist.from_dict(w) for w in watchlists]
    assert sum(bool(w.speakers) for w in parsed) > 500
    assert sum(bool(w.query) and not w.speakers for w in parsed) > 1000


def test_the_table_names_what_is_missing_and_renders_what_is_there() -> None:
    report = Report(size=SMOKE, smoke=True, records=corpus.generate(50))
    assert "throughput" in missing_figures(report)
    report.floors = {"consume": 40_000.0, "hop": 1_000.0, "chain": 1_000.0}
    report.stages = StageTimes(seconds={"parse": 0.002, "tag": 0.001, "dedup": 0.0005, "alert": 0.0015})
    report.stages.stories = (30, 12, 0.5, 1.0)
    report.pipeline = PipelineResult(throughput=150.0, latencies=[0.1, 0.2, 0.3], peak_rss_bytes=100 << 20)
    assert missing_figures(report) == []
    report.extra = {"stage_tag": {"tag articles/s": 900.0}, "stage_dedup": "failed: KeyError: 'w13'"}
    assert missing_figures(report) == ["stage_dedup"]  # a module that raised fails the run
    report.extra = {}
    table = render(report, "make bench-smoke")
    # ideal = 1 / (1 ms + 5 ms) = 166.7/s, efficiency = 150 / 166.7 = 0.90
    assert "| **efficiency** = throughput / ideal | **0.90** |" in table
    assert "make bench-smoke" in table
    assert "chain of 1 hop" in table
    assert (
        "| story grouping on the corpus | 12 stories for 30 generated; B-cubed P 0.500 / R 1.000 / F1 0.667 |"
        in table
    )


def test_the_report_says_how_the_interpreter_was_built(monkeypatch) -> None:
    flags = {"CONFIG_ARGS": "'--enable-shared' '--enable-optimizations'", "Py_ENABLE_SHARED": 1}
    monkeypatch.setattr(run.sysconfig, "get_config_var", flags.get)
    build = run.interpreter_build()
    assert "libpython" in build
    assert "configured with --enable-optimizations" in build
    assert "without --with-lto" in build
    flags["CONFIG_ARGS"] = "'--enable-optimizations' '--with-lto'"
    assert "configured with --enable-optimizations and --with-lto" in run.interpreter_build()
    assert "without" not in run.interpreter_build()


def test_stage_modules_are_discovered() -> None:
    assert all(name.startswith("stage_") for name in stage_modules())


def test_profile_summary_shares_the_main_thread(tmp_path) -> None:
    root = "_run_module_as_main (<frozen runpy>:198);Handle._run (asyncio/events.py:80)"
    hot = f"{root};create_app.<locals>.hot_path (streams/app.py:190)"
    stacks = tmp_path / "profile.txt"
    stacks.write_text(
        f"{hot};Pipeline.process (agents/pipeline.py:87);Tagger.__call__ (agents/tag/core.py:30) 60\n"
        f"{hot};Pipeline.process (agents/pipeline.py:80);parse_record (agents/parse/core.py:99) 10\n"
        f"{hot};Pipeline.process (agents/pipeline.py:81);Deduper.check (agents/dedup/core.py:167) 6\n"
        f"{hot};Pipeline.back (agents/pipeline.py:90);Deduper.group (agents/dedup/core.py:235) 3\n"
        # the whole call holds both halves: its samples count once
        f"{hot};Deduper.__call__ (agents/dedup/core.py:163);Deduper.group (agents/dedup/core.py:235) 1\n"
        f"{root};EpollSelector.select (selectors.py:468) 20\n"
        "Thread._bootstrap (threading.py:1002);ServiceThread._start_thread (mode/threads.py:211) 50\n"
    )
    table = "\n".join(profile_summary(stacks))
    assert "100 samples of the main thread" in table and "50 more" in table
    assert "| Pipeline.process (the four stage cores) | 76% |" in table
    assert "| tag | 60% |" in table
    assert "| parse | 10% |" in table
    assert "| dedup | 10% |" in table
    assert "| everything else: Faust, aiokafka, the event loop, idle | 20% |" in table


def test_match_benchmark_sees_no_people_another_tagger_added() -> None:
    """Taggers made without a knowledge base share the process's, and `add_people` extends it:
    the matching benchmark draws its people (and tags its corpus) with a knowledge base of its
    own, so a benchmark that ran before it, with its watchlists' made-up people, changes nothing.
    In a process of its own, so that the shared knowledge base of this one stays as it is."""
    code = (
        "from tests.benchmarks import stage_match\n"
        "from wirewatch.agents.tag import Tagger\n"
        "from wirewatch.agents.tag.kb import default_kb\n"
        "Tagger().add_people(['Quillon Varnebeck'])\n"
        "assert default_kb().person_named('Quillon Varnebeck')\n"
        "assert 'Quillon Varnebeck' not in stage_match.known_people()\n"
        "print('isolated')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "isolated"
