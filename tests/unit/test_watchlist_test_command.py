"""`wirewatch watchlist test` on our own corpus: what matched and why, and for what did not
match, why not (a speaker only mentioned or only reported, the words missing, or a query
that fails with every word present)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson

ARTICLE = (
    "Minister offers pay talks as Gdansk stoppage enters third day\n\n"
    "The government offered to open pay talks with striking dockers on Wednesday, as ships queued "
    "outside the port of Gdansk. Transport minister Tomas Reyes met union officials.\n\n"
    "“A promise is not a signature. The strike goes on until we see one,” Marta Kowal said.\n\n"
    "Marta Kowal said that the union would put any offer to a vote.\n"
)
WATCHLISTS = """
watchlists:
  - {id: kowal, speakers: ['Marta Kowal'], query: 'quote:signature'}
  - {id: reyes, speakers: ['Tomas Reyes']}
  - {id: grain, query: 'grain AND (wheat OR maize*)'}
  - {id: no-strike, query: 'Gdansk AND NOT strike'}
"""


def test_watchlist_test_shows_why_and_why_not(tmp_path: Path) -> None:
    (tmp_path / "talks.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "watchlists.yaml").write_text(WATCHLISTS, "utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "wirewatch.streams.cli",
            "watchlist",
            "test",
            str(tmp_path / "watchlists.yaml"),
            str(tmp_path / "talks.txt"),
        ],
        capture_output=True,
        check=True,
        timeout=120,
    )
    rows = {row["watchlist"]: row for row in map(orjson.loads, done.stdout.splitlines())}
    assert rows["kowal"]["matched"] is True
    assert rows["kowal"]["why"] == ["speaker:Marta Kowal", "quote:signature"]
    assert [q["speaker"] for q in rows["kowal"]["quotes"]] == ["Marta Kowal"]
    assert rows["kowal"]["why_not"] == []
    assert rows["reyes"]["matched"] is False
    assert rows["reyes"]["why_not"] == ["Tomas Reyes: mentioned, but not quoted"]
    assert rows["grain"]["why_not"] == ["not in the article: grain; wheat or maize*"]
    assert rows["no-strike"]["why_not"][0].startswith(
        "every required word is there, but the query does not hold"
    )
    assert all(row["speakers_quoted"] == ["Marta Kowal"] for row in rows.values())
