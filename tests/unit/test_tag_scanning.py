"""The tag stage's scanning shortcuts answer exactly what the plain scans they replace answer:
role phrases and unnamed sources sought only before their head words and nouns, the words of
quote attribution found in the knowledge base's automaton pass, and quotation marks and
sentence boundaries found once per article, by str.find. Checked on the labelled corpus's text and on
generated strings made of the awkward pieces (possessives, hyphens, line breaks, stretch ends
inside words, capitals, words that hold a head or a noun)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from wirewatch.agents.tag import Tagger
from wirewatch.agents.tag.kb import match_text
from wirewatch.agents.tag.quotes import (
    _ANON,
    _ANON_NOUN,
    _ANON_REACH,
    _ANY_MARK,
    _BOUNDARY,
    _QUOTE_MARK,
    _ROLE_HEAD,
    _ROLE_NP,
    _ROLE_NP_CORE,
    _ROLE_NP_REACH,
    WORDS,
    _anchored_matches,
    find_boundaries,
    find_marks,
    find_spans,
    find_words,
    split_sentences,
    words_found,
)

CORPUS = Path(__file__).resolve().parents[1] / "data" / "quotes" / "corpus.yaml"

PIECES = [
    *["the", "The", "Apple's", "Bank’s", "x.y", "a", "An", "one", "several", "Two", "many", "other"],
    *["minister", "prime", "Minister", "president", "secretary-general", "secretary", "general"],
    *["chief", "of", "state", "government", "Ministry", "officials", "official", "spokeswoman"],
    *["man", "woman", "Germany", "speaking", "he", "She", "'he", "x" * 30, "-", "Dr.", "é", "senior"],
    *["foreign", "”", "U.S.", "people", "group", "witnesses", "king", "resident", "head", "ahead"],
    *["the foreign minister", "one senior official", "Apple's chief executive", "two local residents"],
    *["the president of the Republic", "several of the president's aides", "a woman"],
]
JOINS = [" ", "", "  ", "\n", "\n\n", ",", "-", " \n ", "'", "’", ".", "(", "\u00a0"]


@pytest.fixture(scope="module")
def corpus_texts() -> list[str]:
    articles = yaml.safe_load(CORPUS.read_text("utf-8"))["articles"]
    return ["\n\n".join(entry["paragraphs"]) for entry in articles]


def generated(rng: random.Random, count: int) -> str:
    return "".join(rng.choice(PIECES) + rng.choice(JOINS) for _ in range(count))


def random_stretches(rng: random.Random, length: int) -> list[tuple[int, int]]:
    cuts = sorted(rng.randrange(length + 1) for _ in range(rng.randrange(0, 6)))
    points = [0, *cuts, length]
    return [(points[k], points[k + 1]) for k in range(0, len(points) - 1, 2) if points[k + 1] > points[k]]


def test_anchored_scans_find_what_the_patterns_find(corpus_texts: list[str]) -> None:
    rng = random.Random(7)
    texts = corpus_texts + [generated(rng, rng.randrange(1, 40)) for _ in range(4_000)]
    found = {"role": 0, "anon": 0}
    for text in texts:
        stretches = random_stretches(rng, len(text))
        words = find_words(match_text(text), 0, len(text))
        backwards = text[::-1]
        scans = (
            ("role", _ROLE_NP, _ROLE_NP_CORE, _ROLE_HEAD, _ROLE_NP_REACH, words.heads, True),
            ("anon", _ANON, _ANON, _ANON_NOUN, _ANON_REACH, words.nouns, False),
        )
        for name, pattern, core, word, reach, anchors, possessive in scans:
            expected = [m.span() for low, high in stretches for m in pattern.finditer(text, low, high)]
            anchored = _anchored_matches(
                pattern, core, word, reach, text, backwards, stretches, sorted(set(anchors)), possessive
            )
            assert [m.span() for m in anchored] == expected, (name, text[:200], stretches)
            found[name] += len(expected)
    assert min(found.values()) > 1_000  # the comparison saw plenty of both


def test_words_found_in_the_knowledge_base_pass_are_the_words_alone(corpus_texts: list[str]) -> None:
    kb = Tagger().kb  # the tagger has the knowledge base's automaton report WORDS
    assert WORDS.items() <= kb.words.items()
    rng = random.Random(3)
    texts = corpus_texts + [generated(rng, rng.randrange(1, 40)) for _ in range(500)]
    for text in texts:
        haystack = match_text(text)
        hits: list = []
        kb.find(text, haystack, hits)
        assert words_found(haystack, hits) == find_words(haystack, 0, len(haystack))


def test_marks_and_boundaries_found_once_split_as_paragraph_by_paragraph(corpus_texts: list[str]) -> None:
    rng = random.Random(5)
    pieces = [
        "“",
        "”",
        "«",
        "»",
        "„",
        '"',
        "a",
        "Xy",
        " ",
        ". ",
        "! ",
        "? ",
        "U.S",
        "Mr",
        ".” ",
        '." ',
        "A",
        "’",
        "...",
    ]
    texts = corpus_texts + [
        "\n\n".join(
            "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 25)))
            for _ in range(rng.randrange(1, 5))
        )
        for _ in range(3_000)
    ]
    spans = sentences = 0
    for text in texts:
        paragraphs, offset = [], 0
        for para in text.split("\n\n"):
            paragraphs.append((offset, para))
            offset += len(para) + 2
        marks = [(m.start(), m.group(0)) for m in _ANY_MARK.finditer(text)]
        assert find_marks(text, match_text(text)) == marks
        assert find_spans(paragraphs, marks) == find_spans(paragraphs)
        spans += len(marks)
        every_boundary = [m.span() for m in _BOUNDARY.finditer(text)]  # once for the article
        assert find_boundaries(text) == every_boundary
        for p_start, para in paragraphs:
            boundaries = [(a, b) for a, b in every_boundary if p_start <= a < p_start + len(para)]
            para_marks = [(at, mark) for at, mark in marks if p_start <= at < p_start + len(para)]
            # the quotation marks of one paragraph, by itself: no sign of the „ that openers add
            alone = [(p_start + m.start(), m.group(0)) for m in _QUOTE_MARK.finditer(para)]
            expected = split_sentences(p_start, para, None, alone)
            assert split_sentences(p_start, para, boundaries, para_marks) == expected
            assert split_sentences(p_start, para) == expected
            sentences += len(expected)
    assert spans > 10_000 and sentences > 10_000
