"""Small aiokafka helpers shared by the commands: broker address, topic creation, producing
and reading. The worker's own consuming is Faust's; these are for the edges."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from .records import RawRecord
from .settings import Settings
from .topics import catalogue

log = logging.getLogger(__name__)
BROKER_FILE = "broker"


def bootstrap_of(url: str) -> str:
    """'kafka://h1:9092;h2:9092' or 'h1:9092,h2:9092' -> 'h1:9092,h2:9092'."""
    hosts = []
    for part in url.replace(";", ",").split(","):
        part = part.strip()
        if "://" in part:
            part = part.split("://", 1)[1]
        if part:
            hosts.append(part)
    return ",".join(hosts)


def faust_url(url: str) -> str:
    return "kafka://" + bootstrap_of(url).replace(",", ";kafka://")


def remember_broker(settings: Settings, url: str) -> Path:
    """Where `up` writes the embedded broker's address for `ingest`, `tail`, `watchlist`."""
    path = Path(settings.data_dir) / BROKER_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(url + "\n")
    return path


def forget_broker(settings: Settings) -> None:
    (Path(settings.data_dir) / BROKER_FILE).unlink(missing_ok=True)


def resolve_broker(settings: Settings, cli_value: str | None = None) -> str:
    """--broker, else WIREWATCH_BROKER, else the address a running `wirewatch up` wrote."""
    if cli_value:
        return cli_value
    if settings.broker:
        return settings.broker
    path = Path(settings.data_dir) / BROKER_FILE
    if path.exists():
        return path.read_text().strip()
    raise SystemExit(
        "no broker: start one with `wirewatch up`, or pass --broker HOST:PORT (or set WIREWATCH_BROKER)"
    )


async def ensure_topics(settings: Settings, bootstrap: str) -> None:
    """Create the public topics if they do not exist (compaction for watchlists)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_of(bootstrap))
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted = []
        for spec in catalogue(settings).values():
            if spec.name in existing:
                continue
            configs = {"cleanup.policy": "compact"} if spec.compacted else {}
            wanted.append(
                NewTopic(spec.name, spec.partitions, settings.replication_factor, topic_configs=configs)
            )
        if wanted:
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(wanted)
    finally:
        await admin.close()


async def topic_partitions(consumer: AIOKafkaConsumer, topic: str, tries: int = 100) -> list[int]:
    """The partitions of a topic, waiting briefly for one that is being created just now."""
    for _ in range(tries):
        partitions = consumer.partitions_for_topic(topic)
        if partitions:
            return sorted(partitions)
        await consumer._client.force_metadata_update()
        await asyncio.sleep(0.1)
    raise RuntimeError(f"topic {topic!r} does not exist")


async def true_end_offsets(bootstrap: str, ends: dict[TopicPartition, int]) -> dict[TopicPartition, int]:
    """End offsets as "one past the last record", whatever the broker reported.

    The embedded broker reports the end of a partition as the base offset of its last record
    batch plus one, so a batch of several records ends "early" (7 records in offsets 0-6, the
    last 3 in one batch: it says 5). A reader that stops at that end misses the tail: Faust's
    table recovery did, and recovered state without the last few writes. The last batch is read
    back to find its last offset; on a broker that reports the end correctly this changes
    nothing."""
    wanted = {tp: end for tp, end in ends.items() if end and end > 0}
    if not wanted:
        return dict(ends)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_of(bootstrap), group_id=None, enable_auto_commit=False
    )
    await consumer.start()
    result = dict(ends)
    try:
        consumer.assign(list(wanted))
        for tp, end in wanted.items():
            consumer.seek(tp, end - 1)
        pending = set(wanted)
        for _ in range(10):  # a few fetches at most: one batch per partition
            if not pending:
                break
            batches = await consumer.getmany(*pending, timeout_ms=300)
            for tp, messages in batches.items():
                if messages:
                    result[tp] = max(result[tp], messages[-1].offset + 1)
                    pending.discard(tp)
    finally:
        await consumer.stop()
    return result


def text_headers(pairs: Any) -> dict[str, str]:
    """Kafka headers (name, bytes) as text."""
    return {
        name: value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        for name, value in pairs or []
    }


async def read_ranges(bootstrap: str, spans: dict[TopicPartition, tuple[int, int]]) -> list[RawRecord]:
    """The records at offsets [start, end) of each partition (those retention has not deleted),
    read with a consumer of its own, partition after partition."""
    wanted = {tp: span for tp, span in spans.items() if span[0] < span[1]}
    if not wanted:
        return []
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_of(bootstrap), group_id=None, enable_auto_commit=False
    )
    await consumer.start()
    records: list[RawRecord] = []
    try:
        consumer.assign(list(wanted))
        firsts = await consumer.beginning_offsets(list(wanted))
        for tp, (start, end) in wanted.items():
            position = max(start, firsts[tp])
            consumer.seek(tp, position)
            while position < end:
                batches = await consumer.getmany(tp, timeout_ms=1000, max_records=end - position)
                messages = batches.get(tp, [])
                if not messages:
                    break
                records += [
                    RawRecord(
                        value=message.value or b"",
                        key=message.key,
                        headers=text_headers(message.headers),
                        topic=message.topic,
                        partition=message.partition,
                        offset=message.offset,
                        timestamp_ms=message.timestamp,
                    )
                    for message in messages
                    if message.offset < end
                ]
                position = messages[-1].offset + 1
    finally:
        await consumer.stop()
    return records


async def recent_records(bootstrap: str, topic: str, count: int) -> list[RawRecord]:
    """The last `count` records of a topic, oldest first (by broker timestamp, then partition
    and offset): up to `count` from the end of each partition, the latest of them kept."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_of(bootstrap), group_id=None, enable_auto_commit=False
    )
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in await topic_partitions(consumer, topic, tries=20)]
        ends = await consumer.end_offsets(partitions)
    finally:
        await consumer.stop()
    ends = await true_end_offsets(bootstrap, ends)
    records = await read_ranges(bootstrap, {tp: (max(0, end - count), end) for tp, end in ends.items()})
    records.sort(key=lambda r: (r.timestamp_ms or 0, r.partition or 0, r.offset or 0))
    return records[-count:] if count > 0 else []


def correct_faust_highwaters(bootstrap: str) -> None:
    """Make Faust's table recovery read changelogs to their true end (`true_end_offsets`)."""
    from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

    AIOKafkaConsumerThread._wirewatch_bootstrap = bootstrap  # type: ignore[attr-defined]
    if getattr(AIOKafkaConsumerThread, "_wirewatch_true_ends", False):
        return
    reported = AIOKafkaConsumerThread._highwaters

    async def highwaters(self: AIOKafkaConsumerThread, partitions: list) -> dict:
        ends = dict(await reported(self, partitions))
        try:
            return await true_end_offsets(AIOKafkaConsumerThread._wirewatch_bootstrap, ends)  # type: ignore[attr-defined]
        except Exception as exc:  # never worse than the broker's own answer
            log.warning("could not check the end offsets of %s: %r", sorted(ends), exc)
            return ends

    AIOKafkaConsumerThread._highwaters = highwaters  # type: ignore[method-assign]
    AIOKafkaConsumerThread._wirewatch_true_ends = True  # type: ignore[attr-defined]


class CompactedTopicFollower:
    """Reads a whole compacted topic on every worker, from the beginning, and keeps following
    it: no consumer group, because every worker must see every record (watchlists,
    subscribers). `ready` is set once the topic has been read to its end offsets at start.
    Subclasses apply one record in `apply` and may react to a batch in `after_batch`."""

    what = "records"

    def __init__(self, bootstrap: str, topic: str) -> None:
        self.bootstrap = bootstrap
        self.topic = topic
        self.ready = asyncio.Event()
        self.applied = 0

    def apply(self, key: bytes | None, value: bytes | None) -> None:
        raise NotImplementedError

    def apply_from(self, partition: int, key: bytes | None, value: bytes | None) -> None:
        """One record and the partition it came from (a follower that cares overrides this)."""
        self.apply(key, value)

    def size(self) -> int:
        return self.applied

    async def after_batch(self, changed: bool) -> None:
        """Called after each fetched batch; `changed` when a record was applied."""

    async def run(self) -> None:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap_of(self.bootstrap),
            enable_auto_commit=False,
            group_id=None,
            auto_offset_reset="earliest",
        )
        await consumer.start()
        try:
            tps = [TopicPartition(self.topic, p) for p in await topic_partitions(consumer, self.topic)]
            consumer.assign(tps)
            await consumer.seek_to_beginning(*tps)
            ends = await true_end_offsets(self.bootstrap, await consumer.end_offsets(tps))
            pending = {tp for tp, end in ends.items() if end > 0}
            while True:
                if not pending and not self.ready.is_set():
                    log.info("%s loaded: %d", self.what, self.size())
                    self.ready.set()
                batches = await consumer.getmany(timeout_ms=500)
                changed = False
                for tp, messages in batches.items():
                    for message in messages:
                        try:
                            self.apply_from(tp.partition, message.key, message.value)
                            self.applied += 1
                            changed = True
                        except Exception as exc:  # one bad record must not stop the others
                            log.warning(
                                "%s record %s/%s refused: %s", self.what, tp.partition, message.offset, exc
                            )
                for tp in list(pending):
                    if await consumer.position(tp) >= ends[tp]:
                        pending.discard(tp)
                await self.after_batch(changed)
        finally:
            await consumer.stop()
