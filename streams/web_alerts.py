"""The alert stream on the worker's web server: `GET /alerts/stream` as Server-Sent Events.

Each connection reads the alerts topic itself (an aiokafka consumer without a group), so the
web server of every worker sees every alert, whichever worker raised it. The event id is the
alerts topic position, `<partition>:<offset>` (one pair per partition, comma-separated, when
the topic has several), so a client that reconnects with `Last-Event-ID` resumes right after
the last event it got: nothing missed, nothing repeated.

Query: `watchlist=ID` (repeatable or comma-separated) and `kind=new|update` filter;
`from=beginning` starts at the oldest retained alert instead of now.
"""

from __future__ import annotations

import contextlib
import logging
import time
from typing import Any

import faust
import orjson
from aiohttp import web
from aiokafka import AIOKafkaConsumer, TopicPartition

from .kafka import bootstrap_of
from .settings import Settings
from .web_auth import check_bearer

log = logging.getLogger(__name__)
KEEPALIVE_SECONDS = 15.0
RECONNECT_MILLISECONDS = 2000
SSE_FETCH_WAIT_MS = 100


class BadEventId(ValueError):
    """A Last-Event-ID that is not `<partition>:<offset>[,…]`."""


def parse_event_id(text: str | None) -> dict[int, int]:
    """`"0:41,1:7"` -> {0: 41, 1: 7}: the last offset the client got on each partition."""
    if not text or not text.strip():
        return {}
    positions: dict[int, int] = {}
    for part in text.split(","):
        partition, sep, offset = part.strip().partition(":")
        try:
            if not sep:
                raise ValueError
            positions[int(partition)] = int(offset)
        except ValueError:
            raise BadEventId(f"Last-Event-ID {text!r} is not <partition>:<offset>[,...]") from None
    return positions


def format_event_id(positions: dict[int, int]) -> str:
    return ",".join(f"{partition}:{offset}" for partition, offset in sorted(positions.items()))


def _filters(request: Any) -> tuple[set[str], set[str]]:
    watchlists = {
        name.strip()
        for value in request.query.getall("watchlist", [])
        for name in value.split(",")
        if name.strip()
    }
    kinds = {
        kind.strip()
        for value in request.query.getall("kind", [])
        for kind in value.split(",")
        if kind.strip()
    }
    return watchlists, kinds


async def stream_alerts(request: Any, settings: Settings) -> web.StreamResponse:
    """Serve one SSE connection until the client goes away."""
    try:
        resume = parse_event_id(request.headers.get("Last-Event-ID") or request.query.get("last_event_id"))
    except BadEventId as exc:
        raise web.HTTPBadRequest(text=f"{exc}\n") from None
    watchlists, kinds = _filters(request)
    from_beginning = request.query.get("from") == "beginning"
    topic = settings.alerts_topic
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_of(settings.broker),
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",  # a resume point that retention removed: oldest kept
        # The embedded broker answers a fetch when its wait ends, not when data arrives, so the
        # wait is the stream's latency floor; 100 ms costs 10 small idle fetches a second.
        fetch_max_wait_ms=SSE_FETCH_WAIT_MS,
    )
    await consumer.start()
    try:
        from .kafka import topic_partitions

        tps = [TopicPartition(topic, p) for p in await topic_partitions(consumer, topic)]
        consumer.assign(tps)
        # Positions are fixed before the response starts: an alert produced after the client
        # saw the stream open is never missed (seek_to_end alone resolves lazily).
        ends = await consumer.end_offsets(tps)
        beginnings = await consumer.beginning_offsets(tps)
        last_seen: dict[int, int] = {}
        for tp in tps:
            if tp.partition in resume:
                start = resume[tp.partition] + 1
            elif resume or from_beginning:
                start = beginnings[tp]  # a partition the client never saw: all of it
            else:
                start = ends[tp]
            consumer.seek(tp, start)
            last_seen[tp.partition] = start - 1
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream; charset=utf-8",
                "Cache-Control": "no-cache",
                "X-Accel-Buffering": "no",  # proxies must not hold events back
            }
        )
        await response.prepare(request)
        await response.write(f"retry: {RECONNECT_MILLISECONDS}\n: stream open\n\n".encode())
        last_write = time.monotonic()
        with contextlib.suppress(ConnectionResetError):  # the client went away: not an error
            while request.transport is not None and not request.transport.is_closing():
                batches = await consumer.getmany(timeout_ms=1000)
                chunks: list[bytes] = []
                for tp, messages in sorted(batches.items(), key=lambda item: item[0].partition):
                    for message in messages:
                        last_seen[tp.partition] = message.offset
                        try:
                            alert = orjson.loads(message.value)
                        except orjson.JSONDecodeError:
                            continue
                        if watchlists and alert.get("watchlist") not in watchlists:
                            continue
                        if kinds and alert.get("kind") not in kinds:
                            continue
                        chunks.append(
                            b"id: "
                            + format_event_id(last_seen).encode()
                            + b"\nevent: alert\ndata: "
                            + orjson.dumps(alert)
                            + b"\n\n"
                        )
                if chunks:
                    await response.write(b"".join(chunks))
                    last_write = time.monotonic()
                elif time.monotonic() - last_write > KEEPALIVE_SECONDS:
                    await response.write(b": keepalive\n\n")  # also how a vanished client is noticed
                    last_write = time.monotonic()
        return response
    finally:
        await consumer.stop()


def register_alert_stream(app: faust.App, settings: Settings) -> None:
    """Add `/alerts/stream` to the app's web server."""

    @app.page("/alerts/stream")
    class AlertStream(faust.web.View):
        async def get(self, request: Any) -> Any:
            check_bearer(request, settings)
            return await stream_alerts(request, settings)
