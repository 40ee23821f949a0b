"""The optional NER stage on the embedded broker: with WIREWATCH_NER=1 a worker sends tagged
articles to the internal tagged topic, a `wirewatch ner` worker runs the small English model
over them onto the enriched topic, and the worker deduplicates and alerts from there. A
watchlist on a person only the model knows alerts; so does a plain keyword watchlist."""

from __future__ import annotations

import asyncio

import orjson
import pytest

from ..conftest import consume, prepared_settings, produce

pytestmark = pytest.mark.integration

WATCHLISTS = """
watchlists:
  - id: wrenhaven
    query: 'entity:"Tobias Wrenhaven"'
  - id: breakwater
    query: 'breakwater'
"""
ARTICLE = orjson.dumps(
    {
        "source": {"name": "Coastline Courier"},
        "title": "Breakwater repairs begin after winter storms",
        "url": "https://coastline.example/2024/03/breakwater-repairs",
        "publishedAt": "2024-03-04T08:00:00Z",
        "content": (
            "The harbour authority chief Tobias Wrenhaven said repairs to the breakwater were under way.\n\n"
            "Crews will work through the spring, the authority said in a statement."
        ),
    }
)


def test_articles_cross_the_ner_stage_and_its_names_can_alert(broker, start_worker, monkeypatch) -> None:
    monkeypatch.setenv("WIREWATCH_NER", "1")  # the workers' environment is this one's
    settings = prepared_settings(broker.bootstrap, WATCHLISTS, ner_enabled=True)
    worker = start_worker(settings, "worker")
    ner = start_worker(settings, "ner", command="ner")
    worker.ready()
    ner.ready(timeout=120.0)
    asyncio.run(produce(settings, settings.raw_topic, [(b"breakwater.json", ARTICLE)]))

    alerts = [orjson.loads(r.value) for r in asyncio.run(consume(settings, settings.alerts_topic, 2, 90.0))]
    assert sorted((a["watchlist"], a["kind"]) for a in alerts) == [
        ("breakwater", "new"),
        ("wrenhaven", "new"),
    ]
    enriched = asyncio.run(consume(settings, settings.enriched_topic, 1, 10.0))
    assert len(enriched) == 1 and enriched[0].key == b"breakwater.json"
    entities = {e["id"] for e in orjson.loads(enriched[0].value)["tagged"]["entities"]}
    assert "person:tobias-wrenhaven" in entities
    assert not asyncio.run(consume(settings, settings.dead_letter_topic, 1, 1.0))
