"""Parse and tag in the worker's second process (streams/front_process.py): the same Fronts as
in the worker itself, watchlist people included, and a dead process replaced; a body it has
tagged before left untagged, for the worker's copy check."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import psutil
import pytest
import yaml

from wirewatch.agents.alert import Watchlist, WatchlistSet, load_watchlists
from wirewatch.agents.pipeline import Pipeline, SeenBodies, timestamp_clock
from wirewatch.streams.front_process import FrontProcess, FrontProcessFailed
from wirewatch.streams.records import RawRecord

from ..conftest import DATA, SEED_WATCHLISTS, news_api_json


def raw(value: bytes, offset: int) -> RawRecord:
    return RawRecord(
        value=value, key=b"k", topic="raw", partition=0, offset=offset, timestamp_ms=1_700_000_000_000
    )


QUOTED = (
    b'Ferry talks resume\n\n"We are ready to sail," Quillfeather said on Tuesday at the harbour office.\n'
)


@pytest.fixture
def front_process() -> Iterator[FrontProcess]:
    process = FrontProcess(max_article_bytes=2 * 1024 * 1024)
    process.start()
    yield process
    process.close()


def timeless(fronts: list) -> list:
    """Fronts with the dead letters' wall-clock time left out (it is when each was made)."""
    return [
        (front.tagged, front.prepared, [dataclasses.replace(letter, at="") for letter in front.dead_letters])
        for front in fronts
    ]


def run(process: FrontProcess, raws: list[RawRecord]) -> list:
    async def go() -> list:
        return await process.result(process.submit(raws))

    return asyncio.run(go())


def test_the_second_process_makes_what_the_worker_would(front_process, seed_bytes) -> None:
    raws = [raw(value, n) for n, value in enumerate([*seed_bytes, QUOTED, b"", b"\x00\x01 binary"])]
    here = Pipeline(WatchlistSet())
    expected = [here.front(r, prepare=True) for r in raws]
    got = run(front_process, raws)
    assert timeless(got) == timeless(expected)
    assert [len(f.prepared) for f in got] == [1, 1, 1, 0, 0]
    assert [len(f.tagged) for f in got] == [1, 1, 1, 0, 0]
    assert [letter.reason for f in got for letter in f.dead_letters] == ["empty", "binary"]
    assert front_process.records_done == len(raws)


def test_watchlist_people_reach_the_second_process(front_process) -> None:
    watchlists = WatchlistSet([Watchlist.from_dict({"id": "ferry", "speakers": ["Ada Quillfeather"]})])
    front_process.sync(watchlists)
    [front] = run(front_process, [raw(QUOTED, 0)])
    assert [q.speaker for q in front.tagged[0].quotes] == ["Ada Quillfeather"]
    assert front == Pipeline(watchlists).front(raw(QUOTED, 0), prepare=True)


def test_a_dead_second_process_is_replaced(front_process) -> None:
    executor = front_process.executor
    assert executor is not None
    for pid in list(executor._processes):  # the pool's one process
        os.kill(pid, signal.SIGKILL)
    with pytest.raises(FrontProcessFailed):
        run(front_process, [raw(QUOTED, 0)])
    [front] = run(front_process, [raw(QUOTED, 1)])  # a new process takes the next chunk
    assert len(front.tagged) == 1


PARENT = """
import sys
from wirewatch.streams.front_process import FrontProcess
process = FrontProcess(1024 * 1024)
process.start()
print(" ".join(str(pid) for pid in process.executor._processes), flush=True)
sys.stdin.read()  # until killed
"""


def test_the_second_process_leaves_when_its_worker_is_killed() -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert parent.stdout is not None
        children = [int(pid) for pid in parent.stdout.readline().split()]
        assert children and all(psutil.pid_exists(pid) for pid in children)
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(alive(pid) for pid in children):
        time.sleep(0.2)
    left = [pid for pid in children if alive(pid)]
    for pid in left:  # never leave one behind, even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert left == []


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def syndicated(seed: bytes) -> bytes:
    """The seed's body under another headline: what a syndicated copy looks like once parsed."""
    return b"Another outlet's headline\n\n" + seed.split(b"\n\n", 1)[1]


def test_a_body_seen_before_is_left_untagged_and_the_worker_decides_it(front_process, seed_bytes) -> None:
    watchlists = WatchlistSet(load_watchlists(SEED_WATCHLISTS))
    front_process.sync(watchlists)
    raws = [raw(seed_bytes[0], 0), raw(syndicated(seed_bytes[0]), 1), raw(seed_bytes[0], 2)]
    fronts = run(front_process, raws)
    assert [(len(f.tagged), len(f.articles)) for f in fronts] == [(1, 0), (0, 1), (0, 1)]
    # finishing those gives what the whole pipeline in one process gives
    there = Pipeline(watchlists, clock=timestamp_clock)
    here = Pipeline(watchlists, clock=timestamp_clock)
    finished = [there.finish(front, r) for front, r in zip(fronts, raws, strict=True)]
    expected = [here.process(r) for r in raws]
    assert [o.alerts for o in finished] == [o.alerts for o in expected]
    assert [[a.duplicate_of for a in o.articles] for o in finished] == [
        [a.duplicate_of for a in o.articles] for o in expected
    ]
    assert finished[1].articles[0].duplicate_of == finished[0].articles[0].tagged.article.id


def test_an_untagged_article_that_is_new_after_all_is_tagged_by_the_worker(seed_bytes) -> None:
    """The hint is only a hint: a worker that never saw the original (its partition moved, say)
    tags the article itself, and its speaker watchlist alerts."""
    watchlists = WatchlistSet(load_watchlists(SEED_WATCHLISTS))
    record = raw(syndicated(seed_bytes[0]), 0)
    untagged = Pipeline(watchlists).front(record, tag=False)
    assert len(untagged.articles) == 1 and not untagged.tagged
    outcome = Pipeline(watchlists, clock=timestamp_clock).finish(untagged, record)
    assert [a.duplicate_of for a in outcome.articles] == [""]
    assert outcome.articles[0].tagged.quotes  # tagged after all
    assert sorted(a.watchlist for a in outcome.alerts) == ["kremlin-iraq", "peskov"]
    assert outcome.alerts == Pipeline(watchlists, clock=timestamp_clock).process(record).alerts


def test_seen_bodies_forget_the_oldest_past_their_size() -> None:
    seen = SeenBodies(size=2)
    assert [seen.seen_before(key) for key in ["a", "b", "a", "c"]] == [False, False, True, False]
    assert seen.seen_before("a") is False  # forgotten when "c" came: the oldest of three
    assert seen.seen_before("c") is True


def test_dedup_prepared_in_the_front_decides_as_the_worker_alone_does() -> None:
    """The labelled dedup corpus (originals, resends, syndicated copies, stories) through the
    whole pipeline in one process, and through the front's parse, tag, copy hint and dedup
    preparation with the worker finishing: the same decisions, alerts and stored state."""
    items = yaml.safe_load((DATA / "dedup" / "corpus.yaml").read_text("utf-8"))["articles"]
    raws = [raw(news_api_json(item), n) for n, item in enumerate(items)]
    watchlists = [
        Watchlist.from_dict({"id": "all", "query": "NOT zzqxv"}),
        *load_watchlists(SEED_WATCHLISTS),
    ]
    alone = Pipeline(WatchlistSet(watchlists), clock=timestamp_clock)
    finishing = Pipeline(WatchlistSet(watchlists), clock=timestamp_clock)
    front = Pipeline(WatchlistSet(watchlists))
    seen = SeenBodies()
    fronts = [front.front(r, seen=seen, prepare=True) for r in raws]
    assert sum(len(f.prepared) for f in fronts) > 0 and sum(len(f.articles) for f in fronts) > 0
    expected = [alone.process(r) for r in raws]
    got = [finishing.finish(f, r) for f, r in zip(fronts, raws, strict=True)]

    def decisions(outcome) -> tuple:
        return (
            outcome.alerts,
            [(a.duplicate_of, a.story.id, a.new_source) for a in outcome.articles],
            [letter.reason for letter in outcome.dead_letters],
        )

    assert [decisions(o) for o in got] == [decisions(o) for o in expected]
    assert sum(len(o.alerts) for o in got) > len(items) // 2
    assert any(a.duplicate_of for o in got for a in o.articles)
    assert dict(finishing.store.items()) == dict(alone.store.items())
