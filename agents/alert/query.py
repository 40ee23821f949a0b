"""The watchlist query language: a tokenizer, a recursive-descent parser and an evaluator.

    query   := or
    or      := and ("OR" and)*
    and     := near (["AND"] near)*          adjacency means AND; "NOT x" negates
    near    := unary ("NEAR/" n unary)*
    unary   := "NOT" unary | [field ":"] primary
    primary := term | term* | "phrase" | "(" query ")"

No eval and no regular expression is built from user text. Errors carry the 0-based
character position of the fault. Limits keep one watchlist from hurting the others.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import TypeGuard

FIELDS = ("title", "body", "source", "entity", "speaker", "quote")
MAX_DEPTH = 8
MAX_TERMS = 40
MAX_NEAR = 50
MIN_PREFIX = 3
MAX_QUERY_CHARS = 2000

_WORD = re.compile(r"[\w]+(?:['’.\-][\w]+)*", re.UNICODE)


class QueryError(ValueError):
    def __init__(self, message: str, position: int, query: str = "") -> None:
        self.message = message
        self.position = position
        self.query = query
        pointer = f"\n  {query}\n  {' ' * position}^" if query else ""
        super().__init__(f"{message} at position {position}{pointer}")


# str.lower() maps every other character to one character of the same word class, so lowering
# the whole text first cuts the same words; these two it does not (a dotted capital I becomes
# two characters, and a capital sigma's lower case depends on its neighbours)
_CONTEXT_LOWERING = frozenset("\u0130\u03a3")


# A token is a run of word characters, with single joiners (' ’ . -) between runs. Every other
# ASCII byte can never be part of one, so the text is cut there first, in one bytes.translate,
# and split: most pieces are plain words (str.isalnum), and only the rest (a joiner or an
# underscore in them: "russia's", "u.s", "said.") go through the pattern. News copy's common
# non-ASCII marks that are not joiners become spaces the same way, and ’ becomes '.
_JOINERS = "'.-"
_CUT = bytes(code for code in range(128) if not (chr(code).isalnum() or chr(code) in "_" + _JOINERS))
_CUT_TO_SPACES = bytes.maketrans(_CUT, b" " * len(_CUT))
_SHORT_TEXT = 32
_COMMON_MARKS = ("\u201c", "\u201d", "\u2018", "\u2014", "\u2013", "\u2026", "\u00ab", "\u00bb", "\u00a0")


try:  # the tokenizer in C (wordkernel.c), about twice as fast; absent in a plain-Python install
    from .wordkernel import words as _C_WORDS
except ImportError:
    _C_WORDS = None  # type: ignore[assignment]


def words(text: str) -> list[str]:
    """Lower-cased word tokens; the one tokenizer for queries and articles. The same tokens as
    `_WORD.findall` on the lower-cased text with ’ read as ' (tests/unit/test_query_words.py):
    cut in C when the kernel is built, else by `python_words`."""
    if _C_WORDS is not None:
        return _C_WORDS(text)
    return python_words(text)


def python_words(text: str) -> list[str]:
    """`words` in Python."""
    short = len(text) < _SHORT_TEXT  # a name or a query: the pattern alone is quicker
    if not text.isascii():
        if "’" in text:
            text = text.replace("’", "'")
        if not short:
            for mark in _COMMON_MARKS:
                if mark in text:
                    text = text.replace(mark, " ")
    if short or not text.isascii():
        if text.isascii() or _CONTEXT_LOWERING.isdisjoint(text):
            return _WORD.findall(text.lower())
        return [w.lower() for w in _WORD.findall(text)]
    found: list[str] = []
    append, findall = found.append, _WORD.findall
    for piece in text.encode().lower().translate(_CUT_TO_SPACES).decode().split():
        if piece.isalnum():
            append(piece)
        elif piece[-1] in _JOINERS and piece[:-1].isalnum():  # "said.": a full stop
            append(piece[:-1])
        else:
            found += findall(piece)
    return found


# --- AST -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    words: tuple[str, ...]  # one word, or several for a phrase
    field: str = ""  # "" = title and body
    prefix: bool = False  # trailing * on the last word
    label: str = ""  # as written, for `matched`


@dataclass(frozen=True, slots=True)
class Not:
    child: Node


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Near:
    left: Term
    right: Term
    distance: int


Node = Term | Not | And | Or | Near


# --- tokenizer -------------------------------------------------------------------------------


@dataclass(slots=True)
class Token:
    kind: str  # WORD PHRASE LPAREN RPAREN AND OR NOT NEAR FIELD EOF
    text: str
    pos: int
    value: int = 0


_OPS = {"AND", "OR", "NOT"}
_QUOTE_CLOSE = {'"': '"', "“": "”"}


def tokenize(query: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    n = len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch == "(":
            tokens.append(Token("LPAREN", ch, i))
            i += 1
        elif ch == ")":
            tokens.append(Token("RPAREN", ch, i))
            i += 1
        elif ch in _QUOTE_CLOSE:
            end = query.find(_QUOTE_CLOSE[ch], i + 1)
            if end == -1:
                raise QueryError("unclosed quotation mark", i, query)
            tokens.append(Token("PHRASE", query[i + 1 : end], i))
            i = end + 1
        else:
            j = i
            while j < n and not query[j].isspace() and query[j] not in '()"“':
                if query[j] == ":":
                    break
                j += 1
            text = query[i:j]
            if j < n and query[j] == ":":
                name = text.lower()
                if name not in FIELDS:
                    raise QueryError(f"unknown field {text!r} (fields: {', '.join(FIELDS)})", i, query)
                tokens.append(Token("FIELD", name, i))
                i = j + 1
                continue
            if not text:
                raise QueryError(f"unexpected character {ch!r}", i, query)
            upper = text.upper() if text.isupper() else text
            near = re.fullmatch(r"NEAR/(\d+)", text)
            if near:
                tokens.append(Token("NEAR", text, i, int(near.group(1))))
            elif text == "NEAR":
                raise QueryError("NEAR needs a distance, as in NEAR/5", i, query)
            elif upper in _OPS:
                tokens.append(Token(upper, text, i))
            else:
                tokens.append(Token("WORD", text, i))
            i = j
    tokens.append(Token("EOF", "", n))
    return tokens


# --- parser ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Parser:
    query: str
    tokens: list[Token]
    index: int = 0
    terms: int = 0
    depth: int = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def take(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def fail(self, message: str, token: Token | None = None) -> QueryError:
        return QueryError(message, (token or self.token).pos, self.query)

    def parse(self) -> Node:
        if self.token.kind == "EOF":
            raise self.fail("empty query")
        node = self.parse_or()
        if self.token.kind != "EOF":
            raise self.fail(
                "unexpected ')'" if self.token.kind == "RPAREN" else f"unexpected {self.token.text!r}"
            )
        return node

    def parse_or(self) -> Node:
        children = [self.parse_and()]
        while self.token.kind == "OR":
            self.take()
            children.append(self.parse_and())
        return children[0] if len(children) == 1 else Or(tuple(children))

    def parse_and(self) -> Node:
        children = [self.parse_near()]
        while self.token.kind in {"AND", "WORD", "PHRASE", "LPAREN", "NOT", "FIELD"}:
            if self.token.kind == "AND":
                self.take()
            children.append(self.parse_near())
        if len(children) > 1 and all(isinstance(c, Not) for c in children):
            raise self.fail("a query cannot consist only of NOT clauses", self.tokens[0])
        return children[0] if len(children) == 1 else And(tuple(children))

    def parse_near(self) -> Node:
        left = self.parse_unary()
        while self.token.kind == "NEAR":
            op = self.take()
            if op.value < 1 or op.value > MAX_NEAR:
                raise self.fail(f"NEAR distance must be between 1 and {MAX_NEAR}", op)
            right = self.parse_unary()
            if not isinstance(left, Term) or not isinstance(right, Term):
                raise self.fail("NEAR joins two terms or phrases, not groups or NOT", op)
            if left.field in {"source", "entity", "speaker"} or right.field in {
                "source",
                "entity",
                "speaker",
            }:
                raise self.fail("NEAR works on text fields (title, body, quote)", op)
            left = Near(left, right, op.value)
        return left

    def parse_unary(self) -> Node:
        if self.token.kind == "NOT":
            self.take()
            return Not(self.parse_unary())
        field_name = ""
        if self.token.kind == "FIELD":
            field_name = self.take().text
            if self.token.kind not in {"WORD", "PHRASE", "LPAREN"}:
                raise self.fail(f"{field_name}: must be followed by a term, phrase or group")
        return self.parse_primary(field_name)

    def parse_primary(self, field_name: str) -> Node:
        token = self.token
        if token.kind == "LPAREN":
            self.take()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.fail(f"parentheses nested deeper than {MAX_DEPTH}", token)
            if self.token.kind == "RPAREN":
                raise self.fail("empty parentheses", token)
            node = self.parse_or()
            if self.token.kind != "RPAREN":
                raise self.fail("missing ')' to close the '(' opened", token)
            self.take()
            self.depth -= 1
            return _with_field(node, field_name) if field_name else node
        if token.kind in {"WORD", "PHRASE"}:
            self.take()
            self.terms += 1
            if self.terms > MAX_TERMS:
                raise self.fail(f"more than {MAX_TERMS} terms", token)
            raw = token.text
            # a trailing * makes the last word of a term or phrase a prefix ("drinking wat*")
            prefix = raw.endswith("*")
            if prefix:
                raw = raw[:-1]
            if "*" in raw:
                raise self.fail("'*' is only allowed at the end of a term", token)
            term_words = tuple(words(raw))
            if not term_words:
                raise self.fail("a term or phrase with no letters or digits", token)
            if prefix and len(term_words[-1]) < MIN_PREFIX:
                raise self.fail(f"a prefix needs at least {MIN_PREFIX} characters before '*'", token)
            label = token.text if token.kind == "WORD" else f'"{token.text}"'
            if len(term_words) == 1 and label == term_words[0]:
                # one string for both (a word written in lower case): a match compares the
                # word and lists the label, and with 100,000 watchlists each string is a
                # memory read that misses the cache
                label = term_words[0]
            return Term(term_words, field_name, prefix, label)
        if token.kind == "EOF":
            raise self.fail("the query ends where a term was expected")
        if token.kind == "RPAREN":
            raise self.fail("unexpected ')'")
        raise self.fail(f"{token.text!r} where a term was expected")


def _with_field(node: Node, field_name: str) -> Node:
    if isinstance(node, Term):
        return node if node.field else Term(node.words, field_name, node.prefix, node.label)
    if isinstance(node, Not):
        return Not(_with_field(node.child, field_name))
    if isinstance(node, Near):
        return Near(_with_field(node.left, field_name), _with_field(node.right, field_name), node.distance)  # type: ignore[arg-type]
    return type(node)(tuple(_with_field(c, field_name) for c in node.children))


def parse_query(query: str) -> Node:
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"query longer than {MAX_QUERY_CHARS} characters", MAX_QUERY_CHARS, "")
    return _Parser(query, tokenize(query)).parse()


def required_terms(node: Node) -> list[Term] | None:
    """Terms one of which must occur for the query to match (for presearch); None when the
    query can match without any positive term (e.g. only NOTs)."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Near):
        return [node.left]
    if isinstance(node, Not):
        return None
    if isinstance(node, And):
        options = [terms for terms in map(required_terms, node.children) if terms is not None]
        return min(options, key=len) if options else None
    alternatives: list[Term] = []
    for child in node.children:
        terms = required_terms(child)
        if terms is None:
            return None
        alternatives += terms
    return alternatives


# --- evaluation ------------------------------------------------------------------------------


@dataclass(slots=True)
class FieldText:
    """A field as a list of token sequences (one per paragraph, entity name, quotation...)."""

    sequences: list[list[str]] = field(default_factory=list)
    # built on first use and shared by all watchlists: the distinct tokens (a plain word is
    # one set lookup), token -> its (sequence, index) places (phrases and NEAR), and the
    # sorted tokens (prefix terms: a bisect, not a scan)
    _tokens: set[str] | None = None
    _places: dict[str, list[tuple[int, int]]] | None = None
    _sorted_tokens: list[str] | None = None
    # the sequences as one string, " a b c \n d e ": a phrase or prefix occurs when its
    # `needle` is in it, one C-level search (spaces and line breaks are never inside a token,
    # and a needle never holds a line break, so it cannot run from one sequence into the next)
    _joined: str | None = None

    @property
    def tokens(self) -> set[str]:
        tokens = self._tokens
        if tokens is None:
            tokens = self._tokens = set().union(*self.sequences)
        return tokens

    def _index(self) -> dict[str, list[tuple[int, int]]]:
        places = self._places
        if places is None:
            places = {}
            for s_index, seq in enumerate(self.sequences):
                for i, token in enumerate(seq):
                    places.setdefault(token, []).append((s_index, i))
            self._places = places
        return places

    def _places_of(self, word: str) -> list[tuple[int, int]]:
        """(sequence index, token index) of each occurrence of one word, in text order. A
        scan of the sequences that hold it (a C-level `in` each): an article asks this of a
        few words, and indexing every token of it would cost more."""
        if self._places is not None:
            return self._places.get(word, [])
        return [
            (s_index, i)
            for s_index, seq in enumerate(self.sequences)
            if word in seq
            for i, token in enumerate(seq)
            if token == word
        ]

    def _first_with_prefix(self, prefix: str) -> int:
        """Where the first token starting with `prefix` is in the sorted tokens (-1: none)."""
        tokens = self._sorted_tokens
        if tokens is None:
            tokens = self._sorted_tokens = sorted(self.tokens)
        at = bisect.bisect_left(tokens, prefix)
        return at if at < len(tokens) and tokens[at].startswith(prefix) else -1

    def joined(self) -> str:
        joined = self._joined
        if joined is None:
            joined = self._joined = " " + " \n ".join([" ".join(seq) for seq in self.sequences]) + " "
        return joined

    def has(self, needle: str) -> bool:
        """Whether a term's `needle` occurs in one of the sequences."""
        return needle in self.joined()

    def starts(self, needle: str) -> list[int]:
        """Where each occurrence of a term's `needle` begins in `joined()` (at the space before
        its first word), in text order."""
        joined = self.joined()
        found = []
        at = joined.find(needle)
        while at >= 0:
            found.append(at)
            at = joined.find(needle, at + 1)
        return found

    def occurs(self, term: Term) -> bool:
        """Whether the term occurs at all (cheaper than `positions`)."""
        if len(term.words) == 1 and not term.prefix:
            return term.words[0] in self.tokens
        return self.has(needle(term))

    def positions(self, term: Term) -> list[tuple[int, int]]:
        """(sequence index, token index) of each occurrence of the term, in text order."""
        first, n = term.words[0], len(term.words)
        if n == 1:
            if not term.prefix:
                return self._places_of(first) if first in self.tokens else []
            at = self._first_with_prefix(first)
            if at < 0:
                return []
            places = self._index()
            tokens = self._sorted_tokens
            assert tokens is not None  # set by _first_with_prefix
            hits = []
            while at < len(tokens) and tokens[at].startswith(first):
                hits += places[tokens[at]]
                at += 1
            return sorted(hits)
        # a phrase: every exact word must be there before its places are worth looking at
        tokens_present = self.tokens
        exact = term.words[:-1] if term.prefix else term.words
        if not all(word in tokens_present for word in exact):
            return []
        starts = self._places_of(first)
        hits = []
        sequences = self.sequences
        last = term.words[-1]
        for s_index, i in starts:
            seq = sequences[s_index]
            if i + n > len(seq):
                continue
            if all(seq[i + k] == term.words[k] for k in range(1, n - 1)):
                tail = seq[i + n - 1]
                if tail == last or (term.prefix and tail.startswith(last)):
                    hits.append((s_index, i))
        return hits


def needle(term: Term) -> str:
    """What `FieldText.has` looks for: the words with a space before each and, unless the
    last is a prefix, after it."""
    return " " + " ".join(term.words) + ("" if term.prefix else " ")


@dataclass(slots=True)
class Document:
    """The fields of one tagged article, tokenized once for all watchlists."""

    fields: dict[str, FieldText]
    _text_tokens: set[str] | None = None  # title and body: what a bare term searches

    @property
    def text_tokens(self) -> set[str]:
        tokens = self._text_tokens
        if tokens is None:
            # one set of both fields' sequences: the fields' own sets are built only for the
            # few terms that name a field
            title, body = self.fields["title"], self.fields["body"]
            tokens = self._text_tokens = set().union(*title.sequences, *body.sequences)
        return tokens

    def with_quotes(self, quotes: FieldText) -> Document:
        """The same article with another `quote:` field (a speaker watchlist's own quotations)."""
        return Document({**self.fields, "quote": quotes}, self._text_tokens)


def evaluate(node: Node, doc: Document, matched: list[str]) -> bool:
    """Walk the query's tree against the document (the reference `compile_query` follows)."""
    if isinstance(node, Term):
        names = (node.field,) if node.field else ("title", "body")
        if any(doc.fields[name].occurs(node) for name in names):
            matched.append(clause_label(node))
            return True
        return False
    if isinstance(node, Near):
        names = (
            (node.left.field or node.right.field,)
            if (node.left.field or node.right.field)
            else ("title", "body")
        )
        for name in names:
            text = doc.fields[name]
            left, right = text.positions(node.left), text.positions(node.right)
            if any(a[0] == b[0] and abs(a[1] - b[1]) <= node.distance for a in left for b in right):
                matched.append(clause_label(node))
                return True
        return False
    if isinstance(node, Not):
        return not evaluate(node.child, doc, [])
    if isinstance(node, And):
        local: list[str] = []
        for child in node.children:
            if not evaluate(child, doc, local):
                return False
        matched.extend(local)
        return True
    hit = False
    for child in node.children:
        hit = evaluate(child, doc, matched) or hit
    return hit


def clause_label(node: Term | Near) -> str:
    """What a term or a NEAR names in `matched` when it holds."""
    if isinstance(node, Near):
        return f"{node.left.label} NEAR/{node.distance} {node.right.label}"
    return f"{node.field}:{node.label}" if node.field else node.label


def appended_labels(node: Node) -> list[str]:
    """What each node that can append to `matched` appends (a term or NEAR outside any NOT).
    Each node is evaluated once per evaluation, so when these are distinct, `matched` never
    holds a label twice and needs no de-duplication."""
    if isinstance(node, (Term, Near)):
        return [clause_label(node)]
    if isinstance(node, Not):
        return []
    return [label for child in node.children for label in appended_labels(child)]


class Evaluator:
    """A compiled query: `holds` says whether it holds for the document and appends to
    `matched` what `evaluate` would.

    Each kind of node is a small class that keeps what it needs in its own fields. At 100,000
    watchlists the evaluators of an article's candidates are cold in memory, and every object
    on the way is a read that waits for it: a closure is two (the function and the variables
    it closes over), an instance one. Compiled, `holds` is a direct call, not a Python one."""

    __slots__ = ()

    def holds(self, doc: Document, matched: list[str]) -> bool:
        raise NotImplementedError


def compile_query(node: Node) -> Evaluator:
    """The query as evaluators, built once per watchlist: the same result and the same
    `matched` as `evaluate`, without walking the tree or re-deciding each node's kind per
    article, and with a conjunction's plain words checked first as one set test."""
    if isinstance(node, Term):
        return _compile_term(node)
    if isinstance(node, Near):
        return _NearTerms(node)
    if isinstance(node, Not):
        return _Negation(compile_query(node.child))
    if isinstance(node, And):
        # every bare word must be in the title or body; testing them together first fails
        # most non-matching conjunctions at once (nothing else has an effect to skip)
        plain = frozenset(c.words[0] for c in node.children if _is_bare_word(c))
        if all(map(_is_bare_word, node.children)):
            # only bare words (the commonest query): the set test decides, and every child's
            # label is what its evaluation would append, in order
            return _WordsConjunction(plain, [child.label for child in node.children])  # type: ignore[union-attr]
        return _Conjunction(plain, tuple(map(compile_query, node.children)))
    return _Disjunction(tuple(map(compile_query, node.children)))


class _WordsConjunction(Evaluator):
    __slots__ = ("labels", "plain")

    def __init__(self, plain: frozenset[str], labels: list[str]) -> None:
        self.plain = plain
        self.labels = labels

    def holds(self, doc: Document, matched: list[str]) -> bool:
        if self.plain <= doc.text_tokens:
            matched += self.labels
            return True
        return False


class _Conjunction(Evaluator):
    __slots__ = ("children", "plain")

    def __init__(self, plain: frozenset[str], children: tuple[Evaluator, ...]) -> None:
        self.plain = plain
        self.children = children

    def holds(self, doc: Document, matched: list[str]) -> bool:
        plain = self.plain
        if plain and not plain <= doc.text_tokens:
            return False
        local: list[str] = []
        for child in self.children:
            if not child.holds(doc, local):
                return False
        matched += local
        return True


class _Disjunction(Evaluator):
    __slots__ = ("children",)

    def __init__(self, children: tuple[Evaluator, ...]) -> None:
        self.children = children

    def holds(self, doc: Document, matched: list[str]) -> bool:
        hit = False
        for child in self.children:  # every alternative, so `matched` names each that holds
            if child.holds(doc, matched):
                hit = True
        return hit


class _Negation(Evaluator):
    __slots__ = ("inner",)

    def __init__(self, inner: Evaluator) -> None:
        self.inner = inner

    def holds(self, doc: Document, matched: list[str]) -> bool:
        return not self.inner.holds(doc, [])


def _is_bare_word(node: Node) -> TypeGuard[Term]:
    return isinstance(node, Term) and not node.field and not node.prefix and len(node.words) == 1


def _compile_term(term: Term) -> Evaluator:
    label = clause_label(term)
    if len(term.words) == 1 and not term.prefix:
        if not term.field:
            return _BareWord(term.words[0], label)
        return _FieldWord(term.words[0], term.field, label)
    return _TermOccurs((term.field,) if term.field else ("title", "body"), needle(term), label)


class _BareWord(Evaluator):
    __slots__ = ("label", "word")

    def __init__(self, word: str, label: str) -> None:
        self.word = word
        self.label = label

    def holds(self, doc: Document, matched: list[str]) -> bool:
        if self.word in doc.text_tokens:
            matched.append(self.label)
            return True
        return False


class _FieldWord(Evaluator):
    __slots__ = ("label", "name", "word")

    def __init__(self, word: str, name: str, label: str) -> None:
        self.word = word
        self.name = name
        self.label = label

    def holds(self, doc: Document, matched: list[str]) -> bool:
        if self.word in doc.fields[self.name].tokens:
            matched.append(self.label)
            return True
        return False


class _TermOccurs(Evaluator):
    """A phrase or a prefix: its needle searched in the fields' joined text."""

    __slots__ = ("label", "names", "wanted")

    def __init__(self, names: tuple[str, ...], wanted: str, label: str) -> None:
        self.names = names
        self.wanted = wanted
        self.label = label

    def holds(self, doc: Document, matched: list[str]) -> bool:
        fields = doc.fields
        for name in self.names:
            if fields[name].has(self.wanted):
                matched.append(self.label)
                return True
        return False


class _NearTerms(Evaluator):
    """Each side's occurrences are found as offsets of its needle in the field's joined text:
    two occurrences are in one sequence when no line break lies between them, and as many
    words apart as there are spaces between them. The tree walk's token places, which scan
    every sequence word by word, cost several times more on an article's body."""

    __slots__ = ("distance", "label", "left_needle", "names", "right_needle")

    def __init__(self, node: Near) -> None:
        named = node.left.field or node.right.field
        self.names: tuple[str, ...] = (named,) if named else ("title", "body")
        self.label = clause_label(node)
        self.left_needle = needle(node.left)
        self.right_needle = needle(node.right)
        self.distance = node.distance

    def holds(self, doc: Document, matched: list[str]) -> bool:
        distance = self.distance
        for name in self.names:
            text = doc.fields[name]
            left_at = text.starts(self.left_needle)
            if not left_at:
                continue
            right_at = text.starts(self.right_needle)
            if not right_at:
                continue
            joined = text.joined()
            for a in left_at:
                for b in right_at:
                    low, high = (a, b) if a <= b else (b, a)
                    if joined.count(" ", low, high) <= distance and joined.find("\n", low, high) < 0:
                        matched.append(self.label)
                        return True
        return False
