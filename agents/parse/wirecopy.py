"""Plain-text wire copy: the title line, then the body through body.refine_blocks."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from wirewatch.streams.records import Block

from .body import Attribution, agency_name, is_media_line, refine_blocks
from .knowledge import knowledge
from .textnorm import fold_spaces

_MAX_HEADLINE_CHARS = 250
_QUOTE_PAIRS = {"“": "”", '"': '"', "«": "»", "‘": "’", "'": "'", "„": "“"}
# "OUTLET: title" where OUTLET is all capitals
_OUTLET_PREFIX = re.compile(r"^([A-Z][A-Z0-9&.\- ]{1,40}):\s+(.+)$")
# "title – Agency"
_AGENCY_SUFFIX = re.compile(r"^(.*\S)\s+[–—-]\s+([^–—-]{2,40})$")


@dataclass(slots=True)
class WireCopy:
    title: str = ""
    blocks: list[Block] = field(default_factory=list)
    found: Attribution = field(default_factory=Attribution)


def strip_outer_quotes(text: str) -> str:
    text = text.strip()
    if len(text) > 2 and text[0] in _QUOTE_PAIRS and text[-1] == _QUOTE_PAIRS[text[0]]:
        inner = text[1:-1].strip()
        # Keep quotes that only open the headline: “X” says Y.
        if text[0] not in inner and _QUOTE_PAIRS[text[0]] not in inner:
            return inner
    return text


def split_title(line: str, found: Attribution) -> str:
    known = knowledge()
    prefix = _OUTLET_PREFIX.match(line)
    if prefix:
        name = prefix.group(1).strip()
        # "URGENT:", "UPDATE 2:", "EXCLUSIVE:" tag the story; they are not outlets.
        if re.sub(r"\s*\d+$", "", name) not in known.flash_markers:
            found.source = known.outlets.get(name) or name.title()
        line = prefix.group(2)
    suffix = _AGENCY_SUFFIX.match(line)
    if suffix and agency_name(suffix.group(2)):
        found.agency = agency_name(suffix.group(2))
        line = suffix.group(1)
    return strip_outer_quotes(line)


def paragraphs_of(text: str) -> list[str]:
    """A paragraph is a run of non-blank lines; most wire copy has one line per paragraph."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*text.split("\n"), ""]:
        line = line.strip()
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return paragraphs


def parse_wire_copy(text: str) -> WireCopy:
    info = WireCopy()
    # Copy pasted from web pages keeps entities ("&amp;", "&#8217;"): decode them once here.
    paragraphs = [fold_spaces(html.unescape(p) if "&" in p else p) for p in paragraphs_of(text)]
    flash = knowledge().flash_markers
    # "URGENT" above the headline, or a photo line, is not the headline.
    while paragraphs and (paragraphs[0].upper().rstrip(" :!.") in flash or is_media_line(paragraphs[0])):
        head = paragraphs.pop(0)
        if is_media_line(head):
            info.found.media.append(head)
    if not paragraphs:
        return info
    # A first paragraph of several sentences is body, not a headline: the article has no title
    # rather than a made-up one.
    has_headline = len(paragraphs[0]) <= _MAX_HEADLINE_CHARS
    info.title = split_title(paragraphs[0], info.found) if has_headline else ""
    body = paragraphs[1:] if has_headline else paragraphs
    info.blocks = refine_blocks([Block(p) for p in body], info.found, infer_headings=True, folded=True)
    return info
