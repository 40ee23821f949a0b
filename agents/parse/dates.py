"""Dates in news copy -> UTC ISO-8601 with a precision; never an invented time.

"July 27, 2021", "27 July 2021", "12 мая 2023 г.", "11 de mayo de 2023", RFC 822 and ISO
dates all parse. A date without a time is midnight UTC of that calendar date with precision
"day" (no timezone shift); a time to the minute gives "minute", to the second "second". A
string without a four-digit year is not a date (dateutil would fill the year from today).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import cache, lru_cache

from dateutil import parser as date_parser

from .knowledge import knowledge

_ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_TIME = r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*(?:GMT|UTC|[A-Z]{2,4}T?|[+-]\d{2}:?\d{2}))?)?"
# "July 27, 2021", "27 July 2021", "2021-07-27[T08:30:00Z]", each with an optional time.
DATE_IN_TEXT = re.compile(
    rf"\b(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}{_TIME}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?,?\s+\d{{4}}{_TIME}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}(?:[T ]\d{{2}}:\d{{2}}(?::\d{{2}})?(?:\.\d+)?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?"
    rf"|\d{{1,2}}\.\d{{1,2}}\.\d{{4}}{_TIME})",
    re.I,
)
_YEAR = re.compile(r"(?<!\d)(?:1[89]|2[01])\d{2}(?!\d)")
_SECONDS = re.compile(r"\d{1,2}:\d{2}:\d{2}")
_MINUTES = re.compile(r"\d{1,2}[:.]\d{2}(?!\.\d{4})\s*(?:[ap]\.?m|GMT|UTC|[A-Z]{2,4}|[+-]\d|Z|$|,|\s)", re.I)
_DOTTED_DAY_FIRST = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b")
_WORD = re.compile(r"[^\W\d_]+\.?")
_NO_DEFAULTS = datetime(2000, 1, 1)


@cache
def _month_words() -> re.Pattern[str]:
    names = sorted(knowledge().months, key=len, reverse=True)
    return re.compile(r"(?<![\w])(" + "|".join(map(re.escape, names)) + r")(?![\w])", re.I)


def to_english(text: str) -> str:
    """Month names in other languages become English ones; filler words ("de", "г.") go."""
    known = knowledge()
    text = _month_words().sub(lambda m: _ENGLISH_MONTHS[known.months[m.group(1).lower()] - 1], text)

    def drop_filler(match: re.Match[str]) -> str:
        word = match.group(0)
        return (
            " "
            if word.lower() in known.date_fillers or word.lower().rstrip(".") in known.date_fillers
            else word
        )

    return " ".join(_WORD.sub(drop_filler, text).split())


def iso_utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def precision_of(text: str) -> str:
    if _SECONDS.search(text):
        return "second"
    if _MINUTES.search(text):
        return "minute"
    return "day"


# Date spellings repeat (every article of a day carries the same dateline date; on the benchmark
# corpus more than half of the dates read were read before) and reading one is pure (the same
# text always gives the same answer, a tuple of strings): the latest few thousand are kept.
@lru_cache(maxsize=4096)
def parse_date(text: str) -> tuple[str, str] | None:
    """Parse one date expression; return (UTC ISO string, precision) or None."""
    text = to_english(text.strip())
    if not text or not _YEAR.search(text):
        return None
    return common_date(text) or parsed_date(text)


# The spellings most feeds and pages use, read without dateutil (which costs some 50 µs a
# date). Anything else, and any impossible date, goes to dateutil as before; a unit test
# checks that both give the same answer.
# [0-9], not \d: \d also takes other scripts' digits, which are left to dateutil.
_ISO_UTC_SECOND = re.compile(
    r"((?:1[89]|2[01])[0-9]{2})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z"
)
# "2022-01-31", "2023-04-05T01:15+03:00", "2023-04-05T01:15:00.250-05:00"
_ISO = re.compile(
    r"(?:1[89]|2[01])[0-9]{2}-[0-9]{2}-[0-9]{2}"
    r"(?:T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?(?:Z|[+-][0-9]{2}:[0-9]{2})?)?"
)
_MONTH_DAY_YEAR = re.compile(rf"({'|'.join(_ENGLISH_MONTHS)}) ([0-9]{{1,2}}), ((?:1[89]|2[01])[0-9]{{2}})")
_DAY_MONTH_YEAR = re.compile(rf"([0-9]{{1,2}}) ({'|'.join(_ENGLISH_MONTHS)}) ((?:1[89]|2[01])[0-9]{{2}})")
_MONTH_NUMBERS = {name: number for number, name in enumerate(_ENGLISH_MONTHS, start=1)}


def common_date(text: str) -> tuple[str, str] | None:
    """ "2021-07-27T08:30:00Z" and other ISO forms, "July 27, 2021", "27 July 2021"; else None."""
    try:
        if match := _ISO_UTC_SECOND.fullmatch(text):
            datetime(*map(int, match.groups()))  # type: ignore[arg-type,misc]  # raises for no such moment
            return text, "second"  # already the UTC ISO form this module writes
        if _ISO.fullmatch(text):
            return _written(datetime.fromisoformat(text), precision_of(text))
        if match := _MONTH_DAY_YEAR.fullmatch(text):
            month, day, year = match.groups()
        elif match := _DAY_MONTH_YEAR.fullmatch(text):
            day, month, year = match.groups()
        else:
            return None
        moment = datetime(int(year), _MONTH_NUMBERS[month], int(day))  # raises for no such day
        return f"{moment.year:04}-{moment.month:02}-{moment.day:02}T00:00:00Z", "day"
    except ValueError:
        return None  # no such day: dateutil decides, as for any other spelling


def _written(moment: datetime, precision: str) -> tuple[str, str]:
    # A date alone is that calendar date, whatever the offset: no time zone shift.
    if precision == "day":
        return moment.strftime("%Y-%m-%dT00:00:00Z"), "day"
    return iso_utc(moment), precision


def parsed_date(text: str) -> tuple[str, str] | None:
    """dateutil's reading of a date expression already in English."""
    dayfirst = bool(_DOTTED_DAY_FIRST.search(text))
    moment = None
    for fuzzy in (False, True):
        if fuzzy and not DATE_IN_TEXT.search(text):
            return None  # fuzzy parsing of "since 2019" would invent a month and a day
        try:
            moment = date_parser.parse(text, fuzzy=fuzzy, dayfirst=dayfirst, default=_NO_DEFAULTS)
            break
        except (ValueError, OverflowError, TypeError):
            continue
    if moment is None:
        return None
    return _written(moment, precision_of(text))


def find_date(text: str) -> tuple[str, str] | None:
    """The first date expression inside free text."""
    match = DATE_IN_TEXT.search(to_english(text))
    return parse_date(match.group(0)) if match else None


def is_date_line(text: str) -> bool:
    """A short line that is nothing but a date ("August 9, 2022", "12 мая 2023 г.")."""
    if len(text) > 80:
        return False  # a paragraph, not a date line; saves the month translation
    english = to_english(text).strip(" .,")
    match = DATE_IN_TEXT.search(english)
    return match is not None and len(english) - len(match.group(0)) <= 4 and len(english) < 60


def from_epoch(seconds: float) -> str:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    return iso_utc(datetime.fromtimestamp(seconds, UTC))


def from_ms(ms: int) -> str:
    return iso_utc(datetime.fromtimestamp(ms / 1000, UTC))


def is_future(iso: str, now_ms: int, slack_hours: float = 24.0) -> bool:
    if len(iso) == 20 and iso[10] == "T" and iso[19] == "Z":
        moment = datetime.fromisoformat(iso)  # C code: strptime is pure Python and ten times slower
    else:
        moment = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return moment.timestamp() * 1000 > now_ms + slack_hours * 3600 * 1000
