"""Small aiokafka helpers shared by the commands: broker address, topic creation, producing
and reading. The worker's own consuming is Faust's; these are for the edges."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from .settings import Settings
from .topics import catalogue

log = logging.getLogger(__name__)
BROKER_FILE = "broker"


def bootstrap_of(url: str) -> str:
    """'kafka://h1:9092;h2:9092' or 'h1:9092,h2:9092' -> 'h1:9092,h2:9092'."""
    hosts = []
    for part in url.replace(";", ",").split(","):
        part = part.strip()
        if "://" in part:
            part = part.split("://", 1)[1]
        if part:
            hosts.append(part)
    return ",".join(hosts)


def faust_url(url: str) -> str:
    return "kafka://" + bootstrap_of(url).replace(",", ";kafka://")


def remember_broker(settings: Settings, url: str) -> Path:
    """Where `up` writes the embedded broker's address for `ingest`, `tail`, `watchlist`."""
    path = Path(settings.data_dir) / BROKER_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(url + "\n")
    return path


def forget_broker(settings: Settings) -> None:
    (Path(settings.data_dir) / BROKER_FILE).unlink(missing_ok=True)


def resolve_broker(settings: Settings, cli_value: str | None = None) -> str:
    """--broker, else WIREWATCH_BROKER, else the address a running `wirewatch up` wrote."""
    if cli_value:
        return cli_value
    if settings.broker:
        return settings.broker
    path = Path(settings.data_dir) / BROKER_FILE
    if path.exists():
        return path.read_text().strip()
    raise SystemExit(
        "no broker: start one with `wirewatch up`, or pass --broker HOST:PORT (or set WIREWATCH_BROKER)"
    )


async def ensure_topics(settings: Settings, bootstrap: str) -> None:
    """Create the public topics if they do not exist (compaction for watchlists)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_of(bootstrap))
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted = []
        for spec in catalogue(settings).values():
            if spec.name in existing:
                continue
            configs = {"cleanup.policy": "compact"} if spec.compacted else {}
            wanted.append(
                NewTopic(spec.name, spec.partitions, settings.replication_factor, topic_configs=configs)
            )
        if wanted:
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(wanted)
    finally:
        await admin.close()
