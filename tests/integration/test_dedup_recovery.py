"""Crash safety of the dedup and alert state on the embedded broker: a worker is SIGKILLed
mid-stream and a new one takes over with the same settings; the rest of the stream and some
records sent again follow. Every alert the uninterrupted offline pipeline raises arrives, no
(watchlist, article) pair gets a second alert id, and no story gets a second `new` per
watchlist. Syndicated copies (labelled in tests/data/dedup) never alert."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from pathlib import Path

import orjson
import pytest
import yaml

from wirewatch.agents.alert import WatchlistSet, load_watchlists
from wirewatch.agents.pipeline import Pipeline, timestamp_clock
from wirewatch.streams.records import RawRecord

from ..conftest import DATA, consume, news_api_json, prepared_settings, produce

pytestmark = pytest.mark.integration

WATCHLISTS = """
watchlists:
  - id: kremlin-iraq
    query: 'Kremlin AND Iraq'
  - id: peskov
    speakers: ['Dmitry Peskov']
  - id: grain
    query: 'grain'
  - id: nato
    query: 'NATO'
"""
FIRST_PART = 60  # records sent to the first worker
KILL_AFTER_ALERTS_OF = 30  # it is killed as soon as the alerts of this many records are out
# Sent again after the restart, while their state is still in the window (a record sent again
# after its article left the window is a new arrival, by design): some of the first part before
# the rest, and the last few after it.
RESENT_FROM_FIRST_PART = range(50, 58)
RESENT_LAST = 8


def corpus() -> list[dict]:
    return yaml.safe_load((DATA / "dedup" / "corpus.yaml").read_text("utf-8"))["articles"]


def offline_alerts(values: list[bytes]) -> list[list[dict]]:
    """The alerts of each record through the same stage code, without a crash."""
    pipeline = Pipeline(WatchlistSet(load_watchlists(WATCHLISTS)), clock=timestamp_clock)
    out = []
    now_ms = int(time.time() * 1000)  # an ingest time after the articles' dates, as live
    for offset, value in enumerate(values):
        raw = RawRecord(value=value, topic="raw", partition=0, offset=offset, timestamp_ms=now_ms + offset)
        outcome = pipeline.process(raw)
        assert not outcome.dead_letters
        out.append([orjson.loads(orjson.dumps(alert)) for alert in outcome.alerts])
    return out


def test_killed_worker_is_replaced_without_lost_or_new_alert_ids(
    broker, start_worker, tmp_path: Path
) -> None:
    items = corpus()
    values = [news_api_json(item) for item in items]
    expected_by_record = offline_alerts(values)
    expected = {a["id"]: a for alerts in expected_by_record for a in alerts}
    copies = {item["url"] for item in items if item["duplicate_of"]}
    assert expected and not [a for a in expected.values() if a["article"]["url"] in copies]
    assert {a["watchlist"] for a in expected.values() if a["kind"] == "new"} == {
        "kremlin-iraq",
        "peskov",
        "grain",
        "nato",
    }

    settings = prepared_settings(broker.bootstrap, WATCHLISTS)
    first = start_worker(settings, "first")
    first.ready()
    asyncio.run(
        produce(settings, settings.raw_topic, [(f"r{n}".encode(), values[n]) for n in range(FIRST_PART)])
    )
    early = sum(len(alerts) for alerts in expected_by_record[:KILL_AFTER_ALERTS_OF])
    seen = asyncio.run(consume(settings, settings.alerts_topic, early, 90.0))
    assert len(seen) >= early, "the first worker did not get going"
    first.kill()  # SIGKILL, mid-stream: later records of the first part may be half done

    second = start_worker(settings, "second")
    second.ready()
    rest = [(f"r{n}".encode(), values[n]) for n in range(FIRST_PART, len(values))]
    again = [(f"again-{n}".encode(), values[n]) for n in RESENT_FROM_FIRST_PART]
    again_last = [(f"again-{n}".encode(), values[n]) for n in range(len(values) - RESENT_LAST, len(values))]
    asyncio.run(produce(settings, settings.raw_topic, again + rest + again_last))

    # Alerts re-emitted after the crash count in the topic, so wait for the distinct ids.
    deadline = time.monotonic() + 150.0
    records: list = []
    while time.monotonic() < deadline:
        records = asyncio.run(consume(settings, settings.alerts_topic, len(records) + 1, 5.0))
        if {orjson.loads(r.value)["id"] for r in records} >= set(expected):
            break
    # anything extra (a second id, a repeated `new`) would come right behind the expected ones
    records = asyncio.run(consume(settings, settings.alerts_topic, len(records) + 50, 5.0))
    received = [orjson.loads(r.value) for r in records]
    letters = asyncio.run(consume(settings, settings.dead_letter_topic, 1, 1.0))
    assert not letters, f"records failed live: {[orjson.loads(r.value)['error'][:200] for r in letters]}"

    ids = {a["id"] for a in received}
    missing = [(a["watchlist"], a["kind"], a["article"]["url"]) for i, a in expected.items() if i not in ids]
    unexpected = [
        (a["watchlist"], a["kind"], a["article"]["url"]) for a in received if a["id"] not in expected
    ]
    assert ids == set(expected), f"missing {missing[:5]}, unexpected {unexpected[:5]}"
    ids_per_pair: dict[tuple[str, str], set[str]] = defaultdict(set)
    new_ids_per_story: dict[tuple[str, str], set[str]] = defaultdict(set)
    for alert in received:
        ids_per_pair[(alert["watchlist"], alert["article"]["id"])].add(alert["id"])
        if alert["kind"] == "new":
            new_ids_per_story[(alert["watchlist"], alert["story"]["id"])].add(alert["id"])
        same = expected[alert["id"]]
        assert (alert["kind"], alert["story"]["id"]) == (same["kind"], same["story"]["id"]), (
            alert["article"]["url"],
            alert["story"],
            same["story"],
        )
    assert all(len(found) == 1 for found in ids_per_pair.values())
    assert all(len(found) == 1 for found in new_ids_per_story.values())
