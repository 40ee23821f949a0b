"""The hot-path agent through Faust's test_context(): records in, alerts and dead letters out.

No broker: the app is finalized with an in-memory store, and the two output topics' `send`
are replaced by recorders (the agent only moves records; the stages are tested in unit/)."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import pytest

from wirewatch.agents.alert import load_watchlists
from wirewatch.streams.app import create_app
from wirewatch.streams.settings import Settings

from ..conftest import SEED_WATCHLISTS


class Recorder:
    def __init__(self) -> None:
        self.sent: list[tuple[bytes | None, bytes]] = []

    async def send(self, *, key: bytes | None = None, value: bytes, **_: Any) -> asyncio.Future:
        self.sent.append((key, value))
        done: asyncio.Future = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done


@pytest.fixture
def app_and_recorders():
    settings = Settings(broker="kafka://127.0.0.1:1", app_id="ww-agent-test", web_enabled=False)
    app = create_app(settings)
    app.conf.store = "memory://"
    app.finalize()
    app.flow_control.resume()
    follower = app.wirewatch_follower
    for watchlist in load_watchlists(SEED_WATCHLISTS):
        follower.watchlists.put(watchlist)
    follower.ready.set()
    return app, Recorder(), Recorder()


async def test_seeds_through_the_agent(app_and_recorders, seed_bytes, monkeypatch) -> None:
    app, alerts, dead = app_and_recorders
    agent = app.wirewatch_hot_path
    monkeypatch.setattr(app.wirewatch_topics["alerts"], "send", alerts.send)
    monkeypatch.setattr(app.wirewatch_topics["dead_letters"], "send", dead.send)
    async with agent.test_context() as context:
        await context.put(seed_bytes[0], key=b"one")
        await context.put(seed_bytes[1], key=b"two")
        await context.put(b"\x00\x01 binary garbage", key=b"bad")
        await context.put(b"", key=b"empty")
    sent = [orjson.loads(value) for _, value in alerts.sent]
    assert [(a["watchlist"], a["kind"]) for a in sent] == [
        ("kremlin-iraq", "new"),
        ("peskov", "new"),
        ("kremlin-iraq", "update"),
        ("peskov", "update"),
    ]
    assert [key for key, _ in alerts.sent] == [b"kremlin-iraq", b"peskov", b"kremlin-iraq", b"peskov"]
    letters = [orjson.loads(value) for _, value in dead.sent]
    assert [(d["stage"], d["reason"]) for d in letters] == [("parse", "binary"), ("parse", "empty")]
    assert [key for key, _ in dead.sent] == [b"bad", b"empty"]
