"""Duplicates and stories across partitions, on the embedded broker: two workers share a raw
topic of two partitions, one partition each. An article goes to one partition; its syndicated
copy and another outlet's own report of the same event go to the other. The copy must not
alert, and the other report must join the first article's story (README, "Keys and
partitions")."""

from __future__ import annotations

import asyncio
import dataclasses
import re
import time
from pathlib import Path

import orjson
import pytest
import yaml
from aiokafka import AIOKafkaProducer

from wirewatch.streams.broker import free_port
from wirewatch.streams.settings import Settings

from ..conftest import DATA, consume, news_api_json, prepared_settings

pytestmark = pytest.mark.integration

WATCHLISTS = """
watchlists:
  - id: iraq
    query: 'Iraq'
"""
ASSIGNED = re.compile(r"Setting newly assigned partitions.*?\+-+\+ for group", re.S)


def corpus_item(article_id: str) -> dict:
    items = yaml.safe_load((DATA / "dedup" / "corpus.yaml").read_text("utf-8"))["articles"]
    return next(item for item in items if item["id"] == article_id)


def raw_partitions(log_path: Path, raw_topic: str) -> set[int] | None:
    """The raw-topic partitions of a worker's latest assignment, from its log."""
    tables = ASSIGNED.findall(log_path.read_text(errors="replace"))
    if not tables:
        return None
    for line in tables[-1].splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) == 2 and cells[0] == raw_topic:
            found = set()
            for part in cells[1].strip("{}").split(","):
                low, _, high = part.partition("-")
                found.update(range(int(low), int(high or low) + 1))
            return found
    return set()


def wait_for_one_partition_each(settings: Settings, logs: list[Path], timeout: float = 90.0) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [raw_partitions(log, settings.raw_topic) for log in logs]
        if all(f is not None and len(f) == 1 for f in found) and found[0] != found[1]:
            return [next(iter(f)) for f in found]  # type: ignore[arg-type]
        time.sleep(0.5)
    raise AssertionError(f"the two workers did not get one partition each: {found}")


async def send_to(settings: Settings, partition: int, key: bytes, value: bytes) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=settings.broker)
    await producer.start()
    try:
        await producer.send_and_wait(settings.raw_topic, key=key, value=value, partition=partition)
    finally:
        await producer.stop()


def test_copy_on_another_partition_is_caught_and_reports_share_a_story(broker, start_worker) -> None:
    original = corpus_item("d002")  # one outlet's report
    copy = corpus_item("d005")  # another outlet's syndicated copy of it (labelled duplicate_of d002)
    other_report = corpus_item("d004")  # a third outlet's own words on the same event
    assert copy["duplicate_of"] == original["id"] and other_report["story"] == original["story"]
    assert other_report["duplicate_of"] is None and other_report["source"] != original["source"]

    settings = prepared_settings(broker.bootstrap, WATCHLISTS, partitions=2)
    first = start_worker(settings, "a")
    second = start_worker(dataclasses.replace(settings, web_port=free_port()), "b")
    first.ready()
    second.ready()
    partition_a, partition_b = wait_for_one_partition_each(settings, [first.log_path, second.log_path])

    asyncio.run(send_to(settings, partition_a, b"original", news_api_json(original)))
    alerts = asyncio.run(consume(settings, settings.alerts_topic, 1, 60.0))
    assert len(alerts) == 1
    first_alert = orjson.loads(alerts[0].value)
    assert (first_alert["kind"], first_alert["article"]["url"]) == ("new", original["url"])

    # The other worker learns of the original through the state changelog it follows; allow it
    # well over the usual propagation time (well under a second here).
    time.sleep(3.0)
    asyncio.run(send_to(settings, partition_b, b"copy", news_api_json(copy)))
    asyncio.run(send_to(settings, partition_b, b"other", news_api_json(other_report)))
    records = asyncio.run(consume(settings, settings.alerts_topic, 2, 60.0))
    time.sleep(2.0)  # an alert the copy should not raise would come right behind
    records = asyncio.run(consume(settings, settings.alerts_topic, 3, 3.0))
    alerts = [orjson.loads(r.value) for r in records]
    urls = [a["article"]["url"] for a in alerts]
    assert copy["url"] not in urls, "the copy on the other partition raised an alert"
    assert urls == [original["url"], other_report["url"]]
    update = alerts[1]
    assert update["kind"] == "update"
    assert update["story"]["id"] == first_alert["story"]["id"]
    assert set(update["story"]["sources"]) >= {original["source"], other_report["source"]}
