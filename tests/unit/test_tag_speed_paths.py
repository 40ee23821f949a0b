"""The tag stage's faster paths give what the slower code they replaced gave."""

from __future__ import annotations

import random
import re
from datetime import date
from itertools import islice

from wirewatch.agents.tag.kb import KnowledgeBase, Target, default_kb
from wirewatch.agents.tag.quotes import _TITLE_WORD, Attribution, _has_words, _is_title_word

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


def test_people_ruled_out_by_their_words_are_those_no_description_fits() -> None:
    kb = default_kb()
    rng = random.Random(3)
    roles = [role for held in kb.person_roles.values() for role in held]
    people = [*kb.person_roles, "person:someone-unknown"]

    def some_role_words() -> frozenset[str]:
        """A few words of a known role, sometimes with "leader" (which other heads satisfy)."""
        words = sorted(rng.choice(roles).words)
        chosen = set(rng.sample(words, rng.randint(1, min(3, len(words)))))
        if rng.random() < 0.3:
            chosen.add("leader")
        return frozenset(chosen)

    answers = 0
    for _ in range(2_000):
        state = Attribution(kb, date(2021, 7, 27) if rng.random() < 0.8 else None, "", [])
        for position, person in enumerate(rng.sample(people, rng.randint(1, 8))):
            state.introduce(person, position, some_role_words() if rng.random() < 0.3 else frozenset())
        words, any_date = some_role_words(), rng.random() < 0.3
        expected = [person for person in state.seen if state._fits(person, words, any_date)]
        assert state.described_by(words, any_date) == expected, (words, list(state.seen))
        answers += bool(expected)
    assert answers > 100  # people were found, not only ruled out


def test_remembered_title_words_are_what_the_pattern_says() -> None:
    words = ["said", "President", "minister", "Minister", "CHIEF", "deputy", "by", "foreign", "Vice"]
    words += ["spokesman", "secretary-general", "Bank's", "U.S.", "", "ministers"]
    for _ in range(2):  # the second time, the remembered answers
        for word in words:
            assert _is_title_word(word) == (_TITLE_WORD.fullmatch(word) is not None), word
