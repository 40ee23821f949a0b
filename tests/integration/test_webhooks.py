"""Webhook delivery against real local HTTP receivers (aiohttp servers on loopback) and the
real embedded broker (subscriber dead letters). Most tests drive the delivery service the
worker uses (`Dispatcher`) in-process, which keeps them fast; the last one runs a real worker
with a subscriber added by `wirewatch subscriber add`."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import orjson
import pytest
from aiohttp import web
from aiokafka import AIOKafkaProducer

from wirewatch.agents.notify import (
    SignatureError,
    Subscriber,
    SubscriberRegistry,
    verify_signature,
)
from wirewatch.streams.broker import free_port
from wirewatch.streams.kafka import ensure_topics
from wirewatch.streams.notify import Dispatcher

from ..conftest import consume, produce, settings_env, unique_settings

pytestmark = pytest.mark.integration
SECRET = "receiver-secret-for-tests-0001"
NEW_SECRET = "receiver-secret-for-tests-0002"
DEADLINE = 30.0


@dataclass
class Received:
    alert_id: str
    body: bytes
    signature: str
    attempt: int
    content_type: str
    at: float


@dataclass
class Receiver:
    """A real HTTP server on loopback that records what reaches it. `respond` decides the
    status of each request (default 200)."""

    port: int = field(default_factory=free_port)
    requests: list[Received] = field(default_factory=list)
    respond: Callable[[Received], Awaitable[int]] | None = None
    runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    @property
    def delivered(self) -> list[str]:
        return [r.alert_id for r in self.requests if getattr(r, "status", 200) < 300]

    async def handle(self, request: web.Request) -> web.Response:
        received = Received(
            alert_id=request.headers.get("X-Wirewatch-Alert-Id", ""),
            body=await request.read(),
            signature=request.headers.get("X-Wirewatch-Signature", ""),
            attempt=int(request.headers.get("X-Wirewatch-Attempt", "0")),
            content_type=request.headers.get("Content-Type", ""),
            at=time.time(),
        )
        status = await self.respond(received) if self.respond else 200
        received.status = status  # type: ignore[attr-defined]
        self.requests.append(received)
        return web.Response(status=status)

    async def start(self) -> Receiver:
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()
        return self

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None


def alert(n: int, watchlist: str = "grain-talks", kind: str = "new") -> bytes:
    return orjson.dumps(
        {
            "schema_version": 1,
            "id": f"alert-{n:03d}",
            "watchlist": watchlist,
            "kind": kind,
            "snippet": f"item {n}",
        }
    )


async def wait_for(condition: Callable[[], bool], timeout: float = DEADLINE) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met before the deadline")
        await asyncio.sleep(0.02)


@pytest.fixture
async def dispatch(broker):
    """A started Dispatcher (fast retries, loopback allowed) on fresh topics; stopped after."""
    started: list[Dispatcher] = []

    async def make(subscribers: list[Subscriber], **overrides: object) -> Dispatcher:
        values: dict[str, object] = {
            "allow_private_webhooks": True,
            "webhook_retry_base_seconds": 0.05,
            "webhook_retry_max_seconds": 0.4,
            "webhook_timeout_seconds": 5.0,
        }
        values.update(overrides)
        settings = unique_settings(broker.bootstrap, **values)
        await ensure_topics(settings, settings.broker)
        dispatcher = Dispatcher(settings)
        await dispatcher.start()
        started.append(dispatcher)
        await dispatcher.sync(SubscriberRegistry(subscribers))
        return dispatcher

    yield make
    for dispatcher in started:
        await dispatcher.stop()


def subscriber(receiver: Receiver, ident: str = "newsroom", **fields: object) -> Subscriber:
    return Subscriber(id=ident, url=receiver.url, secret=SECRET, **fields)  # type: ignore[arg-type]


async def test_post_is_signed_and_carries_the_idempotency_header(dispatch) -> None:
    receiver = await Receiver().start()
    try:
        dispatcher = await dispatch([subscriber(receiver)])
        body = alert(1)
        await dispatcher.offer(body)
        await wait_for(lambda: len(receiver.requests) == 1)
        got = receiver.requests[0]
        assert got.body == body  # exactly the alert JSON from the alerts topic
        assert got.alert_id == "alert-001"
        assert got.content_type == "application/json"
        assert abs(verify_signature(SECRET, got.signature, got.body) - got.at) < 300
        with pytest.raises(SignatureError):
            verify_signature(NEW_SECRET, got.signature, got.body)
    finally:
        await receiver.stop()


async def test_500s_are_retried_with_backoff_until_delivered(dispatch) -> None:
    async def fail_three_times(request: Received) -> int:
        return 500 if request.attempt <= 3 else 200

    receiver = await Receiver(respond=fail_three_times).start()
    try:
        dispatcher = await dispatch([subscriber(receiver)])
        await dispatcher.offer(alert(1))
        await wait_for(lambda: receiver.delivered == ["alert-001"])
        assert [r.attempt for r in receiver.requests] == [1, 2, 3, 4]
        assert {r.alert_id for r in receiver.requests} == {"alert-001"}
        # each attempt is signed afresh, so a retry never carries a stale timestamp
        assert all(verify_signature(SECRET, r.signature, r.body) for r in receiver.requests)
        assert dispatcher.dead_lettered == 0
    finally:
        await receiver.stop()


async def test_order_per_subscriber_holds_through_failures(dispatch) -> None:
    calls = {"n": 0}

    async def flaky(request: Received) -> int:
        calls["n"] += 1
        return 503 if calls["n"] % 3 == 0 else 200  # every third request fails once

    receiver = await Receiver(respond=flaky).start()
    try:
        dispatcher = await dispatch([subscriber(receiver)])
        for n in range(20):
            await dispatcher.offer(alert(n))
        await wait_for(lambda: len(receiver.delivered) == 20)
        assert receiver.delivered == [f"alert-{n:03d}" for n in range(20)]
        assert len(receiver.requests) > 20  # some were retried, and still nothing overtook them
    finally:
        await receiver.stop()


async def test_a_subscriber_that_was_down_gets_everything_once_back(dispatch) -> None:
    receiver = Receiver()  # its port is chosen, nothing listens yet
    dispatcher = await dispatch([subscriber(receiver)])
    for n in range(6):
        await dispatcher.offer(alert(n))
    delivery = dispatcher.deliveries["newsroom"]
    await wait_for(lambda: delivery.failures >= 3)  # refused connections, retried
    await receiver.start()
    try:
        await wait_for(lambda: len(receiver.delivered) == 6)
        assert receiver.delivered == [f"alert-{n:03d}" for n in range(6)]
        assert receiver.requests[0].attempt >= 4  # the first alert got through on a retry
        assert dispatcher.dead_lettered == 0
    finally:
        await receiver.stop()


async def test_past_the_backlog_alerts_go_to_the_subscriber_dead_letter_topic(dispatch, caplog) -> None:
    receiver = Receiver()
    dispatcher = await dispatch([subscriber(receiver)], webhook_backlog=3)
    for n in range(7):
        await dispatcher.offer(alert(n))
    settings = dispatcher.settings
    records = await consume(settings, settings.subscriber_dead_letter_topic, 4, DEADLINE)
    letters = [orjson.loads(r.value) for r in records]
    assert [r.key for r in records] == [b"newsroom"] * 4
    assert [(d["reason"], d["alert"]["id"]) for d in letters] == [
        ("backlog-full", f"alert-{n:03d}") for n in range(3, 7)
    ]
    assert "further alerts go to" in caplog.text  # the warning, once per overflowing run
    assert caplog.text.count("further alerts go to") == 1
    await receiver.start()
    try:
        await wait_for(lambda: len(receiver.delivered) == 3)
        assert receiver.delivered == ["alert-000", "alert-001", "alert-002"]
    finally:
        await receiver.stop()


async def test_a_slow_subscriber_does_not_hold_back_another(dispatch) -> None:
    release = asyncio.Event()

    async def stuck(request: Received) -> int:
        await release.wait()  # holds the first request open until the test ends
        return 200

    slow = await Receiver(respond=stuck).start()
    fast = await Receiver().start()
    try:
        dispatcher = await dispatch([subscriber(slow, "slow"), subscriber(fast, "fast")])
        for n in range(5):
            await dispatcher.offer(alert(n))
        await wait_for(lambda: len(fast.delivered) == 5)
        assert fast.delivered == [f"alert-{n:03d}" for n in range(5)]
        assert slow.requests == []  # still stuck on its first alert
        release.set()
        await wait_for(lambda: len(slow.delivered) == 5)
    finally:
        release.set()
        await slow.stop()
        await fast.stop()


async def test_private_url_is_refused_unless_allowed(dispatch, broker) -> None:
    receiver = await Receiver().start()
    try:
        dispatcher = await dispatch([subscriber(receiver)], allow_private_webhooks=False)
        await dispatcher.offer(alert(1))
        settings = dispatcher.settings
        records = await consume(settings, settings.subscriber_dead_letter_topic, 1, DEADLINE)
        letter = orjson.loads(records[0].value)
        assert letter["reason"] == "rejected" and "loopback" in letter["error"]
        assert receiver.requests == []  # nothing was sent to the loopback address
    finally:
        await receiver.stop()
    # the command refuses to register it in the first place
    env = settings_env(settings) | {"WIREWATCH_ALLOW_PRIVATE_WEBHOOKS": "0"}
    result = subprocess.run(
        [sys.executable, "-m", "wirewatch.streams.cli", "subscriber", "add", "--url", receiver.url],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "loopback" in result.stderr


async def test_secret_rotation_signs_with_both_secrets_for_the_grace_period(dispatch) -> None:
    receiver = await Receiver().start()
    try:
        original = subscriber(receiver)
        dispatcher = await dispatch([original])
        await dispatcher.offer(alert(1))
        await wait_for(lambda: len(receiver.delivered) == 1)
        await dispatcher.sync(SubscriberRegistry([original.rotated(NEW_SECRET, grace_seconds=3600)]))
        await dispatcher.offer(alert(2))
        await wait_for(lambda: len(receiver.delivered) == 2)
        before, during = receiver.requests
        assert before.signature.count("v1=") == 1 and during.signature.count("v1=") == 2
        verify_signature(SECRET, during.signature, during.body)  # a receiver not yet switched
        verify_signature(NEW_SECRET, during.signature, during.body)  # one already switched
        with pytest.raises(SignatureError):
            verify_signature(NEW_SECRET, before.signature, before.body)
        # after the grace period only the new secret signs
        await dispatcher.sync(SubscriberRegistry([original.rotated(NEW_SECRET, grace_seconds=0)]))
        await dispatcher.offer(alert(3))
        await wait_for(lambda: len(receiver.delivered) == 3)
        after = receiver.requests[2]
        verify_signature(NEW_SECRET, after.signature, after.body)
        with pytest.raises(SignatureError):
            verify_signature(SECRET, after.signature, after.body)
    finally:
        await receiver.stop()


def run_cli(settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = settings_env(settings) | {"WIREWATCH_ALLOW_PRIVATE_WEBHOOKS": "1"}
    return subprocess.run(
        [sys.executable, "-m", "wirewatch.streams.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


async def test_worker_delivers_to_a_subscriber_added_by_the_command(
    broker, start_worker, monkeypatch
) -> None:
    """The whole path in a real worker: `subscriber add` → subscribers topic → every worker;
    alerts topic → notify agent → signed POST. Prints the alerts-topic-to-webhook latency."""
    settings = unique_settings(broker.bootstrap)
    await ensure_topics(settings, settings.broker)
    receiver = await Receiver().start()
    try:
        added = run_cli(
            settings, "subscriber", "add", "--url", receiver.url, "--id", "desk", "--watchlist", "grain-talks"
        )
        secret = orjson.loads(added.stdout.splitlines()[0])["secret"]
        listed = [orjson.loads(line) for line in run_cli(settings, "subscriber", "ls").stdout.splitlines()]
        assert [(s["id"], s["watchlists"]) for s in listed] == [("desk", ["grain-talks"])]
        assert secret not in run_cli(settings, "subscriber", "ls").stdout
        monkeypatch.setenv("WIREWATCH_ALLOW_PRIVATE_WEBHOOKS", "1")
        monkeypatch.setenv("WIREWATCH_WEBHOOK_RETRY_BASE_S", "0.1")
        worker = start_worker(settings)
        await asyncio.get_running_loop().run_in_executor(None, worker.ready)
        await wait_for(lambda: "subscribers loaded: 1" in worker.log_path.read_text(errors="replace"))
        sent_at: dict[str, float] = {}
        records = []
        for n in range(10):
            records.append((b"grain-talks", alert(n)))
            records.append((b"ports", alert(100 + n, watchlist="ports")))  # not subscribed
        producer = AIOKafkaProducer(bootstrap_servers=settings.broker)
        await producer.start()
        try:
            for key, value in records:
                sent_at[orjson.loads(value)["id"]] = time.time()
                await producer.send_and_wait(settings.alerts_topic, key=key, value=value)
                await asyncio.sleep(0.05)  # a trickle, as alerts come: latency, not queueing
        finally:
            await producer.stop()
        await wait_for(lambda: len(receiver.delivered) == 10, timeout=60)
        assert receiver.delivered == [f"alert-{n:03d}" for n in range(10)]
        for got in receiver.requests:
            verify_signature(secret, got.signature, got.body)
        await asyncio.sleep(1.0)
        assert len(receiver.requests) == 10  # the other watchlist's alerts never came
        latencies = sorted(r.at - sent_at[r.alert_id] for r in receiver.requests)
        print(
            f"\nalerts topic -> webhook latency over {len(latencies)} alerts: "
            f"p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
        )
        # rotate through the command: the running worker signs with both secrets at once
        rotated = run_cli(settings, "subscriber", "rotate-secret", "desk")
        new_secret = orjson.loads(rotated.stdout)["secret"]
        # the worker picks the change up within a second: send alerts until one is signed twice
        deadline = time.monotonic() + DEADLINE
        for n in range(50, 80):
            await produce(settings, settings.alerts_topic, [(b"grain-talks", alert(n))])
            await wait_for(lambda n=n: f"alert-{n:03d}" in receiver.delivered, timeout=60)
            if receiver.requests[-1].signature.count("v1=") == 2 or time.monotonic() > deadline:
                break
        last = receiver.requests[-1]
        assert last.signature.count("v1=") == 2, "the worker never signed with both secrets"
        verify_signature(secret, last.signature, last.body)
        verify_signature(new_secret, last.signature, last.body)
    finally:
        await receiver.stop()


async def test_queued_alerts_are_dead_lettered_when_unsubscribed_or_stopping(broker) -> None:
    receiver = Receiver()  # never listens: everything stays queued
    settings = unique_settings(
        broker.bootstrap,
        allow_private_webhooks=True,
        webhook_retry_base_seconds=0.05,
        webhook_retry_max_seconds=0.2,
    )
    await ensure_topics(settings, settings.broker)
    dispatcher = Dispatcher(settings)
    await dispatcher.start()
    try:
        await dispatcher.sync(
            SubscriberRegistry([subscriber(receiver, "leaving"), subscriber(receiver, "staying")])
        )
        for n in range(3):
            await dispatcher.offer(alert(n))
        await dispatcher.sync(SubscriberRegistry([subscriber(receiver, "staying")]))
        assert list(dispatcher.deliveries) == ["staying"]
    finally:
        await dispatcher.stop()
    records = await consume(settings, settings.subscriber_dead_letter_topic, 6, DEADLINE)
    letters = [
        (r.key.decode(), orjson.loads(r.value)["reason"], orjson.loads(r.value)["alert_id"]) for r in records
    ]
    assert letters == [("leaving", "unsubscribed", f"alert-{n:03d}") for n in range(3)] + [
        ("staying", "worker-stopped", f"alert-{n:03d}") for n in range(3)
    ]


def test_subscriber_command_file_ls_rm_and_secret_kept_on_re_add(broker, tmp_path) -> None:
    settings = unique_settings(broker.bootstrap)
    asyncio.run(ensure_topics(settings, settings.broker))
    path = tmp_path / "subscribers.yaml"
    path.write_text(
        "subscribers:\n"
        "  - id: desk\n    url: http://127.0.0.1:9/desk\n    kinds: [new]\n"
        "  - id: archive\n    url: http://127.0.0.1:9/archive\n    secret: archive-secret-0123456789\n"
    )
    first = {
        d["id"]: d["secret"]
        for d in map(orjson.loads, run_cli(settings, "subscriber", "add", str(path)).stdout.splitlines())
    }
    assert first["archive"] == "archive-secret-0123456789" and len(first["desk"]) == 64
    again = {
        d["id"]: d["secret"]
        for d in map(orjson.loads, run_cli(settings, "subscriber", "add", str(path)).stdout.splitlines())
    }
    assert again == first  # re-adding without a secret keeps the one the receiver has
    listed = [orjson.loads(line) for line in run_cli(settings, "subscriber", "ls").stdout.splitlines()]
    assert [(d["id"], d["kinds"]) for d in listed] == [("archive", []), ("desk", ["new"])]
    run_cli(settings, "subscriber", "rm", "desk")
    listed = [orjson.loads(line) for line in run_cli(settings, "subscriber", "ls").stdout.splitlines()]
    assert [d["id"] for d in listed] == ["archive"]
