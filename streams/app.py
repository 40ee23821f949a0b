"""The Faust app factory and the thin agents around the pure stage cores.

    raw topic ──► hot_path agent: Pipeline(parse → tag → dedup → alert) ──► alerts topic
                        └──────────────► dead-letter topic
    watchlists topic (compacted) ──► WatchlistFollower (every worker reads every record)

The hot path is one agent: each Kafka hop costs a full consume and produce in Faust, and the
stages are cheap next to that (README, "Internal topics"); it takes records in batches so the
wait for the broker's acknowledgements is paid once per batch. Stage logic lives in agents/;
this module only moves records and holds state.
"""

from __future__ import annotations

import asyncio
import base64
import gc
import logging
import random
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import faust
import orjson
from aiokafka.partitioner import murmur2

from wirewatch.agents import compiled
from wirewatch.agents.alert import WatchlistSet
from wirewatch.agents.dedup.ledger import ARTICLE_PREFIX, ArticleLedger
from wirewatch.agents.pipeline import Front, Pipeline
from wirewatch.agents.tag import Tagger
from wirewatch.streams.records import DeadLetter, RawRecord, TaggedArticle, from_dict, to_dict, to_json

from .front_process import FrontProcess, QueuedChunks
from .kafka import (
    CompactedTopicFollower,
    bootstrap_of,
    correct_faust_highwaters,
    faust_url,
    read_ranges,
    text_headers,
)
from .pending import PendingBatch
from .resume import processed_key, resume
from .settings import Settings

log = logging.getLogger(__name__)

# Faust hard-codes fetch_max_wait_ms=1500 for its consumer, and the embedded broker holds every
# fetch that long even when records arrive meanwhile: at moderate rates that added ~0.6 s to
# each article's raw-to-alert latency (measured, docs/benchmarks.md). A short wait costs a few
# empty fetches a second when idle.
FETCH_MAX_WAIT_MS = 100
# The hot path waits for each batch's deliveries, so the linger is added to every batch: 5 ms
# fills requests at saturation without holding back batches of a few records at moderate rates
# (20 ms measured no cheaper per article here, and added its wait to every small batch).
PRODUCER_LINGER_S = 0.005
PRODUCER_MAX_BATCH_BYTES = 512 * 1024
# Records per chunk sent to the front process (WIREWATCH_FRONT_PROCESS): small enough that the
# finishing of a batch can start before all of it is parsed and tagged, large enough that a
# chunk's round trip is cheap.
FRONT_CHUNK = 16
# How long a batch left pending (parsed and tagged in the front process while the batch
# before is finished) waits for the next batch to finish it, before a timer does.
PENDING_FLUSH_S = 0.05


@dataclass
class Batch:
    """One batch of the raw topic, taken up: the records to process with the event each came
    with (the refilled ones included), and the first and last offset of each partition."""

    events: list[Any]
    work: list[tuple[Any, RawRecord]] = field(default_factory=list)
    first_of_batch: dict[int, int] = field(default_factory=dict)
    last_of_batch: dict[int, tuple[Any, int]] = field(default_factory=dict)
    queued: QueuedChunks | None = None  # its chunks, queued to the front process


class KeyPartitioner:
    """The producer's partitioner: aiokafka's default (murmur2 of the key, as the Java client;
    a random available partition for no key) with each key's hash remembered. Alerts are keyed
    by watchlist id, so the same keys come back all the time, and the pure-Python murmur2 was
    about 9 of the 24 microseconds aiokafka spent sending one alert (measured,
    docs/worker-cpu.md). Dead letters' keys are free text: the memory is bounded."""

    def __init__(self, max_keys: int = 100_000) -> None:
        self.max_keys = max_keys
        self.hashes: dict[bytes, int] = {}

    def __call__(self, key: bytes | None, all_partitions: list[int], available: list[int]) -> int:
        if key is None:
            return random.choice(available or all_partitions)
        hashed = self.hashes.get(key)
        if hashed is None:
            if len(self.hashes) >= self.max_keys:
                self.hashes.clear()
            hashed = self.hashes[key] = murmur2(key) & 0x7FFFFFFF
        return all_partitions[hashed % len(all_partitions)]


def log_build() -> None:
    """Say at start whether the tag and alert stages run compiled (setup.py), and warn when a
    compiled module is older than its source: the worker would run the old code."""
    running = [name.removeprefix("wirewatch.agents.") for name in compiled.compiled()]
    log.info("stages compiled with mypyc: %s", ", ".join(running) or "none")
    kernels = [name.removeprefix("wirewatch.agents.") for name in compiled.compiled(compiled.KERNELS)]
    log.info("C kernels: %s", ", ".join(kernels) or "none (their Python paths run)")
    if out_of_date := compiled.stale():
        log.warning(
            "compiled modules older than their source (run `make venv` or `pip install -e .`): %s",
            ", ".join(out_of_date),
        )


def shorten_fetch_wait() -> None:
    """Make Faust's Kafka consumers wait at most FETCH_MAX_WAIT_MS for a fetch (idempotent)."""
    from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

    if getattr(AIOKafkaConsumerThread, "_wirewatch_short_fetch", False):
        return
    create = AIOKafkaConsumerThread._create_worker_consumer

    def create_with_short_wait(self: AIOKafkaConsumerThread, transport: Any) -> Any:
        consumer = create(self, transport)
        consumer._fetch_max_wait_ms = FETCH_MAX_WAIT_MS  # read when the consumer starts
        return consumer

    AIOKafkaConsumerThread._create_worker_consumer = create_with_short_wait  # type: ignore[method-assign]
    AIOKafkaConsumerThread._wirewatch_short_fetch = True  # type: ignore[attr-defined]


class TableStore:
    """A Faust table behind the StateStore interface the stage cores use.

    Reads and writes go to the table's memory; each write is queued for the table's changelog,
    encoded as Faust encodes it (recovery and the state follower read it back the same way), on
    the partition of the record being processed. The agent hands the queue to the producer once
    per batch (`send_changelog`) and waits for it with the batch's alerts, before its offsets
    are committed. Faust's own write path buffers every change through its Topic machinery,
    which cost more than the change itself (measured, see the README's State paragraph).
    """

    def __init__(self, table: faust.Table) -> None:
        self.table = table
        self.outbox: list[tuple[bytes, bytes | None, int]] = []

    def get(self, key: str) -> Any | None:
        return self.table.data.get(key)

    def set(self, key: str, value: Any) -> None:
        self.table.data[key] = value
        self._queue(key, value)

    def delete(self, key: str) -> None:
        data = self.table.data
        if key in data:
            del data[key]
            self._queue(key, None)

    def _queue(self, key: str, value: Any) -> None:
        event = faust.streams.current_event()
        if event is None:  # as Faust's own tables: a change belongs to the record that made it
            raise RuntimeError("the state table can only change while a record is processed")
        topic, table = self.table.changelog_topic, self.table
        key_bytes, _ = topic.prepare_key(key, table.key_serializer)
        value_bytes = None if value is None else topic.prepare_value(value, table.value_serializer)[0]
        self.outbox.append((key_bytes, value_bytes, event.message.partition))

    async def send_changelog(self, producer: Any) -> list[Any]:
        """Hand the queued changes to the producer, in order; returns their delivery futures."""
        queued, self.outbox = self.outbox, []
        name = self.table.changelog_topic.get_topic_name()
        return [
            await producer.send(name, key, value, partition, None, None) for key, value, partition in queued
        ]

    def items(self) -> Iterator[tuple[str, Any]]:
        return iter(list(self.table.items()))


class WatchlistFollower(CompactedTopicFollower):
    """Every worker's copy of the compacted watchlists topic, as a WatchlistSet."""

    what = "watchlists"

    def __init__(self, settings: Settings, bootstrap: str) -> None:
        super().__init__(bootstrap, settings.watchlists_topic)
        self.settings = settings
        self.watchlists = WatchlistSet()

    def apply(self, key: bytes | None, value: bytes | None) -> None:
        self.watchlists.apply_record(key, value)

    def size(self) -> int:
        return len(self.watchlists)


class StateChangelogFollower(CompactedTopicFollower):
    """Every worker's view of the article records other workers commit (README, "Keys and
    partitions"): it reads all partitions of the state table's changelog and hands the records
    of partitions this worker does not own to the dedup stage's ledger, so a syndicated copy or
    another outlet's report is matched with an original that arrived on another partition.
    Records that come before the pipeline exists wait in `early`."""

    what = "state records of other partitions"

    def __init__(self, bootstrap: str, topic: str, owned: Callable[[], set[int]]) -> None:
        super().__init__(bootstrap, topic)
        self.owned = owned
        self.ledger: ArticleLedger | None = None
        self.early: list[tuple[str, dict[str, Any] | None]] = []
        self.absorbed = 0

    def attach(self, ledger: ArticleLedger) -> None:
        self.ledger = ledger
        early, self.early = self.early, []
        for article_id, record in early:  # the ledger skips what it already has
            self.absorbed += ledger.absorb(article_id, record)

    def apply(self, key: bytes | None, value: bytes | None) -> None:
        self.apply_from(-1, key, value)

    def apply_from(self, partition: int, key: bytes | None, value: bytes | None) -> None:
        if partition in self.owned() or key is None:
            return  # our own records: the table holds them
        name = orjson.loads(key)  # the table's codec: JSON keys and values
        if not isinstance(name, str) or not name.startswith(ARTICLE_PREFIX):
            return
        record = orjson.loads(value) if value is not None else None
        article_id = name[len(ARTICLE_PREFIX) :]
        if self.ledger is None:
            self.early.append((article_id, record))
        else:
            self.absorbed += self.ledger.absorb(article_id, record)

    def size(self) -> int:
        return self.absorbed


def ner_stage_topics(app: faust.App, settings: Settings) -> dict[str, faust.TopicT]:
    """The NER stage's two internal topics (raw bytes: JSON envelopes, see `envelope`)."""
    return {
        name: app.topic(
            topic,
            key_type=bytes,
            value_type=bytes,
            key_serializer="raw",
            value_serializer="raw",
            partitions=settings.partitions,
        )
        for name, topic in (("tagged", settings.tagged_topic), ("enriched", settings.enriched_topic))
    }


def envelope(raw: RawRecord, tagged: TaggedArticle) -> bytes:
    """A tagged article on its way through the NER stage, with where its raw record came from
    (dead letters and the detection time after the stage refer to it)."""
    return orjson.dumps(
        {
            "raw": {
                "topic": raw.topic,
                "partition": raw.partition,
                "offset": raw.offset,
                "timestamp_ms": raw.timestamp_ms,
                "key": base64.b64encode(raw.key).decode("ascii") if raw.key is not None else None,
            },
            "tagged": to_dict(tagged),
        }
    )


def open_envelope(value: bytes) -> tuple[RawRecord, TaggedArticle]:
    """The raw record's coordinates (the envelope itself as its value) and the article."""
    data = orjson.loads(value)
    origin = data["raw"]
    raw = RawRecord(
        value=value,
        key=base64.b64decode(origin["key"]) if origin.get("key") is not None else None,
        topic=origin.get("topic", ""),
        partition=origin.get("partition", -1),
        offset=origin.get("offset", -1),
        timestamp_ms=origin.get("timestamp_ms"),
    )
    return raw, from_dict(TaggedArticle, data["tagged"])


async def read_raw_range(settings: Settings, partition: int, start: int, end: int) -> list[RawRecord]:
    """The raw records at offsets [start, end) of one partition (those retention has not
    deleted), read with a consumer of its own."""
    from aiokafka import TopicPartition

    log.warning(
        "raw %s/%d: offsets %d..%d were skipped by the consumer; reading them again",
        settings.raw_topic,
        partition,
        start,
        end - 1,
    )
    return await read_ranges(settings.broker, {TopicPartition(settings.raw_topic, partition): (start, end)})


def set_current_event(event: faust.types.EventT) -> None:
    """Make `event` Faust's current event (private API, faust-streaming 0.15): take_events()
    leaves the last event taken as current, and table writes follow the current event."""
    from faust.streams import _current_event

    _current_event.set(weakref.ref(event))


def raw_record(event: faust.types.EventT) -> RawRecord:
    message = event.message
    return RawRecord(
        value=message.value if isinstance(message.value, bytes) else b"",
        key=message.key,
        headers=text_headers(message.headers),
        topic=message.topic,
        partition=message.partition,
        offset=message.offset,
        timestamp_ms=int(message.timestamp * 1000) if message.timestamp else None,
    )


def faust_app(settings: Settings, app_id: str, **web: Any) -> faust.App:
    """A Faust app configured as every wirewatch worker is (the hot path's and the NER stage's)."""
    return faust.App(
        app_id,
        broker=faust_url(settings.broker),
        store="memory://",  # tables are rebuilt from their changelog topics on start
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        consumer_auto_offset_reset="earliest",
        broker_rebalance_timeout=settings.rebalance_timeout_s,
        broker_session_timeout=settings.session_timeout_s,
        processing_guarantee="at_least_once",  # Tansu refuses transactions; effects are idempotent
        datadir=settings.data_dir,
        # No standby copies of the state table: with several partitions every worker follows
        # the others' article records itself (StateChangelogFollower), and Faust's in-memory
        # standby data would hide them from it and vanish again at the next rebalance.
        table_standby_replicas=0,
        # A batch's alerts and state writes leave in a few large produce requests rather than
        # one small request each: on a 2-core machine the socket writes alone cost ~8% of the
        # worker (docs/benchmarks.md). 5 ms is well inside the latency budget.
        producer_linger=PRODUCER_LINGER_S,
        producer_max_batch_size=PRODUCER_MAX_BATCH_BYTES,
        producer_partitioner=KeyPartitioner(),
        **web,
    )


def create_app(settings: Settings) -> faust.App:
    """A Faust app with the hot-path agent, the state table and the watchlist follower."""
    shorten_fetch_wait()
    bootstrap = bootstrap_of(settings.broker)
    correct_faust_highwaters(bootstrap)
    app = faust_app(
        settings,
        settings.app_id,
        web_enabled=settings.web_enabled,
        web_port=settings.web_port,
        web_bind=settings.web_host,
        web_host=settings.web_host,
    )
    raw_topic = app.topic(
        settings.raw_topic,
        key_type=bytes,
        value_type=bytes,
        key_serializer="raw",
        value_serializer="raw",
        partitions=settings.partitions,
    )
    alerts_topic = app.topic(
        settings.alerts_topic, key_serializer="raw", value_serializer="raw", partitions=settings.partitions
    )
    dead_topic = app.topic(
        settings.dead_letter_topic, key_serializer="raw", value_serializer="raw", partitions=1
    )
    state = app.Table(
        "state",
        default=None,
        partitions=settings.partitions,
        key_type=str,  # keys and values go through the app's json codec (orjson when installed)
    )
    follower = WatchlistFollower(settings, bootstrap)
    app.wirewatch_follower = follower  # type: ignore[attr-defined]

    @app.task
    async def follow_watchlists() -> None:
        await follower.run()

    # With several partitions, every worker also indexes the article records the others commit.
    state_follower: StateChangelogFollower | None = None
    if settings.partitions > 1:

        def owned() -> set[int]:
            return {tp.partition for tp in app.assignor.assigned_actives() if tp.topic == settings.raw_topic}

        state_follower = StateChangelogFollower(bootstrap, f"{settings.app_id}-state-changelog", owned)

        @app.task
        async def follow_state_changelog() -> None:
            while True:
                try:
                    await state_follower.run()
                except RuntimeError as exc:  # the changelog topic is created as the worker starts
                    log.info("waiting for the state changelog: %s", exc)
                    await asyncio.sleep(1.0)

    pipeline_holder: dict[str, Pipeline] = {}
    front_process: FrontProcess | None = None
    if settings.front_process and not settings.ner_enabled:
        front_process = FrontProcess(settings.max_article_bytes)
        front_process.start()  # its knowledge base loads now, beside the worker's start-up
        app.wirewatch_front_process = front_process  # type: ignore[attr-defined]

        @app.on_before_shutdown.connect
        async def stop_front_process(sender: Any, **_: Any) -> None:
            pending.cancel_timer()  # a batch left pending stays unacknowledged
            front_process.close()

    table_store = TableStore(state)
    # The knowledge base loads now, at start-up, not on the first record (a fraction of a
    # second that would otherwise delay the first articles).
    tagger = Tagger()

    def pipeline() -> Pipeline:
        # built on first use: the table has recovered by the time the agent gets records
        if "p" not in pipeline_holder:
            pipeline_holder["p"] = Pipeline(
                follower.watchlists,
                table_store,
                max_article_bytes=settings.max_article_bytes,
                story_window_hours=settings.story_window_hours,
                allowed_lateness_hours=settings.allowed_lateness_hours,
                retired_hours=settings.retired_hours,
                updates_per_story_per_hour=settings.updates_per_story_per_hour,
                tagger=tagger,
            )
            if state_follower is not None:
                state_follower.attach(pipeline_holder["p"].deduper.ledger)
            # The knowledge base, the watchlist index and the recovered state are long-lived:
            # out of the cyclic collector's way they are not scanned again by every full
            # collection (about half the time the stage cores spent collecting, measured).
            gc.collect()
            gc.freeze()
            log_build()
        return pipeline_holder["p"]

    ner_topics: dict[str, faust.TopicT] = {}
    if settings.ner_enabled:  # the optional NER stage runs between tag and dedup, elsewhere
        ner_topics = ner_stage_topics(app, settings)

    # partition -> the offset below which its records were processed and delivered before the
    # (re)assignment (the group hands them over again when a worker died before committing);
    # a partition is in it once its first record since the (re)assignment was checked against
    # the last batch processed there, and a rebalance starts the check again
    delivered_below: dict[int, int] = {}

    @app.on_partitions_revoked.connect
    async def forget_checked(sender: Any, revoked: Any, **_: Any) -> None:
        delivered_below.clear()

    batch_wait = max(0.001, settings.batch_wait_ms / 1000)  # 0 would make Faust wait forever

    async def followers_ready() -> None:
        await follower.ready.wait()
        if state_follower is not None:
            await state_follower.ready.wait()

    @app.agent(raw_topic, name=f"{settings.app_id}-hot-path")
    async def hot_path(stream: faust.StreamT) -> Any:
        await followers_ready()
        async for events in stream.take_events(settings.batch_max, within=batch_wait):
            batch = await take_up(events)
            if front_process is None:
                yield await finish(batch)
                continue
            # Parse and tag this batch in the second process while this one finishes the batch
            # before (`finish_pending`): without the overlap each process waited for the other
            # at every batch's start and end, about a quarter of the time of each.
            batch.queued = front_process.queue(
                [raw for _, raw in batch.work], FRONT_CHUNK, follower.watchlists
            )
            alerts = await pending.finish_pending()
            if stream.channel.empty():  # nothing waiting behind it: finish it now
                alerts += await finish(batch)
            else:  # finished with the next batch (streams/pending.py)
                pending.leave(batch)
                if pending.left == 1:
                    log.info("front process: parsing and tagging batches ahead of the one being finished")
            yield alerts

    async def take_up(events: list[Any]) -> Batch:
        """The batch's records to process: those below a partition's delivered mark left out,
        those a previous owner skipped read back in (`resume`)."""
        batch = Batch(list(events))
        skipped: dict[int, int] = {}
        for event in events:
            partition, offset = event.message.partition, event.message.offset
            taken_up = None
            if partition not in delivered_below:  # its first record since (re)assignment
                taken_up = resume(
                    table_store.get(processed_key(partition)), offset, settings.refill_skipped_max
                )
                delivered_below[partition] = taken_up.delivered_below
                if taken_up.reset_from is not None:
                    log.warning(
                        "raw %s/%d: starting at offset %d, more than WIREWATCH_REFILL_SKIPPED_MAX"
                        " away from offset %d where processing was; taken for a deliberate reset",
                        settings.raw_topic,
                        partition,
                        offset,
                        taken_up.reset_from,
                    )
            if offset < delivered_below.get(partition, -1):
                # Processed, delivered and written to the state before the worker that had it
                # died uncommitted: doing it again could only differ (its article may have
                # left the story window since), never add anything.
                skipped[partition] = skipped.get(partition, 0) + 1
                continue
            if taken_up is not None and taken_up.refill is not None:
                # Records between the last one processed and this one were never seen here
                # (Faust can commit past records it skipped around a rebalance): read them
                # from the raw topic and process them first, in order.
                start, end = taken_up.refill
                batch.first_of_batch.setdefault(partition, start)
                for missed in await read_raw_range(settings, partition, start, end):
                    batch.work.append((event, missed))
            batch.work.append((event, raw_record(event)))
            batch.first_of_batch.setdefault(partition, offset)
            batch.last_of_batch[partition] = (event, offset)
        for partition, count in skipped.items():
            log.info(
                "raw %s/%d: %d records below offset %d were processed and delivered before"
                " the reassignment; not processed again",
                settings.raw_topic,
                partition,
                count,
                delivered_below[partition],
            )
        return batch

    async def finish(batch: Batch) -> int:
        """Process a batch's records in order, note where each partition got to, and wait
        for the broker to acknowledge everything the batch sent; returns its alert count."""
        deliveries: list[Any] = []
        alerts = 0
        if batch.queued is not None:
            assert front_process is not None
            async for start, fronts in front_process.in_order(batch.queued, fronts_here):
                for (event, raw), front in zip(batch.work[start : start + len(fronts)], fronts, strict=True):
                    set_current_event(event)
                    alerts += await process_record(raw, deliveries, front)
        else:
            for event, raw in batch.work:
                # Table writes go to the changelog partition of the "current" event; in a
                # batch that must be the record being processed, not the last one taken.
                set_current_event(event)
                alerts += await handle(raw, deliveries)
        for partition, (event, offset) in batch.last_of_batch.items():
            set_current_event(event)  # on the changelog partition of the raw partition
            table_store.set(processed_key(partition), [batch.first_of_batch[partition], offset])
        deliveries += await table_store.send_changelog(app.producer)
        # One wait per batch for the broker to acknowledge the batch's alerts, dead letters
        # and state changes, before its records are acked: a killed worker redoes at most the
        # batches after its last commit, and decides them the same.
        for delivery in deliveries:
            await delivery
        return alerts

    pending: PendingBatch[Batch] = PendingBatch(finish, PENDING_FLUSH_S, hot_path.crash)

    def fronts_here(raws: Sequence[RawRecord]) -> list[Front | None]:
        """Parse and tag in this process (a chunk the front process failed); None for a record
        that raised (its whole run through `process_record` then makes it a dead letter)."""
        fronts: list[Front | None] = []
        for raw in raws:
            try:
                fronts.append(pipeline().front(raw))
            except Exception:
                fronts.append(None)
        return fronts

    async def handle(raw: RawRecord, deliveries: list[Any]) -> int:
        if ner_topics:
            await to_ner_stage(raw, deliveries)
            return 0
        return await process_record(raw, deliveries)

    async def process_record(raw: RawRecord, deliveries: list[Any], front: Front | None = None) -> int:
        """Run one record through the pipeline (after parse and tag, when `front` holds what
        they made of it elsewhere) and queue what it sends; returns its alert count."""
        try:
            outcome = pipeline().process(raw) if front is None else pipeline().finish(front, raw)
            return await send_outcome(outcome, raw, deliveries)
        except Exception as exc:  # never crash the agent: keep the record as a dead letter
            return await send_failure(exc, raw, deliveries)

    async def publish(topic: str, key: bytes | None, value: bytes) -> Any:
        """Hand one record to the Kafka producer and return its delivery future. Straight to
        Faust's producer rather than through Topic.send: an article raises several alerts, and
        Topic.send's per-record bookkeeping (future messages, sensors) cost more than the send."""
        return await app.producer.send(topic, key, value, None, None, None)

    async def send_outcome(outcome: Any, raw: RawRecord, deliveries: list[Any]) -> int:
        for alert in outcome.alerts:
            deliveries.append(await publish(settings.alerts_topic, alert.watchlist.encode(), to_json(alert)))
        for letter in outcome.dead_letters:
            deliveries.append(await publish(settings.dead_letter_topic, raw.key, to_json(letter)))
        return len(outcome.alerts)

    async def send_failure(exc: Exception, raw: RawRecord, deliveries: list[Any]) -> int:
        log.exception("hot path failed on %s/%s/%s", raw.topic, raw.partition, raw.offset)
        letter = DeadLetter.of("worker", "internal-error", repr(exc), raw)
        deliveries.append(await publish(settings.dead_letter_topic, raw.key, to_json(letter)))
        return 0

    async def to_ner_stage(raw: RawRecord, deliveries: list[Any]) -> None:
        """parse and tag here; the tagged articles go to the NER stage, on the raw partition."""
        try:
            front = pipeline().front(raw)
            for tagged in front.tagged:
                deliveries.append(
                    await ner_topics["tagged"].send(
                        key=raw.key, value=envelope(raw, tagged), partition=raw.partition
                    )
                )
            for letter in front.dead_letters:
                deliveries.append(await dead_topic.send(key=raw.key, value=to_json(letter)))
        except Exception as exc:
            await send_failure(exc, raw, deliveries)

    if ner_topics:

        @app.agent(ner_topics["enriched"], name=f"{settings.app_id}-after-ner")
        async def after_ner(stream: faust.StreamT) -> Any:
            """dedup and alert for the articles the NER stage enriched."""
            await followers_ready()
            async for events in stream.take_events(settings.batch_max, within=batch_wait):
                deliveries: list[Any] = []
                alerts = 0
                for event in events:
                    set_current_event(event)
                    value = event.message.value if isinstance(event.message.value, bytes) else b""
                    try:
                        raw, tagged = open_envelope(value)
                    except Exception as exc:  # not ours: kept as a dead letter, never dropped
                        raw = raw_record(event)
                        await send_failure(exc, raw, deliveries)
                        continue
                    try:
                        alerts += await send_outcome(pipeline().back(tagged, raw), raw, deliveries)
                    except Exception as exc:
                        await send_failure(exc, raw, deliveries)
                deliveries += await table_store.send_changelog(app.producer)
                for delivery in deliveries:
                    await delivery
                yield alerts

    app.wirewatch_hot_path = hot_path  # type: ignore[attr-defined]
    app.wirewatch_topics = {
        "raw": raw_topic,
        "alerts": alerts_topic,
        "dead_letters": dead_topic,
        **ner_topics,
    }  # type: ignore[attr-defined]
    from .notify import install_notify  # webhooks and the SSE alert stream, off the hot path

    install_notify(app, settings, alerts_topic)
    from .web_watchlists import register_watchlist_api  # list/get/put/delete over HTTP

    register_watchlist_api(app, settings, follower.watchlists)
    return app


def create_ner_app(settings: Settings) -> faust.App:
    """A worker of the optional NER stage (`wirewatch ner`): tagged topic -> enriched topic.

    Its own consumer group (`<app id>-ner`), so NER scales by adding these workers without
    touching the main ones; the model runs on batches of `WIREWATCH_NER_BATCH` articles."""
    from wirewatch.agents.tag.ner import NamedEntityRecognizer

    shorten_fetch_wait()
    app = faust_app(settings, f"{settings.app_id}-ner", web_enabled=False)
    topics = ner_stage_topics(app, settings)
    dead_topic = app.topic(
        settings.dead_letter_topic, key_serializer="raw", value_serializer="raw", partitions=1
    )
    recognizer: list[NamedEntityRecognizer] = []

    @app.agent(topics["tagged"], name=f"{settings.app_id}-ner")
    async def ner(stream: faust.StreamT) -> Any:
        if not recognizer:  # the model loads once, in the worker (a few seconds)
            recognizer.append(NamedEntityRecognizer(model=settings.ner_model))
            log.info("NER model %s loaded", settings.ner_model)
        async for events in stream.take_events(settings.ner_batch, within=0.05):
            deliveries: list[Any] = []
            batch: list[tuple[RawRecord, TaggedArticle]] = []
            for event in events:
                value = event.message.value if isinstance(event.message.value, bytes) else b""
                try:
                    batch.append(open_envelope(value))
                except Exception as exc:  # kept as a dead letter, never dropped
                    letter = DeadLetter.of("ner", "malformed-envelope", repr(exc), raw_record(event))
                    deliveries.append(await dead_topic.send(key=event.message.key, value=to_json(letter)))
            try:
                enriched = recognizer[0].pipe(tagged for _, tagged in batch)
            except Exception:  # the model failed on the batch: the articles go on without it
                log.exception("NER failed on a batch of %d articles; passed on without it", len(batch))
                enriched = [tagged for _, tagged in batch]
            for (raw, _), article in zip(batch, enriched, strict=True):
                deliveries.append(
                    await topics["enriched"].send(
                        key=raw.key, value=envelope(raw, article), partition=max(0, raw.partition)
                    )
                )
            for delivery in deliveries:
                await delivery
            yield len(batch)

    app.wirewatch_ner = ner  # type: ignore[attr-defined]
    return app
