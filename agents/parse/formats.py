"""Format-specific readers: HTML pages, RSS/Atom feeds, JSON news-API shapes.

Each returns `Draft`s (or raises StageError); core.py cleans their bodies (body.py) and
turns them into Articles. A reader fills what its format states outright (metadata, feed
fields, JSON keys); what only the body text says (datelines, bylines) comes later.
"""

from __future__ import annotations

import calendar
import html
import importlib.util
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_xml
import feedparser
import feedparser.api
import lxml.etree
import lxml.html
import orjson
from defusedxml import DefusedXmlException

from wirewatch.streams.records import Block, StageError

from .body import byline_of, label_of
from .dates import from_epoch, iso_utc, parse_date
from .maintext import main_text
from .plainrss import simple_rss
from .textnorm import fold_spaces

# Less main text than this is not an article: a login form or a section front's teasers come to
# 100-200 characters of paragraphs, the shortest news brief to more.
_MIN_ARTICLE_CHARS = 250
_MIN_PARAGRAPH_CHARS = 100
_CAPTION_CLASSES = {
    "caption", "wp-caption", "wp-caption-text", "image-caption", "photo-caption",
    "credit", "photo-credit", "image-credit", "media-credit",
}  # fmt: skip
_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_TITLE_SUFFIX = re.compile(r"^(.{10,}?)\s+(?:\||[-–—]|::|·)\s+([^|–—]{2,60})$")
_NOT_ARTICLE_TIME = re.compile(r"teaser|related|ticker|sidebar|more|promo|card|recommend", re.I)
# Compiled once: a path given to .xpath() as a string is compiled again on every call.
_FIGURES_AND_CLASSED = lxml.etree.XPath("//figure | //figcaption | //*[@class]")
_LINK_HOLDERS = lxml.etree.XPath("//p[a] | //li[a] | //div[a][not(*[not(self::a)])]")
_JSON_LD = lxml.etree.XPath("//script[@type='application/ld+json']")
_TEXT_ELEMENTS = lxml.etree.XPath(
    "//body//*[self::div or self::p or self::span or self::time or self::small]"
)
_AUTHOR_ELEMENTS = lxml.etree.XPath(
    "//*[@rel='author'] | //*[contains(@class, 'byline') or contains(@class, 'author')]"
)
_CANONICAL_URL = lxml.etree.XPath("//link[@rel='canonical']/@href")

# feedparser asks xml.sax for its preferred parser (libxml2's Python bindings) before expat on
# every parse. When that module is not installed, the failed import searches the whole module
# path again each time, about 0.1 ms a feed; leaving out the parsers that are not there
# changes nothing else.
feedparser.api.PREFERRED_XML_PARSERS = [
    name for name in feedparser.api.PREFERRED_XML_PARSERS if importlib.util.find_spec(name) is not None
]


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
    locator: str = ""  # "item 3", "line 4": where in the record this article came from


def _text(element: Any) -> str:
    return fold_spaces(
        element.text_content() if hasattr(element, "text_content") else "".join(element.itertext())
    )


def _take_figures(root: Any) -> list[str]:
    """Remove figures and captions from the tree; their text becomes media."""
    media = []
    for element in _FIGURES_AND_CLASSED(root):
        if element.getparent() is None:
            continue  # already removed with its figure
        if element.tag == "figure":
            # Some sites put pull quotes in <figure>: a quotation is body, not a caption.
            if element.find(".//blockquote") is not None and element.find(".//img") is None:
                element.drop_tag()  # unwrapped, or the extractor would drop it with the figures
                continue
        elif element.tag != "figcaption":
            classes = set((element.get("class") or "").lower().split())
            if not classes & _CAPTION_CLASSES or len(_text(element)) > 300:
                continue
        caption = _text(element)
        if caption:
            media.append(caption)
        element.drop_tree()  # keeps the text that follows the element
    return media


def _drop_link_only_paragraphs(root: Any) -> None:
    """A short paragraph that is nothing but a link is navigation ("More from Business")."""
    for element in _LINK_HOLDERS(root):
        links = element.findall(".//a")
        link_text = sum(len(_text(a)) for a in links)
        text = _text(element)
        if text and link_text >= len(text) * 0.9 and len(text) < 120 and element.getparent() is not None:
            element.drop_tree()


def html_to_blocks(fragment: str, *, drop_code: bool = False) -> tuple[list[Block], list[str]]:
    """A small HTML fragment (feed content, JSON body) to paragraphs, and the captions in it.

    `drop_code` removes <script>, <style> and <applet> elements with what they hold, as
    feedparser's sanitiser would have (feeds are read without it, see read_feed).
    """
    if "<" not in fragment:
        text = html.unescape(fragment)  # "&amp;" and "&#8217;" in plain-text API fields
        return [Block(fold_spaces(p)) for p in re.split(r"\n\s*\n", text) if p.strip()], []
    if _PLAIN_PARAGRAPHS.fullmatch(fragment):
        return plain_paragraphs(fragment), []
    return _parsed_blocks(fragment, drop_code)


# Feed items' markup is mostly bare paragraphs of text: <p>...</p>, nothing else but spaces
# and line breaks between them.
_PLAIN_PARAGRAPHS = re.compile(r"(?:[ \t\n]*<p>[^<&]*</p>)+[ \t\n]*")
_PARAGRAPH_TEXT = re.compile(r"<p>([^<&]*)</p>")


def plain_paragraphs(fragment: str) -> list[Block]:
    """The blocks of markup that is nothing but bare paragraphs, read without parsing it when
    their text is printable (no entity, no tag, no line break or odd space inside): then the
    parser's text of each paragraph is the text between its tags."""
    texts = _PARAGRAPH_TEXT.findall(fragment)
    if not all(map(str.isprintable, texts)):
        return _parsed_blocks(fragment, False)[0]
    return [Block(text) for text in map(fold_spaces, texts) if text]


def _parsed_blocks(fragment: str, drop_code: bool) -> tuple[list[Block], list[str]]:
    """html_to_blocks by lxml's HTML parser."""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return [Block(fold_spaces(re.sub(r"<[^>]+>", " ", fragment)))], []
    if drop_code and any(tag in fragment for tag in ("<script", "<style", "<applet", "<SCRIPT", "<STYLE")):
        lxml.etree.strip_elements(root, "script", "style", "applet", with_tail=False)
    media = _take_figures(root)
    _drop_link_only_paragraphs(root)
    blocks: list[Block] = []
    for element in root.iter("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote"):
        text = _text(element)
        if text:
            blocks.append(Block(text, "h" if element.tag in _HEADING_TAGS else "p"))
    if not blocks:
        text = _text(root)
        if text:
            blocks.append(Block(text))
    return blocks, media


# --- HTML pages ----------------------------------------------------------------------------


def _metas(root: Any) -> dict[str, str]:
    metas: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (
            meta.get("property") or meta.get("name") or meta.get("itemprop") or meta.get("http-equiv") or ""
        ).lower()
        content = meta.get("content")
        if key and content and key not in metas:
            metas[key] = content.strip()
    return metas


def _json_ld_article(root: Any) -> dict[str, Any]:
    for script in _JSON_LD(root):
        try:
            data = orjson.loads(script.text or "")
        except orjson.JSONDecodeError:
            continue
        candidates = (
            data
            if isinstance(data, list)
            else [data, *(data.get("@graph", []) if isinstance(data, dict) else [])]
        )
        for item in candidates:
            kind = item.get("@type", "") if isinstance(item, dict) else ""
            kinds = kind if isinstance(kind, list) else [kind]
            if any(str(k).endswith(("Article", "Posting", "Report")) for k in kinds):
                return item
    return {}


def _name(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or value.get("title") or "")
    if isinstance(value, list):
        return ", ".join(n for n in (_name(v) for v in value) if n)
    return str(value or "")


def _article_time(root: Any) -> str:
    """The datetime of the first <time> that belongs to the article, not to a teaser or sidebar."""
    for element in root.iter("time"):
        stamp = element.get("datetime")
        if not stamp:
            continue
        ancestors = list(element.iterancestors())
        if any(a.tag in {"nav", "aside", "footer", "li"} for a in ancestors):
            continue
        if any(_NOT_ARTICLE_TIME.search(a.get("class") or "") for a in ancestors):
            continue
        return stamp
    return ""


def _visible_published(root: Any) -> tuple[str, str] | None:
    """A labelled date in the page text: "Published: 3 March 2022 09:15 GMT"."""
    for element in _TEXT_ELEMENTS(root):
        text = _text(element)
        if 8 < len(text) < 80:
            kind, rest = label_of(text)
            if kind == "published" and (date := parse_date(rest)):
                return date
    return None


def _page_byline(root: Any, metas: dict[str, str], ld: dict[str, Any]) -> str:
    for candidate in (metas.get("author", ""), metas.get("article:author", ""), _name(ld.get("author"))):
        if candidate and "://" not in candidate:
            return fold_spaces(candidate)
    for element in _AUTHOR_ELEMENTS(root):
        text = _text(element)
        name = (byline_of(text) or byline_of(f"By {text}")) if text else ""
        if name:
            return name
    return ""


def _headline(root: Any, metas: dict[str, str], ld: dict[str, Any]) -> str:
    h1 = root.find(".//h1")
    return fold_spaces(
        metas.get("og:title") or _name(ld.get("headline")) or (_text(h1) if h1 is not None else "")
    )


def read_html(text: str) -> list[Draft]:
    no_article = StageError("no-article", "the HTML page has no article text (a login form, an index page?)")
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        raise no_article from None
    metas, ld = _metas(root), _json_ld_article(root)
    page_title = fold_spaces(root.findtext(".//title") or "")
    headline = _headline(root, metas, ld)
    suffix = _TITLE_SUFFIX.match(page_title)
    if suffix and "|" not in page_title and fold_spaces(suffix.group(1)) != headline:
        suffix = None  # "Rail strike - what we know" is a headline with a dash, not "Headline - Site"
    title = headline or fold_spaces(suffix.group(1) if suffix else page_title)
    canonical = _CANONICAL_URL(root)
    ld_page = ld.get("mainEntityOfPage")
    draft = Draft(
        title=title,
        source=fold_spaces(
            metas.get("og:site_name")
            or _name(ld.get("publisher"))
            or metas.get("application-name")
            or (suffix.group(2) if suffix else "")
        ),
        url=(canonical[0] if canonical else "")
        or metas.get("og:url", "")
        or str(ld.get("url") or "")
        or (_name(ld_page) if not isinstance(ld_page, dict) else str(ld_page.get("@id", ""))),
        byline=_page_byline(root, metas, ld),
        language=(root.get("lang") or metas.get("content-language") or "")
        .split("-")[0]
        .split("_")[0]
        .lower(),
    )
    stamp = (
        metas.get("article:published_time")
        or metas.get("datepublished")
        or str(ld.get("datePublished") or "")
        or metas.get("date")
        or metas.get("pubdate")
        or metas.get("dc.date")
        or metas.get("dc.date.issued")
        or _article_time(root)
    )
    date = (parse_date(stamp) if stamp else None) or _visible_published(root)
    if date:
        draft.published, draft.precision = date
    draft.media = _take_figures(root)
    _drop_link_only_paragraphs(root)
    extracted = main_text(root)  # trafilatura's extraction; root is pruned in place
    blocks: list[Block] = []
    if extracted is not None:
        for element in extracted.iter("head", "p", "item", "quote"):
            content = fold_spaces("".join(element.itertext()))
            if content:
                blocks.append(Block(content, "h" if element.tag == "head" else "p"))
    # Kickers above the headline ("Weather") and the headline itself are not body.
    title_at = next((i for i, b in enumerate(blocks[:4]) if b.text == title), None)  # blocks are folded
    if title_at is not None:
        blocks = blocks[title_at + 1 :]
    paragraphs = [len(b.text) for b in blocks if b.kind == "p"]
    # Teasers on an index page are one short sentence each; an article has a real paragraph.
    if sum(paragraphs) < _MIN_ARTICLE_CHARS or max(paragraphs, default=0) < _MIN_PARAGRAPH_CHARS:
        raise no_article
    draft.blocks = blocks
    return [draft]


# --- feeds ---------------------------------------------------------------------------------


def _check_xml(data: bytes) -> Element:
    """The feed's XML tree, parsed with entities forbidden; StageError when unsafe or broken."""
    try:
        return safe_xml.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise StageError(
            "unsafe-xml",
            f"the feed declares XML entities ({type(exc).__name__}); refused, nothing was expanded or fetched",
        ) from None
    except ParseError as exc:
        message = str(exc)
        if "no element found" in message or "unclosed token" in message:
            raise StageError(
                "malformed-xml", f"the feed ends before its XML is complete (truncated?): {message}"
            ) from None
        raise StageError("malformed-xml", f"the feed is not well-formed XML: {message}") from None


def _entry_byline(entry: Any) -> str:
    # RSS <author> is "email (Name)"; feedparser's own split of it is unreliable.
    raw = entry.get("author", "") or ""
    match = re.match(r"^\S+@\S+\s*\((.+)\)$", raw.strip())
    if match:
        return fold_spaces(match.group(1))
    detail = entry.get("author_detail") or {}
    return fold_spaces(detail.get("name") or raw)


def _entry_date(entry: Any) -> tuple[str, str] | None:
    parsed = entry.get("published_parsed")
    if parsed:
        return iso_utc(datetime.fromtimestamp(calendar.timegm(parsed), UTC)), "second"
    raw = entry.get("published") or entry.get("updated")
    return parse_date(raw) if raw else None


def read_feed(data: bytes) -> tuple[list[Draft], list[StageError]]:
    root = _check_xml(data)
    plain = simple_rss(root, data)
    if plain is not None:
        # A plain RSS 2.0 feed: its fields as feedparser would give them, from the tree above.
        source, language, entries = fold_spaces(plain[0]), plain[1].split("-")[0].lower(), plain[2]
        return _feed_drafts(source, language, entries)
    # A stream, not bytes: feedparser first tries bytes as a file name to open. The relative
    # links in item markup are not resolved: only the text of the markup is used, and
    # resolving costs a fifth of the parse. Nor is the markup sanitised (another third of
    # feedparser's time, re-writing every tag in pure Python): nothing renders it, only its
    # text is read, and the one thing the sanitiser removed that has text, script and style
    # code, html_to_blocks drops itself.
    feed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False, sanitize_html=False)
    source = fold_spaces(feed.feed.get("title", ""))
    language = (feed.feed.get("language") or "").split("-")[0].lower()
    return _feed_drafts(source, language, feed.entries)


def _feed_drafts(source: str, language: str, entries: list[Any]) -> tuple[list[Draft], list[StageError]]:
    drafts: list[Draft] = []
    failures: list[StageError] = []
    for position, entry in enumerate(entries, start=1):
        title = fold_spaces(entry.get("title", ""))
        contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value", "").strip()]
        summary = entry.get("summary", "") or entry.get("description", "")
        body = max([*contents, summary], key=len)
        if not title and not body.strip():
            failures.append(
                StageError(
                    "missing-field", f"feed item {position} has neither a title nor any content; skipped"
                )
            )
            continue
        blocks, media = html_to_blocks(body, drop_code=True)
        # media:description and media:credit of the item's picture
        media += [fold_spaces(c) for c in contents if c is not body and len(c) < 240]
        media += [
            fold_spaces(c.get("content", "")) for c in entry.get("media_credit", []) if c.get("content")
        ]
        draft = Draft(
            title=title,
            blocks=blocks,
            source=source,
            url=entry.get("link", ""),
            byline=_entry_byline(entry),
            language=language,
            media=media,
            locator=f"feed item {position}",
        )
        date = _entry_date(entry)
        if date:
            draft.published, draft.precision = date
        drafts.append(draft)
    if not drafts and not failures:
        raise StageError("no-article", "the feed has no items")
    return drafts, failures


# --- JSON news-API shapes ------------------------------------------------------------------

_TITLE_KEYS = ("title", "headline", "name")
_BODY_KEYS = ("content", "body", "text", "articleBody", "content_html", "content_text")
_LEAD_KEYS = ("description", "summary", "abstract", "lead")
_URL_KEYS = ("url", "link", "uri", "webUrl")
_DATE_KEYS = (
    "publishedAt",
    "published_at",
    "published",
    "pubDate",
    "date",
    "datePublished",
    "date_published",
    "time",
)
_SOURCE_KEYS = ("source", "publisher", "outlet", "site", "sourceName", "feed")
_AUTHOR_KEYS = ("author", "byline", "creator", "authors")
_TRUNCATION_NOTE = re.compile(r"\s*(?:…|\.\.\.)?\s*\[\+\d+ chars\]\s*$")


def _first(obj: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = obj.get(key)
        if value or value == 0:
            return value
    return None


def json_articles(value: Any) -> list[dict[str, Any] | None]:
    """The article objects in a decoded JSON document ({articles:[...]}, [...], or one).

    Items that are not objects stay in the list as None, so item numbers match the input.
    """
    if isinstance(value, list):
        return [v if isinstance(v, dict) else None for v in value]
    if isinstance(value, dict):
        for key in ("articles", "items", "results", "data", "news", "entries"):
            inner = value.get(key)
            if isinstance(inner, list):
                return [v if isinstance(v, dict) else None for v in inner]
        return [value]
    return []


def read_json_object(obj: dict[str, Any]) -> Draft:
    title = _first(obj, _TITLE_KEYS)
    body = _first(obj, _BODY_KEYS)
    lead = _first(obj, _LEAD_KEYS)
    text = body if isinstance(body, str) and body.strip() else lead
    if not (isinstance(title, str) and title.strip()) and not (isinstance(text, str) and text.strip()):
        raise StageError(
            "missing-field",
            f"the JSON article has neither a title nor a body (keys: {', '.join(sorted(obj)[:12])})",
        )
    body_text = text if isinstance(text, str) else ""
    # NewsAPI truncates content with "… [+1234 chars]". The substring test first: the search
    # tries its leading \s* at every position of the body.
    if "[+" in body_text:
        body_text = _TRUNCATION_NOTE.sub("", body_text)
    blocks, media = html_to_blocks(body_text)
    draft = Draft(
        title=fold_spaces(html.unescape(re.sub(r"<[^>]+>", "", str(title or "")))),
        blocks=blocks,
        media=media,
        source=fold_spaces(_name(_first(obj, _SOURCE_KEYS))),
        url=str(_first(obj, _URL_KEYS) or ""),
        byline=fold_spaces(_name(_first(obj, _AUTHOR_KEYS))),
        language=str(obj.get("language") or obj.get("lang") or "").split("-")[0].lower(),
    )
    raw_date = _first(obj, _DATE_KEYS)
    date = None
    if isinstance(raw_date, int | float) and not isinstance(raw_date, bool):
        date = (from_epoch(raw_date), "second")
    elif isinstance(raw_date, str) and raw_date.strip():
        date = (from_epoch(float(raw_date)), "second") if raw_date.strip().isdigit() else parse_date(raw_date)
    if date:
        draft.published, draft.precision = date
    return draft
