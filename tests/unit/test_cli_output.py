"""The console script as a Unix filter: its JSON lines can be piped into a reader that stops
early (`wirewatch replay … | head -1`) without a traceback."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import orjson

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
