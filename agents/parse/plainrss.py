"""Plain RSS 2.0 feeds read straight from the XML tree, giving what feedparser would give.

feedparser costs about a millisecond and a half a feed item: it walks the document through
SAX callbacks in pure Python. Most feeds are plain RSS 2.0 (a channel of items with a title,
link, guid, date, description, author and perhaps `content:encoded`), and the feed's XML
tree is already built once for the safety check. For those feeds this module reads the
fields the parse stage uses from that tree and returns them in feedparser's shape (the same
keys and values), so the rest of the feed reader is shared. A feed with anything else in it
(another namespace, media elements, an image, inline markup, an `xml:base` or `lang`
attribute, a declared encoding other than UTF-8, several elements of a kind the stage reads
once) is left to feedparser: `simple_rss` returns None. A unit test compares the two readers.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any
from xml.etree.ElementTree import Element

# The date function feedparser itself calls on <pubDate>: the same dates, the same failures.
from feedparser.datetimes import _parse_date as feedparser_date

_DC = "{http://purl.org/dc/elements/1.1/}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
_ATOM = "{http://www.w3.org/2005/Atom}"
# Item elements read here (each at most once, but categories); any other one means feedparser.
_ITEM_FIELDS = {
    "title": "title",
    "link": "link",
    "guid": "guid",
    "pubDate": "published",
    "description": "summary",
    "author": "author",
    f"{_DC}creator": "author",
    f"{_CONTENT}encoded": "content",
    "category": "",
}
# Channel elements that feedparser reads without touching the items or the feed title.
_CHANNEL_FIELDS = {
    "title",
    "link",
    "description",
    "language",
    "lastBuildDate",
    "pubDate",
    "generator",
    "ttl",
    "copyright",
    "category",
    "docs",
    "managingEditor",
    "webMaster",
    f"{_ATOM}link",
    "item",
}
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']""")
# feedparser's clean-up of a link's scheme ("http:///x" -> "http://x"), applied to every link.
_EXTRA_SLASHES = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*://)(/*)(.*?)")
_ENTITY_LEFTOVER = re.compile(r"&([A-Za-z0-9_]+);")
# feedparser maps these C1 control characters to windows-1252 letters: such text goes to it.
_C1_CONTROLS = re.compile("[\x80-\x9f]")


def simple_rss(root: Element, data: bytes) -> tuple[str, str, list[dict[str, Any]]] | None:
    """(feed title, feed language, entries as feedparser gives them), or None for feedparser."""
    declared = _DECLARED_ENCODING.match(data[:200])
    if declared and declared.group(1).lower() != b"utf-8":
        return None  # feedparser reads such text with other clean-ups (even "utf8": it skips one)
    if root.tag != "rss" or b"xml:base" in data or b"xml:lang" in data or "lang" in root.attrib:
        return None
    channels = list(root)
    if len(channels) != 1 or channels[0].tag != "channel":
        return None
    title = language = None
    items: list[Element] = []
    for child in channels[0]:
        if child.tag not in _CHANNEL_FIELDS or (child.tag != "item" and len(child)):
            return None
        if child.tag == "item":
            items.append(child)
        elif child.tag == "title":
            if title is not None:
                return None
            title = _text(child)
        elif child.tag == "language":
            if language is not None:
                return None
            language = _text(child)
    entries = []
    for item in items:
        entry = _entry(item)
        if entry is None:
            return None
        entries.append(entry)
    return title or "", language or "", entries


def _entry(item: Element) -> dict[str, Any] | None:
    seen: set[str] = set()
    values: dict[str, str] = {}
    guid_is_link = False
    for child in item:
        key = _ITEM_FIELDS.get(child.tag)
        if key is None or len(child) or (key and key in seen):
            return None
        text = _text(child)
        if text is None:
            return None
        if key:
            seen.add(key)
            values[key] = text
        if child.tag == "guid":
            # feedparser lower-cases attribute names, not values: "True" is not a permalink.
            flags = [value for name, value in child.attrib.items() if name.lower() == "ispermalink"]
            guid_is_link = (flags[-1] if flags else "true") == "true"
    entry: dict[str, Any] = {}
    if "title" in values:
        entry["title"] = values["title"]
    if "link" in values:
        link = _resolved(values["link"]) if values["link"] else ""
        # feedparser's repair of query strings it takes for broken entities ("?a=1&amp;b=2").
        entry["link"] = _ENTITY_LEFTOVER.sub(r"&\g<1>", link.replace("&amp;", "&"))
    elif guid_is_link and values.get("guid"):
        entry["link"] = _resolved(values["guid"])
    elif guid_is_link:
        entry["link"] = ""
    if "author" in values:
        author = values["author"]
        if "@" in author:
            return None  # feedparser splits out the address: left to it
        entry["author"] = author
        if author:
            entry["author_detail"] = {"name": author}
    if "published" in values:
        entry["published"] = values["published"]
        entry["published_parsed"] = feedparser_date(values["published"]) if values["published"] else None
    content = values.get("content")
    if content is not None:
        entry["content"] = [{"value": content}]
    if "summary" in values:
        entry["summary"] = values["summary"]
    elif content is not None:
        entry["summary"] = content  # feedparser copies HTML content into a missing summary
    return entry


def _resolved(link: str) -> str:
    # feedparser joins every link with the document's base (none here): only this clean-up is left.
    return _EXTRA_SLASHES.sub(r"\1\3", link)


def _text(element: Element) -> str | None:
    """An element's text with feedparser's clean-ups; None when only feedparser can say."""
    text = (element.text or "").strip()
    if text.isascii():
        return text
    # feedparser undoes UTF-8 read as Latin-1 ("Ã©" -> "é") wherever that round trip works.
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        text = text.encode("iso-8859-1").decode("utf-8")
    return None if _C1_CONTROLS.search(text) else text
