"""End offsets on the embedded broker: it reports the end of a partition as the base offset of
its last record batch plus one, so readers that stop there (Faust's table recovery, the
followers' readiness) would miss the tail of a multi-record batch. `true_end_offsets` reads the
last batch back and finds the real end."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from wirewatch.streams.kafka import true_end_offsets

pytestmark = pytest.mark.integration


async def seven_records_last_three_in_one_batch(bootstrap: str, topic: str) -> dict[TopicPartition, int]:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=50)
    await producer.start()
    try:
        for n in range(4):
            await producer.send_and_wait(topic, value=b"single %d" % n, partition=0)
        pending = [await producer.send(topic, value=b"batched %d" % n, partition=0) for n in range(3)]
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
    await consumer.start()
    try:
        tp = TopicPartition(topic, 0)
        return await consumer.end_offsets([tp])
    finally:
        await consumer.stop()


def test_true_end_is_one_past_the_last_record(broker) -> None:
    topic = f"ends-{uuid.uuid4().hex[:8]}"
    reported = asyncio.run(seven_records_last_three_in_one_batch(broker.bootstrap, topic))
    tp = TopicPartition(topic, 0)
    assert reported[tp] <= 7  # the embedded broker says 5 here; a correct broker says 7
    assert asyncio.run(true_end_offsets(broker.bootstrap, reported)) == {tp: 7}
    assert asyncio.run(true_end_offsets(broker.bootstrap, {tp: 0})) == {tp: 0}  # empty: unchanged
