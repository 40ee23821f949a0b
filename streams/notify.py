"""Webhook delivery: the service around the notify core (agents/notify), off the hot path.

    alerts topic ──► notify agent (same consumer group: each alert handled by one worker)
                        └─► Dispatcher.offer ──► one queue + one task per subscriber ──► POST
                                                   └─ full, rejected, removed, stopping ──► subscriber dead-letter topic
    subscribers topic (compacted) ──► SubscriberFollower (every worker reads every record)

The agent only puts alerts on in-memory queues, so a slow or dead subscriber holds back
neither the hot path nor the other subscribers. Each subscriber's queue is delivered in
order by its own task, retried with exponential backoff and jitter, and bounded: past the
bound, its alerts go to the subscriber dead-letter topic (key: subscriber id) with a warning.
Also here: the `wirewatch subscriber` command's actions.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import socket
import sys
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import faust
import orjson
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import IllegalStateError, KafkaError

from wirewatch.agents.notify import (
    ALERT_ID_HEADER,
    SIGNATURE_HEADER,
    Backlog,
    BackoffPolicy,
    PendingAlert,
    Subscriber,
    SubscriberError,
    SubscriberRegistry,
    UnsafeWebhookURL,
    check_webhook_url,
    dead_letter,
    load_subscribers,
    parse_retry_after,
    parse_webhook_url,
    refuse_unsafe_addresses,
    sign,
)

from .kafka import CompactedTopicFollower, bootstrap_of, true_end_offsets
from .settings import Settings

log = logging.getLogger(__name__)
USER_AGENT = "wirewatch-webhooks/1"
# Statuses worth retrying: the subscriber is down, overloaded or asks us to come back later.
RETRYABLE_STATUSES = frozenset({408, 425, 429}) | frozenset(range(500, 600))
# The embedded broker answers a fetch when its wait ends rather than when data arrives, so the
# wait is the webhooks' latency floor (as for SSE); 100 ms costs 10 small idle fetches a second.
ALERTS_FETCH_WAIT_MS = 100
ALERTS_BATCH_MAX = 500
# While nobody subscribes, how often the paused partitions' positions are moved to their end
# (and committed with them), so a restarted worker does not deliver what was raised meanwhile.
KEEP_AT_END_EVERY_S = 5.0


class SubscriberFollower(CompactedTopicFollower):
    """Every worker's copy of the compacted subscribers topic, as a SubscriberRegistry;
    `on_change` is called with the registry after each batch of changes."""

    what = "subscribers"

    def __init__(
        self,
        settings: Settings,
        on_change: Callable[[SubscriberRegistry], Awaitable[None]] | None = None,
    ) -> None:
        super().__init__(settings.broker, settings.subscribers_topic)
        self.settings = settings
        self.registry = SubscriberRegistry()
        self.on_change = on_change

    def apply(self, key: bytes | None, value: bytes | None) -> None:
        self.registry.apply_record(key, value)

    def size(self) -> int:
        return len(self.registry)

    async def after_batch(self, changed: bool) -> None:
        if changed and self.on_change is not None:
            await self.on_change(self.registry)


class PublicOnlyResolver(AbstractResolver):
    """Resolves like aiohttp's default resolver, then refuses non-public addresses: checked
    when connecting, so a name that resolves elsewhere later (DNS rebinding) is refused."""

    def __init__(self) -> None:
        self._inner = DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        refuse_unsafe_addresses(host, [r["host"] for r in results])
        return results

    async def close(self) -> None:
        await self._inner.close()


class Delivery:
    """One subscriber's queue and the task that POSTs it, in order, one alert at a time."""

    def __init__(self, subscriber: Subscriber, dispatcher: Dispatcher) -> None:
        self.subscriber = subscriber
        self.dispatcher = dispatcher
        self.backlog = Backlog(dispatcher.settings.webhook_backlog)
        self.wake = asyncio.Event()
        self.task: asyncio.Task[None] | None = None
        self.failures = 0  # consecutive failed attempts of the head alert
        self.overflow_warned = False

    def start(self) -> None:
        self.task = asyncio.create_task(self._run(), name=f"webhook-{self.subscriber.id}")

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task

    def enqueue(self, pending: PendingAlert) -> bool:
        accepted = self.backlog.offer(pending)
        if accepted:
            if len(self.backlog) <= self.backlog.capacity // 2:
                # warn again only after a real recovery, not each time one slot frees up
                self.overflow_warned = False
            self.wake.set()
        return accepted

    async def _run(self) -> None:
        while True:
            pending = self.backlog.head()
            if pending is None:
                self.wake.clear()
                await self.wake.wait()
                continue
            try:
                outcome, detail, retry_after = await self._attempt(pending)
            except Exception as exc:  # a bug must not silently end this subscriber's deliveries
                log.exception("webhook %s: delivery of %s failed", self.subscriber.id, pending.alert_id)
                outcome, detail, retry_after = "retry", f"internal error: {exc!r}", None
            if outcome == "delivered":
                self.backlog.done()
                self.failures = 0
                self.dispatcher.delivered += 1
                self.dispatcher.latencies.append(time.time() - pending.queued_at)
                continue
            pending.last_failure = detail
            pending.first_failure = pending.first_failure or detail
            if outcome == "permanent":
                self.backlog.done()
                self.failures = 0
                log.warning(
                    "webhook %s refused alert %s for good (%s); sent to %s",
                    self.subscriber.id,
                    pending.alert_id,
                    detail,
                    self.dispatcher.settings.subscriber_dead_letter_topic,
                )
                await self.dispatcher.dead_letter(self.subscriber.id, pending, "rejected", detail)
                continue
            self.failures += 1
            wait = self.dispatcher.backoff.delay(self.failures, self.dispatcher.rng, retry_after)
            log.info(
                "webhook %s: alert %s attempt %d failed (%s); retry in %.2fs, %d queued",
                self.subscriber.id,
                pending.alert_id,
                pending.attempts,
                detail,
                wait,
                len(self.backlog),
            )
            await asyncio.sleep(wait)

    async def _attempt(self, pending: PendingAlert) -> tuple[str, str, float | None]:
        """One POST: ('delivered' | 'retry' | 'permanent', why, Retry-After seconds)."""
        subscriber = self.subscriber  # re-read each attempt: rotation and URL changes apply at once
        pending.attempts += 1
        settings = self.dispatcher.settings
        try:
            _scheme, host, port = parse_webhook_url(subscriber.url)
            if not settings.allow_private_webhooks:
                loop = asyncio.get_running_loop()
                infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
                refuse_unsafe_addresses(host, [str(info[4][0]) for info in infos])
        except (UnsafeWebhookURL, ValueError) as exc:
            return "permanent", f"unsafe-url: {exc}", None
        except OSError as exc:
            return "retry", f"cannot resolve: {exc}", None
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            ALERT_ID_HEADER: pending.alert_id,
            SIGNATURE_HEADER: sign(subscriber.signing_secrets(), pending.body),
            "X-Wirewatch-Attempt": str(pending.attempts),
        }
        try:
            async with self.dispatcher.session.post(
                subscriber.url, data=pending.body, headers=headers, allow_redirects=False
            ) as response:
                await response.read()
                if 200 <= response.status < 300:
                    return "delivered", str(response.status), None
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                if response.status in RETRYABLE_STATUSES:
                    return "retry", f"HTTP {response.status}", retry_after
                return "permanent", f"HTTP {response.status}", None
        except UnsafeWebhookURL as exc:
            return "permanent", f"unsafe-url: {exc}", None
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            return "retry", f"{type(exc).__name__}: {exc}".rstrip(": "), None


class Dispatcher:
    """Fans alerts out to the subscribers that want them. Start it, feed it with `offer`,
    keep it in step with the registry with `sync`, stop it (what is still queued then goes
    to the subscriber dead-letter topic, so a stopping worker loses nothing silently)."""

    def __init__(self, settings: Settings, rng: random.Random | None = None) -> None:
        self.settings = settings
        self.backoff = BackoffPolicy(
            base_seconds=settings.webhook_retry_base_seconds, cap_seconds=settings.webhook_retry_max_seconds
        )
        self.rng = rng or random.Random()
        self.deliveries: dict[str, Delivery] = {}
        self.registry = SubscriberRegistry()
        self.delivered = 0
        self.dead_lettered = 0
        # seconds from queueing to the subscriber's 2xx, the latest ones only
        self.latencies: deque[float] = deque(maxlen=1000)
        self._session: aiohttp.ClientSession | None = None
        self._producer: AIOKafkaProducer | None = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            raise RuntimeError("the dispatcher is not started")
        return self._session

    async def start(self) -> None:
        resolver = None if self.settings.allow_private_webhooks else PublicOnlyResolver()
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=self.settings.webhook_timeout_seconds),
            connector=aiohttp.TCPConnector(resolver=resolver, limit_per_host=4),
        )
        self._producer = AIOKafkaProducer(bootstrap_servers=bootstrap_of(self.settings.broker), acks="all")
        await self._producer.start()

    async def stop(self) -> None:
        for delivery in list(self.deliveries.values()):
            await delivery.stop()
            await self._drain(delivery, "worker-stopped")
        self.deliveries.clear()
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def sync(self, registry: SubscriberRegistry) -> None:
        """Start deliveries for new subscribers, update changed ones, and end removed ones
        (their queued alerts go to dead letters: nobody will take them)."""
        self.registry = registry
        current = {s.id: s for s in registry}
        for ident, delivery in list(self.deliveries.items()):
            if ident not in current:
                del self.deliveries[ident]
                await delivery.stop()
                await self._drain(delivery, "unsubscribed")
        for ident, subscriber in current.items():
            if ident in self.deliveries:
                self.deliveries[ident].subscriber = subscriber
            else:
                delivery = Delivery(subscriber, self)
                self.deliveries[ident] = delivery
                delivery.start()

    async def offer(self, body: bytes) -> int:
        """Queue one alert (its JSON as on the alerts topic) for every subscriber that wants
        it; return how many queued it. Never waits on a subscriber."""
        if not self.deliveries:
            return 0
        try:
            alert = orjson.loads(body)
        except orjson.JSONDecodeError:
            log.warning("alerts topic record is not JSON; not delivered to webhooks")
            return 0
        if not isinstance(alert, dict):
            return 0
        queued = 0
        for ident, delivery in list(self.deliveries.items()):
            if not delivery.subscriber.wants(alert):
                continue
            pending = PendingAlert(alert_id=str(alert.get("id", "")), body=body)
            if delivery.enqueue(pending):
                queued += 1
                continue
            if not delivery.overflow_warned:
                # once per overflowing run, not once per alert: a dead subscriber would flood the log
                log.warning(
                    "webhook %s has %d undelivered alerts (WIREWATCH_WEBHOOK_BACKLOG); further alerts go to %s",
                    ident,
                    len(delivery.backlog),
                    self.settings.subscriber_dead_letter_topic,
                )
                delivery.overflow_warned = True
            await self.dead_letter(ident, pending, "backlog-full", f"{len(delivery.backlog)} alerts queued")
        return queued

    async def dead_letter(
        self, subscriber_id: str, pending: PendingAlert, reason: str, error: str = ""
    ) -> None:
        if self._producer is None:
            log.error(
                "alert %s for %s lost (%s): dispatcher stopped", pending.alert_id, subscriber_id, reason
            )
            return
        await self._producer.send_and_wait(
            self.settings.subscriber_dead_letter_topic,
            key=subscriber_id.encode(),
            value=dead_letter(subscriber_id, pending, reason, error),
        )
        self.dead_lettered += 1

    async def _drain(self, delivery: Delivery, reason: str) -> None:
        left = delivery.backlog.drain()
        if left:
            log.warning(
                "webhook %s: %d undelivered alerts sent to %s (%s)",
                delivery.subscriber.id,
                len(left),
                self.settings.subscriber_dead_letter_topic,
                reason,
            )
        for pending in left:
            await self.dead_letter(delivery.subscriber.id, pending, reason)


class AlertsReader:
    """The webhooks' reader of the alerts topic: a plain aiokafka consumer in the workers'
    notify group (`<app id>-notify`: each alert is offered by one worker), offering every alert
    to the dispatcher.

    Not a Faust agent: Faust's per-record machinery (its event, stream and ack bookkeeping) cost
    about 0.25 ms of the worker's CPU per alert, a millisecond per article at four alerts an
    article, while aiokafka alone fetches and decodes an alert in microseconds (measured,
    docs/worker-cpu.md). While nobody subscribes it reads nothing: its partitions are paused and
    kept at their end, so the alerts raised meanwhile are not delivered later, as when each was
    read and dropped."""

    def __init__(self, settings: Settings, dispatcher: Dispatcher) -> None:
        self.settings = settings
        self.dispatcher = dispatcher
        self.consumer: AIOKafkaConsumer | None = None
        self._kept_at_end = 0.0  # monotonic time the paused partitions were last moved to their end
        # one change of course at a time: the registry's changes and the reading loop both call
        # follow_subscribers, and a second seek to the end after a resume would skip alerts
        self._following = asyncio.Lock()

    @property
    def group(self) -> str:
        return f"{self.settings.app_id}-notify"

    async def run(self, subscribers_known: asyncio.Event) -> None:
        consumer = AIOKafkaConsumer(
            self.settings.alerts_topic,
            bootstrap_servers=bootstrap_of(self.settings.broker),
            group_id=self.group,
            enable_auto_commit=True,  # positions of alerts already queued (or skipped): see docs
            auto_offset_reset="earliest",
            fetch_max_wait_ms=ALERTS_FETCH_WAIT_MS,
            # as the worker's own group: a member that died is let go, and a rebalance waits for
            # the others, as long as in the worker's group (aiokafka's default waits 30 s)
            session_timeout_ms=int(self.settings.session_timeout_s * 1000),
            rebalance_timeout_ms=int(self.settings.rebalance_timeout_s * 1000),
        )
        await consumer.start()  # it joins the group now, while the rest of the worker starts
        try:
            # Records only once the subscribers are known: a worker that starts with some
            # resumes from the group's committed offsets, one that starts without any pauses.
            await subscribers_known.wait()
            self.consumer = consumer
            while True:
                await self.follow_subscribers()
                batches = await consumer.getmany(timeout_ms=1000, max_records=ALERTS_BATCH_MAX)
                for messages in batches.values():
                    for message in messages:
                        if message.value is not None:
                            await self.dispatcher.offer(message.value)
        finally:
            self.consumer = None
            await consumer.stop()

    async def follow_subscribers(self) -> None:
        """Pause the partitions while nobody subscribes (keeping them at their end), resume them
        from their end when someone does. Called after each registry change and each fetch (a
        rebalance may have brought partitions)."""
        consumer = self.consumer
        if consumer is None:
            return
        async with self._following:
            await self._follow(consumer)

    async def _follow(self, consumer: AIOKafkaConsumer) -> None:
        try:
            if self.dispatcher.deliveries:
                paused = consumer.paused()
                if paused:
                    await self._to_end(consumer, paused, exact=True)
                    consumer.resume(*paused)
                return
            assigned = consumer.assignment()
            running = assigned - consumer.paused()
            if running:
                consumer.pause(*running)
            if assigned and (running or time.monotonic() - self._kept_at_end > KEEP_AT_END_EVERY_S):
                await self._to_end(consumer, assigned, exact=False)
        except (IllegalStateError, KafkaError) as exc:  # a rebalance meanwhile: the next call redoes it
            log.info("alerts reader: %r; checked again after the next fetch", exc)
        except Exception:  # webhooks must never stop the worker: the next call tries again
            log.exception("alerts reader: could not pause or resume %s", self.settings.alerts_topic)

    async def _to_end(self, consumer: AIOKafkaConsumer, tps: set[TopicPartition], exact: bool) -> None:
        ends = await consumer.end_offsets(list(tps))
        if exact:  # before resuming: the broker's reported end may fall inside its last batch
            ends = await true_end_offsets(self.settings.broker, ends)
        for tp, end in ends.items():
            consumer.seek(tp, end)
        self._kept_at_end = time.monotonic()


class AlertsReaderService(faust.Service):
    """Runs the alerts reader from the start of the app, not once it is ready as app tasks are:
    its group join (five seconds on the embedded broker) then overlaps the worker's own."""

    def __init__(self, reader: AlertsReader, subscribers_known: asyncio.Event) -> None:
        super().__init__()
        self.reader = reader
        self.subscribers_known = subscribers_known

    @faust.Service.task
    async def _read(self) -> None:
        while not self.should_stop:
            try:
                await self.reader.run(self.subscribers_known)
            except KafkaError as exc:
                topic = self.reader.settings.alerts_topic
                log.warning("cannot read %s for webhooks (%r); retrying in 5 s", topic, exc)
                await self.sleep(5)
            except Exception:  # webhooks must never stop the worker (a Service task's error would)
                log.exception("the alerts reader failed; starting it again in 5 s")
                await self.sleep(5)


def install_notify(app: Any, settings: Settings, alerts_topic: Any) -> None:
    """Add webhook delivery (the alerts reader, the subscribers follower) and the alert stream
    (SSE) to a Faust app. Called once by create_app; `alerts_topic` is no longer read here."""
    del alerts_topic
    dispatcher = Dispatcher(settings)
    reader = AlertsReader(settings, dispatcher)

    async def on_change(registry: SubscriberRegistry) -> None:
        await dispatcher.sync(registry)
        await reader.follow_subscribers()

    follower = SubscriberFollower(settings, on_change=on_change)
    app.wirewatch_notify = dispatcher
    app.wirewatch_alerts_reader = reader

    @app.task
    async def follow_subscribers() -> None:
        await dispatcher.start()
        try:
            while True:
                try:
                    await follower.run()
                except (RuntimeError, KafkaError) as exc:
                    # webhooks wait (the hot path does not) until the topic can be read
                    log.warning("cannot read %s (%s); retrying in 5 s", settings.subscribers_topic, exc)
                    await asyncio.sleep(5)
        finally:
            # the worker is stopping: queued alerts go to dead letters rather than vanish
            await dispatcher.stop()

    app.add_dependency(AlertsReaderService(reader, follower.ready))

    if settings.web_enabled:
        from .web_alerts import register_alert_stream

        register_alert_stream(app, settings)


# --- the `wirewatch subscriber` command ---------------------------------------------------------


async def read_subscribers(settings: Settings, timeout: float = 30.0) -> SubscriberRegistry:
    """The subscribers topic read to its end (for the command line)."""
    follower = SubscriberFollower(settings)
    task = asyncio.create_task(follower.run())
    try:
        await asyncio.wait_for(follower.ready.wait(), timeout)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
    return follower.registry


async def publish_subscribers(settings: Settings, records: list[tuple[str, bytes | None]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_of(settings.broker), acks="all")
    await producer.start()
    try:
        for ident, value in records:
            await producer.send_and_wait(settings.subscribers_topic, key=ident.encode(), value=value)
    finally:
        await producer.stop()


def _say(message: str) -> None:
    print(f"wirewatch: {message}", file=sys.stderr)


async def subscriber_command(settings: Settings, args: Any) -> int:
    """add FILE | add --url …, rm ID…, ls, rotate-secret ID: changes go through the topic."""
    if args.action == "rm":
        await publish_subscribers(settings, [(ident, None) for ident in args.ids])
        _say(f"removed {', '.join(args.ids)}")
        return 0
    current = await read_subscribers(settings)
    if args.action == "ls":
        for subscriber in sorted(current, key=lambda s: s.id):
            sys.stdout.write(orjson.dumps(subscriber.public_dict()).decode() + "\n")
        return 0
    if args.action == "rotate-secret":
        existing = current.get(args.id)
        if existing is None:
            _say(f"no subscriber {args.id!r}")
            return 1
        rotated = existing.rotated(args.secret, grace_seconds=args.grace)
        await publish_subscribers(settings, [(rotated.id, orjson.dumps(rotated.to_dict()))])
        sys.stdout.write(orjson.dumps({"id": rotated.id, "secret": rotated.secret}).decode() + "\n")
        _say(f"rotated the secret of {rotated.id}; the old one keeps signing for {args.grace:.0f}s")
        return 0
    # add
    if args.file:
        with open(args.file, encoding="utf-8") as handle:
            text = handle.read()
        raw = [dict(item) for item in _yaml_items(text, args.file)]
    elif args.url:
        raw = [
            {
                "id": args.id or f"sub-{random.getrandbits(32):08x}",
                "url": args.url,
                "secret": args.secret,
                "watchlists": args.watchlist or [],
                "kinds": args.kind or [],
            }
        ]
    else:
        _say("subscriber add needs a FILE or --url")
        return 2
    for item in raw:
        # re-adding a subscriber without a secret keeps its secret: its receiver keeps verifying
        previous = current.get(str(item.get("id") or ""))
        if previous is not None and not item.get("secret"):
            item["secret"] = previous.secret
    subscribers = load_subscribers(orjson.dumps({"subscribers": raw}).decode(), args.file or "--url")
    for subscriber in subscribers:
        check_webhook_url(subscriber.url, allow_private=settings.allow_private_webhooks)
    await publish_subscribers(settings, [(s.id, orjson.dumps(s.to_dict())) for s in subscribers])
    for subscriber in subscribers:
        sys.stdout.write(orjson.dumps({"id": subscriber.id, "secret": subscriber.secret}).decode() + "\n")
    _say(f"added {len(subscribers)} subscriber(s): {', '.join(s.id for s in subscribers)}")
    return 0


def _yaml_items(text: str, source: str) -> list[dict[str, Any]]:
    import yaml

    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SubscriberError(f"{source}: not valid YAML: {exc}") from None
    items = document.get("subscribers") if isinstance(document, dict) else None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise SubscriberError(f"{source}: expected a top-level 'subscribers:' list of mappings")
    return items
