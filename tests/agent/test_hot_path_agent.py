"""The hot-path agent through Faust's test_context(): records in, alerts and dead letters out.

No broker: the app is finalized with an in-memory store, and the producer's `send` (the agent
hands alerts, dead letters and state changes straight to it) is replaced by a recorder (the
agent only moves records; the stages are tested in unit/)."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import pytest

from wirewatch.agents.alert import load_watchlists
from wirewatch.streams.app import create_app
from wirewatch.streams.settings import Settings

from ..conftest import SEED_WATCHLISTS


class ProducerRecorder:
    """Stands in for the Kafka producer: keeps what was sent, per topic, and delivers at once."""

    def __init__(self) -> None:
        self.sent: dict[str, list[tuple[bytes | None, bytes | None, int | None]]] = {}

    async def send(
        self, topic: str, key: bytes | None, value: bytes | None, partition: int | None, *_: Any
    ) -> asyncio.Future:
        self.sent.setdefault(topic, []).append((key, value, partition))
        done: asyncio.Future = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done


@pytest.fixture(params=[False, True], ids=["in-process", "front-process"])
def app_and_recorders(request):
    """The worker's app, with parse and tag in the worker or in its second process."""
    settings = Settings(
        broker="kafka://127.0.0.1:1", app_id="ww-agent-test", web_enabled=False, front_process=request.param
    )
    app = create_app(settings)
    if request.param:
        request.addfinalizer(app.wirewatch_front_process.close)
    app.conf.store = "memory://"
    app.finalize()
    app.flow_control.resume()
    follower = app.wirewatch_follower
    for watchlist in load_watchlists(SEED_WATCHLISTS):
        follower.watchlists.put(watchlist)
    follower.ready.set()
    return app, settings, ProducerRecorder()


async def test_seeds_through_the_agent(app_and_recorders, seed_bytes, monkeypatch) -> None:
    app, settings, producer = app_and_recorders
    agent = app.wirewatch_hot_path
    monkeypatch.setattr(app.producer, "send", producer.send)
    async with agent.test_context() as context:
        await context.put(seed_bytes[0], key=b"one")
        await context.put(seed_bytes[1], key=b"two")
        await context.put(b"\x00\x01 binary garbage", key=b"bad")
        await context.put(b"", key=b"empty")
    if settings.front_process:  # the same results, with parse and tag done in the second process
        assert app.wirewatch_front_process.records_done == 4
    alerts = producer.sent.get(settings.alerts_topic, [])
    sent = [orjson.loads(value) for _, value, _ in alerts]
    assert [(a["watchlist"], a["kind"]) for a in sent] == [
        ("kremlin-iraq", "new"),
        ("peskov", "new"),
        ("kremlin-iraq", "update"),
        ("peskov", "update"),
    ]
    assert [key for key, _, _ in alerts] == [b"kremlin-iraq", b"peskov", b"kremlin-iraq", b"peskov"]
    dead = producer.sent.get(settings.dead_letter_topic, [])
    letters = [orjson.loads(value) for _, value, _ in dead]
    assert [(d["stage"], d["reason"]) for d in letters] == [("parse", "binary"), ("parse", "empty")]
    assert [key for key, _, _ in dead] == [b"bad", b"empty"]
    # State changes reach the table's changelog as Faust encodes them: one record per article,
    # and the last offset processed on the raw partition, both on the raw record's partition.
    changelog = producer.sent.get(f"{settings.app_id}-state-changelog", [])
    keys = [orjson.loads(key) for key, _, _ in changelog]
    assert sum(key.startswith("dedup:a:") for key in keys) == 2
    assert "processed:0" in keys
    assert {partition for _, _, partition in changelog} == {0}
    processed = [
        orjson.loads(value)
        for (_, value, _), key in zip(changelog, keys, strict=True)
        if key == "processed:0"
    ]
    # the first and last raw offsets of the partition's latest batch (the records' are 0..3)
    assert processed[-1][1] == 3 and 0 <= processed[-1][0] <= 3


async def test_records_delivered_before_a_crash_are_not_processed_again(
    app_and_recorders, seed_bytes, monkeypatch
) -> None:
    """A worker died after delivering the batches before offsets 2..3 but before committing
    any offset: the group hands offsets 0 and 1 over again, and they are passed over."""
    app, settings, producer = app_and_recorders
    agent = app.wirewatch_hot_path
    monkeypatch.setattr(app.producer, "send", producer.send)
    app.tables["state"].data["processed:0"] = [2, 3]
    async with agent.test_context() as context:
        await context.put(b"\x00 delivered before", key=b"zero")  # offset 0: passed over
        await context.put(b"\x00 delivered before", key=b"one")  # offset 1: passed over
        await context.put(b"\x00 maybe not delivered", key=b"two")  # the last batch: again
        await context.put(seed_bytes[0], key=b"three")
    letters = producer.sent.get(settings.dead_letter_topic, [])
    assert [key for key, _, _ in letters] == [b"two"]
    assert [key for key, _, _ in producer.sent.get(settings.alerts_topic, [])] == [b"kremlin-iraq", b"peskov"]
    changelog = producer.sent.get(f"{settings.app_id}-state-changelog", [])
    markers = [orjson.loads(value) for key, value, _ in changelog if orjson.loads(key) == "processed:0"]
    assert markers[-1][1] == 3 and 2 <= markers[-1][0] <= 3


async def test_a_start_far_below_the_delivered_records_is_processed_again(
    app_and_recorders, monkeypatch
) -> None:
    """A recreated raw topic (or a deliberate reset) starts far below what the state says was
    delivered: nothing is passed over."""
    app, settings, producer = app_and_recorders
    agent = app.wirewatch_hot_path
    monkeypatch.setattr(app.producer, "send", producer.send)
    far = settings.refill_skipped_max + 100
    app.tables["state"].data["processed:0"] = [far, far + 5]
    async with agent.test_context() as context:
        await context.put(b"\x00 a new topic's first record", key=b"zero")
        await context.put(b"\x00 and its second", key=b"one")
    letters = producer.sent.get(settings.dead_letter_topic, [])
    assert [key for key, _, _ in letters] == [b"zero", b"one"]
