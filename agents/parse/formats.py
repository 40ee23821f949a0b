"""Format-specific readers: HTML pages, RSS/Atom feeds, JSON news-API shapes.

Each returns a list of `Draft`s (or raises StageError); core.py turns drafts into Articles.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as safe_xml
import feedparser
import lxml.html
import orjson
import trafilatura
from defusedxml import DefusedXmlException

from wirewatch.streams.records import Block, StageError

from .dates import iso_utc, parse_date
from .textnorm import fold_spaces

_MIN_ARTICLE_CHARS = 80


@dataclass(slots=True)
class Draft:
    title: str = ""
    blocks: list[Block] = field(default_factory=list)
    source: str = ""
    agency: str = ""
    url: str = ""
    published: str = ""
    precision: str = "day"
    byline: str = ""
    language: str = ""
    media: list[str] = field(default_factory=list)
    plain_text: str = ""  # set when the body is wire copy to be parsed by wirecopy.py


def html_to_blocks(fragment: str) -> list[Block]:
    """A small HTML fragment (feed content, JSON body) to paragraphs."""
    if "<" not in fragment:
        return [Block(fold_spaces(p)) for p in re.split(r"\n\s*\n", fragment) if p.strip()]
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:
        return [Block(fold_spaces(re.sub(r"<[^>]+>", " ", fragment)))]
    blocks: list[Block] = []
    for element in root.iter("p", "h1", "h2", "h3", "h4", "li", "blockquote"):
        text = fold_spaces(element.text_content())
        if text:
            blocks.append(Block(text, "h" if element.tag.startswith("h") else "p"))
    if not blocks:
        text = fold_spaces(root.text_content())
        if text:
            blocks.append(Block(text))
    return blocks


# --- HTML pages ----------------------------------------------------------------------------


def read_html(text: str) -> list[Draft]:
    doc = trafilatura.bare_extraction(
        text,
        include_comments=False,
        include_tables=False,
        with_metadata=True,
        output_format="python",
    )
    if doc is None:
        raise StageError("no-article", "the HTML page has no article text (navigation or index page?)")
    body_xml = trafilatura.extract(text, include_comments=False, include_tables=False, output_format="xml")
    blocks: list[Block] = []
    if body_xml:
        root = lxml.etree.fromstring(body_xml.encode("utf-8"))
        for element in root.iter("head", "p", "item", "quote"):
            content = fold_spaces("".join(element.itertext()))
            if content:
                blocks.append(Block(content, "h" if element.tag == "head" else "p"))
    if sum(len(b.text) for b in blocks) < _MIN_ARTICLE_CHARS:
        raise StageError("no-article", "the HTML page has no article text (navigation or index page?)")
    date = parse_date(doc.date) if getattr(doc, "date", None) else None
    draft = Draft(
        title=fold_spaces(doc.title or ""),
        blocks=blocks,
        source=fold_spaces(doc.sitename or ""),
        url=doc.url or "",
        byline=fold_spaces(doc.author or ""),
        language=doc.language or "",
    )
    if date:
        draft.published, draft.precision = date
    return [draft]


# --- feeds ---------------------------------------------------------------------------------


def read_feed(data: bytes) -> tuple[list[Draft], list[StageError]]:
    try:
        safe_xml.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise StageError(
            "unsafe-xml", f"the feed declares XML entities ({type(exc).__name__}); refused"
        ) from None
    except ParseError as exc:
        raise StageError("malformed-xml", f"the feed is not well-formed XML: {exc}") from None
    feed = feedparser.parse(data)
    source = fold_spaces(feed.feed.get("title", ""))
    drafts: list[Draft] = []
    failures: list[StageError] = []
    for position, entry in enumerate(feed.entries, start=1):
        title = fold_spaces(entry.get("title", ""))
        content = ""
        if entry.get("content"):
            content = entry.content[0].get("value", "")
        content = content or entry.get("summary", "") or entry.get("description", "")
        if not title and not content.strip():
            failures.append(
                StageError("missing-field", f"feed item {position} has neither title nor content")
            )
            continue
        draft = Draft(
            title=title,
            blocks=html_to_blocks(content),
            source=source,
            url=entry.get("link", ""),
            byline=fold_spaces(entry.get("author", "")),
        )
        parsed = entry.get("published_parsed") or entry.get("updated_parsed")
        if parsed:
            draft.published = iso_utc(_struct_to_datetime(parsed))
            draft.precision = "second"
        drafts.append(draft)
    if not drafts and not failures:
        raise StageError("no-article", "the feed has no items")
    return drafts, failures


def _struct_to_datetime(parsed: Any):
    from datetime import UTC, datetime

    return datetime.fromtimestamp(calendar.timegm(parsed), UTC)


# --- JSON news-API shapes ------------------------------------------------------------------

_TITLE_KEYS = ("title", "headline", "name")
_BODY_KEYS = ("content", "body", "text", "articleBody", "description", "summary")
_URL_KEYS = ("url", "link", "uri", "webUrl")
_DATE_KEYS = ("publishedAt", "published_at", "published", "pubDate", "date", "datePublished", "time")
_SOURCE_KEYS = ("source", "publisher", "outlet", "site", "sourceName")
_AUTHOR_KEYS = ("author", "byline", "creator")


def _first(obj: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = obj.get(key)
        if value:
            return value
    return None


def _name_of(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or value.get("title") or value.get("id") or "")
    if isinstance(value, list):
        return ", ".join(_name_of(v) for v in value)
    return str(value or "")


def json_articles(value: Any) -> list[dict[str, Any]]:
    """The article objects in a decoded JSON document ({articles:[...]}, [...], or one)."""
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict)]
    if isinstance(value, dict):
        for key in ("articles", "items", "results", "data", "news"):
            inner = value.get(key)
            if isinstance(inner, list):
                return [v for v in inner if isinstance(v, dict)]
        return [value]
    return []


def read_json_object(obj: dict[str, Any]) -> Draft:
    title = _first(obj, _TITLE_KEYS)
    body = _first(obj, _BODY_KEYS)
    if not title and not body:
        raise StageError(
            "missing-field",
            f"JSON article has neither a title nor a body (keys seen: {', '.join(sorted(obj)[:12])})",
        )
    body_text = body if isinstance(body, str) else orjson.dumps(body).decode()
    # NewsAPI truncates content with "… [+1234 chars]"
    body_text = re.sub(r"\s*\[\+\d+ chars\]\s*$", "", body_text)
    draft = Draft(
        title=fold_spaces(str(title or "")),
        blocks=html_to_blocks(body_text),
        source=fold_spaces(_name_of(_first(obj, _SOURCE_KEYS))),
        url=str(_first(obj, _URL_KEYS) or ""),
        byline=fold_spaces(_name_of(_first(obj, _AUTHOR_KEYS))),
        language=str(obj.get("language") or obj.get("lang") or ""),
    )
    description = obj.get("description")
    if isinstance(description, str) and body is not description and description.strip():
        lead = fold_spaces(re.sub(r"<[^>]+>", " ", description))
        if lead and not any(lead[:60] in b.text for b in draft.blocks):
            draft.blocks.insert(0, Block(lead))
    raw_date = _first(obj, _DATE_KEYS)
    if raw_date:
        date = parse_date(str(raw_date))
        if date:
            draft.published, draft.precision = date
    return draft
