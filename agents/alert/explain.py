"""Why a watchlist did not match an article, in words a user can act on (`watchlist test`)."""

from __future__ import annotations

from wirewatch.streams.records import TaggedArticle

from .presearch import _groups_of, article_tokens
from .query import words
from .watchlists import Watchlist, build_document, match


def _name(text: str) -> str:
    return " ".join(words(text))


def why_not(watchlist: Watchlist, tagged: TaggedArticle) -> list[str]:
    """Reasons the watchlist does not match the article; empty when it does match."""
    if match(watchlist, tagged) is not None:
        return []
    reasons: list[str] = []
    if watchlist.speakers:
        wanted = {_name(s) for s in watchlist.speakers}
        surnames = {n.split()[-1] for n in wanted if n}
        quoted = {_name(q.speaker) for q in tagged.quotes if q.speaker}
        if not quoted & wanted and not {n.split()[-1] for n in quoted if n} & surnames:
            who = ", ".join(watchlist.speakers)
            reported = {_name(q.speaker) for q in tagged.reported if q.speaker}
            mentioned = {_name(e.name) for e in tagged.entities if e.type == "person"}
            if reported & wanted and not watchlist.reported:
                reasons.append(f"{who}: only reported speech, no quotation (set reported: true to count it)")
            elif mentioned & wanted:
                reasons.append(f"{who}: mentioned, but not quoted")
            else:
                reasons.append(f"{who}: not quoted")
    if watchlist.ast is not None:
        base = build_document(tagged, [q for q in tagged.quotes if q.speaker])
        tokens = article_tokens(tagged, base)
        missing = []
        for group in _groups_of(watchlist.ast):
            present = any(
                key in tokens if kind == "word" else any(t.startswith(key) for t in tokens)
                for kind, key in group
            )
            if not present:
                missing.append(" or ".join(key + ("*" if kind == "prefix" else "") for kind, key in group))
        if missing:
            reasons.append("not in the article: " + "; ".join(missing))
        elif not reasons:
            reasons.append(
                "every required word is there, but the query does not hold "
                "(a NOT, a NEAR distance, a phrase's order, a field, or a quote: scope)"
            )
    return reasons
