"""The tag stage's fast paths answer exactly what the plain patterns and loops they replace
answer: cue verbs by automaton, the locative window read backwards, a name's title words walked
backwards, and linking's no-overlap shortcut. Checked on the labelled corpus's text and on
generated strings made of the awkward pieces (word characters next to the matches, line breaks,
stretch ends inside words)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
import yaml

from wirewatch.agents.tag.core import _LOCATIVE, _is_locative
from wirewatch.agents.tag.kb import default_kb
from wirewatch.agents.tag.quotes import _CUE_RE, _TITLE_WORD, CUE_VERBS, _np_start, find_cues

CORPUS = Path(__file__).resolve().parents[1] / "data" / "quotes" / "corpus.yaml"


@pytest.fixture(scope="module")
def corpus_texts() -> list[str]:
    articles = yaml.safe_load(CORPUS.read_text("utf-8"))["articles"]
    return ["\n\n".join(entry["paragraphs"]) for entry in articles]


def generated(rng: random.Random, pieces: list[str], count: int) -> str:
    joins = [" ", "", "  ", "\n", "_", ",", "-", " \n "]
    return "".join(rng.choice(pieces) + rng.choice(joins) for _ in range(count))


def test_cue_automaton_finds_what_the_cue_pattern_finds(corpus_texts: list[str]) -> None:
    rng = random.Random(2)
    pieces = [*CUE_VERBS.split("|"), "essay", "said_", "saidé", "pointed", "out", "to", "x", "1", "é", "'"]
    texts = corpus_texts + [generated(rng, pieces, rng.randrange(1, 30)) for _ in range(1_000)]
    cues = 0
    for text in texts:
        cuts = sorted(rng.randrange(len(text) + 1) for _ in range(rng.randrange(0, 7)))
        points = [0, *cuts, len(text)]
        stretches = [
            (points[k], points[k + 1]) for k in range(0, len(points) - 1, 2) if points[k + 1] > points[k]
        ]
        expected = [
            (m.start(), m.end(), m.group(0))
            for low, high in stretches
            for m in _CUE_RE.finditer(text, low, high)
        ]
        assert [tuple(cue) for cue in find_cues(text, stretches)] == expected, (text[:200], stretches)
        cues += len(expected)
    assert cues > 1_000  # the comparison saw plenty of cue verbs


def test_locative_read_backwards_answers_what_the_pattern_answers(corpus_texts: list[str]) -> None:
    rng = random.Random(1)
    pieces = [
        "in",
        "at",
        "into",
        "within",
        "Toronto",
        "and",
        "Rome",
        "Ba-ku",
        "visiting",
        "(in",
        "-in",
        "Éire",
        "of",
    ]
    texts = corpus_texts + [generated(rng, pieces, rng.randrange(1, 12)) for _ in range(1_000)]
    places = 0
    for text in texts:
        for start in rng.sample(range(len(text) + 1), min(len(text) + 1, 60)):
            expected = bool(_LOCATIVE.search(text[max(0, start - 40) : start]))
            assert _is_locative(text, start) == expected, text[max(0, start - 40) : start]
            places += expected
    assert places > 500


_WORD_SPACE = re.compile(r"[\w.’'-]+\s+")


def np_start_by_the_window(text: str, start: int) -> int:
    """The title-word walk as first written: the words of a 24-character window, then of an
    80-character one when the title words reach back to the short window's first word."""
    if not text[start - 1 : start].isspace():
        return start
    for reach in (24, 80):
        low = max(0, start - reach)
        matches = list(_WORD_SPACE.finditer(text, low, start))
        position, cut = start, False
        for index in range(len(matches) - 1, -1, -1):
            match = matches[index]
            if index == 0 and low > 0 and reach < 80:
                cut = True
                break
            word = match.group(0).strip()
            if match.start() + len(match.group(0)) != position or "\n" in match.group(0):
                break
            if word.endswith((".", ",", ";", ":")) and len(word) > 3:
                break
            if word[:1].isupper() or _TITLE_WORD.fullmatch(word):
                position = match.start()
                continue
            break
        if not cut:
            return position
    return start


def test_title_words_walked_backwards_match_the_window_walk(corpus_texts: list[str]) -> None:
    rng = random.Random(5)
    pieces = [
        "Deputy",
        "Prime",
        "Minister",
        "the",
        "said",
        "R.",
        "K.",
        "chief",
        "(",
        "end.",
        "’s",
        "A",
        "x" * 30,
    ]
    texts = corpus_texts + [generated(rng, pieces, rng.randrange(1, 25)) + "Name" for _ in range(1_000)]
    extended = 0
    for text in texts:
        for start in [len(text) - 4, *rng.sample(range(len(text) + 1), min(len(text) + 1, 40))]:
            expected = np_start_by_the_window(text, start)
            assert _np_start(text, start) == expected, text[max(0, start - 90) : start]
            extended += expected < start
    assert extended > 500


def test_linking_without_overlaps_keeps_every_match_in_order(corpus_texts: list[str]) -> None:
    kb = default_kb()
    texts = [*corpus_texts, "UN General Assembly and the UN", "Rome and Paris"]
    shortcut = 0
    for text in texts:
        every = kb.find_all(text)
        # the longest first, then leftmost, never overlapping: what find must give either way
        taken = bytearray(len(text) + 1)
        expected = []
        for match in sorted(every, key=lambda m: (-(m[1] - m[0]), m[0])):
            if not any(taken[match[0] : match[1]]):
                expected.append(match)
                taken[match[0] : match[1]] = b"\x01" * (match[1] - match[0])
        expected.sort(key=lambda m: m[0])
        assert kb.find(text) == expected
        shortcut += len(expected) == len(every)
    assert 0 < shortcut < len(texts)  # both ways were taken
