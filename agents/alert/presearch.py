"""Presearch: pick the few watchlists an article could match, so only those are evaluated.

As Lucene Monitor and the Elasticsearch percolator do, each watchlist is reduced to what an
article must contain for it to match (`required_groups`): a list of groups, all required, each
satisfied by any one of its keys. A key is an exact word, a prefix (from `word*`), or the
surname of a listed speaker (`match` compares full names, or surname plus initial, so the last
word always agrees). AND and NEAR add their children's groups, a phrase adds one group per
word, OR gives one group of alternatives, NOT adds nothing. A watchlist with no group at all
(only NOT clauses, a speaker name with no letters) goes on a short always-evaluate list.

The index files each watchlist under its cheapest group (speakers, then exact words, then
prefixes; fewer and longer keys first), or under the pair of its two best groups of words or
prefixes, so an article holding one common word alone does not reach the watchlists that
need a second one. An index hit is a candidate only when every other group is present too,
which is checked against one set of the article's keys (its tokens and the indexed prefixes
they start with); once the pair index is compiled to arrays, the article's keys are the
index's numbers of them instead (`CompiledPairs`, `TokenNumbers`), and the arrays are walked
by a small C kernel (pairkernel.c), compiled from the first pair entry, or, in a plain-Python
install, with numpy once the index is large enough to gain from it.

The article side is its set of distinct tokens over every field any watchlist can search
(title, body, source, entity, speaker, every attributed quotation and the reported speech)
and the surnames of the people quoted: a superset of what any field holds, so candidates are
a superset of the watchlists that match, and evaluating only them gives the same result as
evaluating all (tests/unit/test_presearch.py checks exactly that). The lookups are dictionary
and set operations on the tokens the alert stage extracts anyway (docs/watchlists.md says why
this beat an Aho-Corasick automaton over the text).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import numpy as np

from wirewatch.streams.records import TaggedArticle

from .query import And, Document, Near, Node, Not, Term, words
from .watchlists import ArticleDocument, Watchlist, build_document

try:  # the C walk of the compiled pair index (pairkernel.c); absent in a plain-Python install
    from .pairkernel import PairKernel
except ImportError:
    PairKernel = None  # type: ignore[assignment,misc]

# What compiles the pair index's walk: the C kernel when it is built, else None (numpy).
PAIR_KERNEL: type[PairKernel] | None = PairKernel

# (kind, key): kind is "word", "prefix" or "speaker"
IndexKey = tuple[str, str]
# keys one of which must be present; a watchlist has a list of such groups, all required
Group = tuple[IndexKey, ...]


def required_groups(watchlist: Watchlist) -> list[Group]:
    """Necessary conditions of a watchlist, in conjunctive form: for it to match an article,
    every group must have one of its keys present. Empty: nothing is known to be required."""
    groups: list[Group] = []
    if watchlist.speakers:
        keys: list[IndexKey] = []
        for name in watchlist.speakers:
            parts = words(name)
            if not parts:  # matches a speaker whose name also has no letters
                keys = []
                break
            keys.append(("speaker", parts[-1]))
        if keys:
            groups.append(_unique(keys))
    if watchlist.ast is not None:
        groups += _groups_of(watchlist.ast)
    return list(dict.fromkeys(groups))


def _groups_of(node: Node) -> list[Group]:
    if isinstance(node, Term):
        exact = node.words[:-1] if node.prefix else node.words
        groups: list[Group] = [(("word", word),) for word in exact]
        if node.prefix:
            groups.append((("prefix", node.words[-1]),))
        return groups
    if isinstance(node, Near):
        return _groups_of(node.left) + _groups_of(node.right)
    if isinstance(node, Not):
        return []
    if isinstance(node, And):
        return [group for child in node.children for group in _groups_of(child)]
    # OR: one of the children holds, so the union of one necessary group of each is necessary
    union: list[IndexKey] = []
    for child in node.children:
        child_groups = _groups_of(child)
        if not child_groups:
            return []
        cheapest: Group = min(child_groups, key=_cost)
        union += cheapest
    return [_unique(union)]


def _filing_groups(watchlist: Watchlist) -> list[Group]:
    """`required_groups`, with the speakers' group made exact: a speaker watchlist matches only
    an article quoting (or, with `reported: true`, reporting) someone whose speaker_key is one
    of its people's, so that group is the keys rather than the surnames."""
    groups = required_groups(watchlist)
    if not watchlist.speakers:
        return groups
    sign = REPORTED_TOO if watchlist.reported else ""
    people: Group = tuple(("speaker", sign + key) for key in sorted(watchlist.speaker_keys))
    return [people, *(group for group in groups if group[0][0] != "speaker")]


def _pairable(group: Group) -> bool:
    """Words and prefixes pair; a speakers' group is filed alone (it is the rarest)."""
    return all(kind != "speaker" for kind, _ in group)


def _cost(group: Group) -> tuple[int, int, int]:
    """Lower is a better index entry: speakers are rarest, then exact words over prefixes,
    then fewer keys, then longer words (the longest is usually the rarest)."""
    kinds = {kind for kind, _ in group}
    rank = 0 if kinds == {"speaker"} else 2 if "prefix" in kinds else 1
    return (rank, len(group), -min(len(key) for _, key in group))


@lru_cache(maxsize=1 << 18)
def _shape(group: Group) -> tuple[int, tuple[str, ...], int, int]:
    """What filing cost does not learn: the kind's rank (speakers, words, prefixes), the exact
    words whose document frequency counts, the number of keys, minus the shortest's length."""
    kinds = {kind for kind, _ in group}
    rank = 0 if kinds == {"speaker"} else 2 if "prefix" in kinds else 1
    words_of = tuple(key for kind, key in group if kind == "word")
    return rank, words_of, len(group), -min(len(key) for _, key in group)


def _unique(keys: list[IndexKey]) -> Group:
    return tuple(dict.fromkeys(keys))


def _document(tagged: TaggedArticle, base: Document) -> ArticleDocument:
    if isinstance(base, ArticleDocument):
        return base
    return build_document(tagged, [q for q in tagged.quotes if q.speaker])


def article_tokens(tagged: TaggedArticle, base: Document) -> set[str]:
    """Every distinct token a watchlist term could match in this article."""
    return _document(tagged, base).search_tokens()


# Learning which words are common: every article is observed at first, then one in
# OBSERVE_EVERY; the watchlists filed under a word found in at least HOT_SHARE of the
# articles observed are re-filed under rarer words when they have them, after FIRST_REBALANCE
# observations, then at four times as many each time, up to every REBALANCE_EVERY; the counts are
# halved at DECAY_AT observations, so they follow what the news is about.
OBSERVE_ALL_FIRST = 256
OBSERVE_EVERY = 4
FIRST_REBALANCE = 32
REBALANCE_EVERY = 4096
HOT_SHARE = 0.02
MAX_PAIRS = 8  # pair entries one watchlist may have (a word of each of two OR groups)
DECAY_AT = 8192
PREFIX_CACHE_MAX = 200_000  # tokens whose indexed prefixes are remembered
# The pair index is compiled to arrays once it holds COMPILE_MIN_ENTRIES entries; first keys
# changed since are looked up in the dictionaries until more than STALE_SHARE of them (or
# STALE_MIN, whichever is more) have changed, and then it is compiled again.
COMPILE_MIN_ENTRIES = 20_000
# With the C kernel (PAIR_KERNEL) the compiled index beats the dictionaries at every size
# measured, 100 watchlists included, so it is compiled from the first pair entry.
KERNEL_COMPILE_MIN_ENTRIES = 1
TOKENS_REBUILD_MIN = 512  # new tokens kept aside before the token arrays are built again
STALE_SHARE = 0.02
STALE_MIN = 64

# A speaker watchlist is filed under the speaker_key of each person it lists; one that counts
# reported speech under the key marked with this sign, so that the article side can say apart
# who is quoted (every speaker watchlist) and who is only reported (`reported: true` ones).
REPORTED_TOO = "+"


def article_speakers(tagged: TaggedArticle, base: Document) -> set[str]:
    """The speaker keys of the article: those quoted, and every one marked REPORTED_TOO."""
    keys = set()
    for said in _document(tagged, base).said:
        if not said.reported:
            keys.add(said.key)
        keys.add(REPORTED_TOO + said.key)
    return keys


@dataclass(slots=True)
class PresearchStats:
    """What the last `candidates` call did, for the benchmark and for logs."""

    # watchlists found under a key (or pair of keys) present in the article; with the compiled
    # index walked by numpy, only those whose third key (CompiledPairs) is present too
    index_hits: int = 0
    candidates: int = 0  # of those, the ones whose every required group is present
    always: int = 0


# An index hit's other required groups are checked against one set of the article's keys:
# its tokens as they are, each indexed prefix it holds marked with PREFIX_MARK after it, and
# each speaker key marked with SPEAKER_MARK before it (a token never holds either mark). A
# check is then C-level set tests only: one subset test for the groups of one key, one
# disjointness test per group of alternatives.
PREFIX_MARK = "*"
SPEAKER_MARK = "@"
Check = tuple[frozenset[str], tuple[frozenset[str], ...]]


def _marked(key: IndexKey) -> str:
    kind, value = key
    if kind == "prefix":
        return value + PREFIX_MARK
    if kind == "speaker":
        return SPEAKER_MARK + value
    return value


def _cuts(token: str, lengths: list[int]) -> list[str]:
    """The token cut to each of the lengths it reaches: the prefixes of those lengths it starts
    with, whatever its length."""
    return [token[:length] for length in lengths if length <= len(token)]


def _holds_speakers(groups: list[Group]) -> bool:
    return any(kind == "speaker" for group in groups for kind, _ in group)


def _check_of(groups: list[Group]) -> Check:
    return (
        frozenset(_marked(group[0]) for group in groups if len(group) == 1),
        tuple(frozenset(map(_marked, group)) for group in groups if len(group) > 1),
    )


class CompiledPairs:
    """The pair index (first key -> second key -> {handle: check}) as arrays, so that an article's
    pairs are found by a few numpy operations instead of one set intersection per first key
    it holds. With 100,000 watchlists an article holds about 80 first keys, each with a few
    dozen second keys, and those small intersections over a large, scattered index cost more
    than the rest of presearch together (docs/watchlists.md has the figures).

    Keys are numbered from 1. The entries of one first key are contiguous (the dictionaries
    are walked first key by first key): those of key k are `starts[k]` on, `counts[k]` of
    them, each with its second key's number in `seconds`, a third key its check requires in
    `thirds` (0 if none), the watchlist's handle in `handles`, what is left to check in `checks`,
    and in `open` whether anything is. Built without a
    tuple per entry: with 100,000 watchlists there are about 95,000 entries, and as many new
    tuples set off the cyclic collector over everything the worker holds (a compile took 0.4
    to 3 s with them, depending on when it ran).

    Given the C kernel (`kernel`, pairkernel.c), the same arrays and every check written as
    numbers go to it, and it walks them for each article instead: the token table is its hash
    table, and its checks are tested there too, so `reached` and `checks` are left for the
    numpy walk (and the tests)."""

    __slots__ = (
        "checks",
        "counts",
        "handles",
        "kernel",
        "key_ids",
        "open",
        "prefix_lengths",
        "seconds",
        "starts",
        "thirds",
        "tokens",
    )

    def __init__(
        self,
        pairs: dict[str, dict[str, dict[int, Check]]],
        seen: Counter[str] | None = None,
        prefixes: Iterable[str] = (),
        kernel: type[PairKernel] | None = None,
    ) -> None:
        key_ids: dict[str, int] = {}
        number = key_ids.setdefault
        # every indexed prefix is numbered, so that whether an article holds one is a test of
        # its numbers, wherever the prefix is filed or checked
        for prefix in prefixes:
            number(prefix + PREFIX_MARK, len(key_ids) + 1)
        self.prefix_lengths = sorted({len(prefix) for prefix in prefixes})
        self.tokens = TokenNumbers()
        seconds: list[int] = []
        handles: list[int] = []
        checks: list[Check] = []
        first_ids: list[int] = []
        starts: list[int] = []
        for first, by_second in pairs.items():
            first_ids.append(number(first, len(key_ids) + 1))
            starts.append(len(handles))
            for second, entries in by_second.items():
                seconds += [number(second, len(key_ids) + 1)] * len(entries)
                handles += entries
                checks += entries.values()
        # a third key each entry needs, when its check requires one: the rarest of them (by the
        # words' document frequency, else the longest); 0 when none. Most pairs an article
        # holds fail on what is left to check, and this filters them out with the seconds,
        # before any check is touched.
        rarity = (seen or Counter()).get
        # and, for the C kernel, the checks as it reads them: every key numbered, each group
        # written as its length and then its keys' numbers, the required keys first, rarest
        # first (the third key, the rarest, is left out: the kernel tests it before the check)
        thirds: list[int] = []
        check_at: list[int] = [0]
        program: list[int] = []
        for required, alternatives in checks:
            ordered = sorted(required, key=lambda key: (rarity(key, 0), -len(key), key)) if required else []
            thirds.append(number(ordered[0], len(key_ids) + 1) if ordered else 0)
            if kernel is None:
                continue
            for key in ordered[1:]:
                program += (1, number(key, len(key_ids) + 1))
            for group in alternatives:
                program.append(len(group))
                program += [number(key, len(key_ids) + 1) for key in group]
            check_at.append(len(program))
        size = len(key_ids) + 1
        begin = np.array(starts, dtype=np.int64)
        self.starts = np.zeros(size, dtype=np.int64)
        self.starts[first_ids] = begin
        # a first key whose entries changed after compiling is given none here (it is looked
        # up in the dictionaries instead)
        self.counts = np.zeros(size, dtype=np.int64)
        self.counts[first_ids] = np.diff(begin, append=len(handles))
        self.seconds = np.array(seconds, dtype=np.int64)
        self.key_ids = key_ids
        self.handles = np.array(handles, dtype=np.int64)
        self.thirds = np.array(thirds, dtype=np.int64)
        self.checks = checks
        self.open = np.fromiter(map(any, checks), dtype=bool, count=len(checks))
        self.kernel: PairKernel | None = None
        if kernel is not None:
            self.kernel = kernel(
                self.starts,
                self.counts,
                self.seconds,
                self.thirds,
                self.handles,
                np.array(check_at, dtype=np.int64),
                np.array(program, dtype=np.int64),
            )
            self.tokens.kernel = self.kernel

    def retire(self, first: str) -> None:
        """Stop answering for a first key: its entries are now only in the dictionaries."""
        key_id = self.key_ids.get(first)
        if key_id is not None:
            self.counts[key_id] = 0
            if self.kernel is not None:
                self.kernel.retire(key_id)

    def numbers(self, keys: Iterable[str]) -> list[int]:
        """The numbers of those of `keys` the index holds."""
        return list(filter(None, map(self.key_ids.get, keys)))

    def token_numbers(self, token: str) -> tuple[int, ...]:
        """The numbers of a token and of the numbered prefixes it starts with."""
        marked = [cut + PREFIX_MARK for cut in _cuts(token, self.prefix_lengths)]
        return tuple(filter(None, map(self.key_ids.get, [token, *marked])))

    def article_numbers(self, tokens: list[str]) -> np.ndarray:
        """The numbers of every key the article's tokens hold (with repeats, and zeros)."""
        return self.tokens.numbers(tokens, self.token_numbers)

    def begin_article(self, tokens: list[str]) -> None:
        """Mark in the kernel the numbers of every key the article's tokens hold."""
        self.tokens.mark(tokens, self.token_numbers)

    def reached(self, numbers: np.ndarray) -> tuple[list[int], list[int], list[int], np.ndarray]:
        """The entries under the pairs of live first keys whose both keys are among the
        article's key `numbers` (repeats and zeros allowed): the handles of those with nothing
        left to check (candidates already), the handles and positions (in `checks`) of the
        others, and which numbers the article holds, as an array indexed by number."""
        present = np.zeros(len(self.counts), dtype=bool)
        present[numbers] = True
        present[0] = False
        held = np.flatnonzero(present)
        counts = self.counts[held]
        total = int(counts.sum())
        if not total:
            return [], [], [], present
        present[0] = True  # (an entry with no third key)
        # the positions of every entry of those first keys, in one array
        ends = counts.cumsum()
        positions = np.repeat(self.starts[held] - (ends - counts), counts) + np.arange(total)
        positions = positions[present[self.seconds[positions]] & present[self.thirds[positions]]]
        to_check = self.open[positions]
        checked = positions[to_check]
        present[0] = False
        return (
            self.handles[positions[~to_check]].tolist(),
            self.handles[checked].tolist(),
            checked.tolist(),
            present,
        )


class TokenNumbers:
    """Token -> the compiled pair index's numbers of it and of the numbered prefixes it starts
    with, looked up for all of an article's tokens at once: their hashes are searched in a
    sorted array, and the numbers of the tokens found gathered as rows of one matrix (padded
    with 0, which numbers no key).

    A dictionary from token to numbers cost a lookup per token in memory that is cold at every
    article (the token's entry, the stored string to compare, the tuple and its numbers): at
    100,000 watchlists about a third of the whole match step. A token is known by its hash
    alone: two tokens of equal hash share the union of their numbers, which can only add
    candidates, never lose one (each is evaluated after). Tokens not in the arrays are worked
    out one by one and kept aside; the arrays are built again once enough have been, so after
    a warm-up they hold the vocabulary of the news and few tokens are new."""

    __slots__ = ("by_hash", "hashes", "kernel", "pending", "rows")

    def __init__(self) -> None:
        self.by_hash: dict[int, tuple[int, ...]] = {}  # what the arrays hold
        self.pending: dict[str, tuple[int, ...]] = {}  # tokens worked out since they were built
        self.hashes = np.zeros(0, dtype=np.int64)
        self.rows = np.zeros((0, 1), dtype=np.int64)
        # with the C kernel, the table is built in it (a hash table) instead of the arrays
        self.kernel: PairKernel | None = None

    def mark(self, tokens: list[str], work_out: Callable[[str], tuple[int, ...]]) -> None:
        """Mark the tokens' numbers in the kernel, whose token table is this one's."""
        kernel = self.kernel
        assert kernel is not None  # only a table built for the kernel marks in it
        missed = kernel.begin(tokens)
        if missed:
            kernel.mark(self._work_out(tokens, missed, work_out))

    def numbers(self, tokens: list[str], work_out: Callable[[str], tuple[int, ...]]) -> np.ndarray:
        """The numbers of the tokens, with repeats and zeros; `work_out` gives a new token's."""
        wanted = np.fromiter(map(hash, tokens), dtype=np.int64, count=len(tokens))
        table = self.hashes
        if len(table):
            at = np.searchsorted(table, wanted)
            np.minimum(at, len(table) - 1, out=at)
            known = table[at] == wanted
            found = self.rows[at[known]].ravel()
            missed = np.flatnonzero(~known).tolist() if not known.all() else []
        else:
            found = self.rows.ravel()
            missed = list(range(len(tokens)))
        if not missed:
            return found
        extra = self._work_out(tokens, missed, work_out)
        return np.concatenate((found, np.array(extra, dtype=np.int64))) if extra else found

    def _work_out(
        self, tokens: list[str], missed: list[int], work_out: Callable[[str], tuple[int, ...]]
    ) -> list[int]:
        """The numbers of the tokens at `missed`, which the table does not hold yet: worked
        out once each and kept aside, until enough are to build the table again."""
        pending = self.pending
        extra: list[int] = []
        for index in missed:
            token = tokens[index]
            numbers = pending.get(token)
            if numbers is None:
                numbers = pending[token] = work_out(token)
            extra += numbers
        if len(pending) > max(TOKENS_REBUILD_MIN, len(self.by_hash) // 8):
            self._rebuild()
        return extra

    def _rebuild(self) -> None:
        """Move the pending tokens into the arrays (which start over past PREFIX_CACHE_MAX)."""
        by_hash = self.by_hash
        if len(by_hash) + len(self.pending) > PREFIX_CACHE_MAX:
            by_hash.clear()
        for token, numbers in self.pending.items():
            key = hash(token)
            before = by_hash.get(key)
            by_hash[key] = numbers if before is None else tuple(sorted(set(before).union(numbers)))
        self.pending = {}
        if self.kernel is not None:
            values = list(by_hash.values())
            row_at = np.zeros(len(values) + 1, dtype=np.int64)
            np.cumsum(np.fromiter(map(len, values), dtype=np.int64, count=len(values)), out=row_at[1:])
            self.kernel.set_tokens(
                np.fromiter(by_hash, dtype=np.int64, count=len(by_hash)),
                row_at,
                np.fromiter(chain.from_iterable(values), dtype=np.int64, count=int(row_at[-1])),
            )
            return
        ordered = sorted(by_hash)
        width = max(map(len, by_hash.values()), default=0) or 1
        rows = np.zeros((len(ordered), width), dtype=np.int64)
        for row, key in enumerate(ordered):
            numbers = by_hash[key]
            rows[row, : len(numbers)] = numbers
        self.hashes = np.array(ordered, dtype=np.int64)
        self.rows = rows


class _ArticleKeys:
    """Whether an article holds a key (a word, a marked prefix or a marked speaker), for the
    few keys tested one by one while the pair index is compiled: a word is a token; a prefix
    the index numbered is one of the article's numbers, and one indexed since, a prefix of a
    token; a speaker is one quoted."""

    __slots__ = ("held", "key_ids", "speakers", "token_list", "tokens")

    def __init__(
        self,
        tokens: set[str],
        token_list: list[str],
        speakers: set[str],
        key_ids: dict[str, int],
        held: Callable[[int], object],
    ) -> None:
        self.tokens = tokens
        self.token_list = token_list
        self.speakers = speakers
        self.key_ids = key_ids
        self.held = held  # whether the article holds the key of a number

    def holds(self, key: str) -> bool:
        if key in self.tokens:
            return True
        if key.endswith(PREFIX_MARK):
            number = self.key_ids.get(key)
            if number is not None:
                return bool(self.held(number))
            prefix = key[:-1]
            return any(token.startswith(prefix) for token in self.token_list)
        if key.startswith(SPEAKER_MARK):
            return key[1:] in self.speakers
        return False


class Presearcher:
    """The inverted index from keys to watchlist ids, kept in step with a WatchlistSet.

    Each watchlist is filed under the keys of its cheapest required group; an index hit
    becomes a candidate only when its other required groups are present too (Lucene
    Monitor's multipass presearcher does the same, one pass per group). A watchlist that
    requires two single words is filed under the pair, so only articles holding both words
    touch it: with many watchlists, one common word alone would reach thousands. The index
    entries carry what is left to check, so a hit costs no further lookup.

    The index files each watchlist by a handle, a small integer the caller gives with it (the
    set's rank of the watchlist): an article's candidates come out as handles, in order, and
    a hit costs no lookup of a string id in a large dictionary (at 100,000 watchlists such
    lookups reach memory that is cold at every article)."""

    def __init__(self) -> None:
        self._tables: dict[str, dict[str, dict[int, Check]]] = {"word": {}, "prefix": {}, "speaker": {}}
        # first word -> second word -> {handle: check}
        self._pairs: dict[str, dict[str, dict[int, Check]]] = {}
        # first key -> its second keys as a frozenset, and the pairs under it (built when first
        # needed, dropped when those pairs change): one C-level intersection with the tokens
        self._seconds: dict[str, tuple[frozenset[str], dict[str, dict[int, Check]]]] = {}
        # the pair index as arrays (None until it is large enough), and the first keys whose
        # entries changed since it was compiled: those are looked up in `_pairs`
        self._compiled: CompiledPairs | None = None
        self._stale: set[str] = set()
        self._stale_prefixes: set[str] = set()  # those of them that are prefixes
        self._pair_entries = 0
        # every prefix the index or a check refers to -> how many refer to it; and how many
        # of them have each length
        self._prefixes: dict[str, int] = {}
        self._prefix_lengths: dict[int, int] = {}
        # token -> the indexed prefixes it starts with, marked: the same tokens recur from
        # article to article, so each is cut to the prefix lengths once, not once per article
        # (cleared when the set of prefixes changes, or when it grows past PREFIX_CACHE_MAX;
        # with the pair index compiled, its `TokenNumbers` serve instead)
        self._prefixes_of: dict[str, tuple[str, ...]] = {}
        self._handles: dict[str, int] = {}  # id -> handle
        self._always: dict[int, str] = {}  # handle -> id
        # how many checks hold a speaker key (a speakers' group is the cheapest, so it is
        # filed under and rarely left to check): only then are the article's speakers marked
        self._speaker_checks = 0
        # each filed handle's required groups, and where it is filed: its primary group, the
        # pair's second group (empty if none), what is left to check, and those groups
        self._groups: dict[int, list[Group]] = {}
        self._filed: dict[int, tuple[Group, Group, Check, list[Group]]] = {}
        # document frequency of words in the articles observed (a sample, halved now and then
        # so that it follows the news): the rarest words make the best filing keys
        self._seen: Counter[str] = Counter()
        self._observed = 0
        self._articles = 0
        self._next_rebalance = FIRST_REBALANCE
        self._examined: dict[str, float] = {}  # key -> its share of articles when last examined
        self.stats = PresearchStats()

    def add(self, watchlist: Watchlist, handle: int) -> None:
        """File a watchlist (replacing the one of its id) under `handle`, unique to its id."""
        self.discard(watchlist.id)
        self._handles[watchlist.id] = handle
        groups = _filing_groups(watchlist)
        if not groups:
            self._always[handle] = watchlist.id
            return
        self._groups[handle] = groups
        self._file(handle, groups)

    def _filing_cost(self, group: Group) -> tuple[int, int, int, int]:
        """Lower is a better index entry: speakers are rarest, then exact words over prefixes,
        then the words seen in fewer articles, then fewer keys, then longer words (before
        anything is observed, the longest is the best guess at the rarest)."""
        rank, words_of, size, longest = _shape(group)
        seen = self._seen
        return (rank, sum([seen.get(word, 0) for word in words_of]), size, longest)

    def _choose(self, groups: list[Group]) -> tuple[Group, Group, list[Group]]:
        """Where to file: the primary group, the second group of a pair (empty if none), and
        the remaining groups."""
        cost = {group: self._filing_cost(group) for group in groups}.__getitem__
        primary = min(groups, key=cost)
        others = [group for group in groups if group != primary]
        second: Group = ()
        if _pairable(primary):
            # a pair needs a key of each group: file under each combination, a few at most
            pairable = [g for g in others if _pairable(g) and len(g) * len(primary) <= MAX_PAIRS]
            if pairable:
                second = min(pairable, key=cost)
                others.remove(second)
        return primary, second, sorted(others, key=cost)

    def _count_prefixes(self, groups: list[Group], step: int) -> None:
        for group in groups:
            for kind, key in group:
                if kind != "prefix":
                    continue
                refs = self._prefixes.get(key, 0) + step
                lengths = self._prefix_lengths
                if refs:
                    self._prefixes[key] = refs
                    if refs == step == 1:
                        lengths[len(key)] = lengths.get(len(key), 0) + 1
                        self._prefixes_of.clear()
                    continue
                del self._prefixes[key]
                self._prefixes_of.clear()
                lengths[len(key)] -= 1
                if not lengths[len(key)]:
                    del lengths[len(key)]

    def _file(
        self, handle: int, groups: list[Group], choice: tuple[Group, Group, list[Group]] | None = None
    ) -> None:
        primary, second, rest = choice or self._choose(groups)
        check = _check_of(rest)
        self._filed[handle] = (primary, second, check, rest)
        self._count_prefixes(groups, 1)
        self._speaker_checks += _holds_speakers(rest)
        if second:
            for first in map(_marked, primary):
                by_second = self._pairs.setdefault(first, {})
                self._changed_first(first)
                for second_key in map(_marked, second):
                    entries = by_second.setdefault(second_key, {})
                    # counted once: a key in both groups files the same pair twice
                    self._pair_entries += handle not in entries
                    entries[handle] = check
            return
        for kind, key in primary:
            filed_under = _marked((kind, key)) if kind == "prefix" else key
            self._tables[kind].setdefault(filed_under, {})[handle] = check

    def _changed_first(self, first: str) -> None:
        self._seconds.pop(first, None)
        if self._compiled is not None and first not in self._stale:
            self._stale.add(first)
            if first.endswith(PREFIX_MARK):
                self._stale_prefixes.add(first)
            self._compiled.retire(first)

    def _compiled_pairs(self) -> CompiledPairs | None:
        """The compiled pair index, compiled again when too many of its first keys changed."""
        compiled = self._compiled
        kernel = PAIR_KERNEL
        least = COMPILE_MIN_ENTRIES if kernel is None else KERNEL_COMPILE_MIN_ENTRIES
        if compiled is None:
            if self._pair_entries < least:
                return None
        elif len(self._stale) <= max(STALE_MIN, STALE_SHARE * len(self._pairs)):
            return compiled
        if self._pair_entries < least:
            self._compiled = None
        else:
            self._compiled = CompiledPairs(self._pairs, self._seen, self._prefixes, kernel)
        self._stale = set()
        self._stale_prefixes = set()
        return self._compiled

    def discard(self, watchlist_id: str) -> None:
        handle = self._handles.pop(watchlist_id, None)
        if handle is None:
            return
        self._always.pop(handle, None)
        self._groups.pop(handle, None)
        self._unfile(handle)

    def _unfile(self, handle: int) -> None:
        filed = self._filed.pop(handle, None)
        if filed is None:
            return
        primary, second, _check, rest = filed
        self._count_prefixes([primary, *([second] if second else []), *rest], -1)
        self._speaker_checks -= _holds_speakers(rest)
        if second:
            for first in map(_marked, primary):
                by_second = self._pairs[first]
                self._changed_first(first)
                for second_key in map(_marked, second):
                    entries = by_second.get(second_key)
                    if entries is None:  # the same word in both groups, already removed
                        continue
                    self._pair_entries -= entries.pop(handle, None) is not None
                    if not entries:
                        del by_second[second_key]
                if not by_second:
                    del self._pairs[first]
            return
        for kind, key in primary:
            table = self._tables[kind]
            filed_under = _marked((kind, key)) if kind == "prefix" else key
            entries = table.get(filed_under)
            if entries is None:
                continue
            entries.pop(handle, None)
            if not entries:
                del table[filed_under]

    @property
    def observed(self) -> int:
        """How many articles the document frequencies have counted (halved with them)."""
        return self._observed

    @property
    def always(self) -> frozenset[str]:
        return frozenset(self._always.values())

    def groups_of(self, watchlist_id: str) -> list[Group]:
        """The required groups a watchlist is checked against (the filed ones first)."""
        filed = self._filed.get(self._handles.get(watchlist_id, -1))
        if filed is None:
            return []
        primary, second, _check, rest = filed
        return [primary, *([second] if second else []), *rest]

    def candidates(self, tokens: set[str], speakers: set[str]) -> list[int]:
        """Handles of the watchlists that could match an article with these tokens and
        speakers, in increasing order."""
        compiled = self._compiled_pairs()
        if compiled is None:
            found, hits = self._found_by_keys(tokens, speakers)
        else:
            found, hits = self._found_by_numbers(tokens, speakers, compiled)
        self.stats = PresearchStats(hits, len(found), len(self._always))
        self._articles += 1
        if self._articles <= OBSERVE_ALL_FIRST or self._articles % OBSERVE_EVERY == 0:
            self._observe(tokens)
        return sorted(found)

    def _found_by_keys(self, tokens: set[str], speakers: set[str]) -> tuple[set[int], int]:
        """Candidates and index hits with the pair index in dictionaries: the article's keys as
        one set of strings, and C-level intersections of it with the index's keys (each walks
        the smaller side), so the Python loops run over hits only."""
        # the tokens themselves when nothing is to be added (no copy)
        extras: list[Iterable[str]] = list(filter(None, self._marked_prefixes(tokens)))
        if speakers and self._speaker_checks:
            extras.append([SPEAKER_MARK + speaker for speaker in speakers])
        keys = tokens.union(*extras) if extras else tokens
        words_index = self._tables["word"]
        reached = list(map(words_index.__getitem__, words_index.keys() & tokens))
        pairs, seconds_of = self._pairs, self._seconds
        for first in pairs.keys() & keys:
            filed = seconds_of.get(first)
            if filed is None:
                filed = seconds_of[first] = (frozenset(pairs[first]), pairs[first])
            seconds, by_second = filed
            reached += map(by_second.__getitem__, seconds & keys)
        prefix_index = self._tables["prefix"]
        if prefix_index:  # marked, as the article's prefixes are
            reached += map(prefix_index.__getitem__, prefix_index.keys() & keys)
        speaker_index = self._tables["speaker"]
        reached += map(speaker_index.__getitem__, speaker_index.keys() & speakers)
        found = set(self._always)
        add = found.add
        disjoint = keys.isdisjoint
        for handle, (required, alternatives) in chain(*map(dict.items, reached)):
            if required <= keys and not (alternatives and any(map(disjoint, alternatives))):
                add(handle)
        return found, sum(map(len, reached))

    def _found_by_numbers(
        self, tokens: set[str], speakers: set[str], compiled: CompiledPairs
    ) -> tuple[set[int], int]:
        """Candidates and index hits with the pair index compiled: the article's keys as the
        index's numbers of them, found for all tokens at once, and the compiled entries walked
        by the C kernel or else with numpy; the few entries still in dictionaries (first keys
        changed since compiling, watchlists filed under one group) and, with numpy, what is
        left to check are tested key by key."""
        token_list = list(tokens)
        speaker_numbers: list[int] = []
        if speakers and self._speaker_checks:
            speaker_numbers = compiled.numbers([SPEAKER_MARK + speaker for speaker in speakers])
        found = set(self._always)
        kernel = compiled.kernel
        to_check: list[int] = []
        positions: list[int] = []
        if kernel is not None:  # the walk and every check of the compiled entries in C
            compiled.begin_article(token_list)
            if speaker_numbers:
                kernel.mark(speaker_numbers)
            free, hits = kernel.reach()
            held: Callable[[int], object] = kernel.holds
        else:
            numbers = compiled.article_numbers(token_list)
            if speaker_numbers:
                numbers = np.concatenate((numbers, np.array(speaker_numbers, dtype=np.int64)))
            free, to_check, positions, present = compiled.reached(numbers)
            hits = len(free) + len(positions)
            held = present.__getitem__
        holds = _ArticleKeys(tokens, token_list, speakers, compiled.key_ids, held).holds
        found.update(free)  # nothing left to check: no Python touches those entries
        words_index = self._tables["word"]
        reached = list(map(words_index.__getitem__, words_index.keys() & tokens))
        pairs = self._pairs
        # first keys changed since compiling are looked up in the dictionaries (if not gone)
        firsts = chain(self._stale & tokens, filter(holds, self._stale_prefixes))
        for first in firsts:
            if first in pairs:
                reached += [entries for second, entries in pairs[first].items() if holds(second)]
        prefix_index = self._tables["prefix"]
        if prefix_index:  # the article's prefixes as strings, intersected in C as without arrays
            marked: set[str] = set().union(*filter(None, self._marked_prefixes(tokens)))
            reached += map(prefix_index.__getitem__, prefix_index.keys() & marked)
        speaker_index = self._tables["speaker"]
        reached += map(speaker_index.__getitem__, speaker_index.keys() & speakers)
        add = found.add
        checks = map(compiled.checks.__getitem__, positions)
        for handle, (required, alternatives) in chain(
            zip(to_check, checks, strict=True), *map(dict.items, reached)
        ):
            if all(map(holds, required)) and all(any(map(holds, group)) for group in alternatives):
                add(handle)
        return found, hits + sum(map(len, reached))

    def _marked_prefixes(self, tokens: set[str]) -> list[tuple[str, ...] | None]:
        """For each token, the indexed prefixes it starts with, marked (mostly none)."""
        if not self._prefixes:
            return []
        cache = self._prefixes_of
        found = list(map(cache.get, tokens))
        if None in found:
            if len(cache) > PREFIX_CACHE_MAX:
                cache.clear()
            lengths = sorted(self._prefix_lengths)
            for at, token in enumerate(tokens):
                if found[at] is None:
                    cuts = _cuts(token, lengths)
                    found[at] = cache[token] = tuple(
                        cut + PREFIX_MARK for cut in cuts if cut in self._prefixes
                    )
        return found

    def _observe(self, tokens: set[str]) -> None:
        self._seen.update(tokens)
        self._observed += 1
        if self._observed >= self._next_rebalance:
            self.rebalance()
            self._next_rebalance = self._observed + min(3 * self._observed, REBALANCE_EVERY)
        if self._observed >= DECAY_AT:
            self._seen = Counter({word: count // 2 for word, count in self._seen.items() if count > 1})
            self._observed //= 2
            self._next_rebalance = self._observed + REBALANCE_EVERY

    def rebalance(self) -> int:
        """Re-file the watchlists filed under words that turned out common, when they require
        rarer ones; returns how many moved. Which watchlists are candidates never changes,
        only how many index hits it takes to find them."""
        observed = self._observed
        if not observed:
            return 0
        seen, examined = self._seen, self._examined
        floor = max(2, observed * HOT_SHARE)
        handles: list[int] = []

        def hot(key: str) -> bool:
            """Whether the key is common now, and was not examined at a similar share yet."""
            count = seen.get(key, 0)
            if count < floor:
                return False
            share = count / observed
            if share < 2 * examined.get(key, 0.0):
                return False
            examined[key] = share
            return True

        for key, entries in self._tables["word"].items():
            if hot(key):
                handles += entries
        for key, by_second in self._pairs.items():
            if hot(key):
                for entries in by_second.values():
                    handles += entries
        moved = 0
        for handle in dict.fromkeys(handles):  # once each, though filed under several pairs
            groups = self._groups[handle]
            filed_primary, filed_second, _check, _rest = self._filed[handle]
            if filed_second and len(groups) == 2:
                continue  # filed under both of its groups already: nowhere better to go
            choice = self._choose(groups)
            if choice[:2] != (filed_primary, filed_second):
                self._unfile(handle)
                self._file(handle, groups, choice)
                moved += 1
        return moved
