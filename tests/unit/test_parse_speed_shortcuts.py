"""Each shortcut the parse stage takes for speed answers exactly as the plain code it replaces."""

from __future__ import annotations

import re

from tests.benchmarks.corpus import generate
from wirewatch.agents.parse import body
from wirewatch.agents.parse.body import (
    Attribution,
    ends_sentence,
    is_furniture,
    looks_like_heading,
    refine_blocks,
)
from wirewatch.agents.parse.dates import DATE_IN_TEXT
from wirewatch.agents.parse.knowledge import knowledge
from wirewatch.agents.parse.textnorm import decode, normalise
from wirewatch.agents.parse.wirecopy import paragraphs_of
from wirewatch.streams.records import Block

SENTENCE_END = re.compile(r"[.!?…:;,\"”’»)]$")
MADE_LINES = [
    "",
    ".",
    "A",
    "Harbour news\n",
    "Harbour news.\n",
    "Harbour news.\n\n",
    "Harbour news »",
    "Harbour news »\n",
    "“Quoted words”",
    "Ends with a bracket)",
    "Comment",
    "COMMENT.",
    "Share!!  ",
    "Read more: the harbour's new pier",
    "İstanbul",
    "Kommentar »",
    "Print this page.",
    "More to follow",
    "MORE TO FOLLOW...",
    "Section heading without a stop",
    "Updated 5 September 2023",
    "lower-case start of a line",
    "Short Heading Line Here With Exactly Nine Words In It",
]


def corpus_lines() -> list[str]:
    texts = [normalise(decode(r.value)) for r in generate(200) if r.format == "text"]
    lines = [p for text in texts for p in paragraphs_of(text)]
    furniture = sorted(knowledge().furniture)
    variants = [
        f(line)
        for line in furniture
        for f in (str, str.upper, str.title, lambda x: x + ".", lambda x: x + " »")
    ]
    return lines + variants + MADE_LINES


def test_ends_sentence_is_the_pattern_search() -> None:
    for line in corpus_lines():
        assert ends_sentence(line) == bool(SENTENCE_END.search(line)), repr(line)


def test_furniture_lookup_shortcut_answers_as_the_plain_lookup() -> None:
    known = knowledge()
    plain_answers = [
        text.lower().rstrip(".:!»> ") in known.furniture or bool(known.furniture_pattern.search(text))
        for text in corpus_lines()
    ]
    assert [is_furniture(text) for text in corpus_lines()] == plain_answers
    assert any(plain_answers)  # the lines include furniture, so both answers are tried


def test_heading_test_answers_as_before() -> None:
    def plain(line: str) -> bool:
        words = line.split(maxsplit=8)
        return (
            0 < len(words) <= 8
            and not SENTENCE_END.search(line)
            and line[0].isupper()
            and not DATE_IN_TEXT.search(line)
        )

    answers = [looks_like_heading(line) for line in corpus_lines()]
    assert answers == [plain(line) for line in corpus_lines()]
    assert any(answers) and not all(answers)


def test_refining_folded_blocks_without_folding_again_gives_the_same_blocks() -> None:
    texts = [normalise(decode(r.value)) for r in generate(200) if r.format == "text"]
    for text in texts:
        blocks = [Block(p) for p in paragraphs_of(text)[1:]]
        found_plain, found_folded = Attribution(), Attribution()
        plain = refine_blocks(blocks, found_plain, infer_headings=True)
        assert refine_blocks(blocks, found_folded, infer_headings=True, folded=True) == plain
        assert found_folded == found_plain


def test_the_quoted_outlet_line_is_still_found_at_the_end() -> None:
    lines = ["The ferry resumed service on Monday after repairs to the pier.", '"Lake Shore Wire"']
    found = Attribution()
    refine_blocks([Block(line) for line in lines], found, infer_headings=True, folded=True)
    assert found.source == "Lake Shore Wire"
    assert body._QUOTED_OUTLET.match(lines[1])
