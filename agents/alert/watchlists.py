"""Watchlists: loading them (YAML, safe loader), and matching one against a tagged article.

Semantics (CONTRACT): `query` is the boolean language of query.py; `speakers` requires a
quotation attributed to one of the people; with both, both must hold; `quote:` terms search
the quotations of the listed speakers (or of any attributed speaker when none are listed).
Reported speech counts for `speakers` only when the watchlist says `reported: true`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from wirewatch.streams.records import Quotation, TaggedArticle

from .query import Document, FieldText, Near, Node, Not, QueryError, Term, evaluate, parse_query, words

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

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Watchlist:
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


def _norm_name(name: str) -> str:
    return " ".join(words(name))


@dataclass(slots=True)
class Match:
    matched: list[str]
    quotes: list[Quotation]


def build_document(tagged: TaggedArticle, quotes: list[Quotation]) -> Document:
    article = tagged.article
    entity_names = []
    for entity in tagged.entities:
        entity_names.append(words(entity.name))
        entity_names += [words(s) for s in entity.surfaces]
    return Document(
        {
            "title": FieldText([words(article.title)]),
            "body": FieldText([words(block.text) for block in article.blocks]),
            "source": FieldText([words(article.source), words(article.agency)]),
            "entity": FieldText(entity_names),
            "speaker": FieldText([words(q.speaker) for q in tagged.quotes if q.speaker]),
            "quote": FieldText([words(q.text) for q in quotes]),
        }
    )


def match(watchlist: Watchlist, tagged: TaggedArticle, base: Document | None = None) -> Match | None:
    """Whether the watchlist matches the article, and why; None when it does not."""
    matched: list[str] = []
    speaker_quotes: list[Quotation] = []
    if watchlist.speakers:
        wanted = {_norm_name(s) for s in watchlist.speakers}
        pool = tagged.quotes + (tagged.reported if watchlist.reported else [])
        speaker_quotes = [
            q
            for q in pool
            if q.speaker and (_norm_name(q.speaker) in wanted or _surname_match(q.speaker, wanted))
        ]
        if not speaker_quotes:
            return None
        matched += [f"speaker:{s}" for s in sorted({q.speaker for q in speaker_quotes})]
    if watchlist.ast is not None:
        quote_scope = speaker_quotes if watchlist.speakers else [q for q in tagged.quotes if q.speaker]
        if base is None:
            doc = build_document(tagged, quote_scope)
        elif watchlist.speakers:  # only the quote field differs from the article's base document
            doc = Document({**base.fields, "quote": FieldText([words(q.text) for q in quote_scope])})
        else:
            doc = base
        if not evaluate(watchlist.ast, doc, matched):
            return None
        quote_terms = _matched_quote_terms(watchlist.ast, set(matched)) if watchlist.speakers else []
        if quote_terms:
            # only the quotations that carry a matched quote: term, as a whole word, are evidence
            kept = [
                q
                for q in speaker_quotes
                if any(FieldText([words(q.text)]).positions(term) for term in quote_terms)
            ]
            speaker_quotes = kept or speaker_quotes
    return Match(_dedupe(matched), speaker_quotes)


def _matched_quote_terms(node: Node, matched: set[str]) -> list[Term]:
    """The quote: terms that took part in the match (never those under NOT)."""
    if isinstance(node, Term):
        return [node] if node.field == "quote" and f"quote:{node.label}" in matched else []
    if isinstance(node, Near):
        if f"{node.left.label} NEAR/{node.distance} {node.right.label}" not in matched:
            return []
        return [t for t in (node.left, node.right) if t.field == "quote"]
    if isinstance(node, Not):
        return []
    return [t for child in node.children for t in _matched_quote_terms(child, matched)]


def _surname_match(speaker: str, wanted: set[str]) -> bool:
    # the knowledge base canonicalises names, but a watchlist may spell a person as the KB
    # lists an alias ("Sergey Lavrov"): fall back to the full name's last word plus first initial
    parts = _norm_name(speaker).split()
    for name in wanted:
        other = name.split()
        if len(parts) > 1 and len(other) > 1 and parts[-1] == other[-1] and parts[0][0] == other[0][0]:
            return True
    return False


def _dedupe(items: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)
