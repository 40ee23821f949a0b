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
from functools import cache, lru_cache
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


def words(text: str) -> list[str]:
    """Lower-cased word tokens (punctuation, straight or curly, is never part of a token)."""
    return _WORD.findall(text.lower())


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


_PRIME = 1_000_003  # odd, so invertible modulo 2**32
_PRIME_INVERSE = pow(_PRIME, -1, 1 << 32)
_powers: dict[str, np.ndarray] = {
    "up": np.ones(1, dtype=np.uint32),
    "down": np.ones(1, dtype=np.uint32),
}


def _power_tables(length: int) -> tuple[np.ndarray, np.ndarray]:
    """P**i and P**-i modulo 2**32 for i < length (uint32 arithmetic wraps modulo 2**32)."""
    if len(_powers["up"]) < length:
        size = max(length, 2 * len(_powers["up"]))
        one = np.ones(1, dtype=np.uint32)
        for name, base in (("up", _PRIME), ("down", _PRIME_INVERSE)):
            steps = np.cumprod(np.full(size - 1, base, dtype=np.uint32), dtype=np.uint32)
            _powers[name] = np.concatenate((one, steps))
    return _powers["up"], _powers["down"]


def shingle_hashes(body_words: list[str]) -> np.ndarray:
    """32-bit polynomial hashes of every run of SHINGLE_WORDS words, computed in numpy.

    Prefix sums of byte * P**-j give any substring's hash as P**r * (S[r] - S[l-1]), so the
    text is hashed once, whatever the number of shingles (no Python loop over words).
    """
    if not body_words:
        return np.zeros(1, dtype=np.uint32)
    text = " ".join(body_words).encode("utf-8")
    data = np.frombuffer(text, dtype=np.uint8).astype(np.uint32) + np.uint32(1)
    up, down = _power_tables(len(data))
    prefix = np.cumsum(data * down[: len(data)], dtype=np.uint32)
    spaces = np.flatnonzero(data == np.uint32(ord(" ") + 1))
    starts = np.concatenate(([0], spaces + 1))
    ends = np.concatenate((spaces - 1, [len(data) - 1]))  # last byte of each word
    span = min(SHINGLE_WORDS, len(starts)) - 1
    left, right = starts[: len(starts) - span], ends[span:]
    before = np.where(left > 0, prefix[np.maximum(left - 1, 0)], np.uint32(0))
    return up[right] * (prefix[right] - before)


def body_minhash(body_words: list[str]) -> LeanMinHash:
    """MinHash (datasketch's affine32 scheme) of the body's word 5-shingles: datasketch's
    permutations (a * mix(h) + b mod 2**32) applied to `shingle_hashes`."""
    perm_a, perm_b = _permutations()
    permuted = np.outer(_fmix32(shingle_hashes(body_words)), perm_a) + perm_b
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


@lru_cache(maxsize=65_536)
def _name_words(surface: str) -> tuple[str, ...]:
    return tuple(words(surface))


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
        entity_words.update(_name_words(entity.name))
        for mention in entity.mentions:
            entity_words.update(_name_words(mention.surface))
    for quote in tagged.quotes:
        if quote.speaker_id:
            features[feature_hash("q:" + quote.speaker_id)] = SPEAKER_WEIGHT
    stop = stopwords()
    counts = Counter(body_words)
    counts.update(title_words + title_words)  # a title word counts twice
    terms: list[str] = []
    for term, _ in counts.most_common():  # ties keep the order of first appearance
        if len(term) > 2 and term not in stop and term not in entity_words and not term.isdigit():
            terms.append(term)
            if len(terms) == TERMS_PER_ARTICLE:
                break
    for term in terms:
        features.setdefault(feature_hash("t:" + term), TERM_WEIGHT)
    # word pairs of the chosen terms that recur: "grain corridor", "debt brake"
    chosen = set(terms)
    pairs: dict[str, int] = {}
    for tokens in (title_words, body_words):
        previous = ""
        for token in tokens:
            if token in chosen:
                if previous:
                    pair = f"{previous} {token}"
                    pairs[pair] = pairs.get(pair, 0) + 1
                previous = token
            else:
                previous = ""
    for pair, count in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:BIGRAMS_PER_ARTICLE]:
        if count >= 2:
            features.setdefault(feature_hash("b:" + pair), BIGRAM_WEIGHT)
    return features
