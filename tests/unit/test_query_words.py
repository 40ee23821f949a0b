"""The alert stage's tokenizer (`query.words`) cuts the same tokens as the one pattern it is
defined by, on the labelled corpora's text and on random strings of the characters that
decide where a token ends (joiners, underscores, quotes, dashes, case-changing letters): in
C (wordkernel.c, what `words` calls when it is built) and in Python (`python_words`)."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from wirewatch.agents.alert import query
from wirewatch.agents.alert.query import _WORD, python_words

Tokenizer = Callable[[str], list[str]]


@pytest.fixture(params=["c", "python"])
def words(request: pytest.FixtureRequest) -> Tokenizer:
    if request.param == "python":
        return python_words
    if query._C_WORDS is None:
        pytest.skip("plain-Python install: the C tokenizer is not built")
    return query._C_WORDS


DATA = Path(__file__).resolve().parents[1] / "data"
TRICKY = "aZ9_'’.-‘“”—–…«»\u00a0 ,;:!?()[]\"/\\@#%&*+=<>|~`^\tñÉİΣß"


def reference(text: str) -> list[str]:
    """The definition: the pattern on the lower-cased text, ’ read as '."""
    return [token.replace("’", "'").lower() for token in _WORD.findall(text)]


def corpus_texts() -> list[str]:
    texts = []
    for name in ("quotes", "dedup"):
        articles = yaml.safe_load((DATA / name / "corpus.yaml").read_text("utf-8"))["articles"]
        for article in articles:
            texts.append(article["title"])
            texts += article["paragraphs"]
    return texts


def test_the_corpora_tokenize_as_the_pattern_does(words: Tokenizer) -> None:
    texts = corpus_texts()
    assert len(texts) > 500
    assert any(not text.isascii() for text in texts) and any(text.isascii() for text in texts)
    for text in texts:
        assert words(text) == reference(text), text


def test_random_strings_of_boundary_characters_tokenize_as_the_pattern_does(words: Tokenizer) -> None:
    rng = random.Random(20261205)
    for _ in range(30_000):  # short ones (names, queries) and longer ones take different paths
        text = "".join(rng.choice(TRICKY) for _ in range(rng.randint(0, 120)))
        assert words(text) == reference(text), repr(text)


def test_examples(words: Tokenizer) -> None:
    assert words("The U.S.-led coalition's exit, Peskov said.") == [
        "the",
        "u.s",
        "led",
        "coalition's",
        "exit",
        "peskov",
        "said",
    ]
    assert words("“Kremlin’s view” — al-Kazimi…") == ["kremlin's", "view", "al-kazimi"]
    assert words("İstanbul ΣΟΦΙΑ") == reference("İstanbul ΣΟΦΙΑ")


def test_the_c_tokenizer_refuses_what_is_not_a_str() -> None:
    if query._C_WORDS is None:
        pytest.skip("plain-Python install: the C tokenizer is not built")
    with pytest.raises(TypeError, match="expected a str, got bytes"):
        query._C_WORDS(b"Peskov said")  # type: ignore[arg-type]
