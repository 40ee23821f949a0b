"""The console script as a user meets it: a watchlists file at fault is named before anything
starts, and the JSON lines can be piped into a reader that stops early (`wirewatch replay … |
head -1`) without a traceback."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from wirewatch.agents.alert import WatchlistError, read_watchlists_file

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "streams" / "samples"


def test_replay_into_a_reader_that_stops_early_ends_quietly(tmp_path: Path) -> None:
    # enough alerts to fill the pipe many times over, so replay is still writing when the
    # reader goes away, whatever the timing
    watchlists = tmp_path / "watchlists.yaml"
    watchlists.write_text(
        "watchlists:\n" + "".join(f"  - {{id: w{n}, query: 'said'}}\n" for n in range(400)), "utf-8"
    )
    command = [
        sys.executable,
        "-m",
        "wirewatch.streams.cli",
        "replay",
        str(SAMPLES / "articles"),
        "--watchlists",
        str(watchlists),
    ]
    whole = subprocess.run(command, capture_output=True, timeout=120, check=True)
    lines = whole.stdout.splitlines()
    assert len(whole.stdout) > 256 * 1024 and len(lines) >= 800  # a pipe holds 64 KiB
    replay = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert replay.stdout is not None and replay.stderr is not None
    first = replay.stdout.readline()
    replay.stdout.close()  # the reader goes away, as `head -1` does
    errors = replay.stderr.read().decode()
    status = replay.wait(timeout=120)
    replay.stderr.close()
    assert orjson.loads(first)["id"] == orjson.loads(lines[0])["id"]
    assert "Traceback" not in errors and "BrokenPipeError" not in errors
    assert status in (0, 128 + signal.SIGPIPE)


def wirewatch(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wirewatch.streams.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda folder: folder / "missing.yaml", "no such file"),
        (lambda folder: folder, "is a folder"),
        (
            lambda folder: _written(
                folder / "latin1.yaml", "watchlists:\n  - {id: caf\xe9, query: x}\n".encode("latin-1")
            ),
            "not UTF-8",
        ),
        (
            lambda folder: _written(folder / "bad.yaml", b"watchlists:\n  - {id: a, query: 'x AND'}\n"),
            "watchlist #1",
        ),
    ],
    ids=["missing", "folder", "not-utf8", "bad-query"],
)
def test_a_watchlists_file_at_fault_is_named(tmp_path: Path, make, says: str) -> None:
    path = make(tmp_path)
    with pytest.raises(WatchlistError, match=says) as raised:
        read_watchlists_file(path)
    assert str(path) in str(raised.value)
    result = wirewatch("replay", str(SAMPLES / "articles"), "--watchlists", str(path))
    assert result.returncode == 2
    assert says in result.stderr and "Traceback" not in result.stderr and not result.stdout


def test_up_refuses_a_bad_watchlists_file_before_starting_anything(tmp_path: Path) -> None:
    result = wirewatch("up", "--watchlists", str(tmp_path / "missing.yaml"), timeout=60)
    assert result.returncode == 2
    assert "no such file" in result.stderr
    assert "broker" not in result.stderr and "worker" not in result.stderr  # nothing was started


def test_subscriber_add_names_a_missing_file_before_looking_for_a_broker(tmp_path: Path) -> None:
    result = wirewatch("subscriber", "add", str(tmp_path / "missing.yaml"), timeout=60)
    assert result.returncode == 2
    assert f"subscribers file {tmp_path / 'missing.yaml'}: no such file" in result.stderr
    assert "broker" not in result.stderr


def test_watchlist_test_refuses_a_recent_count_past_its_bound() -> None:
    result = wirewatch(
        "watchlist", "test", str(SAMPLES / "watchlists.yaml"), "--recent", "100001", timeout=60
    )
    assert result.returncode == 2
    assert "--recent takes 1 to 100,000 records" in result.stderr and "broker" not in result.stderr


def _written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
