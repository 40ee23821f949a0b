"""`wirewatch up` end to end: it starts the embedded broker and a worker, the seeds ingested
with `wirewatch ingest` come out of `wirewatch tail`, SIGINT stops it, and no child process is
left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from wirewatch.streams.broker import free_port

pytestmark = pytest.mark.e2e
CLI = [sys.executable, "-m", "wirewatch.streams.cli"]


def children_of(pid: int) -> set[int]:
    """All descendants of a process, from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                parents[int(entry.name)] = int(fields[1])
            except (OSError, IndexError):
                continue
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


def test_up_ingest_tail_and_clean_stop(tmp_path: Path, seed_paths, watchlists_file) -> None:
    env = {
        **os.environ,
        "WIREWATCH_DATA_DIR": str(tmp_path / "state"),
        "WIREWATCH_WEB_PORT": str(free_port()),
    }
    env.pop("WIREWATCH_BROKER", None)
    log = (tmp_path / "up.log").open("wb")
    up = subprocess.Popen(
        [*CLI, "up", "--watchlists", str(watchlists_file)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        broker_file = tmp_path / "state" / "broker"
        deadline = time.monotonic() + 60
        while not broker_file.exists() or len(children_of(up.pid)) < 2:  # the broker and the worker
            assert up.poll() is None, (tmp_path / "up.log").read_text()
            assert time.monotonic() < deadline, "the embedded broker or the worker did not start"
            time.sleep(0.2)
        descendants = children_of(up.pid)
        subprocess.run([*CLI, "ingest", *map(str, seed_paths)], env=env, check=True, timeout=60)
        tail = subprocess.run(
            [*CLI, "tail", "--from-beginning", "--count", "4", "--timeout", "90"],
            env=env,
            capture_output=True,
            timeout=120,
        )
        assert tail.returncode == 0, tail.stderr.decode() + (tmp_path / "up.log").read_text()[-3000:]
        alerts = [orjson.loads(line) for line in tail.stdout.splitlines()]
        assert sorted((a["watchlist"], a["kind"]) for a in alerts) == [
            ("kremlin-iraq", "new"),
            ("kremlin-iraq", "update"),
            ("peskov", "new"),
            ("peskov", "update"),
        ]
        descendants |= children_of(up.pid)
    finally:
        up.send_signal(signal.SIGINT)
        try:
            up.wait(timeout=60)
        finally:
            if up.poll() is None:
                up.kill()
            log.close()
    assert up.returncode == 0, (tmp_path / "up.log").read_text()[-3000:]
    left = [pid for pid in descendants if alive(pid)]
    assert not left, f"processes left behind: {left}"
    assert not (tmp_path / "state" / "broker").exists()


def test_ingest_refuses_a_file_over_the_cap(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"Title\n\n" + b"x" * 5000)
    env = {**os.environ, "WIREWATCH_MAX_ARTICLE_BYTES": "1000", "WIREWATCH_BROKER": "127.0.0.1:1"}
    result = subprocess.run([*CLI, "ingest", str(big)], env=env, capture_output=True, timeout=60)
    assert result.returncode != 0
    assert b"over the 1,000-byte cap" in result.stderr
