"""Watchlists: loading them (YAML, safe loader), and matching one against a tagged article.

Semantics (CONTRACT): `query` is the boolean language of query.py; `speakers` requires a
quotation attributed to one of the people; with both, both must hold; `quote:` terms search
the quotations of the listed speakers (or of any attributed speaker when none are listed).
Reported speech counts for `speakers` only when the watchlist says `reported: true`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from wirewatch.streams.records import Quotation, TaggedArticle

from .query import (
    Document,
    Evaluator,
    FieldText,
    Near,
    Node,
    Not,
    QueryError,
    Term,
    appended_labels,
    clause_label,
    compile_query,
    parse_query,
    words,
)

_ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_.")


class WatchlistError(ValueError):
    """A watchlist that cannot be used; `position` is the query's fault position, if any."""

    def __init__(self, message: str, position: int | None = None, field: str = "") -> None:
        super().__init__(message)
        self.position = position
        self.field = field


@dataclass(slots=True)
class Watchlist:
    id: str
    query: str = ""
    speakers: list[str] = field(default_factory=list)
    reported: bool = False
    ast: Node | None = None
    # derived once from the above, for matching: the listed people as `speaker_key`s, the
    # query compiled, and whether it has quote: terms (then it searches its own speakers'
    # quotations, else the article's document as it is)
    speaker_keys: frozenset[str] = field(init=False, default=frozenset(), compare=False, repr=False)
    evaluator: Evaluator | None = field(init=False, default=None, compare=False, repr=False)
    searches_quotes: bool = field(init=False, default=False, compare=False, repr=False)
    # whether the query can name one clause twice in `matched` ("a AND (a OR b)"): only then is
    # it de-duplicated, which cost most of a match of a plain conjunction
    repeats_labels: bool = field(init=False, default=False, compare=False, repr=False)
    # whether `speakers` lists anyone, kept in the watchlist itself: the list is another
    # object, and reading it for each candidate is a cache miss at 100,000 watchlists
    lists_speakers: bool = field(init=False, default=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.speaker_keys = frozenset(speaker_key(name) for name in self.speakers)
        self.evaluator = compile_query(self.ast) if self.ast is not None else None
        self.searches_quotes = self.ast is not None and _has_quote_terms(self.ast)
        labels = appended_labels(self.ast) if self.ast is not None else []
        self.repeats_labels = len(set(labels)) < len(labels)
        self.lists_speakers = bool(self.speakers)

    @classmethod
    def from_dict(cls, data: Any) -> Watchlist:  # untrusted: checked here, so Any
        if not isinstance(data, dict):
            raise WatchlistError(f"a watchlist must be a mapping, got {type(data).__name__}")
        unknown = set(data) - {"id", "query", "speakers", "reported"}
        if unknown:
            raise WatchlistError(f"unknown watchlist keys: {', '.join(sorted(unknown))}")
        ident = str(data.get("id", "")).strip()
        if not ident or not set(ident.lower()) <= _ID_CHARS or len(ident) > 128:
            raise WatchlistError(
                f"watchlist id {ident!r} must be 1-128 characters of letters, digits, '-', '_' or '.'"
            )
        query = str(data.get("query") or "").strip()
        speakers = data.get("speakers") or []
        if isinstance(speakers, str):
            speakers = [speakers]
        if not isinstance(speakers, list) or not all(isinstance(s, str) and s.strip() for s in speakers):
            raise WatchlistError(f"watchlist {ident!r}: speakers must be a list of names", None, "speakers")
        if not isinstance(data.get("reported", False), bool):
            raise WatchlistError(f"watchlist {ident!r}: reported must be true or false", None, "reported")
        if not query and not speakers:
            raise WatchlistError(f"watchlist {ident!r} needs a query, speakers, or both")
        try:
            ast = parse_query(query) if query else None
        except QueryError as exc:
            raise WatchlistError(f"watchlist {ident!r}: {exc}", exc.position, "query") from None
        return cls(ident, query, [str(s) for s in speakers], bool(data.get("reported", False)), ast)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id}
        if self.query:
            out["query"] = self.query
        if self.speakers:
            out["speakers"] = self.speakers
        if self.reported:
            out["reported"] = True
        return out


def load_watchlists(text: str, where: str = "watchlists file") -> list[Watchlist]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise WatchlistError(f"{where} is not valid YAML{at}: {getattr(exc, 'problem', exc)}") from None
    items = data.get("watchlists") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise WatchlistError(f"{where} must hold a list under 'watchlists:'")
    result, seen = [], set()
    for index, item in enumerate(items, start=1):
        try:
            watchlist = Watchlist.from_dict(item)
        except WatchlistError as exc:
            raise WatchlistError(f"{where}, watchlist #{index}: {exc}") from None
        if watchlist.id in seen:
            raise WatchlistError(f"{where}: watchlist id {watchlist.id!r} appears twice")
        seen.add(watchlist.id)
        result.append(watchlist)
    return result


def read_watchlists_file(path: str | Path) -> list[Watchlist]:
    """`load_watchlists` on a file, with errors that name it (missing, unreadable, not UTF-8)."""
    try:
        text = Path(path).read_text("utf-8")
    except FileNotFoundError:
        raise WatchlistError(f"watchlists file {path}: no such file") from None
    except IsADirectoryError:
        raise WatchlistError(f"watchlists file {path}: is a folder, not a YAML file") from None
    except UnicodeDecodeError as exc:
        raise WatchlistError(f"watchlists file {path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise WatchlistError(f"watchlists file {path}: cannot be read ({exc.strerror})") from None
    return load_watchlists(text, str(path))


def _norm_name(name: str) -> str:
    return " ".join(words(name))


@lru_cache(maxsize=65536)
def _name_words(name: str) -> list[str]:
    """`words` of a short string that recurs from article to article (a name, an outlet);
    callers never change the list."""
    return words(name)


@lru_cache(maxsize=65536)
def speaker_key(name: str) -> str:
    """What a speaker watchlist compares of a name: the surname and first initial of a name of
    several words, the one word of a one-word name ("" when it has no letters). Two names
    agree when their keys do: the full names are equal, or (both of several words) the
    surname and first initial are, which lets a watchlist spell a person as the knowledge
    base lists an alias ("Sergey Lavrov")."""
    parts = _name_words(name)
    if len(parts) > 1:
        return f"{parts[-1]} {parts[0][0]}"  # the space keeps it apart from one-word keys
    return parts[0] if parts else ""


@dataclass(slots=True)
class Match:
    matched: list[str]
    quotes: list[Quotation]


@dataclass(slots=True)
class Said:
    """A quotation or reported speech with a speaker, as speaker watchlists see it."""

    quote: Quotation
    key: str  # speaker_key of the speaker
    reported: bool
    words: list[str]  # of the text


@dataclass(slots=True)
class ArticleDocument(Document):
    """The article's document, with what speaker watchlists and presearch need, worked out
    once per article rather than once per watchlist."""

    said: list[Said] = field(default_factory=list)  # quotations, then reported speech

    def search_tokens(self) -> set[str]:
        """Every distinct token a watchlist term could match in this article: every field and
        the reported speech (`reported: true` watchlists search it with quote: terms)."""
        # title and body as evaluation wants them (kept), the small fields' words added directly
        others = [text.sequences for name, text in self.fields.items() if name not in ("title", "body")]
        return self.text_tokens.union(
            *(seq for sequences in others for seq in sequences),
            *(said.words for said in self.said if said.reported),
        )


def build_document(tagged: TaggedArticle, quotes: list[Quotation]) -> ArticleDocument:
    article = tagged.article
    said = [Said(q, speaker_key(q.speaker), False, words(q.text)) for q in tagged.quotes if q.speaker]
    said += [Said(q, speaker_key(q.speaker), True, words(q.text)) for q in tagged.reported if q.speaker]
    tokenized = {id(s.quote): s.words for s in said}
    # each distinct name and surface once: a repeated sequence changes no test of the field
    # (`Entity.surfaces` would sort a set per entity, for nothing)
    names: dict[str, None] = {}
    for entity in tagged.entities:
        names[entity.name] = None
        for mention in entity.mentions:
            names[mention.surface] = None
    entity_names = list(map(_name_words, names))
    quote_words = [tokenized.get(id(q)) for q in quotes]
    return ArticleDocument(
        {
            "title": FieldText([words(article.title)]),
            "body": FieldText([words(block.text) for block in article.blocks]),
            "source": FieldText([_name_words(article.source), _name_words(article.agency)]),
            "entity": FieldText(entity_names),
            "speaker": FieldText([_name_words(q.speaker) for q in tagged.quotes if q.speaker]),
            "quote": FieldText(
                [w if w is not None else words(q.text) for w, q in zip(quote_words, quotes, strict=True)]
            ),
        },
        said=said,
    )


def match(watchlist: Watchlist, tagged: TaggedArticle, base: Document | None = None) -> Match | None:
    """Whether the watchlist matches the article, and why; None when it does not. `base` is
    the article's document (build_document) when the caller has it."""
    if not isinstance(base, ArticleDocument):
        base = build_document(tagged, [q for q in tagged.quotes if q.speaker])
    matched: list[str] = []
    if not watchlist.lists_speakers:  # most watchlists: the query alone, on the document as it is
        evaluator = watchlist.evaluator
        if evaluator is None or not evaluator.holds(base, matched):
            return None
        return Match(_dedupe(matched) if watchlist.repeats_labels else matched, [])
    keys, reported = watchlist.speaker_keys, watchlist.reported
    own = [s for s in base.said if s.key in keys and (reported or not s.reported)]
    if not own:
        return None
    speaker_quotes = [s.quote for s in own]
    matched += [f"speaker:{s}" for s in sorted({q.speaker for q in speaker_quotes})]
    evaluator = watchlist.evaluator
    if evaluator is not None:
        doc: Document = base
        if watchlist.searches_quotes:
            # quote: terms search only the listed speakers' quotations
            doc = base.with_quotes(FieldText([s.words for s in own]))
        if not evaluator.holds(doc, matched):
            return None
        quote_terms = _matched_quote_terms(watchlist.ast, set(matched))  # type: ignore[arg-type]
        if quote_terms:
            # only the quotations that carry a matched quote: term, as a whole word, are evidence
            kept = [s.quote for s in own if any(FieldText([s.words]).positions(term) for term in quote_terms)]
            speaker_quotes = kept or speaker_quotes
    return Match(_dedupe(matched), speaker_quotes)


def _has_quote_terms(node: Node) -> bool:
    if isinstance(node, Term):
        return node.field == "quote"
    if isinstance(node, Near):
        return node.left.field == "quote" or node.right.field == "quote"
    if isinstance(node, Not):
        return _has_quote_terms(node.child)
    return any(_has_quote_terms(child) for child in node.children)


def _matched_quote_terms(node: Node, matched: set[str]) -> list[Term]:
    """The quote: terms that took part in the match (never those under NOT)."""
    if isinstance(node, Term):
        return [node] if node.field == "quote" and clause_label(node) in matched else []
    if isinstance(node, Near):
        if clause_label(node) not in matched:
            return []
        return [t for t in (node.left, node.right) if t.field == "quote"]
    if isinstance(node, Not):
        return []
    return [t for child in node.children for t in _matched_quote_terms(child, matched)]


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items)) if len(items) > 1 else items
