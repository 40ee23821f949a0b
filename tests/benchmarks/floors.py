"""The floors: what the platform costs before any stage does any work.

- a bare aiokafka consumer reading the benchmark articles (consume + decode as UTF-8);
- a bare Faust agent that forwards each record to another topic and does nothing else
  (one Kafka hop), run as a worker subprocess (`python -m tests.benchmarks.floors forward`);
- a chain of such agents with as many hops as the pipeline's hot path uses.

Rates come from the broker timestamps of the forwarded records (set when the forwarding
worker produced them), so the worker's start-up and the reader's polling are not counted.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

REPO = Path(__file__).resolve().parents[2]
# The hot path is one agent from the raw topic to the alerts topic (streams/app.py).
HOT_PATH_HOPS = 1


@dataclass(slots=True)
class HopResult:
    hops: int
    records: int
    seconds: float

    @property
    def rate(self) -> float:
        return (self.records - 1) / self.seconds if self.seconds > 0 else 0.0


async def create_topics(bootstrap: str, names: Sequence[str]) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, 1, 1) for name in names])
    finally:
        await admin.close()


async def produce_all(
    bootstrap: str, topic: str, records: Sequence[tuple[bytes | None, bytes]], headers_of=None
) -> None:
    """Publish records as fast as the client batches them; returns once all are delivered."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, max_request_size=8 * 1024 * 1024, linger_ms=5, max_batch_size=256 * 1024
    )
    await producer.start()
    try:
        futures = []
        for number, (key, value) in enumerate(records):
            headers = headers_of(number) if headers_of else None
            futures.append(await producer.send(topic, value=value, key=key, headers=headers))
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def _assigned_consumer(bootstrap: str, topic: str, **options: object) -> AIOKafkaConsumer:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=8 * 1024 * 1024,
        fetch_max_bytes=32 * 1024 * 1024,
        **options,
    )
    await consumer.start()
    for _ in range(100):
        if consumer.partitions_for_topic(topic):
            break
        await consumer._client.force_metadata_update()  # the topic may have been created just now
        await asyncio.sleep(0.1)
    partitions = sorted(consumer.partitions_for_topic(topic) or [0])
    tps = [TopicPartition(topic, p) for p in partitions]
    consumer.assign(tps)
    await consumer.seek_to_beginning(*tps)
    return consumer


async def consume_floor(bootstrap: str, topic: str, count: int, min_seconds: float) -> float:
    """Records/s of a bare aiokafka consumer reading `count` records and decoding each value,
    re-reading the topic from the start until at least `min_seconds` have passed."""
    consumer = await _assigned_consumer(bootstrap, topic)
    read, characters = 0, 0
    try:
        started = time.perf_counter()
        while True:
            seen = 0
            while seen < count:
                batches = await consumer.getmany(timeout_ms=1000, max_records=10_000)
                if not batches:
                    raise RuntimeError(f"the floor topic holds fewer than {count} records")
                for messages in batches.values():
                    for message in messages:
                        characters += len(message.value.decode("utf-8"))
                    seen += len(messages)
            read += seen
            elapsed = time.perf_counter() - started
            if elapsed >= min_seconds:
                break
            await consumer.seek_to_beginning(*consumer.assignment())
    finally:
        await consumer.stop()
    assert characters > 0
    return read / elapsed


async def read_timestamps(bootstrap: str, topic: str, count: int, timeout: float) -> list[int]:
    """Broker timestamps (ms) of the first `count` records of a topic, waiting up to `timeout`."""
    consumer = await _assigned_consumer(bootstrap, topic)
    stamps: list[int] = []
    try:
        deadline = time.monotonic() + timeout
        while len(stamps) < count and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=500, max_records=10_000)
            for messages in batches.values():
                stamps.extend(m.timestamp for m in messages)
    finally:
        await consumer.stop()
    return stamps


def start_forwarder(bootstrap: str, topics: Sequence[str], log_path: Path) -> subprocess.Popen[bytes]:
    """A Faust worker whose agents forward topics[i] to topics[i + 1]."""
    log = open(log_path, "ab")  # noqa: SIM115 - handed to the child, closed with it
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.benchmarks.floors",
            "forward",
            "--broker",
            bootstrap,
            "--app-id",
            f"bench-hop-{uuid.uuid4().hex[:8]}",
            "--topics",
            *topics,
        ],
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    return process


def stop_process(process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    """SIGTERM, then SIGKILL of its process group if it does not stop in time."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


async def hop_chain(
    bootstrap: str, source_topic: str, count: int, hops: int, timeout: float, work_dir: Path
) -> HopResult:
    """Forward the `count` records of `source_topic` through `hops` bare Faust agents in one
    worker process and time the last hop's output."""
    tag = uuid.uuid4().hex[:8]
    sinks = [f"bench-hop-{tag}-{n}" for n in range(1, hops + 1)]
    await create_topics(bootstrap, sinks)
    process = start_forwarder(bootstrap, [source_topic, *sinks], work_dir / f"forwarder-{tag}.log")
    try:
        stamps = await read_timestamps(bootstrap, sinks[-1], count, timeout)
    finally:
        stop_process(process)
    if len(stamps) < 2:
        log = (work_dir / f"forwarder-{tag}.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"the forwarding agent delivered {len(stamps)} of {count} records:\n{log}")
    return HopResult(hops, len(stamps), (max(stamps) - min(stamps)) / 1000)


def run_forwarder(broker: str, app_id: str, topics: Sequence[str]) -> None:
    """The bare forwarding worker: one agent per hop, each sends every record on, unchanged."""
    import faust
    from faust.worker import Worker

    from wirewatch.streams.app import shorten_fetch_wait

    shorten_fetch_wait()  # the same consumer settings as the worker's, so the floor is comparable
    data_dir = tempfile.mkdtemp(prefix="bench-hop-")
    app = faust.App(
        app_id,
        broker=f"kafka://{broker}",
        store="memory://",
        web_enabled=False,
        consumer_auto_offset_reset="earliest",
        topic_partitions=1,
        processing_guarantee="at_least_once",
        datadir=data_dir,
    )
    faust_topics = [
        app.topic(name, key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw")
        for name in topics
    ]
    for source, sink in itertools.pairwise(faust_topics):

        def forward(sink_topic: faust.TopicT = sink):
            async def agent(stream: faust.StreamT) -> None:
                async for event in stream.events():
                    await sink_topic.send(key=event.message.key, value=event.message.value)

            return agent

        app.agent(source, name=f"{app_id}-{sink.get_topic_name()}")(forward())
    Worker(app, loglevel="WARNING", quiet=True).execute_from_commandline()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    forward = commands.add_parser("forward", help="run the bare forwarding worker")
    forward.add_argument("--broker", required=True)
    forward.add_argument("--app-id", required=True)
    forward.add_argument("--topics", nargs="+", required=True)
    args = parser.parse_args(argv)
    if args.command == "forward":
        sys.argv = sys.argv[:1]  # faust's Worker reads the command line
        run_forwarder(args.broker, args.app_id, args.topics)


if __name__ == "__main__":
    main()
