"""Shared fixtures: the seed articles, the embedded broker, and live workers.

Every integration test gets its own app id, consumer group and topic names (a group that had
members before waits ~30 s to rebalance on the embedded broker), and every process a test
starts is stopped by pid.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from wirewatch.agents import compiled
from wirewatch.streams.broker import EmbeddedBroker, free_port
from wirewatch.streams.settings import Settings

if out_of_date := compiled.stale():  # the compiled build would test the old code of these files
    raise pytest.UsageError(
        "compiled modules are older than their source, build again (make venv, or pip install -e ."
        " with WIREWATCH_COMPILE=0 for plain Python): " + ", ".join(out_of_date)
    )

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
DATA = REPO / "tests" / "data"
SAMPLES = REPO / "streams" / "samples"
SEED_WATCHLISTS = """
watchlists:
  - id: kremlin-iraq
    query: 'Kremlin AND Iraq'
  - id: peskov
    speakers: ['Dmitry Peskov']
  - id: lavrov-on-syria
    speakers: ['Sergei Lavrov']
    query: 'quote:Syria'
"""


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    paths = sorted(SEEDS.glob("*.txt"))
    if len(paths) != 2:
        pytest.fail(f"the two seed articles are expected in {SEEDS} (shared/ beside the clone)")
    return paths


@pytest.fixture(scope="session")
def seed_bytes(seed_paths: list[Path]) -> list[bytes]:
    return [p.read_bytes() for p in seed_paths]


@pytest.fixture
def watchlists_file(tmp_path: Path) -> Path:
    path = tmp_path / "watchlists.yaml"
    path.write_text(SEED_WATCHLISTS)
    return path


@pytest.fixture(scope="session")
def broker() -> Iterator[EmbeddedBroker]:
    with EmbeddedBroker() as running:
        yield running


def unique_settings(broker_url: str, **overrides: object) -> Settings:
    tag = uuid.uuid4().hex[:8]
    values: dict[str, object] = {
        "broker": broker_url,
        "app_id": f"ww-test-{tag}",
        "topic_prefix": f"ww-test-{tag}",
        "web_port": free_port(),
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def settings_env(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "WIREWATCH_BROKER": settings.broker,
        "WIREWATCH_APP_ID": settings.app_id,
        "WIREWATCH_TOPIC_PREFIX": settings.topic_prefix,
        "WIREWATCH_WEB_PORT": str(settings.web_port),
        "WIREWATCH_PARTITIONS": str(settings.partitions),
        "WIREWATCH_LOG_LEVEL": "info",
        "WIREWATCH_FRONT_PROCESS": "1" if settings.front_process else "0",
        "WIREWATCH_BATCH_MAX": str(settings.batch_max),
    }


class WorkerProcess:
    """`wirewatch worker` in a subprocess; `ready()` waits for Faust's 'Ready' line."""

    def __init__(self, settings: Settings, log_path: Path, data_dir: Path, command: str = "worker") -> None:
        self.settings = settings
        self.command = command
        self.log_path = log_path
        env = settings_env(settings) | {"WIREWATCH_DATA_DIR": str(data_dir)}
        self.log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "wirewatch.streams.cli", command],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def ready(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.log_path.read_text(errors="replace")
            loaded = "watchlists loaded" in text or self.command != "worker"  # `ner` has none
            if loaded and "[^Worker]: Ready" in text:
                return
            if self.process.poll() is not None:
                raise AssertionError(f"worker exited early:\n{text[-3000:]}")
            time.sleep(0.2)
        raise AssertionError(f"worker not ready in {timeout}s:\n{self.log_path.read_text()[-3000:]}")

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


async def produce(settings: Settings, topic: str, records: list[tuple[bytes | None, bytes | None]]) -> None:
    from aiokafka import AIOKafkaProducer

    producer = AIOKafkaProducer(bootstrap_servers=settings.broker, max_request_size=8 * 1024 * 1024)
    await producer.start()
    try:
        for key, value in records:
            await producer.send_and_wait(topic, key=key, value=value)
    finally:
        await producer.stop()


async def consume(settings: Settings, topic: str, count: int, timeout: float) -> list:
    """Read `count` records of a topic from the beginning, or what arrived by the deadline."""
    from aiokafka import AIOKafkaConsumer, TopicPartition

    consumer = AIOKafkaConsumer(bootstrap_servers=settings.broker, group_id=None, enable_auto_commit=False)
    await consumer.start()
    records = []
    try:
        deadline = time.monotonic() + timeout
        partitions = None
        while partitions is None and time.monotonic() < deadline:
            await consumer._client.force_metadata_update()
            partitions = consumer.partitions_for_topic(topic)
            if partitions is None:
                await asyncio.sleep(0.2)
        tps = [TopicPartition(topic, p) for p in sorted(partitions or [])]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        while len(records) < count and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=300)
            for messages in batches.values():
                records.extend(messages)
    finally:
        await consumer.stop()
    return records


def prepared_settings(broker_url: str, watchlists_yaml: str, **overrides: object) -> Settings:
    """Fresh settings (unique_settings), their topics created and the watchlists published."""
    import orjson

    from wirewatch.agents.alert import load_watchlists
    from wirewatch.streams.kafka import ensure_topics

    settings = unique_settings(broker_url, **overrides)
    asyncio.run(ensure_topics(settings, settings.broker))
    watchlists = [(w.id.encode(), orjson.dumps(w.to_dict())) for w in load_watchlists(watchlists_yaml)]
    asyncio.run(produce(settings, settings.watchlists_topic, watchlists))
    return settings


def news_api_json(item: dict) -> bytes:
    """One article of the labelled dedup corpus in the common news-API shape parse accepts."""
    import orjson

    return orjson.dumps(
        {
            "source": {"name": item["source"]},
            "title": item["title"],
            "url": item["url"],
            "publishedAt": item["published"],
            "content": "\n\n".join(item["paragraphs"]),
        }
    )


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator:
    started: list[WorkerProcess] = []

    def start(settings: Settings, name: str = "worker", command: str = "worker") -> WorkerProcess:
        worker = WorkerProcess(
            settings,
            tmp_path / f"{name}-{len(started)}.log",
            tmp_path / f"{name}-data-{len(started)}",
            command,
        )
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
