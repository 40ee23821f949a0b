"""Dates in news copy -> UTC ISO-8601 with a precision; never an invented time."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from dateutil import parser as date_parser

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
# "July 27, 2021", "27 July 2021", "2021-07-27"
DATE_IN_TEXT = re.compile(
    rf"\b(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?,?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}(?:[T ]\d{{2}}:\d{{2}}(?::\d{{2}})?(?:\.\d+)?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?)\b"
)
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")


def iso_utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_date(text: str) -> tuple[str, str] | None:
    """Parse one date expression; return (UTC ISO string, precision) or None."""
    text = text.strip()
    if not text:
        return None
    try:
        moment = date_parser.parse(text, fuzzy=False)
    except (ValueError, OverflowError):
        try:
            moment = date_parser.parse(text, fuzzy=True)
        except (ValueError, OverflowError):
            return None
    if _HAS_TIME.search(text):
        return iso_utc(moment), "second"
    return moment.strftime("%Y-%m-%dT00:00:00Z"), "day"


def find_date(text: str) -> tuple[str, str] | None:
    """The first date expression inside free text."""
    match = DATE_IN_TEXT.search(text)
    return parse_date(match.group(0)) if match else None


def from_ms(ms: int) -> str:
    return iso_utc(datetime.fromtimestamp(ms / 1000, UTC))


def is_future(iso: str, now_ms: int, slack_hours: float = 24.0) -> bool:
    moment = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return moment.timestamp() * 1000 > now_ms + slack_hours * 3600 * 1000
