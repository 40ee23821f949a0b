"""Body paragraphs -> clean body plus what they say about the article.

Every format ends here: wire copy, HTML main text, feed and JSON bodies. Datelines and
agency markers give the agency (and sometimes the date), byline and date lines give the
byline and date, photo credits and captions go to metadata, and page furniture is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from wirewatch.streams.records import Block

from .dates import DATE_IN_TEXT, find_date, is_date_line, parse_date, to_english
from .knowledge import knowledge
from .textnorm import fold_spaces

_DASH = "[–—-]"
# "(Agency – March 3, 2022)"
_AGENCY_DATE_PAREN = re.compile(rf"^\(\s*([^()–—]+?)\s*{_DASH}\s*([^()]+)\)$")
# "MOSCOW, October 16. /AGENCY/."
_SLASH_DATELINE = re.compile(r"^([A-ZА-Я][A-ZА-Я .'’-]+),\s+([^/]{3,30}?)\.?\s*/([^/]{2,30})/\.?\s*")
# "FRANKFURT, Aug 9 (Agency) - " or "PARIS (Agency) - "
_PAREN_DATELINE = re.compile(
    r"^([A-ZА-Я][A-ZА-Я .'’-]+)(?:,\s+([^()]{3,30}?))?\s*\(([^()]{2,40})\)\s*[-–—]+\s*"
)
_BASED_ON = re.compile(
    r"^(?:Based on materials (?:from|of)|According to materials (?:from|of))\s+(.+?)\.?$", re.I
)
# 'GSV "Outlet name"' or '"Outlet name"' alone on a trailing line
_QUOTED_OUTLET = re.compile(r"^(?:[A-Z]{2,6}\s+)?[\"“«]([^\"”»]{2,80})[\"”»]$")
# "Photo: X / Agency" at the start of a line; "file photo" anywhere in it.
_MEDIA_LABEL = re.compile(r"(?:photo|image|picture|video|foto|фото|source of photo)\s*(?:credit)?\s*:", re.I)
_FILE_PICTURE = re.compile(r"\bfile (?:photo|picture|image)\b", re.I)
# What _FILE_PICTURE needs, as plain substrings of the lower-cased line: under re.I the "i" of
# "file" also matches "İ" (lower case "i" + U+0307) and "ı"; "f", "l", "e" match only themselves.
_FILE_SPELLINGS = ("file ", "fi\u0307le ", "fıle ")
_SENTENCE_END_CHARS = tuple('.!?…:;,"”’»)')
_SENTENCE_END = re.compile(r"[.!?…:;,\"”’»)]$")
_BYLINE_CUT = re.compile(r"\s*(?:[·|•,;(]|\s[-–—]\s|\bin\b).*$")


@dataclass(slots=True)
class Attribution:
    """What the body says about the article, beyond its text."""

    source: str = ""
    agency: str = ""
    published: str = ""
    precision: str = "day"
    byline: str = ""
    media: list[str] = field(default_factory=list)

    def date(self, found: tuple[str, str] | None) -> None:
        if found and not self.published:
            self.published, self.precision = found


@cache
def _longest_furniture_line() -> int:
    return max(map(len, knowledge().furniture), default=0)


def is_furniture(text: str) -> bool:
    known = knowledge()
    # A line longer than every furniture line is not lower-cased to be looked up: lower-casing
    # never shortens a text, and the stripped characters are not letters, so stripping first
    # is the same as stripping after.
    stripped = text.rstrip(".:!»> ")
    if len(stripped) <= _longest_furniture_line() and stripped.lower() in known.furniture:
        return True
    return bool(known.furniture_pattern.search(text))


def is_media_line(text: str) -> bool:
    """A photo credit or caption line ("Photo: X / Agency", "Harbour at dawn, file photo")."""
    if len(text) >= 240:
        return False
    if _MEDIA_LABEL.match(text):
        return True
    # A regular expression search costs tens of microseconds a paragraph (no literal prefix
    # to skip ahead with); the substring test rules out almost every line in one.
    lowered = text.lower()
    if (
        _FILE_SPELLINGS[0] not in lowered
        and _FILE_SPELLINGS[1] not in lowered
        and _FILE_SPELLINGS[2] not in lowered
    ):
        return False
    match = _FILE_PICTURE.search(text)
    if not match:
        return False
    if match.group(0).lower().startswith("file"):
        # "Police released a file photo of the man." is a sentence of the story, not a caption.
        return not re.search(r"[.!?]\s*$", text) or "photo:" in text.lower()
    return True


def byline_of(text: str) -> str:
    """ "By Helen Marsh" -> "Helen Marsh"; "" when the line is not a byline."""
    for prefix in knowledge().byline_prefixes:
        if text.startswith(prefix + " ") and len(text) < 120:
            name = _BYLINE_CUT.sub("", text[len(prefix) + 1 :]).strip()
            words = name.split()
            if 0 < len(words) <= 6 and all(
                w[0].isupper() or w in {"and", "und", "y", "et", "de", "van", "von"} for w in words
            ):
                return name
    return ""


def clean_byline(text: str) -> str:
    """A byline as metadata gives it: "By Jane Doe, Staff Writer" -> "Jane Doe"."""
    text = fold_spaces(text)
    return byline_of(text) or byline_of(f"By {text}") or text


def without_site_suffix(title: str, source: str) -> str:
    """ "Headline | Site" -> "Headline" when Site is the outlet."""
    for separator in (" | ", " - ", " – ", " — ", " · "):
        if source and title.endswith(separator + source) and len(title) > len(separator + source):
            return title[: -len(separator + source)].strip()
    return title


@cache
def _label_pattern() -> re.Pattern[str]:
    known = knowledge()
    updated = "|".join(map(re.escape, known.updated_labels)) or "(?!)"
    published = "|".join(map(re.escape, known.published_labels)) or "(?!)"
    return re.compile(rf"^(?:(?P<updated>{updated})|(?P<published>{published}))\b[\s:,]*", re.I)


def label_of(text: str) -> tuple[str, str]:
    """("published" | "updated" | "", the rest) for "Published: 3 March 2022 09:15 GMT"."""
    match = _label_pattern().match(text)
    if match:
        rest = text[match.end() :]
        date = DATE_IN_TEXT.search(to_english(rest))
        # The rest must be the date ("Updated 5 September 2023, 14:10"), not a sentence that
        # happens to start with the word ("Updated guidance was issued on 3 March 2022").
        if date and len(date.group(0)) >= 0.6 * len(to_english(rest).strip(" .,")):
            return ("updated" if match.group("updated") else "published"), rest
    return "", text


def agency_name(name: str) -> str:
    return knowledge().agencies.get(name.strip(), "")


def strip_dateline(text: str, found: Attribution) -> str:
    """Remove a leading dateline, noting its agency (and its date when it has a year)."""
    for pattern in (_SLASH_DATELINE, _PAREN_DATELINE):
        match = pattern.match(text)
        if match and agency_name(match.group(3)):
            found.agency = found.agency or agency_name(match.group(3))
            if match.group(2):
                found.date(find_date(match.group(2)))
            return text[match.end() :].strip()
    return text


def refine_blocks(
    blocks: list[Block], found: Attribution, *, infer_headings: bool = False, folded: bool = False
) -> list[Block]:
    """Clean body blocks in place of the raw ones; `found` collects what they say.

    `folded` says every block's whitespace is folded already (each reader folds its blocks),
    which saves folding them again.
    """
    body: list[Block] = []
    for index, block in enumerate(blocks):
        text = block.text if folded else fold_spaces(block.text)
        if not text or is_furniture(text):
            continue
        if is_media_line(text):
            found.media.append(text)
            continue
        paren = _AGENCY_DATE_PAREN.match(text)
        if paren and (date := parse_date(paren.group(2))):
            found.date(date)
            found.agency = found.agency or agency_name(paren.group(1)) or paren.group(1).strip()
            continue
        # Agency and date lines are short: the length is tested before the pattern.
        based = _BASED_ON.match(text) if len(text) < 120 else None
        if based:
            found.agency = found.agency or agency_name(based.group(1)) or based.group(1).strip()
            continue
        label, rest = label_of(text) if len(text) < 80 else ("", text)
        if label:
            if label == "published":
                found.date(parse_date(rest))
            continue
        has_paragraph = bool(body) and (body[-1].kind == "p" or any(b.kind == "p" for b in body))
        if not has_paragraph:
            if is_date_line(text):
                found.date(parse_date(text))
                continue
            byline = byline_of(text)
            if byline:
                found.byline = found.byline or byline
                # "Von Jörg Brüggemann · 22.02.2023, 11:30 Uhr" also dates the article.
                found.date(find_date(text))
                continue
        if block.kind == "p" and not has_paragraph:
            text = strip_dateline(text, found)
            if not text:
                continue  # the dateline stood on a line of its own
        # A quoted outlet line ends wire copy: only the last lines are tried.
        quoted = _QUOTED_OUTLET.match(text) if infer_headings and index >= len(blocks) - 4 else None
        if quoted and looks_like_name(quoted.group(1)):
            found.source = found.source or knowledge().outlets.get(quoted.group(1), quoted.group(1))
            continue
        kind = block.kind
        if infer_headings and has_paragraph and index < len(blocks) - 1 and looks_like_heading(text):
            kind = "h"
        body.append(Block(text, kind))
    # Headings with no paragraph after them are trailing furniture ("More from Business").
    while body and body[-1].kind == "h":
        body.pop()
    return body


def looks_like_name(text: str) -> bool:
    """ "Estuary Times - Online" is a name; "We will not give up." is a quotation."""
    if text in knowledge().outlets:
        return True
    words = text.split()
    return (
        0 < len(words) <= 8
        and not _SENTENCE_END.search(text)
        and all(w[0].isupper() or w[0].isdigit() or w in {"-", "–", "&", "of", "and", "the"} for w in words)
    )


def ends_sentence(line: str) -> bool:
    """What `_SENTENCE_END.search(line)` says, without walking the line: its last character (or
    the one before a final newline, which `$` also matches before) is final punctuation."""
    return line.endswith(_SENTENCE_END_CHARS) or (
        line.endswith("\n") and line[:-1].endswith(_SENTENCE_END_CHARS)
    )


def looks_like_heading(line: str) -> bool:
    # The cheap tests first: almost every line of a body is a sentence that ends in punctuation,
    # and the pattern's search walks the whole line to find its end.
    if not line[:1].isupper() or ends_sentence(line):
        return False
    words = line.split(maxsplit=8)  # a ninth piece holds the rest: too long for a heading
    return 0 < len(words) <= 8 and not DATE_IN_TEXT.search(line)
