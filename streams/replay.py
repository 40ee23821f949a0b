"""Offline replay: recorded input through the same stage code, no broker, deterministic.

Importable for users' own tests:

    from wirewatch.streams.replay import replay_files
    alerts = replay_files(["history.jsonl"], watchlists="watchlists.yaml")
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from wirewatch.agents.alert import WatchlistSet, read_watchlists_file
from wirewatch.agents.parse.core import detect_format, history_records
from wirewatch.agents.parse.textnorm import decode, normalise
from wirewatch.agents.pipeline import Outcome, Pipeline, timestamp_clock
from wirewatch.streams.records import RawRecord, StageError, to_dict

from .settings import Settings
from .settings import settings as current_settings


def input_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files named, and files inside folders named (sorted, hidden files skipped)."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    return found


def records_of(path: Path) -> Iterator[RawRecord]:
    """One raw record per file; recorded topic history gives its records one by one."""
    data = path.read_bytes()
    mtime_ms = int(path.stat().st_mtime * 1000)
    try:
        text = normalise(decode(data))
        is_history = detect_format(text) == "history"
    except StageError:
        is_history = False
    if is_history:
        for record in history_records(text):
            if record.timestamp_ms is None:
                record.timestamp_ms = mtime_ms
            yield record
    else:
        yield RawRecord(value=data, headers={"filename": path.name}, topic="file", timestamp_ms=mtime_ms)


def replay_records(
    records: Iterable[RawRecord], watchlists: WatchlistSet, settings: Settings | None = None
) -> Iterator[Outcome]:
    config = settings or current_settings()
    pipeline = Pipeline(
        watchlists,
        max_article_bytes=config.max_article_bytes,
        story_window_hours=config.story_window_hours,
        allowed_lateness_hours=config.allowed_lateness_hours,
        retired_hours=config.retired_hours,
        updates_per_story_per_hour=config.updates_per_story_per_hour,
        clock=timestamp_clock,
    )
    for record in records:
        yield pipeline.process(record)


def replay_files(
    paths: Iterable[str | os.PathLike[str]],
    watchlists: str | os.PathLike[str] | WatchlistSet,
    settings: Settings | None = None,
) -> list[dict]:
    """Run files through the pipeline offline; return the alerts as contract JSON dicts."""
    if not isinstance(watchlists, WatchlistSet):
        watchlists = WatchlistSet(read_watchlists_file(watchlists))
    records = (record for path in input_files(paths) for record in records_of(path))
    return [
        to_dict(alert)
        for outcome in replay_records(records, watchlists, settings)
        for alert in outcome.alerts
    ]
