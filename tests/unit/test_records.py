"""The one codec: every record survives a round trip through JSON bytes."""

import hashlib

from wirewatch.streams.records import (
    DEAD_LETTER_SNIPPET_BYTES,
    Article,
    Block,
    DeadLetter,
    Entity,
    Mention,
    Quotation,
    RawRecord,
    TaggedArticle,
    from_json,
    to_json,
)


def test_tagged_article_round_trip() -> None:
    article = Article(id="a-1", title="T", blocks=[Block("Head", "h"), Block("Body text.")], source="S")
    tagged = TaggedArticle(
        article=article,
        entities=[Entity("person:x", "X", "person", [Mention(0, 1, "X")])],
        quotes=[Quotation("hello", "X", "person:x", "said", 3, 8)],
    )
    again = from_json(TaggedArticle, to_json(tagged))
    assert again == tagged
    assert again.article.blocks[0].kind == "h"
    assert again.article.text == "Head\n\nBody text."


def test_dead_letter_keeps_first_64k_size_and_hash_of_whole() -> None:
    value = b"x" * (DEAD_LETTER_SNIPPET_BYTES + 10)
    raw = RawRecord(value=value, topic="raw", partition=2, offset=41, key=b"k")
    letter = DeadLetter.of("parse", "too-large", "too big", raw)
    assert letter.size == len(value)
    assert letter.sha256 == hashlib.sha256(value).hexdigest()
    assert letter.truncated is True
    assert letter.original() == value[:DEAD_LETTER_SNIPPET_BYTES]
    assert (letter.topic, letter.partition, letter.offset, letter.key) == ("raw", 2, 41, "k")
    assert from_json(DeadLetter, to_json(letter)) == letter
