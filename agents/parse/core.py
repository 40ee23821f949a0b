"""Format detection and Article assembly for the parse stage."""

from __future__ import annotations

import hashlib
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from itertools import filterfalse
from typing import Any

import orjson

from wirewatch.streams.records import Article, Block, RawRecord, StageError

from .body import Attribution, clean_byline, refine_blocks, without_site_suffix
from .dates import from_ms, is_future
from .formats import Draft, json_articles, read_feed, read_html, read_json_object
from .knowledge import knowledge
from .textnorm import decode, fold_spaces, normalise
from .wirecopy import parse_wire_copy

_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:RDF)[\s>]", re.I)
_HTML_HINT = re.compile(r"<(?:!doctype html|html|head|body|article|div|p)[\s>]", re.I)
_HISTORY_KEYS = {"value", "topic", "offset"}


@dataclass(slots=True)
class ParseResult:
    articles: list[Article] = field(default_factory=list)
    failures: list[StageError] = field(default_factory=list)


_NOT_LOADED: Any = object()  # the record's JSON value was not read while detecting its format


def detect_format(text: str) -> str:
    return _sniff(text)[0]


def _sniff(text: str) -> tuple[str, Any]:
    """The record's format, and its JSON value when reading the first line already read all of it."""
    head = text.lstrip()[:2048]
    if head.startswith(("{", "[")):
        first_line = head.split("\n", 1)[0].strip()
        # A document holding an object or array ends with its closing bracket, so nothing else
        # can load: this skips the sure failure on a first line cut at 2,048 characters.
        if not first_line.endswith(("}", "]")):
            return "json", _NOT_LOADED
        try:
            first = orjson.loads(first_line)
        except orjson.JSONDecodeError:
            return "json", _NOT_LOADED
        if isinstance(first, dict) and first.keys() >= _HISTORY_KEYS:
            return "history", _NOT_LOADED
        if "\n" in text.strip():
            return "jsonl", _NOT_LOADED
        # Only a record without surrounding whitespace was loaded as it is: orjson refuses
        # whitespace that str.strip removes (a no-break space, say).
        return "json", first if len(first_line) == len(text) else _NOT_LOADED
    if head.startswith("<"):
        if _FEED_ROOT.search(head):
            return "feed", _NOT_LOADED
        if head.startswith("<?xml") and not _HTML_HINT.search(head):
            return "feed", _NOT_LOADED
        return "html", _NOT_LOADED
    if _HTML_HINT.search(head[:512]) and "</" in text:
        return "html", _NOT_LOADED
    return "text", _NOT_LOADED


def article_id(url: str, title: str, text: str, *, folded: bool = False) -> str:
    """Stable id: from the url when there is one, else from the normalised content.

    `folded` says the text's whitespace is already single spaces (body blocks joined by one
    space are), which saves folding it again.
    """
    basis = url.strip() or f"{fold_spaces(title).lower()}\n{(text if folded else fold_spaces(text)).lower()}"
    return "a-" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:20]


_WORDS = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@cache
def _vocabularies() -> tuple[tuple[str, frozenset[str], bool], ...]:
    """(language code, function words, written in Cyrillic) for every known language."""
    return tuple(
        (code, words, bool(_CYRILLIC.search(" ".join(words))))
        for code, words in knowledge().stopwords.items()
    )


@cache
def _languages_by_word() -> dict[str, tuple[str, ...]]:
    """Function word -> the languages (codes, in data-file order) that list it."""
    index: dict[str, tuple[str, ...]] = {}
    for code, vocabulary, _ in _vocabularies():
        for word in vocabulary:
            index[word] = (*index.get(word, ()), code)
    return index


def lower_words(sample: str) -> list[str]:
    """The words of a text (runs of letters), lower-cased, in no particular order."""
    if "\u0130" in sample or "\u03a3" in sample:
        # "İ" lower-cases to two characters, and "Σ" to "σ" or "ς" by what follows it: only
        # word by word does lower-casing give each word's own lower case.
        return list(map(str.lower, _WORDS.findall(sample)))
    # Otherwise every character lower-cases to one character of the same kind (a unit test
    # checks this over all of Unicode), so lower-casing the whole text at once, in C, keeps
    # the words where they were. Whitespace never sits inside a word, so a token of letters
    # only is one word; the regular expression (slow, character by character) reads only the
    # tokens with something else in them.
    tokens = sample.lower().split()
    words = list(filter(str.isalpha, tokens))
    rest = " ".join(filterfalse(str.isalpha, tokens))
    return words + _WORDS.findall(rest) if rest else words


# Every ASCII byte that is not a letter -> space (digits and "_" end a word as punctuation does).
_ASCII_NON_LETTERS = bytes(code for code in range(128) if not chr(code).isalpha())
_NON_LETTERS_TO_SPACES = bytes.maketrans(_ASCII_NON_LETTERS, b" " * len(_ASCII_NON_LETTERS))
_ASCII_BYTES = bytes(range(128))


@cache
def _is_letter(character: str) -> bool:
    """Whether one character is part of a word (`_WORDS`' class)."""
    return _WORDS.fullmatch(character) is not None


def word_counts(sample: str) -> Counter[str]:
    """How often each word of a text (runs of letters, lower-cased) occurs: the counts of
    `lower_words`, found without a regular expression over the text. The text is lower-cased
    at once (see `lower_words`), its non-letters become spaces (the ASCII ones in one
    bytes.translate, as UTF-8 never uses an ASCII byte inside another character; the few
    distinct others one bytes.replace each), and str.split cuts the words out."""
    return _counted_words(sample)[0]


def _is_cyrillic(character: str) -> bool:
    return "\u0400" <= character <= "\u04ff"


def _counted_words(sample: str) -> tuple[Counter[str], bool]:
    """`word_counts`, and whether the text has a Cyrillic letter (`_CYRILLIC`): read from its
    distinct non-ASCII characters, lower-cased (lower-casing keeps a character in that block
    or out of it, a unit test checks this over all of Unicode)."""
    if "\u0130" in sample or "\u03a3" in sample:
        return Counter(lower_words(sample)), _CYRILLIC.search(sample) is not None
    lowered = sample.lower()
    try:
        spaced = lowered.encode("utf-8").translate(_NON_LETTERS_TO_SPACES)
    except UnicodeEncodeError:  # a lone surrogate: not UTF-8
        return Counter(lower_words(sample)), _CYRILLIC.search(sample) is not None
    cyrillic = False
    if not lowered.isascii():
        # the text's non-ASCII characters, one after the other (UTF-8 keeps each whole)
        for character in set(spaced.translate(None, _ASCII_BYTES).decode("utf-8")):
            if not _is_letter(character):
                spaced = spaced.replace(character.encode("utf-8"), b" ")
            elif not cyrillic:
                cyrillic = _is_cyrillic(character)
    return Counter(spaced.decode("utf-8").split()), cyrillic


@cache
def _script_languages(cyrillic: bool) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    """The languages written in Cyrillic (or not), in data-file order, and function word ->
    those of them that list it (the words none of them lists left out)."""
    codes = tuple(code for code, _, in_cyrillic in _vocabularies() if in_cyrillic == cyrillic)
    by_word: dict[str, tuple[str, ...]] = {}
    for word, languages in _languages_by_word().items():
        if written := tuple(code for code in languages if code in codes):
            by_word[word] = written
    return codes, by_word


def guess_language(text: str) -> str:
    """ISO 639-1 code from the script and the commonest function words; "" when unsure."""
    sample = text[:1000]  # a hundred-odd words decide it
    counts, has_cyrillic = _counted_words(sample)
    if not counts:
        return ""
    cyrillic = has_cyrillic and len(_CYRILLIC.findall(sample)) > sum(map(len, counts.elements())) / 2
    # Every language of the script starts at 0, in data-file order, so ties go the same way;
    # only the function words the sample has are looked at (in any order: counts add up).
    codes, languages_by_word = _script_languages(cyrillic)
    scores = dict.fromkeys(codes, 0)
    for word in counts.keys() & languages_by_word.keys():
        times = counts[word]
        for code in languages_by_word[word]:
            scores[code] += times
    best = max(scores, key=scores.__getitem__, default="")
    return best if best and scores[best] >= 2 else ""


def to_article(draft: Draft, input_format: str, ingest_ms: int, origin: str) -> Article:
    where = f"{draft.locator}: " if draft.locator else ""
    if draft.plain_text:
        wire = parse_wire_copy(draft.plain_text)
        title, blocks, found = draft.title or wire.title, wire.blocks, wire.found
    else:
        found = Attribution()
        # Every reader folds the blocks it makes.
        title, blocks = draft.title, refine_blocks(draft.blocks, found, folded=True)
    blocks = [Block(b.text, b.kind) for b in blocks if b.text]
    text = "\n\n".join(b.text for b in blocks)
    if not title and not text:
        raise StageError("no-article", f"{where}no title and no body text were found")
    if not text:
        raise StageError("missing-field", f"{where}the article {title[:80]!r} has no body text")
    published, precision = draft.published, draft.precision
    if not published:
        published, precision = found.published, found.precision
    estimated = False
    source = draft.source or found.source
    title = without_site_suffix(title, source)
    if not published or is_future(published, ingest_ms):
        published, precision, estimated = from_ms(ingest_ms), "second", True
    return Article(
        # Every block is folded (the readers fold them), so their one-space join is the text folded.
        id=article_id(draft.url, title, " ".join(b.text for b in blocks), folded=True),
        title=title,
        blocks=blocks,
        source=source,
        agency=draft.agency or found.agency,
        url=draft.url,
        published=published,
        published_precision=precision,  # type: ignore[arg-type]
        published_estimated=estimated,
        byline=clean_byline(draft.byline) if draft.byline else found.byline,
        language=draft.language or guess_language(f"{title} {text}"),
        media=[*draft.media, *found.media],
        input_format=input_format,
        origin=origin,
    )


def _json_error(exc: orjson.JSONDecodeError, text: str, where: str) -> StageError:
    if exc.pos >= len(text.rstrip()) - 1:
        # Reported as malformed (the public reason code); the message says it was cut off.
        return StageError("malformed-json", f"{where} ends before its JSON is complete (truncated?): {exc}")
    return StageError("malformed-json", f"{where} is not valid JSON: {exc}")


def _drafts(
    text: str, data: bytes, fmt: str, loaded: Any = _NOT_LOADED
) -> tuple[list[Draft], list[StageError]]:
    if fmt == "feed":
        return read_feed(data if data.lstrip().startswith(b"<") else text.encode("utf-8"))
    if fmt == "html":
        return read_html(text), []
    if fmt == "json":
        if loaded is not _NOT_LOADED:
            return _json_drafts(json_articles(loaded), "")
        try:
            value = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            raise _json_error(exc, text, "the record") from None
        return _json_drafts(json_articles(value), "")
    if fmt == "jsonl":
        drafts: list[Draft] = []
        failures: list[StageError] = []
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue  # blank lines separate nothing in JSON lines
            try:
                value = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                failures.append(_json_error(exc, line, f"line {number}"))
                continue
            more, errors = _json_drafts(json_articles(value), f"line {number}")
            drafts += more
            failures += errors
        return drafts, failures
    return [Draft(plain_text=text)], []


def _json_drafts(objects: list[dict[str, Any] | None], where: str) -> tuple[list[Draft], list[StageError]]:
    drafts, failures = [], []
    if not objects:
        failures.append(
            StageError("missing-field", f"{where or 'the record'}: the JSON holds no article object")
        )
    for position, obj in enumerate(objects, start=1):
        locator = ", ".join(p for p in (where, f"item {position}" if len(objects) > 1 else "") if p)
        try:
            if obj is None:
                raise StageError("missing-field", "the JSON value is not an object")
            draft = read_json_object(obj)
            draft.locator = locator
            drafts.append(draft)
        except StageError as exc:
            failures.append(StageError(exc.reason, f"{locator}: {exc}" if locator else str(exc)))
    return drafts, failures


def parse_bytes(
    data: bytes, *, ingest_ms: int | None = None, origin: str = "", max_bytes: int | None = None
) -> ParseResult:
    """Parse one raw record's bytes. Raises StageError when nothing at all can be used."""
    if max_bytes is not None and len(data) > max_bytes:
        raise StageError(
            "too-large",
            f"the record is {len(data):,} bytes, over the {max_bytes:,}-byte cap "
            "(WIREWATCH_MAX_ARTICLE_BYTES)",
        )
    ingest_ms = ingest_ms if ingest_ms is not None else int(time.time() * 1000)
    text = normalise(decode(data))
    fmt, loaded = _sniff(text)
    if fmt == "history":
        return _parse_history(text, origin, max_bytes)
    drafts, failures = _drafts(text, data, fmt, loaded)
    result = ParseResult(failures=list(failures))
    input_format = fmt if fmt != "feed" else ("atom" if "<feed" in text[:2048] else "rss")
    for draft in drafts:
        try:
            result.articles.append(to_article(draft, input_format, ingest_ms, origin))
        except StageError as exc:
            result.failures.append(exc)
    if not result.articles and result.failures:
        raise (
            result.failures[0]
            if len(result.failures) == 1
            else StageError(
                result.failures[0].reason,
                "; ".join(str(f) for f in result.failures[:5]),
            )
        )
    return result


def _parse_history(text: str, origin: str, max_bytes: int | None) -> ParseResult:
    """Recorded topic history: each line is one raw record with its own ingest time."""
    result = ParseResult()
    # A broken line costs that line only: the records around it are still parsed.
    for record in history_records(text, failures=result.failures):
        where = f"history record at offset {record.offset}"
        try:
            sub = parse_record(record, max_bytes=max_bytes)
        except StageError as exc:
            result.failures.append(StageError(exc.reason, f"{where}: {exc}"))
            continue
        result.articles += sub.articles
        result.failures += [StageError(f.reason, f"{where}: {f}") for f in sub.failures]
    return result


def history_records(text: str, failures: list[StageError] | None = None) -> list[RawRecord]:
    """Decode recorded topic history (JSON lines of {key, value, headers, timestamp, ...}).

    A line that is not a record raises StageError, or, when `failures` is given, is noted
    there and skipped.
    """
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records += _history_record(line, number)
        except StageError as exc:
            if failures is None:
                raise
            failures.append(exc)
    return records


def _history_record(line: str, number: int) -> list[RawRecord]:
    try:
        row = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise StageError("malformed-json", f"history line {number} is not valid JSON: {exc}") from None
    if not isinstance(row, dict):
        raise StageError("malformed-json", f"history line {number} is not a record object")
    value = row.get("value")
    if value is None:
        return []  # a tombstone: nothing was published
    raw_value = value.encode("utf-8") if isinstance(value, str) else orjson.dumps(value)
    key = row.get("key")
    headers = row.get("headers") or {}
    try:
        if isinstance(headers, list):
            headers = {str(k): str(v) for k, v in headers}
        timestamp = row.get("timestamp")
        return [
            RawRecord(
                value=raw_value,
                key=key.encode("utf-8") if isinstance(key, str) else None,
                headers={str(k): str(v) for k, v in headers.items()},
                topic=str(row.get("topic", "")),
                partition=int(row.get("partition", -1)),
                offset=int(row.get("offset", -1)),
                timestamp_ms=int(timestamp) if timestamp is not None else None,
            )
        ]
    except (TypeError, ValueError, AttributeError) as exc:
        raise StageError(
            "malformed-json", f"history line {number} has a field of the wrong type: {exc}"
        ) from None


def parse_record(raw: RawRecord, max_bytes: int | None = None) -> ParseResult:
    origin = raw.filename or f"{raw.topic}/{raw.partition}/{raw.offset}"
    return parse_bytes(raw.value, ingest_ms=raw.timestamp_ms, origin=origin, max_bytes=max_bytes)
