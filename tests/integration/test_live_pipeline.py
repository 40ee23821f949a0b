"""The live pipeline on the embedded broker: seeds in with aiokafka, alerts out; bad records to
the dead-letter topic with good records behind them still alerting; and a replay of the raw
topic's recorded history giving the same alerts offline."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import random
import string
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from wirewatch.streams.kafka import ensure_topics

from ..conftest import SAMPLES, SEED_WATCHLISTS, consume, prepared_settings, produce, unique_settings

pytestmark = pytest.mark.integration
DEADLINE = 60.0


def without_detected_at(alert: dict) -> dict:
    return {k: v for k, v in alert.items() if k != "detected_at"}


@pytest.fixture
def live(request, broker, start_worker):
    """A fresh app id/topics, the seed watchlists published, and one ready worker (with its
    front process when the test asks for it: `indirect` parameter True)."""
    settings = unique_settings(broker.bootstrap, front_process=getattr(request, "param", False))
    asyncio.run(ensure_topics(settings, settings.broker))
    from wirewatch.agents.alert import load_watchlists

    watchlists = load_watchlists(SEED_WATCHLISTS)
    asyncio.run(
        produce(
            settings,
            settings.watchlists_topic,
            [(w.id.encode(), orjson.dumps(w.to_dict())) for w in watchlists],
        )
    )
    worker = start_worker(settings)
    worker.ready()
    return settings


def test_seeds_raise_new_then_update(live, seed_bytes) -> None:
    settings = live
    asyncio.run(
        produce(settings, settings.raw_topic, [(b"seed-1", seed_bytes[0]), (b"seed-2", seed_bytes[1])])
    )
    records = asyncio.run(consume(settings, settings.alerts_topic, 4, DEADLINE))
    alerts = [orjson.loads(r.value) for r in records]
    assert sorted((a["watchlist"], a["kind"]) for a in alerts) == [
        ("kremlin-iraq", "new"),
        ("kremlin-iraq", "update"),
        ("peskov", "new"),
        ("peskov", "update"),
    ]
    assert all(r.key == a["watchlist"].encode() for r, a in zip(records, alerts, strict=True))
    assert len({a["story"]["id"] for a in alerts}) == 1
    assert len({a["id"] for a in alerts}) == 4
    # nothing more arrives: the second seed is an update, never a second `new`
    assert len(asyncio.run(consume(settings, settings.alerts_topic, 5, 3.0))) == 4


@pytest.mark.parametrize("live", [False, True], ids=["in-process", "front-process"], indirect=True)
def test_bad_records_reach_dead_letters_and_good_ones_behind_them_alert(live, seed_bytes) -> None:
    settings = live
    oversized = b"A title\n\n" + b"word " * (settings.max_article_bytes // 5 + 10)
    bad = [
        (b"json", b'{"title": "cut off'),
        (b"binary", b"\x00\xff\x00garbage" * 50),
        (b"empty", b""),
        (b"huge", oversized),
        (b"nofield", b'{"id": 7, "lang": "en"}'),
    ]
    asyncio.run(produce(settings, settings.raw_topic, [*bad, (b"good", seed_bytes[0])]))
    letters = [
        orjson.loads(r.value) for r in asyncio.run(consume(settings, settings.dead_letter_topic, 5, DEADLINE))
    ]
    assert [(d["key"], d["reason"]) for d in letters] == [
        ("json", "malformed-json"),
        ("binary", "binary"),
        ("empty", "empty"),
        ("huge", "too-large"),
        ("nofield", "missing-field"),
    ]
    huge = letters[3]
    assert huge["size"] == len(oversized) and huge["truncated"] is True
    assert huge["sha256"] == hashlib.sha256(oversized).hexdigest()
    assert base64.b64decode(huge["original_b64"]) == oversized[: 64 * 1024]
    assert all(
        d["stage"] == "parse" and d["topic"] == settings.raw_topic and d["offset"] >= 0 for d in letters
    )
    alerts = [
        orjson.loads(r.value) for r in asyncio.run(consume(settings, settings.alerts_topic, 2, DEADLINE))
    ]
    assert sorted(a["watchlist"] for a in alerts) == ["kremlin-iraq", "peskov"]


def test_recorded_history_replays_to_the_same_alerts(
    live, seed_bytes, tmp_path: Path, watchlists_file
) -> None:
    settings = live
    samples = sorted((SAMPLES / "articles").iterdir())
    inputs = [(p.name.encode(), p.read_bytes()) for p in samples] + [
        (b"seed-1", seed_bytes[0]),
        (b"seed-2", seed_bytes[1]),
        (b"seed-1-again", seed_bytes[0]),
    ]
    asyncio.run(produce(settings, settings.raw_topic, inputs))
    # Every input has been processed once the alerts stop coming: wait for the known seeds' 4
    # plus whatever the samples raise, then record the raw topic's history.
    live_alerts = [
        orjson.loads(r.value) for r in asyncio.run(consume(settings, settings.alerts_topic, 100, 20.0))
    ]
    assert len(live_alerts) >= 4
    history = tmp_path / "raw-history.jsonl"
    raw = asyncio.run(consume(settings, settings.raw_topic, len(inputs), DEADLINE))
    with history.open("wb") as out:
        for r in raw:
            out.write(
                orjson.dumps(
                    {
                        "key": r.key.decode(),
                        "value": r.value.decode("utf-8", "replace"),
                        "headers": {},
                        "timestamp": r.timestamp,
                        "topic": r.topic,
                        "partition": r.partition,
                        "offset": r.offset,
                    }
                )
                + b"\n"
            )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "wirewatch.streams.cli",
            "replay",
            str(history),
            "--watchlists",
            str(watchlists_file),
        ],
        capture_output=True,
        check=True,
    )
    replayed = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert sorted(map(orjson.dumps, map(without_detected_at, replayed))) == sorted(
        map(orjson.dumps, map(without_detected_at, live_alerts))
    )
    news = [(a["watchlist"], a["story"]["id"]) for a in replayed if a["kind"] == "new"]
    assert len(news) == len(set(news)), "exactly one `new` per watchlist and story"


def harbour_article(number: int, rng: random.Random) -> bytes:
    """A plain-text article of made-up words (so that no two share a story) that mentions the
    harbour in each paragraph."""
    made_up = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 9))) for _ in range(150)]
    paragraphs = [
        " ".join(made_up[at : at + 30]).capitalize() + ". The harbour stayed open."
        for at in range(0, 150, 30)
    ]
    return f"Harbour report {number}\n\n".encode() + "\n\n".join(paragraphs).encode()


def test_a_backlog_through_the_front_process_alerts_once_each_and_acks_all(broker, start_worker) -> None:
    """With a backlog, the worker parses and tags each batch in its second process while it
    finishes the one before: every record is still processed exactly once, and every record is
    acknowledged (a batch left pending holds its acknowledgement until it is finished)."""
    count = 240
    # batches of 32: with the default of 256 the whole backlog of 240 could arrive before the
    # first batch is taken, and one batch with nothing behind it is finished at once
    settings = prepared_settings(
        broker.bootstrap,
        "watchlists:\n  - id: harbour\n    query: harbour\n",
        front_process=True,
        batch_max=32,
    )
    rng = random.Random(11)
    records = [(f"h{n}".encode(), harbour_article(n, rng)) for n in range(count)]
    asyncio.run(produce(settings, settings.raw_topic, records))  # before the worker: a backlog
    worker = start_worker(settings)
    worker.ready()
    alerts = [
        orjson.loads(r.value) for r in asyncio.run(consume(settings, settings.alerts_topic, count, 90.0))
    ]
    assert len(alerts) == count
    assert len(asyncio.run(consume(settings, settings.alerts_topic, count + 1, 3.0))) == count  # no more
    assert {(a["watchlist"], a["kind"]) for a in alerts} == {("harbour", "new")}
    assert len({a["article"]["id"] for a in alerts}) == count
    assert "parsing and tagging batches ahead" in worker.log_path.read_text(errors="replace")
    assert asyncio.run(consume(settings, settings.dead_letter_topic, 1, 2.0)) == []
    # A clean stop waits for every record taken to be acknowledged (Faust's wait_empty, as a
    # rebalance does): a batch left pending must be acknowledged once finished.
    worker.stop()
    log = worker.log_path.read_text(errors="replace")
    assert "wait_empty: Waiting for tasks" not in log
    assert "[^Worker]: Closing event loop" in log
