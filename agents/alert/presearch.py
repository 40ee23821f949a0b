"""Presearch: pick the few watchlists an article could match, so only those are evaluated.

As Lucene Monitor and the Elasticsearch percolator do, each watchlist is reduced to what an
article must contain for it to match (`required_groups`): a list of groups, all required, each
satisfied by any one of its keys. A key is an exact word, a prefix (from `word*`), or the
surname of a listed speaker (`match` compares full names, or surname plus initial, so the last
word always agrees). AND and NEAR add their children's groups, a phrase adds one group per
word, OR gives one group of alternatives, NOT adds nothing. A watchlist with no group at all
(only NOT clauses, a speaker name with no letters) goes on a short always-evaluate list.

The index files each watchlist under its cheapest group (speakers, then exact words, then
prefixes; fewer and longer keys first), or under the pair of its two best single words, so
an article holding one common word alone does not reach the watchlists that need a second
word. An index hit is a candidate only when every other group is present too.

The article side is its set of distinct tokens over every field any watchlist can search
(title, body, source, entity, speaker, every attributed quotation and the reported speech)
and the surnames of the people quoted: a superset of what any field holds, so candidates are
a superset of the watchlists that match, and evaluating only them gives the same result as
evaluating all (tests/unit/test_presearch.py checks exactly that). The lookups are dictionary
and set operations on the tokens the alert stage extracts anyway (docs/watchlists.md says why
this beat an Aho-Corasick automaton over the text).
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass
from operator import itemgetter

from wirewatch.streams.records import TaggedArticle

from .query import And, Document, Near, Node, Not, Term, words
from .watchlists import ArticleDocument, Watchlist, build_document

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
        union += min(child_groups, key=_cost)
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


def _words_only(group: Group) -> bool:
    return all(kind == "word" for kind, _ in group)


def _cost(group: Group) -> tuple[int, int, int]:
    """Lower is a better index entry: speakers are rarest, then exact words over prefixes,
    then fewer keys, then longer words (the longest is usually the rarest)."""
    kinds = {kind for kind, _ in group}
    rank = 0 if kinds == {"speaker"} else 2 if "prefix" in kinds else 1
    return (rank, len(group), -min(len(key) for _, key in group))


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
    """What the last `candidate_ids` call did, for the benchmark and for logs."""

    index_hits: int = 0  # watchlists found under a key present in the article
    candidates: int = 0  # of those, the ones whose every required group is present
    always: int = 0


class ArticleKeys:
    """The keys present in one article; prefix presence is worked out only when asked."""

    __slots__ = ("_prefixes", "_sorted", "speakers", "tokens")

    def __init__(self, tokens: set[str], speakers: set[str]) -> None:
        self.tokens = tokens
        self.speakers = speakers
        self._prefixes: dict[str, bool] = {}
        self._sorted: list[str] | None = None

    def has(self, key: IndexKey) -> bool:
        kind, value = key
        if kind == "word":
            return value in self.tokens
        if kind == "speaker":
            return value in self.speakers
        found = self._prefixes.get(value)
        if found is None:
            if self._sorted is None:
                self._sorted = sorted(self.tokens)
            # the first token not below the prefix starts with it if any token does
            at = bisect.bisect_left(self._sorted, value)
            found = at < len(self._sorted) and self._sorted[at].startswith(value)
            self._prefixes[value] = found
        return found


# What is checked of an index hit: the other required single words (one C-level subset
# test), the groups of alternative words only (one C-level disjointness test each), then the
# other groups (with prefixes or speakers) one by one. A group compiled for the check: its
# alternative words, prefixes and speakers apart, so the words and speakers are one C-level
# set test each.
CompiledGroup = tuple[frozenset[str], frozenset[str], frozenset[str]]
Check = tuple[frozenset[str], tuple[frozenset[str], ...], tuple[CompiledGroup, ...], tuple[Group, ...]]


def _compile(group: Group) -> CompiledGroup:
    return (
        frozenset(key for kind, key in group if kind == "word"),
        frozenset(key for kind, key in group if kind == "prefix"),
        frozenset(key for kind, key in group if kind == "speaker"),
    )


class Presearcher:
    """The inverted index from keys to watchlist ids, kept in step with a WatchlistSet.

    Each watchlist is filed under the keys of its cheapest required group; an index hit
    becomes a candidate only when its other required groups are present too (Lucene
    Monitor's multipass presearcher does the same, one pass per group). A watchlist that
    requires two single words is filed under the pair, so only articles holding both words
    touch it: with many watchlists, one common word alone would reach thousands. The index
    entries carry what is left to check, so a hit costs no further lookup."""

    def __init__(self) -> None:
        self._tables: dict[str, dict[str, dict[str, Check]]] = {"word": {}, "prefix": {}, "speaker": {}}
        # first word -> second word -> {id: check}
        self._pairs: dict[str, dict[str, dict[str, Check]]] = {}
        self._prefix_lengths: dict[int, int] = {}  # length -> how many indexed prefixes have it
        self._always: set[str] = set()
        # each filed id's required groups, and where it is filed: its primary group, the
        # pair's second group (empty if none), and what is left to check
        self._groups: dict[str, list[Group]] = {}
        self._filed: dict[str, tuple[Group, Group, Check]] = {}
        # document frequency of words in the articles observed (a sample, halved now and then
        # so that it follows the news): the rarest words make the best filing keys
        self._seen: Counter[str] = Counter()
        self._observed = 0
        self._articles = 0
        self._next_rebalance = FIRST_REBALANCE
        self._examined: dict[str, float] = {}  # key -> its share of articles when last examined
        self.stats = PresearchStats()

    def add(self, watchlist: Watchlist) -> None:
        self.discard(watchlist.id)
        groups = _filing_groups(watchlist)
        if not groups:
            self._always.add(watchlist.id)
            return
        self._groups[watchlist.id] = groups
        self._file(watchlist.id, groups)

    def _filing_cost(self, group: Group) -> tuple[int, int, int, int]:
        """Lower is a better index entry: speakers are rarest, then exact words over prefixes,
        then the words seen in fewer articles, then fewer keys, then longer words (before
        anything is observed, the longest is the best guess at the rarest)."""
        kinds = {kind for kind, _ in group}
        rank = 0 if kinds == {"speaker"} else 2 if "prefix" in kinds else 1
        seen = self._seen
        in_articles = sum(seen.get(key, 0) for kind, key in group if kind == "word")
        return (rank, in_articles, len(group), -min(len(key) for _, key in group))

    def _choose(self, groups: list[Group]) -> tuple[Group, Group, list[Group], list[Group]]:
        """Where to file: the primary group, the second group of a pair (empty if none), the
        other single-word groups, and the remaining groups (cheapest first)."""
        cost = {group: self._filing_cost(group) for group in groups}.__getitem__
        primary = min(groups, key=cost)
        others = [group for group in groups if group != primary]
        second: Group = ()
        if _words_only(primary):
            # a pair needs a word of each group: file under each combination, a few at most
            pairable = [g for g in others if _words_only(g) and len(g) * len(primary) <= MAX_PAIRS]
            if pairable:
                second = min(pairable, key=cost)
                others.remove(second)
        singles = sorted((g for g in others if len(g) == 1 and g[0][0] == "word"), key=cost)
        # cheap checks first: exact words and speakers fail fast, prefixes cost a bisect
        rest = sorted((g for g in others if not (len(g) == 1 and g[0][0] == "word")), key=cost)
        return primary, second, singles, rest

    def _file(self, watchlist_id: str, groups: list[Group]) -> None:
        primary, second, singles, rest = self._choose(groups)
        single_words = frozenset(g[0][1] for g in singles)
        compiled = [_compile(g) for g in rest]
        check: Check = (
            single_words,
            tuple(words for words, prefixes, people in compiled if not prefixes and not people),
            tuple(c for c in compiled if c[1] or c[2]),
            tuple(rest),
        )
        self._filed[watchlist_id] = (primary, second, check)
        if second:
            for _kind, first_word in primary:
                by_second = self._pairs.setdefault(first_word, {})
                for _kind, second_word in second:
                    by_second.setdefault(second_word, {})[watchlist_id] = check
            return
        for kind, key in primary:
            table = self._tables[kind]
            if kind == "prefix" and key not in table:
                self._prefix_lengths[len(key)] = self._prefix_lengths.get(len(key), 0) + 1
            table.setdefault(key, {})[watchlist_id] = check

    def discard(self, watchlist_id: str) -> None:
        self._always.discard(watchlist_id)
        self._groups.pop(watchlist_id, None)
        self._unfile(watchlist_id)

    def _unfile(self, watchlist_id: str) -> None:
        filed = self._filed.pop(watchlist_id, None)
        if filed is None:
            return
        primary, second, _check = filed
        if second:
            for _kind, first_word in primary:
                by_second = self._pairs[first_word]
                for _kind, second_word in second:
                    entries = by_second.get(second_word)
                    if entries is None:  # the same word in both groups, already removed
                        continue
                    entries.pop(watchlist_id, None)
                    if not entries:
                        del by_second[second_word]
                if not by_second:
                    del self._pairs[first_word]
            return
        for kind, key in primary:
            table = self._tables[kind]
            entries = table.get(key)
            if entries is None:
                continue
            entries.pop(watchlist_id, None)
            if not entries:
                del table[key]
                if kind == "prefix":
                    self._prefix_lengths[len(key)] -= 1
                    if not self._prefix_lengths[len(key)]:
                        del self._prefix_lengths[len(key)]

    @property
    def always(self) -> frozenset[str]:
        return frozenset(self._always)

    def groups_of(self, watchlist_id: str) -> list[Group]:
        """The required groups a watchlist is checked against (the filed ones first)."""
        filed = self._filed.get(watchlist_id)
        if filed is None:
            return []
        primary, second, (single_words, _any_words, _compiled, rest) = filed
        words_left = [(("word", w),) for w in sorted(single_words)]
        return [primary, *([second] if second else []), *words_left, *rest]

    def candidate_ids(self, tokens: set[str], speakers: set[str]) -> set[str]:
        """Ids of the watchlists that could match an article with these tokens and speakers."""
        present = ArticleKeys(tokens, speakers)
        found = set(self._always)
        hits = 0

        def check(entries: dict[str, Check]) -> None:
            nonlocal hits
            hits += len(entries)
            for watchlist_id, (single_words, any_words, rest, _groups) in entries.items():
                if (
                    single_words <= tokens
                    and (not any_words or not any(map(tokens.isdisjoint, any_words)))
                    and (not rest or all(map(holds, rest)))
                ):
                    found.add(watchlist_id)

        def holds(group: CompiledGroup) -> bool:
            alternatives, prefixes, people = group
            if not alternatives.isdisjoint(tokens) or not people.isdisjoint(speakers):
                return True
            return any(present.has(("prefix", prefix)) for prefix in prefixes)

        words_index = self._tables["word"]
        pairs = self._pairs
        prefix_index = self._tables["prefix"]
        lengths = sorted(self._prefix_lengths)
        by_token_prefix = 0 < len(tokens) * len(lengths) <= len(prefix_index)
        # C-level intersections of the article's keys with the index's (each walks the
        # smaller side), so the Python loops run over hits only
        for token in words_index.keys() & tokens:
            check(words_index[token])
        for token in pairs.keys() & tokens:
            by_second = pairs[token]
            for second in by_second.keys() & tokens:
                check(by_second[second])
        if by_token_prefix:
            for length in lengths:
                # every token cut to the length (a shorter token cannot equal a key of it)
                cuts = set(map(itemgetter(slice(0, length)), tokens))
                for cut in prefix_index.keys() & cuts:
                    check(prefix_index[cut])
        elif prefix_index:  # fewer indexed prefixes than token cuts: test each prefix
            for prefix, entries in prefix_index.items():
                if present.has(("prefix", prefix)):
                    check(entries)
        speaker_index = self._tables["speaker"]
        for speaker in speaker_index.keys() & speakers:
            check(speaker_index[speaker])
        self.stats = PresearchStats(hits, len(found), len(self._always))
        self._articles += 1
        if self._articles <= OBSERVE_ALL_FIRST or self._articles % OBSERVE_EVERY == 0:
            self._observe(tokens)
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
        ids: list[str] = []
        for table in (self._tables["word"], self._pairs):
            for key in table:
                count = seen.get(key, 0)
                if count < floor:
                    continue
                share = count / observed
                if share < 2 * examined.get(key, 0.0):  # looked at already, at a similar share
                    continue
                examined[key] = share
                entries = table[key]
                if table is self._pairs:
                    for by_second in entries.values():  # type: ignore[attr-defined]
                        ids += by_second
                else:
                    ids += entries
        moved = 0
        for watchlist_id in ids:
            groups = self._groups[watchlist_id]
            filed_primary, filed_second, _check = self._filed[watchlist_id]
            if filed_second and len(groups) == 2:
                continue  # filed under both of its groups already: nowhere better to go
            primary, second, _singles, _rest = self._choose(groups)
            if (primary, second) != (filed_primary, filed_second):
                self._unfile(watchlist_id)
                self._file(watchlist_id, groups)
                moved += 1
        return moved
