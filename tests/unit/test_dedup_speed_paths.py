"""Shortcuts of the dedup stage's hot path give exactly what the plain code gives: the values
are stored in the state, so they must not change."""

from __future__ import annotations

import random
import re

from wirewatch.agents.dedup.features import feature_hash, story_features, words
from wirewatch.streams.records import Article, Block, Entity, Mention, Quotation, TaggedArticle

WORD = re.compile(r"\w+")


def test_words_of_text_with_capitals_and_curly_quotes_are_the_regular_expression_tokens() -> None:
    """Text whose only non-ASCII characters are the common separators is lower-cased as bytes;
    any other non-ASCII character (one that lower-cases into ASCII, like the Kelvin sign, too)
    takes the text road."""
    rng = random.Random(8)
    ascii_pool = list("abzABZ09_-'.,;:!?()[]/\\\"\t\n ")
    separators = list("\u201c\u201d\u2018\u2019\u2014\u2013\u2026\u00ab\u00bb\u00a0")
    others = list("\u212a\u0130\u00c9\u00e9\u03a3\u2009\U0001f600")  # Kelvin sign, İ, É, é, Σ...
    cases = ["The \u201cHarbour\u201d AUTHORITY \u2014 said", "\u212aELVIN", "A\u00a0B", "\u00ab\u00bb"]
    for _ in range(3000):
        pool = ascii_pool + separators + (others if rng.random() < 0.3 else [])
        cases.append("".join(rng.choice(pool) for _ in range(rng.randint(0, 60))))
    for text in cases:
        assert words(text) == WORD.findall(text.lower()), repr(text)


def test_feature_hashes_run_on_from_their_kind_prefix() -> None:
    article = Article(
        id="a-1",
        title="Grain corridor talks: Grain corridor deal",
        blocks=[Block("Grain corridor talks resumed. The grain corridor deal is near, Ünal said.")],
        source="x",
        published="2023-01-01T00:00:00Z",
    )
    tagged = TaggedArticle(
        article=article,
        entities=[Entity(id="person:ünal", name="Ünal", type="person", mentions=[Mention(0, 4, "Ünal")])],
        quotes=[Quotation(text="we agreed", speaker="Ünal", speaker_id="person:ünal")],
    )
    features = story_features(tagged, words(article.title), words(article.text))
    # the person and the speaker are anchors (lowest bit set), the terms and the pair are not
    expected = {feature_hash("e:person:ünal") | 1, feature_hash("q:person:ünal") | 1}
    expected |= {feature_hash(kind) & ~1 for kind in ("t:grain", "t:corridor", "b:grain corridor")}
    assert expected <= set(features)
