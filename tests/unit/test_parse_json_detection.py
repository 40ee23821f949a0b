"""Format detection reads a one-line JSON record once: its value is handed on, never read wrong."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from wirewatch.agents.parse.core import _NOT_LOADED, _sniff, detect_format, parse_bytes

_HISTORY_KEYS = {"value", "topic", "offset"}


def _reference_format(text: str) -> str:
    """Detection as it was: the first line of the first 2,048 characters always goes to orjson."""
    head = text.lstrip()[:2048]
    first_line = head.split("\n", 1)[0].strip()
    try:
        first = orjson.loads(first_line)
    except orjson.JSONDecodeError:
        return "json"
    if isinstance(first, dict) and first.keys() >= _HISTORY_KEYS:
        return "history"
    return "jsonl" if "\n" in text.strip() else "json"


_ARTICLE: dict[str, Any] = {
    "title": "Port strike ends after two weeks",
    "url": "https://example.com/port-strike",
    "publishedAt": "2024-05-02T08:00:00Z",
    "content": "Dock workers returned to work on Thursday. " * 20,
}
_LONG = orjson.dumps({**_ARTICLE, "content": "Dock workers returned. " * 200}).decode()
_SHORT = orjson.dumps(_ARTICLE).decode()
_HISTORY = orjson.dumps({"value": _SHORT, "topic": "raw", "offset": 1}).decode()

CASES = [
    _SHORT,
    _LONG,  # first line cut at 2,048 characters: never loads
    f"[{_SHORT}]",
    f"\n  {_SHORT}\n",
    f"\u00a0{_SHORT}\u00a0",  # str.strip removes it, orjson does not take it
    f"{_SHORT}\n{_SHORT}\n",
    f"{_HISTORY}\n{_HISTORY}",
    # A prefix that is a whole document followed by spaces up to the cut: it does load.
    '{"value": 1, "topic": "t", "offset": 2}' + " " * 2100 + "x",
    '{"a": [1, 2]}' + " " * 2100 + '{"b": 3}',
    '{"title": "cut"',
    "[1, 2",
    "{}",
    "[]",
    "{} trailing",
    '{"title": "x"}}',
]


@pytest.mark.parametrize("text", CASES)
def test_detection_matches_reading_every_first_line(text: str) -> None:
    assert detect_format(text) == _reference_format(text)


@pytest.mark.parametrize("text", CASES)
def test_a_value_handed_on_is_the_whole_record(text: str) -> None:
    fmt, loaded = _sniff(text)
    if loaded is not _NOT_LOADED:
        assert fmt == "json"
        assert loaded == orjson.loads(text)


def test_only_a_bare_one_line_record_is_handed_on() -> None:
    assert _sniff(_SHORT)[1] == orjson.loads(_SHORT)
    assert _sniff(_LONG)[1] is _NOT_LOADED
    assert _sniff(f"\n  {_SHORT}\n")[1] is _NOT_LOADED


@pytest.mark.parametrize("text", [_SHORT, _LONG, f"\n  {_SHORT}\n", f"\u00a0{_SHORT}\u00a0"])
def test_articles_are_the_same_with_or_without_the_value(text: str) -> None:
    data = text.encode("utf-8")
    try:
        articles = parse_bytes(data, ingest_ms=1_700_000_000_000).articles
    except Exception as exc:  # a record refused either way is refused the same way
        articles = [repr(exc)]
    wrapped = f" {text} ".encode()  # surrounding spaces: read again from the text
    try:
        again = parse_bytes(wrapped, ingest_ms=1_700_000_000_000).articles
    except Exception as exc:
        again = [repr(exc)]
    assert articles == again
