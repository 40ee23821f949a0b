"""Records the consumer group skipped are processed anyway: the hot path remembers the last raw
offset it processed on each partition (in its state table), and when the first record it gets
after an assignment comes later than the next one, it reads the records in between from the
raw topic first. Here a worker is stopped, the group's committed offset is moved past three
unprocessed records (what Faust can do around a rebalance), and a new worker alerts on them."""

from __future__ import annotations

import asyncio
import time

import orjson
import pytest
import yaml
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.coordinator.assignors.roundrobin import RoundRobinPartitionAssignor
from aiokafka.structs import OffsetAndMetadata

from wirewatch.streams.settings import Settings

from ..conftest import DATA, consume, news_api_json, prepared_settings, produce

pytestmark = pytest.mark.integration

WATCHLISTS = """
watchlists:
  - id: everything
    query: 'NOT zzqxv'
"""


def originals(count: int) -> list[dict]:
    """One original article from each of `count` stories of the labelled corpus."""
    items = yaml.safe_load((DATA / "dedup" / "corpus.yaml").read_text("utf-8"))["articles"]
    chosen: dict[str, dict] = {}
    for item in items:
        if not item["duplicate_of"] and item["story"] not in chosen:
            chosen[item["story"]] = item
    return list(chosen.values())[:count]


class FaustNamedAssignor(RoundRobinPartitionAssignor):
    """Round robin under the name of Faust's assignor: the broker wants one protocol per group."""

    name = "faust"


async def move_committed_offset(settings: Settings, offset: int) -> None:
    """Commit `offset` for the worker group, as a member of it (the group is empty now)."""
    consumer = AIOKafkaConsumer(
        settings.raw_topic,
        bootstrap_servers=settings.broker,
        group_id=settings.app_id,
        enable_auto_commit=False,
        session_timeout_ms=10_000,
        partition_assignment_strategy=(FaustNamedAssignor,),
    )
    await consumer.start()
    try:
        tp = TopicPartition(settings.raw_topic, 0)
        for _ in range(60):
            if tp in consumer.assignment():
                break
            await consumer.getmany(timeout_ms=500, max_records=1)
        await consumer.commit({tp: OffsetAndMetadata(offset, "")})
        assert await consumer.committed(tp) == offset
    finally:
        await consumer.stop()


def test_records_past_a_skipped_commit_still_alert(broker, start_worker) -> None:
    items = originals(10)
    settings = prepared_settings(broker.bootstrap, WATCHLISTS)
    first = start_worker(settings, "first")
    first.ready()
    asyncio.run(
        produce(settings, settings.raw_topic, [(f"r{n}".encode(), news_api_json(items[n])) for n in range(5)])
    )
    assert len(asyncio.run(consume(settings, settings.alerts_topic, 5, 60.0))) == 5
    first.stop()  # a clean stop: its offsets are committed (offset 5)

    asyncio.run(
        produce(
            settings, settings.raw_topic, [(f"r{n}".encode(), news_api_json(items[n])) for n in range(5, 10)]
        )
    )
    asyncio.run(move_committed_offset(settings, 8))  # records 5, 6 and 7 skipped
    second = start_worker(settings, "second")
    second.ready()
    # delivery is at least once: a record the producer sent again is the same alert, same id,
    # so the topic is read until it holds as many distinct alerts as articles
    url_of: dict[str, str] = {}
    wanted, deadline = len(items), time.monotonic() + 60
    while len(url_of) < len(items) and time.monotonic() < deadline:
        records = asyncio.run(consume(settings, settings.alerts_topic, wanted, 10.0))
        for record in records:
            alert = orjson.loads(record.value)
            url_of[alert["id"]] = alert["article"]["url"]
        wanted = len(records) + len(items) - len(url_of)
    assert sorted(url_of.values()) == sorted(item["url"] for item in items)  # one id per article
    assert "were skipped by the consumer; reading them again" in second.log_path.read_text()
