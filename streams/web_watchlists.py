"""Watchlist management over HTTP, on the worker's own (Faust) web server.

    GET    /watchlists        the watchlists this worker applies, sorted by id
    GET    /watchlists/{id}   one watchlist, or 404
    PUT    /watchlists/{id}   create or replace (JSON body: query, speakers, reported)
    DELETE /watchlists/{id}   remove, or 404 when there is no such watchlist

A put or delete is validated here and then published to the compacted watchlists topic, so
every worker applies it (this one included) exactly as it applies `wirewatch watchlist add`;
the answer comes once this worker has applied it (200), or after a few seconds if it has not
yet (202). A refused watchlist is a 400 with a JSON body naming the fault and, for a query,
its position. Every request needs `Authorization: Bearer $WIREWATCH_API_TOKEN`; without a
token the API serves loopback clients only (web_auth.py), and the worker refuses to listen on
any other address (`refuse_open_api_without_token`).
"""

from __future__ import annotations

import asyncio
import ipaddress
import time
from typing import Any

import faust
import orjson
from aiokafka import AIOKafkaProducer

from wirewatch.agents.alert import Watchlist, WatchlistError, WatchlistSet

from .kafka import bootstrap_of
from .settings import Settings
from .web_auth import check_bearer

# how long a put or delete waits for this worker's follower to apply it before answering 202
APPLY_WAIT_SECONDS = 5.0
MAX_BODY_BYTES = 64 * 1024


def is_loopback_host(host: str) -> bool:
    """Whether a bind address only accepts connections from this machine."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False  # a host name or a wildcard such as 0.0.0.0: reachable from elsewhere


def refuse_open_api_without_token(settings: Settings) -> None:
    """Stop a worker that would serve the HTTP API beyond this machine without a token."""
    if settings.web_enabled and not settings.api_token and not is_loopback_host(settings.web_host):
        raise SystemExit(
            f"wirewatch: WIREWATCH_WEB_HOST={settings.web_host} would expose the HTTP API (watchlists, "
            "alert stream) beyond this machine without a token. Set WIREWATCH_API_TOKEN to a secret, "
            "or WIREWATCH_WEB_HOST=127.0.0.1, or WIREWATCH_WEB_ENABLED=false."
        )


class WatchlistPublisher:
    """Publishes watchlist changes to the compacted topic with one long-lived producer."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._producer: AIOKafkaProducer | None = None
        self._lock = asyncio.Lock()

    async def send(self, key: str, value: bytes | None) -> None:
        async with self._lock:
            if self._producer is None:
                producer = AIOKafkaProducer(bootstrap_servers=bootstrap_of(self.settings.broker), acks="all")
                await producer.start()
                self._producer = producer
        await self._producer.send_and_wait(self.settings.watchlists_topic, key=key.encode(), value=value)

    async def stop(self) -> None:
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None


async def _applied(watchlists: WatchlistSet, watchlist_id: str, wanted: dict[str, Any] | None) -> bool:
    """Wait until this worker's set holds `wanted` under the id (None: holds nothing)."""
    deadline = time.monotonic() + APPLY_WAIT_SECONDS
    while time.monotonic() < deadline:
        current = watchlists.get(watchlist_id)
        if (current.to_dict() if current else None) == wanted:
            return True
        await asyncio.sleep(0.05)
    return False


def _refusal(exc: WatchlistError) -> dict[str, Any]:
    body: dict[str, Any] = {"error": str(exc)}
    if exc.field:
        body["field"] = exc.field
    if exc.position is not None:
        body["position"] = exc.position
    return body


def register_watchlist_api(app: faust.App, settings: Settings, watchlists: WatchlistSet) -> None:
    """Add the /watchlists views to the app's web server; `watchlists` is the live set the
    worker's follower keeps (what this worker applies)."""
    refuse_open_api_without_token(settings)
    if not settings.web_enabled:
        return
    publisher = WatchlistPublisher(settings)

    @app.service
    class PublisherShutdown(faust.Service):  # stops the producer with the worker
        async def on_stop(self) -> None:
            await publisher.stop()

    @app.page("/watchlists")
    class WatchlistList(faust.web.View):
        async def get(self, request: Any) -> Any:
            check_bearer(request, settings)
            items = sorted(watchlists, key=lambda w: w.id)
            return self.json({"count": len(items), "watchlists": [w.to_dict() for w in items]})

    @app.page("/watchlists/{watchlist_id}")
    class WatchlistItem(faust.web.View):
        async def get(self, request: Any, watchlist_id: str) -> Any:
            check_bearer(request, settings)
            found = watchlists.get(watchlist_id)
            if found is None:
                return self.json({"error": f"no watchlist {watchlist_id!r}"}, status=404)
            return self.json(found.to_dict())

        async def put(self, request: Any, watchlist_id: str) -> Any:
            check_bearer(request, settings)
            body = await request.content.read(MAX_BODY_BYTES + 1)
            if len(body) > MAX_BODY_BYTES:
                return self.json({"error": f"the body is over {MAX_BODY_BYTES} bytes"}, status=413)
            try:
                data = orjson.loads(body)
            except orjson.JSONDecodeError as exc:
                return self.json(
                    {"error": f"the body is not valid JSON: {exc}", "position": exc.pos}, status=400
                )
            if not isinstance(data, dict):
                return self.json({"error": "the body must be a JSON object"}, status=400)
            if "id" in data and data["id"] != watchlist_id:
                return self.json(
                    {"error": f"the body's id {data['id']!r} differs from the path's {watchlist_id!r}"},
                    status=400,
                )
            try:
                watchlist = Watchlist.from_dict({**data, "id": watchlist_id})
            except WatchlistError as exc:
                return self.json(_refusal(exc), status=400)
            stored = watchlist.to_dict()
            await publisher.send(watchlist.id, orjson.dumps(stored))
            applied = await _applied(watchlists, watchlist.id, stored)
            return self.json({**stored, "applied": applied}, status=200 if applied else 202)

        async def delete(self, request: Any, watchlist_id: str) -> Any:
            check_bearer(request, settings)
            if watchlists.get(watchlist_id) is None:
                return self.json({"error": f"no watchlist {watchlist_id!r}"}, status=404)
            await publisher.send(watchlist_id, None)  # a tombstone: compaction forgets the id
            applied = await _applied(watchlists, watchlist_id, None)
            return self.json(
                {"id": watchlist_id, "deleted": True, "applied": applied}, status=200 if applied else 202
            )
