"""The parse stage's fast paths give the answers of the slow, obvious code they stand in for.

Each fast path (a date read without dateutil, a substring test before a regular expression,
a presence test before a text-wide replacement, words counted on the text lower-cased at once,
an id from the already folded body) is compared with the straightforward version on many
generated inputs, tricky characters included.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from itertools import product
from pathlib import Path

import pytest

from wirewatch.agents.parse import parse_bytes
from wirewatch.agents.parse.body import is_media_line
from wirewatch.agents.parse.core import (
    _CYRILLIC,
    _WORDS,
    _vocabularies,
    article_id,
    guess_language,
    lower_words,
)
from wirewatch.agents.parse.dates import _ENGLISH_MONTHS, common_date, parse_date, parsed_date
from wirewatch.agents.parse.textnorm import fold_spaces, normalise
from wirewatch.streams.records import StageError

YEARS = ("1799", "1800", "2000", "2024", "2199", "2200")


def _day_spellings() -> list[str]:
    days = [str(d) for d in range(0, 33)] + ["00", "01", "09", "31"]
    spellings = []
    for month, day, year in product(_ENGLISH_MONTHS, days, YEARS):
        spellings += [f"{month} {day}, {year}", f"{day} {month} {year}"]
    return spellings


def _iso_spellings() -> list[str]:
    rng = random.Random(7)
    spellings = []
    for _ in range(1500):
        year = rng.choice(YEARS)
        month, day = rng.randint(0, 13), rng.randint(0, 32)
        hour, minute, second = rng.randint(0, 25), rng.randint(0, 61), rng.randint(0, 61)
        fraction = rng.choice(["", "", ".5", ".250", ".123456"])
        offset = rng.choice(["Z", "Z", "", "+03:00", "-05:30", "+14:00", "-00:00", "+24:00"])
        spellings += [
            f"{year}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z",
            f"{year}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{fraction}{offset}",
            f"{year}-{month:02}-{day:02}T{hour:02}:{minute:02}{offset}",
            f"{year}-{month:02}-{day:02}",
        ]
    return spellings


@pytest.mark.parametrize("spellings", [_day_spellings(), _iso_spellings()], ids=["day", "iso"])
def test_common_dates_read_without_dateutil_match_dateutil(spellings: list[str]) -> None:
    fast = 0
    for text in spellings:
        answer = common_date(text)
        if answer is not None:
            fast += 1
            assert answer == parsed_date(text), text
            assert parse_date(text) == answer, text
    assert fast > len(spellings) / 3  # the fast path does take the common spellings


def test_spellings_off_the_fast_path_still_parse() -> None:
    assert common_date("July 27 2021") is None
    assert parse_date("July 27 2021") == ("2021-07-27T00:00:00Z", "day")
    assert common_date("February 30, 2023") is None  # no such day: dateutil decides


_MEDIA_REFERENCE = re.compile(
    r"^(?:photo|image|picture|video|foto|фото|source of photo)\s*(?:credit)?\s*:|\bfile (?:photo|picture|image)\b",
    re.I,
)


def _media_reference(text: str) -> bool:
    match = _MEDIA_REFERENCE.search(text)
    if not match or len(text) >= 240:
        return False
    if match.group(0).lower().startswith("file"):
        return not re.search(r"[.!?]\s*$", text) or "photo:" in text.lower()
    return True


def _media_lines() -> list[str]:
    rng = random.Random(11)
    pieces = [
        "file", "FILE", "File", "fİle", "FıLE", "fi", "le", "photo", "PHOTO", "pİcture", "image",
        "picture", "ımage", "Photo:", "Image credit:", "source of photo:", "Фото:", "video :",
        " ", " ", " ", ".", "!", ",", "x", "profile", "a", "Harbour at dawn", "police released a",
        "\u0307", "İ", "ı", "K",
    ]  # fmt: skip
    lines = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(20000)]
    return [*lines, "Harbour at dawn, file photo", "Police released a file photo of the man.", "x" * 300]


def test_media_lines_match_the_single_regular_expression() -> None:
    lines = _media_lines()
    answers = [is_media_line(line) for line in lines]
    assert answers == [_media_reference(line) for line in lines]
    assert 100 < sum(answers) < len(lines) - 100  # both kinds of line were tried


def _normalise_reference(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(
        dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
    )
    text = re.sub(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", "", text.replace("\r\n", "\n").replace("\r", "\n"))
    return re.sub(r"[\u00a0\u2007\u202f\u2009\u200a\t\f\v]+", " ", text)


def test_normalise_matches_the_plain_translation() -> None:
    rng = random.Random(5)
    alphabet = "ab \n\r\t\f\v\x00\x07\x0b\x1f\x7f\u00a0\u2007\u202f\u2009\u200a\u00ad\u200b\u200c\u200d\u2060\ufeffe\u0301“”"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(5000)]
    assert [normalise(t) for t in texts] == [_normalise_reference(t) for t in texts]
    assert normalise("soft\u00adhyphen\r\nnon\u00a0breaking") == "softhyphen\nnon breaking"


def _language_reference(text: str) -> str:
    sample = text[:1000]
    words = Counter(w.lower() for w in _WORDS.findall(sample))
    letters = sum(len(w) * n for w, n in words.items())
    if not letters:
        return ""
    cyrillic = len(_CYRILLIC.findall(sample)) > letters / 2
    scores = {
        code: sum(words[w] for w in vocabulary)
        for code, vocabulary, in_cyrillic in _vocabularies()
        if in_cyrillic == cyrillic
    }
    best = max(scores, key=scores.__getitem__, default="")
    return best if best and scores[best] >= 2 else ""


def test_lower_casing_a_whole_text_keeps_its_words_where_they_were() -> None:
    """What lower_words relies on: one character in, one character of the same kind out."""
    everything = "".join(map(chr, range(0x110000)))
    # Only "İ" lower-cases to two characters (lower-casing never drops one).
    assert len("\u0130".lower()) == 2
    assert len(everything.lower()) == len(everything) + 1
    others = everything.replace("\u0130", "")
    # Letters stay letters and nothing else becomes one: the runs of letters do not move.
    letters = re.compile(r"[^\W\d_]+")
    assert [m.span() for m in letters.finditer(others)] == [
        m.span() for m in letters.finditer(others.lower())
    ]


def test_lower_words_are_the_words_lower_cased() -> None:
    texts = ["İstanbul ΟΔΟΣ.ΚΑΙ", "The “said,” x² snake_case the2nd (Reuters) don't", "", "  42 — "]
    for text in texts:
        assert Counter(lower_words(text)) == Counter(w.lower() for w in _WORDS.findall(text))


def test_language_guess_matches_counting_every_vocabulary() -> None:
    rng = random.Random(3)
    vocabulary = sorted(w for _, words, _ in _vocabularies() for w in words)
    extra = [
        "İstanbul", "THE", "Der", "И", "ПО", "Ⅻ", "ǅ", "mayor", "42", "news", "agency", "—", "ΟΔΟΣ.ΚΑΙ",
        "x²", "snake_case", "the2nd", "“The", "said,", "(Reuters)", "don't", "e-mail", "l'état",
    ]  # fmt: skip
    texts = [
        " ".join(rng.choice([*vocabulary, *extra]) for _ in range(rng.randint(0, 60))) for _ in range(2000)
    ]
    answers = [guess_language(t) for t in texts]
    assert answers == [_language_reference(t) for t in texts]
    assert len(set(answers)) >= 6  # ties, unsure texts and several languages were all tried


def test_article_ids_are_those_of_the_unfolded_text() -> None:
    """The parser hands article_id its blocks already folded; the id is the same either way."""
    inputs = sorted((Path(__file__).parents[1] / "data" / "parse" / "inputs").iterdir())
    articles = []
    for path in inputs:
        try:
            articles += parse_bytes(path.read_bytes(), ingest_ms=1_800_000_000_000).articles
        except StageError:
            continue  # the corpus's broken inputs
    assert len([a for a in articles if not a.url]) >= 10  # ids from the content, not a url
    for article in articles:
        assert article.id == article_id(article.url, article.title, article.text), article.title


def test_every_whitespace_but_the_space_is_unprintable() -> None:
    """What fold_spaces relies on to return printable, single-spaced text as it is."""
    whitespace = [chr(code) for code in range(0x110000) if chr(code).isspace()]
    assert " " in whitespace and len(whitespace) > 20
    assert [c for c in whitespace if c != " " and c.isprintable()] == []


def test_fold_spaces_matches_splitting_and_joining() -> None:
    rng = random.Random(9)
    alphabet = "ab  \t\n\r\x0b\x0c\x1c\x85\xa0\u2003\u2028\u3000\u200e.“"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(5000)]
    texts += ["already folded text", " lead", "trail ", "two  spaces", ""]
    assert [fold_spaces(t) for t in texts] == [" ".join(t.split()) for t in texts]
