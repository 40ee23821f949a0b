"""What the dedup stage computes from one tagged article: an exact fingerprint of the
normalised body, a MinHash of its word shingles (near-duplicates), and the weighted story
features (entities, quoted speakers, distinctive terms).

Everything here is a pure function of the article, so a restarted worker and an offline
replay compute the same values. Hashes are zlib.crc32/blake2b (stable across processes,
unlike Python's salted `hash`).
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
import zlib
from collections import Counter
from functools import cache
from importlib import resources

import numpy as np
from datasketch import LeanMinHash, MinHash

from wirewatch.streams.records import TaggedArticle

SHINGLE_WORDS = 5
NUM_PERM = 32
MINHASH_SEED = 7
TERMS_PER_ARTICLE = 24
BIGRAMS_PER_ARTICLE = 4

# Entity types do not weigh the same: a person or an organisation narrows a story more than
# the country it happens in.
TYPE_WEIGHT = {"person": 1.5, "org": 1.2, "place": 0.8}
SPEAKER_WEIGHT = 2.0
TERM_WEIGHT = 1.0
BIGRAM_WEIGHT = 1.5

_WORD = re.compile(r"\w+")
_STRAIGHTEN = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def words(text: str) -> list[str]:
    """Lower-cased word tokens, the same for curly and straight punctuation."""
    return _WORD.findall(text.translate(_STRAIGHTEN).lower())


def feature_hash(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8"))


def body_fingerprint(body_words: list[str]) -> str:
    """Exact-duplicate key: the same words in the same order, whatever the punctuation."""
    return hashlib.blake2b(" ".join(body_words).encode("utf-8"), digest_size=10).hexdigest()


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    return MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED).permutations


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's finalizer, as datasketch's affine32 scheme pre-mixes its input."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def body_minhash(body_words: list[str]) -> LeanMinHash:
    """MinHash (datasketch's affine32 scheme) of the body's word 5-shingles.

    Shingle hashes come from per-word crc32 values combined with a polynomial rolling hash in
    numpy, several times faster than hashing every shingle string in Python; the permutation
    and minimum are datasketch's (a * mix(h) + b mod 2^32).
    """
    perm_a, perm_b = _permutations()
    token_hashes = np.fromiter(
        (zlib.crc32(w.encode("utf-8")) for w in body_words), dtype=np.uint32, count=len(body_words)
    )
    if len(token_hashes) >= SHINGLE_WORDS:
        count = len(token_hashes) - SHINGLE_WORDS + 1
        shingles = np.zeros(count, dtype=np.uint32)
        for k in range(SHINGLE_WORDS):
            shingles = shingles * np.uint32(1_000_003) + token_hashes[k : k + count]
    elif len(token_hashes):
        shingles = np.array([np.bitwise_xor.reduce(token_hashes)], dtype=np.uint32)
    else:
        shingles = np.zeros(1, dtype=np.uint32)
    permuted = np.outer(_fmix32(shingles), perm_a) + perm_b
    return LeanMinHash(seed=MINHASH_SEED, hashvalues=permuted.min(axis=0), scheme="affine32")


def pack_minhash(minhash: LeanMinHash) -> str:
    return base64.b64encode(np.asarray(minhash.hashvalues, dtype="<u4").tobytes()).decode("ascii")


def unpack_minhash(packed: str) -> LeanMinHash:
    values = np.frombuffer(base64.b64decode(packed), dtype="<u4").astype(np.uint64)
    return LeanMinHash(seed=MINHASH_SEED, hashvalues=values, scheme="affine32")


def pack_hashes(hashes: list[int]) -> str:
    return base64.b64encode(np.asarray(hashes, dtype="<u4").tobytes()).decode("ascii")


def unpack_hashes(packed: str) -> list[int]:
    return np.frombuffer(base64.b64decode(packed), dtype="<u4").tolist()


@cache
def stopwords() -> frozenset[str]:
    text = resources.files(__package__).joinpath("data/stopwords.txt").read_text("utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


def story_features(tagged: TaggedArticle, title_words: list[str], body_words: list[str]) -> dict[int, float]:
    """Weighted story features of one article, keyed by 32-bit hash.

    - entities, weighted by type, by how often they are mentioned and by the title;
    - quoted speakers (a quotation ties an article to what someone said);
    - distinctive terms: the most frequent content words and word pairs that are not names
      already counted as entities (the window's document frequencies weigh them later).
    """
    features: dict[int, float] = {}
    entity_words: set[str] = set()
    for entity in tagged.entities:
        weight = TYPE_WEIGHT.get(entity.type, 1.0) * (1.0 + 0.25 * math.log1p(entity.count))
        if entity.in_title:
            weight *= 1.5
        features[feature_hash("e:" + entity.id)] = weight
        for surface in (entity.name, *entity.surfaces):
            entity_words.update(words(surface))
    for quote in tagged.quotes:
        if quote.speaker_id:
            features[feature_hash("q:" + quote.speaker_id)] = SPEAKER_WEIGHT
    skip = stopwords() | entity_words
    counts: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for tokens, weight in ((title_words, 2), (body_words, 1)):
        previous = ""
        for token in tokens:
            if token in skip or len(token) < 3 or token.isdigit():
                previous = ""
                continue
            counts[token] += weight
            if previous:
                pairs[f"{previous} {token}"] += weight
            previous = token
    for term, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TERMS_PER_ARTICLE]:
        features.setdefault(feature_hash("t:" + term), TERM_WEIGHT)
    for pair, count in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:BIGRAMS_PER_ARTICLE]:
        if count >= 2:
            features.setdefault(feature_hash("b:" + pair), BIGRAM_WEIGHT)
    return features
