"""The webhooks' reader of the alerts topic (`AlertsReader`) on the real embedded broker, with a
real HTTP receiver on loopback: alerts raised while nobody subscribes are never delivered later,
not after a subscriber arrives and not after a restart; what a subscriber was sent is not sent
again by the next reader of the group, and what was raised while no reader ran is."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from wirewatch.agents.notify import SubscriberRegistry
from wirewatch.streams import notify
from wirewatch.streams.kafka import ensure_topics
from wirewatch.streams.notify import AlertsReader, Dispatcher
from wirewatch.streams.settings import Settings

from ..conftest import produce, unique_settings
from .test_webhooks import Receiver, alert, subscriber, wait_for

pytestmark = pytest.mark.integration


class RunningReader:
    """A dispatcher and its alerts reader, as a worker runs them; `subscribe` changes the
    registry the way the subscribers follower does."""

    def __init__(self, settings: Settings) -> None:
        self.dispatcher = Dispatcher(settings)
        self.reader = AlertsReader(settings, self.dispatcher)
        self.task: asyncio.Task[None] | None = None

    async def start(self, registry: SubscriberRegistry) -> RunningReader:
        await self.dispatcher.start()
        await self.subscribe(registry)
        known = asyncio.Event()
        known.set()
        self.task = asyncio.create_task(self.reader.run(known))
        await wait_for(lambda: self.reader.consumer is not None and bool(self.reader.consumer.assignment()))
        return self

    async def subscribe(self, registry: SubscriberRegistry) -> None:
        await self.dispatcher.sync(registry)
        await self.reader.follow_subscribers()

    def paused(self) -> bool:
        consumer = self.reader.consumer
        return (
            consumer is not None
            and bool(consumer.assignment())
            and consumer.paused() == consumer.assignment()
        )

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        await self.dispatcher.stop()


async def fresh(broker) -> tuple[Settings, Receiver]:
    settings = unique_settings(broker.bootstrap, allow_private_webhooks=True)
    await ensure_topics(settings, settings.broker)
    return settings, await Receiver().start()


def ids(numbers: range) -> list[str]:
    return [f"alert-{n:03d}" for n in numbers]


async def send_alerts(settings: Settings, numbers: range) -> None:
    await produce(settings, settings.alerts_topic, [(b"grain-talks", alert(n)) for n in numbers])


async def test_alerts_raised_while_nobody_subscribes_are_never_delivered(broker) -> None:
    settings, receiver = await fresh(broker)
    running = await RunningReader(settings).start(SubscriberRegistry())
    try:
        await wait_for(running.paused)
        await send_alerts(settings, range(0, 5))  # nobody subscribed
        await running.subscribe(SubscriberRegistry([subscriber(receiver)]))
        assert not running.paused()
        await send_alerts(settings, range(10, 15))
        await wait_for(lambda: len(receiver.delivered) >= 5)
        await running.subscribe(SubscriberRegistry())  # the subscriber leaves ...
        assert running.paused()
        await send_alerts(settings, range(20, 25))
        await running.subscribe(SubscriberRegistry([subscriber(receiver)]))  # ... and comes back
        await send_alerts(settings, range(30, 35))
        await wait_for(lambda: len(receiver.delivered) >= 10)
        await asyncio.sleep(1.0)  # anything else would have come by now
        assert receiver.delivered == ids(range(10, 15)) + ids(range(30, 35))
    finally:
        await running.stop()
        await receiver.stop()


async def test_a_restarted_reader_resumes_where_the_group_left_off(broker, monkeypatch) -> None:
    monkeypatch.setattr(notify, "KEEP_AT_END_EVERY_S", 0.2)
    settings, receiver = await fresh(broker)
    try:
        # delivered by the first reader, then committed as it stops: not sent again
        first = await RunningReader(settings).start(SubscriberRegistry([subscriber(receiver)]))
        try:
            await send_alerts(settings, range(0, 3))
            await wait_for(lambda: len(receiver.delivered) >= 3)
        finally:
            await first.stop()
        await send_alerts(settings, range(3, 6))  # while no reader runs: delivered by the next
        second = await RunningReader(settings).start(SubscriberRegistry([subscriber(receiver)]))
        try:
            await wait_for(lambda: len(receiver.delivered) >= 6)
            await second.subscribe(SubscriberRegistry())  # nobody subscribes from here ...
            await send_alerts(settings, range(6, 9))
            await asyncio.sleep(2.5)  # ... for a while: the positions are kept at the end
        finally:
            await second.stop()
        third = await RunningReader(settings).start(SubscriberRegistry([subscriber(receiver)]))
        try:
            await send_alerts(settings, range(9, 12))
            await wait_for(lambda: len(receiver.delivered) >= 9)
            await asyncio.sleep(1.0)
        finally:
            await third.stop()
        assert receiver.delivered == ids(range(0, 6)) + ids(range(9, 12))
    finally:
        await receiver.stop()
