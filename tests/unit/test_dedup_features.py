"""The dedup stage's per-article values stay the same: they are stored in the state table, so
a faster way of computing them must give exactly the numbers the stored ones were made with."""

from __future__ import annotations

import base64
import random
import re

import numpy as np
from datasketch import MinHashLSH

from wirewatch.agents.dedup.features import (
    ANCHOR_BIT,
    NUM_PERM,
    SHINGLE_WORDS,
    body_fingerprint,
    body_minhash,
    feature_hash,
    minhash_similarity,
    pack_minhash,
    shingle_hashes,
    story_features,
    unpack_minhash,
    words,
)
from wirewatch.streams.records import Article, Block, Entity, Mention, Quotation, TaggedArticle

TEXT = (
    "The harbour authority said on Tuesday that the new grain corridor would open next week, "
    "after talks in the capital ran late into the night."
)
# Computed by the first implementation (a Python-level reference of the same hash is below).
PINNED_MINHASH = (
    "pwcfDHFJZAt+ZtYAo4/1CXxmmQ6uAEEMZmP4DPA/aRRIVYoKP8SmATh89BHPvrkLsG/1CquWeAXJYz4KpthaD4Qx"
    "IhKqaRUR1687Am0hpALwohwEqd9MB5Eq6wjbEx0QT75oDL9ZAhIe1ykQQpUGClp1+QUmQwspRcryAeDYphI="
)
PINNED_ONE_WORD_MINHASH = (
    "JavNLB5d/uKK1OPr09wUFam6L8aoDp6zXpUA03nRfiaq5z6fwkjLW6tt3A7LtbWmz2ljKY4Np1j5AdWQmdvyahdK"
    "AzgFHM6CEkGOFxI8JvdCJWDPCpdBj6H+dl8cGNV2vyTr56hrsG5Ba1eh+SU9IEmy3zcaNpBpzkodDJttN0U="
)


def reference_shingle_hashes(body_words: list[str]) -> list[int]:
    """The shingle hash written out per shingle: the sum of (byte + 1) * P**(n-1-j) mod 2**32
    over the bytes of the words joined by single spaces."""
    span = min(SHINGLE_WORDS, len(body_words))
    hashes = []
    for first in range(len(body_words) - span + 1):
        value = 0
        for byte in " ".join(body_words[first : first + span]).encode("utf-8"):
            value = (value * 1_000_003 + byte + 1) % (1 << 32)
        hashes.append(value)
    return hashes


def test_minhash_of_a_known_text_is_the_stored_one() -> None:
    body_words = words(TEXT)
    assert pack_minhash(body_minhash(body_words)) == PINNED_MINHASH
    assert pack_minhash(body_minhash(["short"])) == PINNED_ONE_WORD_MINHASH
    assert body_fingerprint(body_words) == "b3adc7f339bb32a41fdc"


def test_shingle_hashes_match_the_per_shingle_reference() -> None:
    rng = random.Random(3)
    alphabet = "abcxyz0é中"
    cases = [words(TEXT), ["one"], ["a", "b"], ["w"] * 4, ["w"] * 5, ["w"] * 6, ["é", "ß", "中文"]]
    for _ in range(200):
        count = rng.randint(1, 30)
        cases.append(["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8))) for _ in range(count)])
    for body_words in cases:
        assert shingle_hashes(body_words).tolist() == reference_shingle_hashes(body_words), body_words


def test_a_packed_minhash_unpacks_to_the_same_sketch_and_similarity() -> None:
    first = body_minhash(words(TEXT))
    second = body_minhash(words(TEXT.replace("Tuesday", "Wednesday")))
    unpacked = unpack_minhash(pack_minhash(second))
    assert unpacked.hashvalues.tolist() == second.hashvalues.tolist()
    assert unpacked.hashvalues.dtype == np.uint32
    assert 0.0 < first.jaccard(unpacked) < 1.0
    assert minhash_similarity(first, pack_minhash(second)) == first.jaccard(unpacked)
    assert minhash_similarity(first, pack_minhash(first)) == 1.0


def test_sketches_work_in_the_lsh_index() -> None:
    lsh = MinHashLSH(num_perm=NUM_PERM, params=(16, 2))
    lsh.insert("first", body_minhash(words(TEXT)))
    lsh.insert("other", unpack_minhash(pack_minhash(body_minhash(words("an unrelated text " * 5)))))
    assert lsh.query(body_minhash(words(TEXT + " Officials declined to comment."))) == ["first"]


def test_words_are_the_regular_expression_tokens() -> None:
    """`words` finds the tokens of `re.findall(r"\\w+", text.lower())` by a faster road."""
    pattern = re.compile(r"\w+")
    rng = random.Random(5)
    pool = list("ab z09_-'.,;:!?()[]/\\\"\t\n ") + list(
        "\u201c\u201d\u2018\u2019\u2014\u2013\u2026\u00ab\u00bb\u00a0\u2009\u3000\u0307\u0130\u0131\u00e9\u00df"
        "\u03a3\u03c2\u0661\u00b2\u00bd\u2160\u4e2d\U0001f600"
    )
    cases = [
        TEXT,
        "",
        " ",
        "\u201cQuoted,\u201d she said \u2014 twice\u2026",
        "\u0130stanbul's snake_case",
        "a\ud800b c",
    ]
    cases += ["".join(rng.choice(pool) for _ in range(rng.randint(0, 50))) for _ in range(3000)]
    for text in cases:
        assert words(text) == pattern.findall(text.lower()), repr(text)


def test_similarity_to_a_packed_sketch_is_the_jaccard_estimate_for_any_lanes() -> None:
    """Lanes that differ in one bit only, the top bit only, or everywhere are all counted."""
    rng = np.random.default_rng(7)
    edge_values = np.array([0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE], dtype=np.uint32)
    sketches = [unpack_minhash(pack_minhash(body_minhash(words(TEXT))))]
    for _ in range(300):
        values = sketches[rng.integers(len(sketches))].hashvalues.copy()
        changed = rng.choice(NUM_PERM, rng.integers(0, NUM_PERM + 1), replace=False)
        values[changed] = rng.choice(edge_values, len(changed)) ^ rng.integers(0, 4, len(changed)).astype(
            np.uint32
        )
        sketches.append(unpack_minhash(base64.b64encode(values.astype("<u4").tobytes()).decode("ascii")))
    for first in sketches[::7]:
        for second in sketches:
            assert minhash_similarity(first, pack_minhash(second)) == first.jaccard(second)


def test_story_features_of_a_known_article_are_the_stored_ones() -> None:
    """Feature hashes and weights, in order (the scoring sums them in this order)."""
    body = (
        "The port board said the grain corridor would reopen on Monday. Grain corridor traffic stopped "
        "in May, when insurers left. \u201cWe expect ships within days,\u201d the board chair Mara Velkin "
        "said. Velkin added that grain prices rose 12 percent and that the corridor needs navy escorts. "
        "Insurers said escorts help."
    )
    velkin = Entity(
        id="person:mara-velkin",
        name="Mara Velkin",
        type="person",
        mentions=[Mention(0, 1, "Mara Velkin"), Mention(0, 1, "Velkin")],
    )
    board = Entity(id="org:port-board", name="Port Board", type="org", mentions=[Mention(0, 1, "port board")])
    board.in_title = True
    tagged = TaggedArticle(
        article=Article(
            id="a-1",
            title="Grain corridor to reopen, port board says",
            blocks=[Block(body)],
            source="x",
            published="2024-05-01T00:00:00Z",
        ),
        entities=[velkin, board],
        quotes=[Quotation(text="We expect ships within days", speaker="Mara Velkin", speaker_id=velkin.id)],
    )
    features = story_features(tagged, words(tagged.article.title), words(tagged.article.text))
    # computed by the first implementation, then with the anchor bit (the lowest) set on the
    # person, the organisation and the speaker, and cleared on the terms, the figure and the
    # word pair; the terms rarest in English first, each use moving a word up half a step
    # ("corridor": Zipf 3.88, five uses with the title's two), each kept as its stem, then the
    # figure "12"
    terms = "corridor grain reopen escort insur ship navi chair rose stop traffic price expect need left help"
    assert list(features.items()) == [
        (4244346533, 1.911979608250541),
        (878887047, 2.1119162312519753),
        (1389418201, 2.0),
        *[(feature_hash(f"t:{term}") & ~ANCHOR_BIT, 1.0) for term in terms.split()],
        (feature_hash("n:12") & ~ANCHOR_BIT, 1.0),
        (2886194646, 1.5),
    ]
    assert feature_hash("e:person:mara-velkin") == 4244346533
    assert feature_hash("b:grain corridor") == 2886194646
