"""Plain-text wire copy: title line, dateline, body paragraphs, credits and furniture."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wirewatch.streams.records import Block

from .dates import DATE_IN_TEXT, find_date, parse_date
from .knowledge import knowledge
from .textnorm import fold_spaces

_QUOTE_PAIRS = {"“": "”", '"': '"', "«": "»", "‘": "’", "'": "'"}
_DASH = "[–—-]"
# "(Agency – March 3, 2022)"
_AGENCY_DATE_PAREN = re.compile(rf"^\(\s*([^()–—]+?)\s*{_DASH}\s*([^()]+)\)$")
# "MOSCOW, October 16. /AGENCY/."
_DATELINE = re.compile(r"^([A-Z][A-Z .'-]+),\s+([A-Z][a-z]+\.? \d{1,2})\.?\s*/([^/]+)/\.?\s*")
# "OUTLET: title" where OUTLET is all capitals
_OUTLET_PREFIX = re.compile(r"^([A-Z][A-Z0-9&.\- ]{1,40}):\s+(.+)$")
_BASED_ON = re.compile(r"^(?:Based on materials (?:from|of)|Source:|Via)\s+(.+?)\.?$", re.I)
# 'GSV "Outlet name"' or '"Outlet name"' alone on a trailing line
_QUOTED_OUTLET = re.compile(r"^(?:[A-Z]{2,6}\s+)?[\"“«]([^\"”»]{2,80})[\"”»]$")
_MEDIA = re.compile(r"(?:^(?:photo|image|picture|video|source of photo)\s*(?:credit)?\s*:)|file photo", re.I)
_SENTENCE_END = re.compile(r"[.!?…:\"”’»)]$")


@dataclass(slots=True)
class WireCopy:
    title: str = ""
    blocks: list[Block] = field(default_factory=list)
    source: str = ""
    agency: str = ""
    published: str = ""
    precision: str = "day"
    media: list[str] = field(default_factory=list)


def _strip_outer_quotes(text: str) -> str:
    text = text.strip()
    if len(text) > 2 and text[0] in _QUOTE_PAIRS and text[-1] == _QUOTE_PAIRS[text[0]]:
        return text[1:-1].strip()
    return text


def _split_title(line: str, info: WireCopy) -> str:
    known = knowledge()
    prefix = _OUTLET_PREFIX.match(line)
    if prefix:
        name = prefix.group(1).strip()
        info.source = known.outlets.get(name) or name.title()
        line = prefix.group(2)
    # trailing "– Agency"
    suffix = re.match(rf"^(.*\S)\s+{_DASH}\s+([^–—-]{{2,40}})$", line)
    if suffix and suffix.group(2).strip() in known.agencies:
        info.agency = known.agencies[suffix.group(2).strip()]
        line = suffix.group(1)
    return _strip_outer_quotes(line)


def _is_heading(line: str, previous_blank: bool) -> bool:
    words = line.split()
    return (
        previous_blank
        and 0 < len(words) <= 8
        and not _SENTENCE_END.search(line)
        and line[0].isupper()
        and not DATE_IN_TEXT.fullmatch(line)
    )


def parse_wire_copy(text: str) -> WireCopy:
    known = knowledge()
    info = WireCopy()
    lines = [line.strip() for line in text.split("\n")]
    # A paragraph is a run of non-blank lines; most wire copy has one line per paragraph.
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if not paragraphs:
        return info
    info.title = _split_title(fold_spaces(paragraphs[0]), info)
    body: list[Block] = []
    for index, raw in enumerate(paragraphs[1:], start=1):
        para = fold_spaces(raw)
        if not para:
            continue
        if para.lower().rstrip(".:") in known.furniture:
            continue
        if _MEDIA.search(para) and len(para) < 200:
            info.media.append(para)
            continue
        paren = _AGENCY_DATE_PAREN.match(para)
        if paren and not info.published:
            date = parse_date(paren.group(2))
            if date:
                info.published, info.precision = date
                name = paren.group(1).strip()
                info.agency = info.agency or known.agencies.get(name, name)
                continue
        if DATE_IN_TEXT.fullmatch(para) or (
            len(para) < 40 and parse_date(para) and DATE_IN_TEXT.search(para)
        ):
            if not info.published:
                date = parse_date(para)
                if date:
                    info.published, info.precision = date
            continue
        dateline = _DATELINE.match(para)
        if dateline:
            agency = dateline.group(3).strip()
            info.agency = info.agency or known.agencies.get(agency, agency)
            if not info.published:
                found = find_date(dateline.group(2))
                if found:
                    info.published, info.precision = found
            para = para[dateline.end() :].strip()
        based = _BASED_ON.match(para)
        if based and len(para) < 120:
            name = based.group(1).strip()
            info.agency = info.agency or known.agencies.get(name, name)
            continue
        quoted = _QUOTED_OUTLET.match(para)
        if quoted and index >= len(paragraphs) - 4:
            info.source = info.source or known.outlets.get(quoted.group(1), quoted.group(1))
            continue
        if _is_heading(para, True) and 0 < index < len(paragraphs) - 1:
            body.append(Block(para, "h"))
            continue
        body.append(Block(para, "p"))
    # Headings with no paragraph after them are trailing furniture, not sections.
    while body and body[-1].kind == "h":
        body.pop()
    info.blocks = body
    return info
