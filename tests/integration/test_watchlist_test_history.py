"""`wirewatch watchlist test --recent N` on the real embedded broker: watchlists tried against
the raw topic's latest records, as a user checks a new watchlist against what came in today."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaProducer

from wirewatch.streams.kafka import ensure_topics, recent_records

from ..conftest import SEED_WATCHLISTS, produce, settings_env, unique_settings

pytestmark = pytest.mark.integration


async def test_recent_records_are_the_latest_across_partitions(broker) -> None:
    settings = unique_settings(broker.bootstrap, partitions=3)
    await ensure_topics(settings, settings.broker)
    producer = AIOKafkaProducer(bootstrap_servers=settings.broker)
    await producer.start()
    try:
        # the order of publication is the timestamps' order, whatever the partition
        for number in range(9):
            await producer.send_and_wait(
                settings.raw_topic,
                value=f"record {number}".encode(),
                partition=(number * 2) % 3,
                timestamp_ms=1_700_000_000_000 + number * 1000,
            )
    finally:
        await producer.stop()
    latest = await recent_records(settings.broker, settings.raw_topic, 4)
    assert [r.value for r in latest] == [f"record {n}".encode() for n in range(5, 9)]
    assert {r.partition for r in latest} == {0, 1, 2}
    everything = await recent_records(settings.broker, settings.raw_topic, 50)
    assert len(everything) == 9


async def test_watchlist_test_tries_the_raw_topics_latest_records(broker, seed_bytes, tmp_path: Path) -> None:
    settings = unique_settings(broker.bootstrap)
    await ensure_topics(settings, settings.broker)
    # a record that is not an article first, then the two seeds
    await produce(settings, settings.raw_topic, [(b"bad", b"\x00\x01"), *((None, s) for s in seed_bytes)])
    watchlists = tmp_path / "watchlists.yaml"
    watchlists.write_text(SEED_WATCHLISTS, "utf-8")

    def watchlist_test(count: int) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "wirewatch.streams.cli",
                "watchlist",
                "test",
                str(watchlists),
                "--recent",
                str(count),
            ],
            env=settings_env(settings),
            capture_output=True,
            text=True,
            timeout=120,
        )

    done = watchlist_test(2)
    assert done.returncode == 0, done.stderr
    results = [orjson.loads(line) for line in done.stdout.splitlines()]
    assert {r["record"] for r in results} == {f"{settings.raw_topic}/0/1", f"{settings.raw_topic}/0/2"}
    peskov = [r for r in results if r["watchlist"] == "peskov"]
    assert len(peskov) == 2 and all(r["matched"] and r["quotes"] for r in peskov)
    assert "2 recent record(s)" in done.stderr

    # three records: the bad one is named on stderr, the output stays JSON lines
    done = watchlist_test(3)
    assert done.returncode == 0, done.stderr
    assert f"{settings.raw_topic}/0/0: cannot parse" in done.stderr
    matches = sum(orjson.loads(line)["matched"] for line in done.stdout.splitlines())
    assert (
        f"3 watchlist(s) tried on 2 article(s): {matches} match(es), 1 record(s) that do not parse"
        in done.stderr
    )
    assert {orjson.loads(line)["record"] for line in done.stdout.splitlines()} == {
        f"{settings.raw_topic}/0/1",
        f"{settings.raw_topic}/0/2",
    }
