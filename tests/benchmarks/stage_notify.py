"""Benchmark of alert delivery: raw topic to SSE client and raw topic to webhook receiver.

Setup: its own embedded broker; one `wirewatch worker` with its web server on; the suite's
watchlists (`corpus.watchlists`, 100 of them, the first a catch-all that every original article
matches); one webhook subscriber (a local aiohttp receiver on loopback) and one SSE client
(aiohttp, `/alerts/stream?watchlist=<catch-all>`), both for the catch-all watchlist only.

Run: the generated corpus (`corpus.generate`) is published to the raw topic at a fixed paced
rate, each record's send time kept. The latency of an article is when its catch-all alert
reaches the SSE client, or the webhook receiver, minus the send time of the record that
carried it (monotonic clock, one process). Duplicates, syndicated copies and later articles of
a story that bring nothing new raise no alert; `catch_all_alerts_on_topic` is what the
pipeline raised, and what SSE and the webhook should each have received in full. Also the pure
signing cost per alert.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp
import orjson
from aiohttp import web
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from tests.conftest import produce, settings_env
from wirewatch.agents.notify import Subscriber, sign
from wirewatch.agents.parse import parse_record
from wirewatch.streams.broker import EmbeddedBroker, free_port
from wirewatch.streams.kafka import ensure_topics
from wirewatch.streams.records import RawRecord
from wirewatch.streams.settings import Settings

from . import corpus

REPO = Path(__file__).resolve().parents[2]
FULL_RECORDS, FULL_RATE = 600, 20.0  # 30 s of traffic, well under one worker's saturation
SMOKE_RECORDS, SMOKE_RATE = 60, 20.0
SECRET = "bench-notify-secret-000000000000"
CATCH_ALL_ID = "bench-catch-all"  # corpus.watchlists() puts it first


def article_ids(records: list[corpus.BenchRecord]) -> list[str]:
    """The id the parse stage gives each record's article ("" when it yields none)."""
    ids = []
    for record in records:
        parsed = parse_record(RawRecord(value=record.value, key=record.key, topic="bench.raw"))
        ids.append(parsed.articles[0].id if parsed.articles else "")
    return ids


async def paced_produce(
    bootstrap: str, topic: str, records: list[corpus.BenchRecord], rate: float
) -> list[float]:
    """Publish at `rate` records/s; returns the monotonic time each record was handed over."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, max_request_size=8 * 1024 * 1024, linger_ms=0)
    await producer.start()
    sent: list[float] = []
    try:
        started = time.monotonic()
        futures = []
        for number, record in enumerate(records):
            delay = started + number / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            sent.append(time.monotonic())
            futures.append(await producer.send(topic, key=record.key, value=record.value))
        await asyncio.gather(*futures)
    finally:
        await producer.stop()
    return sent


async def wait_ready(process: subprocess.Popen[bytes], log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log_path.read_text(errors="replace")
        if "[^Worker]: Ready" in text and "subscribers loaded" in text and "watchlists loaded" in text:
            return
        if process.poll() is not None:
            raise RuntimeError(f"the worker exited early:\n{text[-3000:]}")
        await asyncio.sleep(0.2)
    raise RuntimeError(f"the worker was not ready in {timeout:.0f}s:\n{log_path.read_text()[-3000:]}")


def stop_process(process: subprocess.Popen[bytes], timeout: float = 40.0) -> None:
    """SIGTERM, then SIGKILL of its process group if it does not stop in time."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def signing_rate(seconds: float = 0.5) -> float:
    """Signatures per second of a typical alert body (about 1.5 KB)."""
    body = orjson.dumps({"id": "x" * 32, "snippet": "word " * 280})
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        sign(SECRET, body)
        count += 1
    return count / (time.perf_counter() - started)


async def catch_all_alerts(bootstrap: str, topic: str) -> int:
    """How many catch-all alerts the alerts topic holds: what SSE and webhooks should deliver."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or {0})]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        ends = await consumer.end_offsets(tps)
        count = 0
        while [tp for tp in tps if await consumer.position(tp) < ends[tp]]:
            for messages in (await consumer.getmany(timeout_ms=500)).values():
                count += sum(1 for m in messages if m.key == CATCH_ALL_ID.encode())
        return count
    finally:
        await consumer.stop()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def start_worker(settings: Settings, log_path: Path, data_dir: Path) -> subprocess.Popen[bytes]:
    env = settings_env(settings) | {
        "WIREWATCH_WEB_ENABLED": "true",
        "WIREWATCH_ALLOW_PRIVATE_WEBHOOKS": "1",  # the receiver is on loopback
        "WIREWATCH_DATA_DIR": str(data_dir),
    }
    env.pop("WIREWATCH_API_TOKEN", None)  # loopback clients need no token
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "wirewatch.streams.cli", "worker"],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


async def read_sse(url: str, arrivals: dict[str, float], opened: asyncio.Event) -> None:
    timeout = aiohttp.ClientTimeout(total=None, sock_read=None)
    async with aiohttp.ClientSession(timeout=timeout) as session, session.get(url) as response:
        data = b""
        async for line in response.content:
            if line.startswith(b": stream open"):
                opened.set()
            elif line.startswith(b"data: "):
                data = line[6:]
            elif line in (b"\n", b"\r\n") and data:
                arrivals.setdefault(orjson.loads(data)["article"]["id"], time.monotonic())
                data = b""


async def run(broker: EmbeddedBroker, records_count: int, rate: float, work_dir: Path) -> dict[str, float]:
    records = corpus.generate(records_count)
    ids = article_ids(records)
    tag = uuid.uuid4().hex[:8]
    settings = Settings(
        broker=broker.bootstrap,
        app_id=f"bench-notify-{tag}",
        topic_prefix=f"bench-notify-{tag}",
        web_port=free_port(),
        allow_private_webhooks=True,
    )
    await ensure_topics(settings, settings.broker)
    watchlists = corpus.watchlists(100)
    assert watchlists[0]["id"] == CATCH_ALL_ID
    await produce(
        settings, settings.watchlists_topic, [(w["id"].encode(), orjson.dumps(w)) for w in watchlists]
    )
    webhook_arrivals: dict[str, float] = {}

    async def receive(request: web.Request) -> web.Response:
        alert = orjson.loads(await request.read())
        webhook_arrivals.setdefault(alert["article"]["id"], time.monotonic())
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/hook", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    subscriber = Subscriber(
        id="bench", url=f"http://127.0.0.1:{port}/hook", secret=SECRET, watchlists=(CATCH_ALL_ID,)
    )
    await produce(
        settings,
        settings.subscribers_topic,
        [(subscriber.id.encode(), orjson.dumps(subscriber.to_dict()))],
    )
    log_path = work_dir / "worker.log"
    process = start_worker(settings, log_path, work_dir / "data")
    sse_arrivals: dict[str, float] = {}
    sse_task: asyncio.Task | None = None
    try:
        await wait_ready(process, log_path, timeout=180)
        opened = asyncio.Event()
        url = f"http://127.0.0.1:{settings.web_port}/alerts/stream?watchlist={CATCH_ALL_ID}"
        sse_task = asyncio.create_task(read_sse(url, sse_arrivals, opened))
        await asyncio.wait_for(opened.wait(), 30)
        sent = await paced_produce(broker.bootstrap, settings.raw_topic, records, rate)
        held = (len(sent) - 1) / max(1e-9, sent[-1] - sent[0])
        expected: dict[str, float] = {}
        for record, when in zip(records, sent, strict=True):
            if record.kind == "original" and ids[record.index]:
                expected.setdefault(ids[record.index], when)
        # done when everything expected came, or nothing new came for 15 s (articles the
        # pipeline does not alert on never come; a backed-up worker keeps adding)
        deadline, quiet_since, seen = time.monotonic() + 300, time.monotonic(), -1
        while time.monotonic() < deadline and time.monotonic() - quiet_since < 15:
            if set(expected) <= set(sse_arrivals) and set(expected) <= set(webhook_arrivals):
                break
            if len(sse_arrivals) + len(webhook_arrivals) != seen:
                seen, quiet_since = len(sse_arrivals) + len(webhook_arrivals), time.monotonic()
            await asyncio.sleep(0.1)
    finally:
        if sse_task is not None:
            sse_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await sse_task
        stop_process(process, timeout=40)
        await runner.cleanup()
    on_topic = await catch_all_alerts(broker.bootstrap, settings.alerts_topic)
    sse = [sse_arrivals[i] - t for i, t in expected.items() if i in sse_arrivals]
    hooks = [webhook_arrivals[i] - t for i, t in expected.items() if i in webhook_arrivals]
    return {
        "rate_held_records_per_s": held,
        "original_articles_sent": len(expected),
        "catch_all_alerts_on_topic": on_topic,
        "sse_received": len(sse),
        "webhook_received": len(hooks),
        "raw_to_sse_p50_ms": statistics.median(sse) * 1000 if sse else float("nan"),
        "raw_to_sse_p99_ms": percentile(sse, 0.99) * 1000,
        "raw_to_webhook_p50_ms": statistics.median(hooks) * 1000 if hooks else float("nan"),
        "raw_to_webhook_p99_ms": percentile(hooks, 0.99) * 1000,
    }


def measure(smoke: bool = False) -> dict[str, float]:
    count, rate = (SMOKE_RECORDS, SMOKE_RATE) if smoke else (FULL_RECORDS, FULL_RATE)
    with tempfile.TemporaryDirectory(prefix="bench-notify-") as folder, EmbeddedBroker() as broker:
        figures = asyncio.run(run(broker, count, rate, Path(folder)))
    figures["sign_alerts_per_s"] = signing_rate()
    return figures


if __name__ == "__main__":
    for name, value in measure(smoke="--smoke" in sys.argv).items():
        print(f"{name:40s} {value:12.3f}")
