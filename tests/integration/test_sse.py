"""The SSE alert stream of a real worker (two alert partitions, a bearer token set), read with
a real HTTP client: events arrive, the watchlist filter holds, a reconnect with Last-Event-ID
misses nothing and repeats nothing, and requests without the token get 401. One worker
serves the whole module: each worker start costs about 15 s."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import aiohttp
import orjson
import pytest
from aiokafka import AIOKafkaProducer

from wirewatch.streams.broker import free_port
from wirewatch.streams.kafka import ensure_topics
from wirewatch.streams.settings import Settings

from ..conftest import WorkerProcess, unique_settings

pytestmark = pytest.mark.integration
TOKEN = "sse-test-token-7c1f"
DEADLINE = 30.0


@dataclass
class Event:
    id: str
    event: str
    data: dict
    at: float


@pytest.fixture(scope="module")
def sse_workers(broker, tmp_path_factory) -> Iterator[list[Settings]]:
    """Two workers on the same topics (two apps, so two consumer groups: what matters here
    is that each web server streams every alert, whichever worker consumes what)."""
    settings = unique_settings(broker.bootstrap, partitions=2)
    other = dataclasses.replace(settings, app_id=f"{settings.app_id}-b", web_port=free_port())
    asyncio.run(ensure_topics(settings, settings.broker))
    folder = tmp_path_factory.mktemp("sse")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WIREWATCH_API_TOKEN", TOKEN)  # the worker's environment is built from ours
        workers = [
            WorkerProcess(config, folder / f"worker-{n}.log", folder / f"data-{n}")
            for n, config in enumerate([settings, other])
        ]
    try:
        for worker in workers:
            worker.ready()
        yield [settings, other]
    finally:
        for worker in workers:
            worker.stop()


@pytest.fixture
def sse_worker(sse_workers: list[Settings]) -> Settings:
    return sse_workers[0]


def stream_url(settings: Settings, query: str = "") -> str:
    return f"http://127.0.0.1:{settings.web_port}/alerts/stream{query}"


async def events_of(response: aiohttp.ClientResponse) -> AsyncIterator[Event | str]:
    """Parse an SSE body: yields Events, and the comment lines (so a test can see the stream
    open before it produces)."""
    fields: dict[str, str] = {}
    async for raw in response.content:
        line = raw.decode().rstrip("\n")
        if line.startswith(":"):
            yield line
        elif line == "":
            if "data" in fields:
                yield Event(
                    fields.get("id", ""), fields.get("event", ""), orjson.loads(fields["data"]), time.time()
                )
            fields = {}
        else:
            name, _, value = line.partition(": ")
            fields[name] = value


class Stream:
    """One SSE connection read in the background."""

    def __init__(self, session: aiohttp.ClientSession, url: str, headers: dict[str, str]) -> None:
        self.session, self.url, self.headers = session, url, headers
        self.events: list[Event] = []
        self.open = asyncio.Event()
        self.task: asyncio.Task | None = None

    async def start(self) -> Stream:
        self.task = asyncio.create_task(self._read())
        await asyncio.wait_for(self.open.wait(), DEADLINE)
        return self

    async def _read(self) -> None:
        async with self.session.get(self.url, headers=self.headers) as response:
            assert response.status == 200, await response.text()
            assert response.headers["Content-Type"].startswith("text/event-stream")
            async for item in events_of(response):
                if isinstance(item, str):
                    if "stream open" in item:
                        self.open.set()
                else:
                    self.events.append(item)

    async def wait(self, count: int) -> list[Event]:
        deadline = time.monotonic() + DEADLINE
        while len(self.events) < count:
            if self.task is not None and self.task.done():
                self.task.result()  # surfaces the reader's failure
            assert time.monotonic() < deadline, f"{len(self.events)} of {count} events arrived"
            await asyncio.sleep(0.02)
        return self.events

    async def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)


def alert(n: int, watchlist: str) -> bytes:
    return orjson.dumps({"schema_version": 1, "id": f"sse-{n:03d}", "watchlist": watchlist, "kind": "new"})


async def publish(settings: Settings, alerts: list[bytes]) -> dict[str, float]:
    """Produce alerts keyed by watchlist (two watchlists land on both partitions)."""
    producer = AIOKafkaProducer(bootstrap_servers=settings.broker)
    await producer.start()
    sent: dict[str, float] = {}
    try:
        for value in alerts:
            body = orjson.loads(value)
            sent[body["id"]] = time.time()
            await producer.send_and_wait(settings.alerts_topic, key=body["watchlist"].encode(), value=value)
    finally:
        await producer.stop()
    return sent


AUTH = {"Authorization": f"Bearer {TOKEN}"}


async def test_stream_refuses_requests_without_the_token(sse_worker) -> None:
    async with aiohttp.ClientSession() as session:
        for headers in ({}, {"Authorization": "Bearer not-the-token"}, {"Authorization": TOKEN}):
            async with session.get(stream_url(sse_worker), headers=headers) as response:
                assert response.status == 401
                assert response.headers.get("WWW-Authenticate", "").startswith("Bearer")


async def test_events_arrive_filtered_and_a_reconnect_resumes_exactly(sse_worker) -> None:
    settings = sse_worker
    watchlists = ["grain-talks", "port-strikes"]
    batch_one = [alert(n, watchlists[n % 2]) for n in range(12)]
    batch_two = [alert(n, watchlists[n % 2]) for n in range(12, 20)]
    async with aiohttp.ClientSession() as session:
        everything = await Stream(session, stream_url(settings), AUTH).start()
        filtered = await Stream(session, stream_url(settings, "?watchlist=grain-talks"), AUTH).start()
        sent = await publish(settings, batch_one)
        got = await everything.wait(12)
        assert sorted(e.data["id"] for e in got) == sorted(sent)
        assert all(e.event == "alert" and e.id for e in got)
        # both partitions are in the id, so one id says where to resume on each of them
        assert all(len(e.id.split(",")) == 2 for e in got)
        # per watchlist (one partition each) the order is the order produced
        for name in watchlists:
            ids = [e.data["id"] for e in got if e.data["watchlist"] == name]
            assert ids == sorted(ids)
        only = await filtered.wait(6)
        await asyncio.sleep(0.5)
        assert [e.data["watchlist"] for e in only] == ["grain-talks"] * 6
        latencies = sorted(e.at - sent[e.data["id"]] for e in got)
        print(
            f"\nalerts topic -> SSE latency over {len(latencies)} alerts: "
            f"p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
        )

        # the client drops after its 5th event, more alerts come, it reconnects with that id
        resume_from = got[4]
        await everything.close()
        await filtered.close()
        await publish(settings, batch_two)
        resumed = await Stream(
            session, stream_url(settings), AUTH | {"Last-Event-ID": resume_from.id}
        ).start()
        expected = [e.data["id"] for e in got[5:]] + [orjson.loads(v)["id"] for v in batch_two]
        again = await resumed.wait(len(expected))
        await asyncio.sleep(1.0)  # anything repeated would have arrived by now
        await resumed.close()
        assert sorted(e.data["id"] for e in resumed.events) == sorted(expected)
        assert len(resumed.events) == len(expected)  # nothing twice
        assert {e.data["id"] for e in again}.isdisjoint(e.data["id"] for e in got[:5])


async def test_a_malformed_last_event_id_is_a_bad_request(sse_worker) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.get(stream_url(sse_worker), headers=AUTH | {"Last-Event-ID": "yesterday"}) as response,
    ):
        assert response.status == 400


async def test_every_worker_streams_every_alert(sse_workers) -> None:
    first, second = sse_workers
    batch = [alert(n, ["grain-talks", "port-strikes"][n % 2]) for n in range(100, 110)]
    async with aiohttp.ClientSession() as session:
        streams = [await Stream(session, stream_url(s), AUTH).start() for s in sse_workers]
        sent = await publish(first, batch)
        for stream in streams:
            got = await stream.wait(len(batch))
            assert sorted(e.data["id"] for e in got) == sorted(sent)
            await stream.close()
    assert second.alerts_topic == first.alerts_topic
