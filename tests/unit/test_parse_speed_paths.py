"""Shortcuts of the parse stage's hot path give exactly what the plain code gives."""

from __future__ import annotations

import random
from collections import Counter

from wirewatch.agents.parse.core import _WORDS, word_counts


def _reference_counts(text: str) -> Counter[str]:
    return Counter(w.lower() for w in _WORDS.findall(text))


def test_word_counts_are_those_of_the_regular_expression() -> None:
    rng = random.Random(11)
    # letters of several scripts, digits of several scripts, punctuation ASCII or not, marks,
    # spaces of several kinds, and the characters that lower-case unusually
    alphabet = (
        "abcXYZ _-'.,;:!?()0123456789éÉßçñøÅ“”‘’«»—–…€²½Ⅻǅ\u0301\u00a0\u2003\u200bИПОдея"
        "ΟΔΟΣσςΚΑΙ\u0130ıİ٣३中文"
    )
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80))) for _ in range(5000)]
    texts += ["", "   ", "42", "—", "The “said,” x² snake_case the2nd (Reuters) don't", "\ud800 lone"]
    for text in texts:
        assert word_counts(text) == _reference_counts(text), repr(text)


def test_word_counts_of_plain_ascii_text() -> None:
    text = "The harbour authority said on Tuesday, the 3rd, that the_corridor would OPEN."
    assert word_counts(text) == _reference_counts(text)
    assert word_counts(text)["the"] == 3
