"""The tag stage's faster paths give what the slower code they replaced gave."""

from __future__ import annotations

import random
import re
from itertools import islice

from wirewatch.agents.tag.kb import KnowledgeBase, Target
from wirewatch.agents.tag.quotes import _has_words

_WORD = re.compile(r"[A-Za-z]{2,}")


def _has_words_by_counting(text: str, start: int, end: int, count: int) -> bool:
    return sum(1 for _word in islice(_WORD.finditer(text, start, end), count)) == count


def test_has_words_counts_as_finditer_does() -> None:
    rng = random.Random(5)
    alphabet = "aBc _.,\"'\n-é"
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        start, end = rng.randint(0, len(text)), rng.randint(0, len(text) + 2)
        for count in (1, 3, 4):
            assert _has_words(text, start, end, count) == _has_words_by_counting(text, start, end, count), (
                text,
                start,
                end,
                count,
            )


def _longest_first_by_marking(found: list, length: int) -> list:
    """The overlap resolution `KnowledgeBase.find` used before: sort all, mark taken characters."""
    found = sorted(found, key=lambda m: (-(m[1] - m[0]), m[0]))
    taken = bytearray(length + 1)
    chosen = []
    for match in found:
        if not any(taken[match[0] : match[1]]):
            chosen.append(match)
            taken[match[0] : match[1]] = b"\x01" * (match[1] - match[0])
    chosen.sort(key=lambda m: m[0])
    return chosen


def test_find_resolves_overlaps_as_marking_characters_did() -> None:
    rng = random.Random(9)
    words = ["Ann", "Bo", "Cy", "Ann Bo", "Bo Cy", "Ann Bo Cy", "Cy Ann", "Bo Cy Ann Bo"]
    kb = KnowledgeBase()
    for number, word in enumerate(words):
        kb.add_surface(word, Target("entity", f"person:{number}"))
    # the same spelling twice (a role's lower-case form can equal another's): ties keep their order
    kb.add_surface("Dee Eve", Target("role", role_key="a"))
    kb.add_surface("dee Eve", Target("role", role_key="b"))
    for _ in range(3_000):
        text = " ".join(rng.choice([*words, "dee", "Dee", "Eve", "x"]) for _ in range(rng.randint(0, 12)))
        found = kb.find_all(text)
        assert kb.find(text) == _longest_first_by_marking(found, len(text)), text
