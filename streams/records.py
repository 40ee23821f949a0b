"""Typed records that cross between stages, and the one codec that serialises them.

This module never imports faust: offline replay, the live worker and the tests all
share these classes. Every record is a plain dataclass; `to_json`/`from_json` are the
only place a record becomes bytes and back (orjson).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any, Literal, TypeVar, get_type_hints

import orjson

SCHEMA_VERSION = 1
DEAD_LETTER_SNIPPET_BYTES = 64 * 1024

Precision = Literal["second", "minute", "hour", "day", "month", "year"]


@dataclass(slots=True)
class RawRecord:
    """One record as it arrived on the raw topic (or from a file in replay)."""

    value: bytes
    key: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    topic: str = ""
    partition: int = -1
    offset: int = -1
    timestamp_ms: int | None = None  # broker/producer time; the ingest time of the article

    @property
    def filename(self) -> str | None:
        return self.headers.get("filename")


@dataclass(slots=True)
class Block:
    """A paragraph or a section heading of an article body."""

    text: str
    kind: Literal["p", "h"] = "p"


@dataclass(slots=True)
class Article:
    """A parsed article: the output of the parse stage."""

    id: str
    title: str
    blocks: list[Block]
    source: str = ""
    agency: str = ""
    url: str = ""
    published: str = ""  # UTC ISO-8601, "2021-07-27T00:00:00Z"
    published_precision: Precision = "day"
    published_estimated: bool = False  # True when no usable date: `published` is the ingest time
    byline: str = ""
    language: str = ""
    media: list[str] = field(default_factory=list)  # photo credits, captions: metadata, never body
    input_format: str = ""  # text | html | rss | atom | json | history
    origin: str = ""  # where it came from: "topic/partition/offset" or a file name

    @property
    def text(self) -> str:
        """The body as one string; quotation and entity offsets index into it."""
        return "\n\n".join(block.text for block in self.blocks)


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    surface: str


@dataclass(slots=True)
class Entity:
    """A person, organisation or place found in an article, linked to a canonical id."""

    id: str  # canonical id, e.g. "person:dmitry-peskov", "country:IQ"
    name: str
    type: Literal["person", "org", "place"]
    mentions: list[Mention] = field(default_factory=list)
    in_title: bool = False

    @property
    def count(self) -> int:
        return len(self.mentions)

    @property
    def surfaces(self) -> list[str]:
        return sorted({m.surface for m in self.mentions})


@dataclass(slots=True)
class Quotation:
    """A span inside quotation marks, attributed to a speaker.

    `kind` is "direct" for a quotation; "reported" for reported speech
    ("X said that ..."), which is kept apart and never satisfies a speaker
    watchlist unless the watchlist asks for it.
    """

    text: str
    speaker: str  # canonical name, "" when unattributed
    speaker_id: str = ""
    cue: str = ""
    start: int = -1  # offsets into Article.text
    end: int = -1
    kind: Literal["direct", "reported"] = "direct"


@dataclass(slots=True)
class TaggedArticle:
    """Output of the tag stage."""

    article: Article
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quotation] = field(default_factory=list)
    reported: list[Quotation] = field(default_factory=list)


@dataclass(slots=True)
class StoryRef:
    id: str
    size: int
    sources: list[str]


@dataclass(slots=True)
class DedupedArticle:
    """Output of the dedup stage: the article, its story, and whether it is a copy."""

    tagged: TaggedArticle
    story: StoryRef
    duplicate_of: str = ""  # id of the first copy when this is a duplicate / syndicated copy
    new_source: bool = True  # the story had not been reported by this outlet before
    new_speakers: list[str] = field(default_factory=list)  # speakers the story had not quoted yet
    # The article's state record, not yet written: the alert stage adds its decisions and the
    # pipeline commits it, as one write (agents/dedup/ledger.py). Not part of any JSON.
    pending: Any = field(default=None, repr=False, compare=False)


@dataclass(slots=True)
class Alert:
    """The public alert; its JSON is the contract's (see CONTRACT in the README)."""

    id: str
    watchlist: str
    kind: Literal["new", "update"]
    story: dict[str, Any]
    article: dict[str, Any]
    matched: list[str]
    quotes: list[dict[str, str]]
    snippet: str
    detected_at: str
    schema_version: int = SCHEMA_VERSION


@dataclass(slots=True)
class DeadLetter:
    """A record a stage could not handle, with what is needed to act on it."""

    stage: str
    error: str
    reason: str  # short machine-readable cause: "empty", "binary", "too-large", ...
    topic: str
    partition: int
    offset: int
    size: int
    sha256: str
    original_b64: str  # base64 of the first 64 KB of the original bytes
    truncated: bool
    key: str | None = None
    at: str = ""

    @classmethod
    def of(cls, stage: str, reason: str, error: str, raw: RawRecord, at: str = "") -> DeadLetter:
        head = raw.value[:DEAD_LETTER_SNIPPET_BYTES]
        return cls(
            stage=stage,
            error=error,
            reason=reason,
            topic=raw.topic,
            partition=raw.partition,
            offset=raw.offset,
            size=len(raw.value),
            sha256=hashlib.sha256(raw.value).hexdigest(),
            original_b64=base64.b64encode(head).decode("ascii"),
            truncated=len(raw.value) > DEAD_LETTER_SNIPPET_BYTES,
            key=raw.key.decode("utf-8", "replace") if raw.key is not None else None,
            at=at,
        )

    def original(self) -> bytes:
        return base64.b64decode(self.original_b64)


class StageError(Exception):
    """Raised by a stage for input it cannot handle; becomes a dead letter.

    `reason` is a short code ("empty", "binary", "malformed-json", ...); the message
    says what failed and what to do about it.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


# --- codec -----------------------------------------------------------------------------

T = TypeVar("T")


def _default(obj: Any) -> Any:
    if isinstance(obj, bytes):
        return base64.b64encode(obj).decode("ascii")
    raise TypeError(f"cannot serialise {type(obj).__name__}")


def to_dict(record: Any) -> Any:
    return asdict(record) if is_dataclass(record) else record


def to_json(record: Any) -> bytes:
    """Serialise a record (dataclass or plain data) to JSON bytes."""
    return orjson.dumps(record, default=_default)


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = get_type_hints(cls)
    return _HINTS[cls]


def _build(tp: Any, value: Any) -> Any:
    origin = getattr(tp, "__origin__", None)
    if isinstance(tp, type) and is_dataclass(tp) and isinstance(value, dict):
        return from_dict(tp, value)
    if origin is list and isinstance(value, list):
        (item_type,) = tp.__args__
        return [_build(item_type, v) for v in value]
    return value


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """Build a dataclass (recursively) from decoded JSON, ignoring unknown keys."""
    hints = _hints(cls)
    kwargs = {f.name: _build(hints[f.name], data[f.name]) for f in fields(cls) if f.name in data}  # type: ignore[arg-type]
    return cls(**kwargs)


def from_json(cls: type[T], data: bytes | str) -> T:
    return from_dict(cls, orjson.loads(data))
