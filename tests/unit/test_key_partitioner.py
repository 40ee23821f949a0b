"""The worker's producer partitioner sends every key where aiokafka's default partitioner does
(so a watchlist's alerts keep their partition), however often a key comes back."""

from __future__ import annotations

from aiokafka.partitioner import DefaultPartitioner

from wirewatch.streams.app import KeyPartitioner, faust_app
from wirewatch.streams.settings import Settings


def test_keys_land_where_the_default_partitioner_puts_them() -> None:
    ours, default = KeyPartitioner(max_keys=50), DefaultPartitioner()
    keys = [f"watchlist-{n}".encode() for n in range(120)] + [b"", "bl\u00e5b\u00e6r".encode(), b"\x00\xff"]
    for partitions in ([0], [0, 1], [0, 1, 2], list(range(12)), [3, 5, 8]):
        for _ in range(3):  # again with the hashes remembered (and the memory emptied when full)
            for key in keys:
                assert ours(key, partitions, partitions) == default(key, partitions, partitions), (
                    key,
                    partitions,
                )
    assert 0 < len(ours.hashes) <= 50


def test_a_record_without_key_goes_to_an_available_partition() -> None:
    ours = KeyPartitioner()
    assert {ours(None, [0, 1, 2, 3], [2]) for _ in range(20)} == {2}
    assert {ours(None, [0, 1], []) for _ in range(50)} <= {0, 1}
    assert ours.hashes == {}


def test_the_worker_app_uses_it() -> None:
    app = faust_app(Settings(broker="kafka://127.0.0.1:9"), "partitioner-test", web_enabled=False)
    assert isinstance(app.conf.producer_partitioner, KeyPartitioner)
