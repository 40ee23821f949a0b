"""What the dedup stage computes from one tagged article: an exact fingerprint of the
normalised body, a MinHash of its word shingles (near-duplicates), and the weighted story
features (entities, quoted speakers, distinctive terms).

Everything here is a pure function of the article, so a restarted worker and an offline
replay compute the same values. Hashes are zlib.crc32/blake2b (stable across processes,
unlike Python's salted `hash`).
"""

from __future__ import annotations

import array
import base64
import binascii
import hashlib
import itertools
import math
import re
import sys
import zlib
from collections import Counter
from functools import cache, lru_cache
from importlib import resources
from operator import not_

import numpy as np
import Stemmer
from datasketch import LeanMinHash, MinHash

from wirewatch.agents.text import fold_accents
from wirewatch.streams.records import TaggedArticle

SHINGLE_WORDS = 5
NUM_PERM = 32
MINHASH_SEED = 7
TERMS_PER_ARTICLE = 16
BIGRAMS_PER_ARTICLE = 4
NUMBERS_PER_ARTICLE = 8

# Entity types do not weigh the same: a person or an organisation narrows a story more than
# the country it happens in.
TYPE_WEIGHT = {"person": 1.5, "org": 1.2, "place": 0.8}
SPEAKER_WEIGHT = 2.0
TERM_WEIGHT = 1.0
BIGRAM_WEIGHT = 1.5

# Anchors: the features that name who acts in an event (a person, an organisation, a quoted
# speaker). Reports of one event name some of the same actors; two events told in the same
# words ("no quick deal on gas supplies", a template an agency fills for each central bank)
# with different casts do not, and story scoring keeps them apart (Deduper._best_story).
# Whether a feature is an anchor is kept in the lowest bit of its hash, so the stored records
# and the story state, which hold hashes only, still tell anchors apart.
ANCHOR_TYPES = frozenset({"person", "org"})
ANCHOR_BIT = 1
_NOT_ANCHOR = 0xFFFFFFFF ^ ANCHOR_BIT

_WORD = re.compile(r"\w+")
# Every ASCII byte that is not a word character (\w: letters, digits, underscore) -> space.
_ASCII_SEPARATORS = bytes(code for code in range(128) if not (chr(code).isalnum() or code == ord("_")))
_TO_SPACES = bytes.maketrans(_ASCII_SEPARATORS, b" " * len(_ASCII_SEPARATORS))
_ASCII = bytes(range(128))
# The separators news copy uses most outside ASCII: curly quotes, dashes, ellipsis,
# guillemets, no-break space (none is a word character).
_COMMON_SEPARATORS = tuple(
    mark.encode("utf-8") for mark in "\u201c\u201d\u2018\u2019\u2014\u2013\u2026\u00ab\u00bb\u00a0"
)


def words(text: str) -> list[str]:
    r"""Lower-cased word tokens (punctuation, straight or curly, is never part of a token).

    The same tokens as `re.findall(r"\w+", text.lower())`, found faster: ASCII separators
    become spaces in one bytes.translate (UTF-8 never uses an ASCII byte inside another
    character), and so do the common curly quotes and dashes; str.split cuts there. When
    nothing else is outside ASCII (most news copy), the bytes are lower-cased as bytes (those
    separators have no case). Otherwise the text is lower-cased as text and its other
    non-ASCII characters are looked at together (`_lowered_words`).
    """
    try:
        encoded = text.encode("utf-8").translate(_TO_SPACES)
    except UnicodeError:  # a lone surrogate: not UTF-8
        return _WORD.findall(text.lower())
    if not text.isascii():
        # the non-ASCII characters, one after the other (UTF-8 keeps each whole): a few bytes
        others = encoded.translate(None, _ASCII)
        for mark in _COMMON_SEPARATORS:
            if mark in others:
                encoded = encoded.replace(mark, b" ")
                others = others.replace(mark, b"")
        if others:
            return _lowered_words(text.lower())
    return encoded.lower().decode("ascii").split()


def _lowered_words(lowered: str) -> list[str]:
    """`words` of a lower-cased text holding other non-ASCII characters than the common
    separators: when those are all letters or digits (accented names), every piece is a word;
    otherwise the pieces that still hold a non-word character go through the regular
    expression."""
    try:
        encoded = lowered.encode("utf-8").translate(_TO_SPACES)
    except UnicodeError:
        return _WORD.findall(lowered)
    if lowered.isascii():  # a character that lower-cases into ASCII (the Kelvin sign)
        return encoded.decode("ascii").split()
    others = encoded.translate(None, _ASCII)
    for mark in _COMMON_SEPARATORS:
        if mark in others:
            encoded = encoded.replace(mark, b" ")
            others = others.replace(mark, b"")
    pieces = encoded.decode("utf-8").split()
    if not others or others.decode("utf-8").isalnum():  # str.isalnum: \w without the underscore
        return pieces
    # pieces that are not all letters and digits
    mixed = list(itertools.compress(itertools.count(), map(not_, map(str.isalnum, pieces))))
    if not mixed:
        return pieces
    tokens: list[str] = []
    done = 0
    for position in mixed:
        tokens += pieces[done:position]
        tokens += _WORD.findall(pieces[position])
        done = position + 1
    tokens += pieces[done:]
    return tokens


@cache
def country_features() -> frozenset[int]:
    """The feature hash of every country the tag stage can name ("country:" and the ISO code)."""
    import pycountry

    return frozenset(
        zlib.crc32(f"country:{country.alpha_2}".encode(), _ENTITY_CRC) & _NOT_ANCHOR
        for country in pycountry.countries
    )


@cache
def demonym_countries() -> dict[str, int]:
    """A country's one-word demonyms, lower case ("french"), to its feature hash: from the tag
    stage's place data, the one list of them."""
    from wirewatch.agents.tag.kb import place_data

    return {
        demonym.lower(): zlib.crc32(f"country:{code}".encode(), _ENTITY_CRC) & _NOT_ANCHOR
        for code, info in place_data()["countries"].items()
        for demonym in info.get("demonyms", [])
        if " " not in demonym
    }


def feature_hash(feature: str) -> int:
    """crc32 of a feature's text ("e:person:mara-velkin"), before its anchor bit is set."""
    return zlib.crc32(feature.encode("utf-8"))


def is_anchor(feature: int) -> bool:
    return bool(feature & ANCHOR_BIT)


# A feature's hash is the crc32 of its kind's prefix and its name, run on from the prefix's:
# crc32(name, crc32(prefix)) == crc32(prefix + name), without joining the two.
_ENTITY_CRC, _SPEAKER_CRC, _TERM_CRC, _BIGRAM_CRC, _NUMBER_CRC = (
    zlib.crc32(kind) for kind in (b"e:", b"q:", b"t:", b"b:", b"n:")
)


def body_text(body_words: list[str]) -> bytes:
    """The body as it is compared: its words joined by single spaces, in UTF-8."""
    return " ".join(body_words).encode("utf-8")


def body_fingerprint(body: list[str] | bytes) -> str:
    """Exact-duplicate key: the same words in the same order, whatever the punctuation (the
    body's words, or their `body_text`)."""
    return hashlib.blake2b(body if isinstance(body, bytes) else body_text(body), digest_size=10).hexdigest()


@cache
def _permutations() -> np.ndarray:
    """datasketch's permutation parameters: a 2 x NUM_PERM array, the rows a and b."""
    return MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED).permutations


@cache
def _permutation_columns() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's permutations (a, b), b as a column to add to one row per permutation."""
    perm_a, perm_b = _permutations()
    return perm_a, np.ascontiguousarray(perm_b[:, np.newaxis])


_PRIME = 1_000_003  # odd, so invertible modulo 2**32
_PRIME_INVERSE = pow(_PRIME, -1, 1 << 32)
_SPACE = ord(" ")
_ONE = np.uint32(1)
_powers: dict[str, np.ndarray] = {
    "down_from_zero": np.zeros(1, dtype=np.uint32),
    "up_shifted": np.ones(2, dtype=np.uint32),
}


def _power_tables(length: int) -> tuple[np.ndarray, np.ndarray]:
    """0 then P**-i, and P**(i-1), modulo 2**32 (uint32 arithmetic wraps modulo 2**32), for
    i < length. Both are shifted by one: the first weighs a leading space by 0, and a
    substring ending before byte `e` (exclusive) is scaled by indexing the second with `e`."""
    if len(_powers["down_from_zero"]) < length + 1:
        size = max(length + 1, 2 * len(_powers["down_from_zero"]))
        one = np.ones(1, dtype=np.uint32)
        down = np.cumprod(np.full(size - 2, _PRIME_INVERSE, dtype=np.uint32), dtype=np.uint32)
        up = np.cumprod(np.full(size - 2, _PRIME, dtype=np.uint32), dtype=np.uint32)
        _powers["down_from_zero"] = np.concatenate((np.zeros(1, dtype=np.uint32), one, down))
        _powers["up_shifted"] = np.concatenate((one, one, up))
    return _powers["down_from_zero"], _powers["up_shifted"]


def shingle_hashes(body: list[str] | bytes) -> np.ndarray:
    """32-bit polynomial hashes of every run of SHINGLE_WORDS words, computed in numpy.

    With S[k] the sum of (byte + 1) * P**-j over the text's first k bytes, the bytes l..e-1
    hash to P**(e-1) * (S[e] - S[l]) (the sum of (byte + 1) * P**(e-1-j)), so the text is
    hashed once, whatever the number of shingles (no Python loop over words). The values are
    stored in the state: this must keep computing exactly the same numbers. `body`: the
    body's words, or their `body_text`.
    """
    if not body:
        return np.zeros(1, dtype=np.uint32)
    text = body if isinstance(body, bytes) else body_text(body)
    size = len(text)
    # Between two spaces: byte j of the text is byte j + 1 here, and every word has a space
    # before and after it.
    padded = np.frombuffer(b" " + text + b" ", dtype=np.uint8)
    down_from_zero, up_shifted = _power_tables(size + 1)
    # S[0..size] at once: the leading space weighs 0
    prefix = np.add(padded[: size + 1], _ONE, dtype=np.uint32)  # a zero byte must still count
    prefix *= down_from_zero[: size + 1]
    np.add.accumulate(prefix, out=prefix)
    spaces = np.flatnonzero(padded == _SPACE)
    span = min(SHINGLE_WORDS, len(spaces) - 1)
    starts = spaces[: len(spaces) - span]  # the space before a shingle: its first byte's place
    ends = spaces[span:] - 1  # the space after it, in the text: one past its last byte
    return up_shifted[ends] * (prefix[ends] - prefix[starts])


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's finalizer, as datasketch's affine32 scheme pre-mixes its input (in place)."""
    values ^= values >> _SHIFT_16
    values *= _MIX_1
    values ^= values >> _SHIFT_13
    values *= _MIX_2
    values ^= values >> _SHIFT_16
    return values


_SHIFT_16, _SHIFT_13 = np.uint32(16), np.uint32(13)
_MIX_1, _MIX_2 = np.uint32(0x85EBCA6B), np.uint32(0xC2B2AE35)


def _lean_minhash(hashvalues: np.ndarray) -> LeanMinHash:
    """A LeanMinHash of affine32 hash values (uint32) without its constructor's checks and
    conversions, which cost more than computing the values: they come from this module."""
    minhash = object.__new__(LeanMinHash)
    minhash.seed, minhash.scheme, minhash.hashvalues = MINHASH_SEED, "affine32", hashvalues
    return minhash


def body_minhash(body: list[str] | bytes) -> LeanMinHash:
    """MinHash (datasketch's affine32 scheme) of the body's word 5-shingles: datasketch's
    permutations (a * mix(h) + b mod 2**32) applied to `shingle_hashes` (of the body's words,
    or their `body_text`)."""
    perm_a, perm_b = _permutation_columns()
    # one row per permutation: the minimum runs along contiguous memory
    permuted = np.multiply.outer(perm_a, _fmix32(shingle_hashes(body)))
    permuted += perm_b
    return _lean_minhash(permuted.min(axis=1))


def pack_minhash(minhash: LeanMinHash) -> str:
    return base64.b64encode(np.asarray(minhash.hashvalues, dtype="<u4").tobytes()).decode("ascii")


def unpack_minhash(packed: str) -> LeanMinHash:
    return minhash_of_bytes(binascii.a2b_base64(packed))


def minhash_bytes(minhash: LeanMinHash) -> bytes:
    """A sketch's values as little-endian uint32 bytes (what `pack_minhash` encodes)."""
    return np.asarray(minhash.hashvalues, dtype="<u4").tobytes()


def minhash_of_bytes(values: bytes) -> LeanMinHash:
    return _lean_minhash(np.frombuffer(values, dtype="<u4").astype(np.uint32))


# One bit short of every 32-bit lane, and the top bit of every lane, of a NUM_PERM-lane integer.
_LANE_LOW_BITS = int.from_bytes(b"\xff\xff\xff\x7f" * NUM_PERM, "little")
_LANE_TOP_BIT = int.from_bytes(b"\x00\x00\x00\x80" * NUM_PERM, "little")
# The last sketch compared, as an integer: a copy check compares one sketch with many candidates.
_last_query: tuple[LeanMinHash | None, int] = (None, 0)


def minhash_similarity(minhash: LeanMinHash, packed: str) -> float:
    """Estimated Jaccard similarity of a MinHash and a packed one: the value
    `minhash.jaccard(unpack_minhash(packed))` returns, without building the second sketch."""
    global _last_query
    cached, query = _last_query
    if cached is not minhash:
        query = int.from_bytes(np.asarray(minhash.hashvalues, dtype="<u4").tobytes(), "little")
        _last_query = (minhash, query)
    return equal_lanes(query, int.from_bytes(binascii.a2b_base64(packed), "little")) / NUM_PERM


def equal_lanes(first: int, second: int) -> int:
    """How many of the NUM_PERM hash values two sketches share, each sketch as one integer of
    NUM_PERM 32-bit lanes (its packed bytes, little-endian): the estimated Jaccard similarity
    times NUM_PERM.

    XOR them, and a lane is non-zero where the two differ. (lane & 0x7fffffff) + 0x7fffffff
    carries into the lane's top bit exactly when its low bits are not all zero, and never past
    it, so OR-ing the lane back in and keeping the top bits leaves one bit per differing lane
    (a few integer operations, cheaper than the numpy calls for 32 values)."""
    differ = first ^ second
    differing_lanes = (((differ & _LANE_LOW_BITS) + _LANE_LOW_BITS) | differ) & _LANE_TOP_BIT
    return NUM_PERM - differing_lanes.bit_count()


def pack_hashes(hashes: list[int]) -> str:
    """uint32 values as base64 of their little-endian bytes."""
    values = array.array(_UINT32, hashes)
    if _BIG_ENDIAN:
        values.byteswap()
    return binascii.b2a_base64(values.tobytes(), newline=False).decode("ascii")


def unpack_hashes(packed: str) -> list[int]:
    """`pack_hashes` undone (an array of the bytes: cheaper than numpy for ~36 values)."""
    values = array.array(_UINT32, binascii.a2b_base64(packed))
    if _BIG_ENDIAN:
        values.byteswap()
    return values.tolist()


_UINT32 = next(code for code in "IL" if array.array(code).itemsize == 4)
_BIG_ENDIAN = sys.byteorder == "big"


@lru_cache(maxsize=65_536)
def _name_words(surface: str) -> tuple[str, ...]:
    return tuple(words(surface))


# A lower-case word without its accents ("góra" -> "gora"), remembered: wire copy often drops
# the accents that local papers keep ("Kamienna Gora", "Kamienna Góra").
folded = lru_cache(maxsize=65_536)(fold_accents)


def _folded_counts(counts: Counter[str]) -> dict[str, int]:
    """`counts` with its words' accents dropped, the counts of words that meet added up."""
    result = dict(counts)
    for word in [word for word in counts if not word.isascii()]:
        key = folded(word)
        result[key] = result.get(key, 0) + result.pop(word)
    return result


_STEMMER = Stemmer.Stemmer("english")
_STEMS: dict[str, str] = {}  # word -> stem, for every word stemmed (cleared past _STEMS_KEPT)
_STEMS_KEPT = 200_000


def _stems(words: list[str]) -> list[str]:
    """The English Snowball stems of `words` ("floods", "flooded" -> "flood"), by PyStemmer
    (the Snowball project's stemmers in C), remembered: a dict lookup is several times faster
    than the stemmer's own cache."""
    stems = list(map(_STEMS.get, words))
    if None in stems:
        if len(_STEMS) > _STEMS_KEPT:
            _STEMS.clear()
        new = [word for word, stem in zip(words, stems, strict=True) if stem is None]
        found = dict(zip(new, _STEMMER.stemWords(new), strict=True))  # (one call for all of them)
        _STEMS.update(found)
        # (from `found`, not `_STEMS`: the clear above may have dropped words looked up before it)
        stems = [found[word] if stem is None else stem for word, stem in zip(words, stems, strict=True)]
    return stems  # type: ignore[return-value]


@cache
def stopwords() -> frozenset[str]:
    text = resources.files(__package__).joinpath("data/stopwords.txt").read_text("utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


@cache
def english_zipf() -> dict[str, float]:
    """How common each of English's ~29,000 most frequent words is, on the Zipf scale (log10 of
    occurrences per billion words: "the" 7.7, "plant" 5.1, "wildfire" 3.4), from wordfreq's
    small English list (3 MB in memory, loaded once). A word not in it is rarer still: 0."""
    from wordfreq import get_frequency_dict

    return {
        word: math.log10(share * 1e9) for word, share in get_frequency_dict("en", wordlist="small").items()
    }


def _entity_weight(kind: str, mentions: int) -> float:
    """An entity's weight before the title's: by type and by how often it is mentioned."""
    return TYPE_WEIGHT.get(kind, 1.0) * (1.0 + 0.25 * math.log1p(mentions))


def story_features(tagged: TaggedArticle, title_words: list[str], body_words: list[str]) -> dict[int, float]:
    """Weighted story features of one article, keyed by 32-bit hash.

    - entities, weighted by type, by how often they are mentioned and by the title;
    - quoted speakers (a quotation ties an article to what someone said);
    - distinctive terms: the content words that are not names already counted as entities,
      rarest in English first (`english_zipf`, less the number of times the article uses
      them), and recurring pairs of them; the window's document frequencies weigh them later;
    - figures: the first numbers of two digits or more ("1,200 people", "£240m").

    Persons, organisations and quoted speakers are anchors: their hashes have ANCHOR_BIT set,
    every other feature's has it clear.
    """
    crc32 = zlib.crc32
    features: dict[int, float] = {}
    entity_words: set[str] = set()
    add_words = entity_words.update
    in_title: set[int] = set()
    for entity in tagged.entities:
        mentions = entity.mentions
        weight = _entity_weight(entity.type, len(mentions))
        hashed = crc32(entity.id.encode("utf-8"), _ENTITY_CRC)
        hashed = hashed | ANCHOR_BIT if entity.type in ANCHOR_TYPES else hashed & _NOT_ANCHOR
        if entity.in_title:
            weight *= 1.5
            in_title.add(hashed)
        features[hashed] = weight
        add_words(_name_words(entity.name))
        for surface in {mention.surface for mention in mentions}:  # the same name, many times
            add_words(_name_words(surface))
    # a country a title names by its demonym ("French stocks close lower"), which the tag stage
    # does not count as a mention, is in the title as much as "France" would be
    demonyms = demonym_countries()
    for word in title_words:
        country = demonyms.get(word)
        if country is not None and country not in in_title:
            in_title.add(country)
            features[country] = features.get(country, _entity_weight("place", 1)) * 1.5
    for quote in tagged.quotes:
        if quote.speaker_id:
            features[crc32(quote.speaker_id.encode("utf-8"), _SPEAKER_CRC) | ANCHOR_BIT] = SPEAKER_WEIGHT
    stop = stopwords()
    counts = Counter(body_words)
    counts.update(title_words + title_words)  # a title word counts twice
    written: dict[str, int] = counts
    if not "".join(counts).isascii():  # (one test in C: most English copy is ASCII throughout)
        counts = _folded_counts(counts)
        entity_words = {word if word.isascii() else folded(word) for word in entity_words}
    # Rarest in English first, each use moving a word up half a Zipf step. Most words of a
    # 200-word report come once, so the most frequent first (as until 2026-12-07) was mostly
    # the first words of the text ("planned", "summer", "adds"), which another outlet's report
    # of the event does not use; "wildfire", "evacuated" and "Tarragona" it does. Stop words
    # and names are left out before the sort. The forms of one word ("floods", "flooded",
    # "flood") count as one term, its stem, as common as its most common form.
    zipf = english_zipf().get
    content = [term for term in counts.keys() - stop - entity_words if len(term) > 2 and not term.isdigit()]
    stems = _stems(content)
    stem_of = dict(zip(content, stems, strict=True))
    # (keys in tuples sorted in C rather than a key function per word; ties alphabetical)
    ranked = [(zipf(term, 0.0) - 0.5 * counts[term], stem) for term, stem in stem_of.items()]
    if len(stem_of) > len(set(stems)):  # forms of one word: one term, its uses added up
        shared = {stem for stem, forms in Counter(stems).items() if forms > 1}
        merged: dict[str, list[float]] = {}
        for term, stem in stem_of.items():
            if stem in shared:
                common, uses = merged.get(stem, (0.0, 0))
                merged[stem] = [max(common, zipf(term, 0.0)), uses + counts[term]]
        ranked = [entry for entry in ranked if entry[1] not in shared]
        ranked += [(common - 0.5 * uses, stem) for stem, (common, uses) in merged.items()]
    ranked.sort()
    terms = [stem for _key, stem in ranked[:TERMS_PER_ARTICLE]]
    for term in terms:
        features.setdefault(crc32(term.encode("utf-8"), _TERM_CRC) & _NOT_ANCHOR, TERM_WEIGHT)
    # the figures reports of one event repeat, which other events rarely share exactly: the
    # first numbers of two digits or more ("1,200" gives "200": the words split at the comma)
    figures = [term for term in counts if term.isdigit() and len(term) > 1][:NUMBERS_PER_ARTICLE]
    for figure in figures:
        features.setdefault(crc32(figure.encode("utf-8"), _NUMBER_CRC) & _NOT_ANCHOR, TERM_WEIGHT)
    # word pairs of the chosen terms that recur: "grain corridor", "debt brake"
    chosen = set(terms)
    forms = {term: stem for term, stem in stem_of.items() if stem in chosen}  # word as written -> term
    if counts is not written:
        for word in [word for word in written if not word.isascii()]:  # (the few with accents)
            stem = forms.get(folded(word))
            if stem is not None:
                forms[word] = stem
    pairs: dict[str, int] = {}
    for tokens in (title_words, body_words):
        previous = ""
        for token in tokens:
            stem = forms.get(token)
            if stem is not None:
                if previous:
                    pair = f"{previous} {stem}"
                    pairs[pair] = pairs.get(pair, 0) + 1
                previous = stem
            else:
                previous = ""
    if pairs:
        for pair, times in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:BIGRAMS_PER_ARTICLE]:
            if times >= 2:
                features.setdefault(crc32(pair.encode("utf-8"), _BIGRAM_CRC) & _NOT_ANCHOR, BIGRAM_WEIGHT)
    return features
