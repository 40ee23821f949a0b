"""Watchlists on a running system (embedded broker, real worker): a watchlist added while the
worker runs alerts on the next article without a restart; a removed one stops alerting; a
restarted worker rebuilds the set from the compacted topic and still alerts. The HTTP API on
the worker's web server is driven with a real HTTP client: 401 without the token, then list,
put (validation errors as 400 with the position), get and delete with it."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import orjson
import pytest

from wirewatch.streams.kafka import ensure_topics
from wirewatch.streams.settings import Settings

from ..conftest import consume, produce, unique_settings

pytestmark = pytest.mark.integration
TOKEN = "watchlists-test-token-4d2a"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
DEADLINE = 40.0

# our own wire copy (plain text: a title, then paragraphs), in our own words
FLOOD_ARTICLE = (
    b"River flooding closes roads near Novi Sad\n\n"
    b"Heavy rain pushed the Danube over its banks near Novi Sad overnight, closing two main roads "
    b"and flooding farmland.\n\n"
    b"Emergency crews moved sandbags to the riverside villages, and a school was turned into a shelter.\n"
)


def url(settings: Settings, path: str) -> str:
    return f"http://127.0.0.1:{settings.web_port}{path}"


async def wait_for_watchlist(settings: Settings, watchlist_id: str, present: bool) -> float:
    """Seconds until the worker's live set holds (or no longer holds) the watchlist."""
    started = time.monotonic()
    async with aiohttp.ClientSession(headers=AUTH) as http:
        while time.monotonic() - started < DEADLINE:
            async with http.get(url(settings, f"/watchlists/{watchlist_id}")) as response:
                if (response.status == 200) is present:
                    return time.monotonic() - started
            await asyncio.sleep(0.2)
    raise AssertionError(f"watchlist {watchlist_id} not {'applied' if present else 'removed'} in {DEADLINE}s")


def alerts_of(settings: Settings, count: int, timeout: float) -> list[tuple[str, str]]:
    records = asyncio.run(consume(settings, settings.alerts_topic, count, timeout))
    return [(orjson.loads(r.value)["watchlist"], orjson.loads(r.value)["kind"]) for r in records]


@pytest.fixture
def settings(broker, monkeypatch) -> Settings:
    monkeypatch.setenv("WIREWATCH_API_TOKEN", TOKEN)  # the worker's environment is built from ours
    config = unique_settings(broker.bootstrap, api_token=TOKEN)
    asyncio.run(ensure_topics(config, config.broker))
    return config


def test_watchlists_apply_live_stop_when_removed_and_survive_a_restart(
    settings: Settings, start_worker, seed_bytes
) -> None:
    worker = start_worker(settings, "first")
    worker.ready()

    # added while the worker runs: applied within seconds, and the next article alerts
    asyncio.run(
        produce(
            settings,
            settings.watchlists_topic,
            [(b"kremlin-iraq", orjson.dumps({"id": "kremlin-iraq", "query": "Kremlin AND Iraq"}))],
        )
    )
    assert asyncio.run(wait_for_watchlist(settings, "kremlin-iraq", present=True)) < 10
    asyncio.run(produce(settings, settings.raw_topic, [(b"seed-1", seed_bytes[0])]))
    assert alerts_of(settings, 1, DEADLINE) == [("kremlin-iraq", "new")]

    # removed (a tombstone) and another added: the next article of the same story alerts only
    # the new one, where the removed one would have raised an update
    asyncio.run(
        produce(
            settings,
            settings.watchlists_topic,
            [
                (b"kremlin-iraq", None),
                (b"peskov", orjson.dumps({"id": "peskov", "speakers": ["Dmitry Peskov"]})),
                (b"floods", orjson.dumps({"id": "floods", "query": "Danube AND flood*"})),
            ],
        )
    )
    asyncio.run(wait_for_watchlist(settings, "kremlin-iraq", present=False))
    asyncio.run(wait_for_watchlist(settings, "floods", present=True))
    asyncio.run(produce(settings, settings.raw_topic, [(b"seed-2", seed_bytes[1])]))
    assert alerts_of(settings, 2, DEADLINE) == [("kremlin-iraq", "new"), ("peskov", "new")]
    assert len(alerts_of(settings, 3, 3.0)) == 2  # and nothing else comes

    # a new worker with the same settings rebuilds the set from the topic
    worker.stop()
    restarted = start_worker(settings, "second")
    restarted.ready()
    listed = asyncio.run(list_watchlists(settings))
    assert [w["id"] for w in listed] == ["floods", "peskov"]
    asyncio.run(produce(settings, settings.raw_topic, [(b"flood.txt", FLOOD_ARTICLE)]))
    assert alerts_of(settings, 3, DEADLINE * 2)[2:] == [("floods", "new")]


async def list_watchlists(settings: Settings) -> list[dict]:
    async with (
        aiohttp.ClientSession(headers=AUTH) as http,
        http.get(url(settings, "/watchlists")) as response,
    ):
        assert response.status == 200
        body = await response.json()
        assert body["count"] == len(body["watchlists"])
        return body["watchlists"]


async def http_api_session(settings: Settings) -> None:
    async with aiohttp.ClientSession() as anonymous:
        for method, path in [("GET", "/watchlists"), ("GET", "/watchlists/x"), ("DELETE", "/watchlists/x")]:
            async with anonymous.request(method, url(settings, path)) as response:
                assert response.status == 401, (method, path)
        async with anonymous.put(url(settings, "/watchlists/x"), json={"query": "a"}) as response:
            assert response.status == 401
        wrong = {"Authorization": "Bearer not-the-token"}
        async with anonymous.get(url(settings, "/watchlists"), headers=wrong) as response:
            assert response.status == 401

    async with aiohttp.ClientSession(headers=AUTH) as http:
        assert await list_watchlists(settings) == []
        async with http.put(url(settings, "/watchlists/grain"), json={"query": "grain AND (wheat OR"}) as bad:
            assert bad.status == 400
            refusal = await bad.json()
            assert refusal["field"] == "query" and refusal["position"] == 19
            assert "the query ends where a term was expected at position 19" in refusal["error"]
        async with http.put(url(settings, "/watchlists/grain"), data=b'{"query": "grain",') as bad:
            assert bad.status == 400 and "not valid JSON" in (await bad.json())["error"]
        async with http.put(url(settings, "/watchlists/grain"), json={"id": "other", "query": "x"}) as bad:
            assert bad.status == 400
        async with http.put(url(settings, "/watchlists/grain"), json={"speakers": 7}) as bad:
            assert bad.status == 400 and (await bad.json())["field"] == "speakers"

        wanted = {"query": "grain AND NOT wheat", "speakers": ["Marta Kowal"]}
        async with http.put(url(settings, "/watchlists/grain"), json=wanted) as created:
            assert created.status == 200
            assert await created.json() == {"id": "grain", **wanted, "applied": True}
        async with http.get(url(settings, "/watchlists/grain")) as got:
            assert got.status == 200 and await got.json() == {"id": "grain", **wanted}
        assert [w["id"] for w in await list_watchlists(settings)] == ["grain"]
        async with http.delete(url(settings, "/watchlists/grain")) as deleted:
            assert deleted.status == 200 and (await deleted.json())["applied"] is True
        async with http.get(url(settings, "/watchlists/grain")) as gone:
            assert gone.status == 404
        async with http.delete(url(settings, "/watchlists/grain")) as again:
            assert again.status == 404
    # the API published to the compacted topic: a put, then a tombstone
    records = await consume(settings, settings.watchlists_topic, 2, DEADLINE)
    assert [(r.key, r.value) for r in records] == [
        (b"grain", orjson.dumps({"id": "grain", **wanted})),
        (b"grain", None),
    ]


def test_http_api_needs_the_token_and_manages_watchlists(settings: Settings, start_worker) -> None:
    worker = start_worker(settings)
    worker.ready()
    asyncio.run(http_api_session(settings))
