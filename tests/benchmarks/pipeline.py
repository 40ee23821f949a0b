"""The stage cores alone, and the whole pipeline in one worker process, on the same corpus.

Stage cores: parse, tag, dedup (MemoryStore) and alert (the generated watchlists) are timed
one after the other on one core, each on the output of the one before, in corpus order.

Whole pipeline: a `wirewatch worker` subprocess with fresh settings, the watchlists published
on its watchlists topic, then
- saturation: the first part of the corpus is published as fast as the client can, and the
  rate is read from the alerts: raw records processed between the first article followed to
  its first alert and the last, over the time between them;
- latency: the rest is published at half that rate, each record's send time kept; the
  latency of an article is when its first alert reaches an aiokafka consumer minus the
  send time;
- memory: the worker's peak RSS (psutil, sampled every 0.2 s, children included).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import orjson

from tests.conftest import settings_env
from tests.unit.test_dedup_corpus import bcubed
from wirewatch.agents.alert import AlertEngine, Watchlist, WatchlistSet
from wirewatch.agents.dedup import Deduper
from wirewatch.agents.parse import parse_record
from wirewatch.agents.state import MemoryStore
from wirewatch.agents.tag import Tagger
from wirewatch.streams.broker import free_port
from wirewatch.streams.kafka import ensure_topics
from wirewatch.streams.records import RawRecord
from wirewatch.streams.settings import Settings

from .corpus import BenchRecord
from .floors import _assigned_consumer, produce_all, stop_process

REPO = Path(__file__).resolve().parents[2]


def raw_of(record: BenchRecord, topic: str = "bench.raw") -> RawRecord:
    return RawRecord(
        value=record.value,
        key=record.key,
        topic=topic,
        partition=0,
        offset=record.index,
        timestamp_ms=int(time.time() * 1000),
    )


@dataclass(slots=True)
class StageTimes:
    """Seconds per article of each stage core, and how many articles each was timed on."""

    seconds: dict[str, float] = field(default_factory=dict)
    articles: dict[str, int] = field(default_factory=dict)
    alerts_per_article: float = 0.0
    article_ids: list[str] = field(default_factory=list)  # per corpus record, "" if none
    # story grouping against the generator's: (stories generated, stories found, B-cubed P, R)
    stories: tuple[int, int, float, float] = (0, 0, 0.0, 0.0)
    tagged: int = 0  # articles the copy check left to tag (the others are copies)


def time_stage_cores(
    records: Sequence[BenchRecord], watchlists: list[dict], budget_seconds: float
) -> StageTimes:
    """Each core alone on one core, in one pass over the corpus, call by call, in order, each
    on the output of the one before (as the pipeline chains them), with every watchlist. Each
    stage's time is per article of the corpus: the tag stage's includes the copies it is
    spared (`tagged` says how many it was given), as the pipeline spares them.

    The same pass says which records the worker will raise at least one alert for
    (`article_ids`): the decisions depend only on the records, their order and the
    watchlists, so the worker makes the same ones. Only those records can be followed to the
    alerts topic (duplicates, and story updates that bring nothing new, raise none).
    `budget_seconds` is unused: every record is timed, so the prefix is the whole corpus.
    """
    del budget_seconds
    result = StageTimes(seconds=dict.fromkeys(("parse", "tag", "dedup", "alert"), 0.0))
    result.articles = dict.fromkeys(result.seconds, 0)
    registry = WatchlistSet([Watchlist.from_dict(item) for item in watchlists])
    tagger = Tagger()
    tagger.add_people(registry.speakers())  # as the pipeline does: watchlists name people
    store = MemoryStore()
    deduper = Deduper(store)
    engine = AlertEngine(store)
    alerts = 0
    story_found: dict[str, str] = {}
    story_true: dict[str, str] = {}
    # CPU time of this thread: the work of each call, not the time the machine's other
    # processes (the broker, other jobs) held the core while it ran (wall-clock timing counted
    # that too, which inflated the cores on a busy machine and with them the efficiency's ideal)
    clock = time.thread_time
    # As the worker does once its pipeline is built (streams/app.py): what lives for the whole
    # run is moved out of the cyclic collector's way, so full collections do not rescan it.
    gc.collect()
    gc.freeze()
    for record in records:
        started = clock()
        parsed = parse_record(raw_of(record))
        result.seconds["parse"] += clock() - started
        result.articles["parse"] += len(parsed.articles)
        expected = ""
        for article in parsed.articles:
            # in the pipeline's order (Pipeline.process): the copy check first, and only the
            # articles it leaves undecided are tagged and grouped into stories
            started = clock()
            check = deduper.check(article)
            result.seconds["dedup"] += clock() - started
            item = check.decided
            if item is None:
                started = clock()
                tagged = tagger(article)
                result.seconds["tag"] += clock() - started
                result.tagged += 1
                started = clock()
                item = deduper.group(tagged, check)
                result.seconds["dedup"] += clock() - started
            started = clock()
            raised = engine(item, registry, "2023-01-01T00:00:00Z")
            result.seconds["alert"] += clock() - started
            alerts += len(raised)
            if raised and not expected:
                expected = article.id
            story_found[article.id] = item.story.id
            story_true[article.id] = str(record.story)
        result.article_ids.append(expected)
    gc.unfreeze()
    for name in ("tag", "dedup", "alert"):
        result.articles[name] = result.articles["parse"]
    result.alerts_per_article = alerts / max(1, result.articles["alert"])
    result.stories = (
        len(set(story_true.values())),
        len(set(story_found.values())),
        *bcubed(story_found, story_true)[:2],
    )
    for name, count in result.articles.items():
        result.seconds[name] /= max(1, count)
    return result


def lower_of(first: StageTimes, second: StageTimes) -> StageTimes:
    """Two passes of `time_stage_cores` over the same records: the first's bookkeeping (which
    articles alert, the stories), with each stage's time the lower of the two."""
    seconds = {name: min(value, second.seconds.get(name, value)) for name, value in first.seconds.items()}
    return dataclasses.replace(first, seconds=seconds)


@dataclass(slots=True)
class PipelineResult:
    throughput: float = 0.0  # raw records (= articles) per second at saturation
    saturation_records: int = 0
    saturation_seconds: float = 0.0
    latency_rate: float = 0.0  # the paced rate of the latency run
    latencies: list[float] = field(default_factory=list)
    latency_expected: int = 0
    latency_parts: dict[str, float] = field(default_factory=dict)  # median of each leg, seconds
    peak_rss_bytes: int = 0
    # CPU seconds the worker process spent (all threads, user + system) while it worked through
    # the saturation records: its cost per article, steadier than a rate on a loaded machine.
    saturation_cpu_seconds: float = 0.0
    saturation_count: int = 0  # the records published for the saturation run
    alerts: int = 0
    dead_letters: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def cpu_per_record(self) -> float | None:
        """The worker's CPU seconds per saturation record (its processes together)."""
        if self.saturation_cpu_seconds > 0 and self.saturation_count:
            return self.saturation_cpu_seconds / self.saturation_count
        return None

    def percentile(self, share: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class PeakMemory:
    """Samples the RSS of a process and its children in a thread until stopped."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        self.pid = pid
        self.every = every
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        try:
            process = psutil.Process(self.pid)
            while not self._stop.is_set():
                total = process.memory_info().rss
                for child in process.children(recursive=True):
                    with contextlib.suppress(psutil.NoSuchProcess):
                        total += child.memory_info().rss
                self.peak = max(self.peak, total)
                self._stop.wait(self.every)
        except psutil.NoSuchProcess:
            return

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)


def worker_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its children (live or ended) so far."""
    import psutil

    process = psutil.Process(pid)
    total = 0.0
    for member in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = member.cpu_times()
            total += times.user + times.system + times.children_user + times.children_system
    return total


def start_profiler(pid: int, path: Path) -> subprocess.Popen[bytes]:
    """py-spy sampling the worker (collapsed stacks, idle frames left out) until stopped.

    Without stopping the worker for each sample: py-spy's default pauses the process 200 times
    a second, which cut the worker's rate from about 160 to 58 articles/s here, so a profiled
    run measured a different worker."""
    py_spy = Path(sys.executable).with_name("py-spy")
    return subprocess.Popen(
        [
            *(str(py_spy), "record", "--pid", str(pid), "--rate", "200", "--nonblocking"),
            *("--format", "raw", "--output", str(path)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def bench_settings(bootstrap: str) -> Settings:
    tag = uuid.uuid4().hex[:8]
    return Settings(
        broker=bootstrap,
        app_id=f"bench-{tag}",
        topic_prefix=f"bench-{tag}",
        web_port=free_port(),
        web_enabled=False,
    )


def start_worker(
    settings: Settings, log_path: Path, data_dir: Path, extra_env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    env = settings_env(settings) | {"WIREWATCH_WEB_ENABLED": "false", "WIREWATCH_DATA_DIR": str(data_dir)}
    env |= extra_env or {}
    log = open(log_path, "ab")  # noqa: SIM115 - handed to the child
    process = subprocess.Popen(
        [sys.executable, "-m", "wirewatch.streams.cli", "worker"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    return process


async def wait_ready(process: subprocess.Popen[bytes], log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log_path.read_text(errors="replace")
        if "watchlists loaded" in text and "[^Worker]: Ready" in text:
            return
        if process.poll() is not None:
            raise RuntimeError(f"the worker exited early:\n{text[-3000:]}")
        await asyncio.sleep(0.2)
    raise RuntimeError(f"the worker was not ready in {timeout:.0f}s:\n{log_path.read_text()[-3000:]}")


def epoch_of(iso: str) -> float:
    return datetime.strptime(iso, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC).timestamp()


class AlertReader:
    """Reads the alerts topic from the start; keeps when each article's first alert arrived."""

    def __init__(self, bootstrap: str, topic: str) -> None:
        self.bootstrap = bootstrap
        self.topic = topic
        self.arrivals: dict[str, float] = {}  # article id -> arrival (epoch s) of its first alert
        # article id -> (when the worker's pipeline decided, the alert record's broker timestamp)
        self.stamps: dict[str, tuple[float, float]] = {}
        self.count = 0
        self.last = 0.0  # monotonic time of the latest alert
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        consumer = await _assigned_consumer(self.bootstrap, self.topic, fetch_max_wait_ms=20)
        try:
            while True:
                batches = await consumer.getmany(timeout_ms=200, max_records=5000)
                now = time.time()  # wall clock: compared with the send time and the worker's
                for messages in batches.values():
                    self.last = time.monotonic()
                    for message in messages:
                        self.count += 1
                        # the first alert of any watchlist marks the article as processed
                        alert = orjson.loads(message.value)
                        article_id = alert["article"]["id"]
                        if article_id not in self.arrivals:
                            self.arrivals[article_id] = now
                            self.stamps[article_id] = (
                                epoch_of(alert["detected_at"]),
                                message.timestamp / 1000,
                            )
        finally:
            await consumer.stop()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def wait_for(self, article_id: str, timeout: float, idle: float) -> bool:
        """True once the article's alert arrived; False after `timeout`, or once nothing has
        arrived for `idle` seconds (the worker is done, or stuck: either way, stop waiting)."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if article_id in self.arrivals:
                return True
            if self._task is not None and self._task.done():
                self._task.result()  # the reader failed: raise its error
                raise RuntimeError("the alerts reader stopped")
            if time.monotonic() - max(started, self.last) > idle:
                return False
            await asyncio.sleep(0.05)
        return False


async def publish_watchlists(settings: Settings, watchlists: list[dict]) -> None:
    await produce_all(
        settings.broker,
        settings.watchlists_topic,
        [(item["id"].encode(), orjson.dumps(item)) for item in watchlists],
    )


async def paced_produce(
    bootstrap: str, topic: str, records: Sequence[BenchRecord], rate: float, sent: list[float]
) -> None:
    """Publish at `rate` records/s; sent[i] is the wall-clock time record i was handed over."""
    from aiokafka import AIOKafkaProducer

    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, max_request_size=8 * 1024 * 1024, linger_ms=0)
    await producer.start()
    try:
        started = time.monotonic()
        futures = []
        for number, record in enumerate(records):
            due = started + number / rate
            delay = due - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            sent.append(time.time())
            futures.append(await producer.send(topic, key=record.key, value=record.value))
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def run_pipeline(
    bootstrap: str,
    saturation: Sequence[BenchRecord],
    paced: Sequence[BenchRecord],
    ids: list[str],
    watchlists: list[dict],
    work_dir: Path,
    timeout: float,
    paced_seconds: float = 30.0,
    profile_path: Path | None = None,
    idle: float = 30.0,
    extra_env: dict[str, str] | None = None,
) -> PipelineResult:
    """The whole pipeline, raw topic -> alerts topic, in one `wirewatch worker` process
    (`extra_env`: settings of the worker, e.g. WIREWATCH_FRONT_PROCESS=1)."""
    result = PipelineResult()
    settings = bench_settings(bootstrap)
    await ensure_topics(settings, bootstrap)
    await publish_watchlists(settings, watchlists)
    log_path = work_dir / f"worker-{settings.app_id}.log"
    process = start_worker(settings, log_path, work_dir / f"worker-data-{settings.app_id}", extra_env)
    reader = AlertReader(bootstrap, settings.alerts_topic)
    try:
        with PeakMemory(process.pid) as memory:
            await wait_ready(process, log_path, timeout=180)
            reader.start()
            index_of = {article_id: n for n, article_id in enumerate(ids) if article_id}
            saturation_ids = [ids[r.index] for r in saturation if ids[r.index]]
            profiler = None
            if profile_path:
                try:
                    profiler = start_profiler(process.pid, profile_path)
                except OSError as exc:  # py-spy is a tool, not a dependency: no profile, same figures
                    result.notes.append(f"profile: py-spy could not start ({exc}); pip install py-spy")
            cpu_before = worker_cpu_seconds(process.pid)
            await produce_all(bootstrap, settings.raw_topic, [(r.key, r.value) for r in saturation])
            if not await reader.wait_for(saturation_ids[-1], timeout, idle):
                result.notes.append("saturation: the last expected alert did not come")
            result.saturation_cpu_seconds = worker_cpu_seconds(process.pid) - cpu_before
            result.saturation_count = len(saturation)
            if profiler is not None:
                profiler.send_signal(signal.SIGINT)  # as Ctrl-C: py-spy writes what it sampled
                profiler.wait(30)
            done = [(reader.arrivals[i], index_of[i]) for i in saturation_ids if i in reader.arrivals]
            if len(done) < len(saturation_ids):
                result.notes.append(
                    f"saturation: {len(done)} of the {len(saturation_ids)} articles expected to alert were seen on the alerts topic"
                )
            done.sort()
            if len(done) >= 2:
                (first_time, first_index), (last_time, last_index) = done[0], done[-1]
                result.saturation_records = last_index - first_index
                result.saturation_seconds = last_time - first_time
                result.throughput = result.saturation_records / max(1e-9, result.saturation_seconds)
            if paced and result.throughput > 0:
                result.latency_rate = result.throughput / 2
                paced = paced[: max(20, int(result.latency_rate * paced_seconds))]
                sent: list[float] = []
                await paced_produce(bootstrap, settings.raw_topic, paced, result.latency_rate, sent)
                paced_ids = {}
                for record, when in zip(paced, sent, strict=True):
                    if ids[record.index]:
                        paced_ids.setdefault(ids[record.index], when)
                result.latency_expected = len(paced_ids)
                if not await reader.wait_for(list(paced_ids)[-1], timeout, idle):
                    result.notes.append("latency: the last expected alert did not come")
                await asyncio.sleep(1.0)  # stragglers of the same batch
                parts: dict[str, list[float]] = {"to decision": [], "to alerts topic": [], "to reader": []}
                for i, t in paced_ids.items():
                    if i in reader.stamps:
                        decided, stamped = reader.stamps[i]
                        parts["to decision"].append(decided - t)
                        parts["to alerts topic"].append(stamped - decided)
                        parts["to reader"].append(reader.arrivals[i] - stamped)
                result.latency_parts = {k: sorted(v)[len(v) // 2] for k, v in parts.items() if v}
                result.latencies = [
                    reader.arrivals[i] - t for i, t in paced_ids.items() if i in reader.arrivals
                ]
        result.peak_rss_bytes = memory.peak
        result.alerts = reader.count
    finally:
        await reader.stop()
        stop_process(process, timeout=40)
    result.dead_letters = await topic_size(bootstrap, settings.dead_letter_topic)
    return result


async def topic_size(bootstrap: str, topic: str) -> int:
    """How many records a topic holds (sum of end offsets; nothing is deleted here)."""
    consumer = await _assigned_consumer(bootstrap, topic)
    try:
        ends = await consumer.end_offsets(list(consumer.assignment()))
        return sum(ends.values())
    finally:
        await consumer.stop()
