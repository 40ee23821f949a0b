"""The topic catalogue: every topic wirewatch reads or writes, declared once.

Public topics (users rely on them): raw, alerts, dead letters, watchlists. There are no
internal hop topics on the default hot path: parse, tag, dedup and alert run in one agent
because each Kafka hop costs a full consume and produce in Faust (see README, "Internal
topics"). The optional NER stage adds two (tagged, enriched): it is ~30x slower than the rest
and scales with workers of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from .settings import Settings


@dataclass(frozen=True, slots=True)
class TopicSpec:
    name: str
    partitions: int
    compacted: bool = False
    public: bool = True
    purpose: str = ""


def catalogue(settings: Settings) -> dict[str, TopicSpec]:
    """All topics, by role (the NER stage's two internal topics only when it is on)."""
    topics = {
        "raw": TopicSpec(settings.raw_topic, settings.partitions, purpose="raw articles, one per record"),
        "alerts": TopicSpec(
            settings.alerts_topic, settings.partitions, purpose="alerts, keyed by watchlist id"
        ),
        "dead_letters": TopicSpec(settings.dead_letter_topic, 1, purpose="records a stage could not handle"),
        "watchlists": TopicSpec(
            settings.watchlists_topic,
            1,
            compacted=True,
            purpose="watchlists, keyed by id; an empty value deletes",
        ),
        "subscribers": TopicSpec(
            settings.subscribers_topic,
            1,
            compacted=True,
            purpose="webhook subscribers, keyed by id; an empty value deletes",
        ),
        "subscriber_dead_letters": TopicSpec(
            settings.subscriber_dead_letter_topic,
            1,
            purpose="alerts a webhook subscriber could not take, keyed by subscriber id",
        ),
    }
    if settings.ner_enabled:
        topics["tagged"] = TopicSpec(
            settings.tagged_topic,
            settings.partitions,
            public=False,
            purpose="internal: tagged articles for the NER stage, keyed like the raw record",
        )
        topics["enriched"] = TopicSpec(
            settings.enriched_topic,
            settings.partitions,
            public=False,
            purpose="internal: articles the NER stage enriched, for dedup and alert",
        )
    return topics
