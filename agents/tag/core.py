"""Tagging one article: entity linking with the knowledge base, then quote attribution."""

from __future__ import annotations

import re
from datetime import date

from wirewatch.streams.records import Article, Entity, Mention, TaggedArticle

from .kb import KnowledgeBase, Target, default_kb, match_text
from .quotes import _HONORIFIC, Ref, attribute

# Words before a capital that make it the city, not the government it stands for:
# "talks in Moscow" is a place, "Moscow said" is Russia.
_LOCATIVE = re.compile(
    r"(?:\b(?:in|at|to|near|outside|inside|into|around|across|of|visited|visiting|visit|via|toward|towards)"
    r"(?:\s+[A-Z][\w-]+\s+and)?\s+)$"
)


class Tagger:
    """Callable stage: Article -> TaggedArticle. Holds the knowledge base."""

    def __init__(self, kb: KnowledgeBase | None = None) -> None:
        self.kb = kb or default_kb()

    def add_people(self, names: list[str]) -> None:
        """Extend the knowledge base with people that watchlists name (known ones are kept)."""
        for name in names:
            if self.kb.person_named(name):
                continue
            parts = name.split()
            aliases = [parts[-1]] if len(parts) > 1 else []
            self.kb.add_person(name, aliases)

    def __call__(self, article: Article) -> TaggedArticle:
        kb = self.kb
        text = article.text
        day = _day(article.published)
        linked = link(kb, text)
        entities: dict[str, Entity] = {}
        for ref in linked:
            if ref.kind in ("person", "org", "place"):
                _add_mention(kb, entities, ref.ids[0], Mention(ref.start, ref.end, text[ref.start : ref.end]))
        for ref in link(kb, article.title):
            entity_id = ref.ids[0] if ref.kind != "role" else _title_role(kb, ref.ids, day)
            if entity_id:
                _add_mention(kb, entities, entity_id, None).in_title = True
        paragraphs = []
        offset = 0
        for block in article.blocks:
            paragraphs.append((offset, block.text))
            offset += len(block.text) + 2
        quotes, reported, roles = attribute(kb, text, paragraphs, linked, day)
        for (start, end), person in roles.items():
            _add_mention(kb, entities, person, Mention(start, end, text[start:end]))
        for quote in (*quotes, *reported):
            if quote.speaker_id and quote.speaker_id not in entities:
                _add_mention(kb, entities, quote.speaker_id, None, quote.speaker)
        return TaggedArticle(
            article=article, entities=list(entities.values()), quotes=quotes, reported=reported
        )


def link(kb: KnowledgeBase, text: str) -> list[Ref]:
    """Knowledge-base matches as references: people, roles, organisations and places.

    A weak alias (a surname that is also a common word) counts only after the article used
    the full name or after a title; a capital is the government it stands for unless a
    preposition makes it the place; demonyms are known but are not mentions.
    """
    matches = kb.find(text)
    named = {t.entity_id for _s, _e, _surface, targets in matches for t in targets if t.kind == "entity"}
    haystack = match_text(text)
    refs: list[Ref] = []
    for start, end, _surface, targets in matches:
        target: Target = targets[0]
        if target.kind == "role":
            refs.append(Ref(start, end, "role", tuple(t.role_key for t in targets if t.kind == "role")))
            # "Pentagon chief" also mentions the organisation it names
            orgs = [
                (o_end - o_start, o_start, o_end, inner[0].entity_id)
                for o_start, o_end, _s, inner in kb.find_all(text[start:end])
                if inner[0].kind == "entity" and kb.names.get(inner[0].entity_id, ("", ""))[1] == "org"
            ]
            if orgs:
                _length, o_start, o_end, org_id = max(orgs)
                refs.append(Ref(start + o_start, start + o_end, "org", (org_id,)))
        elif target.kind == "weak":
            if target.entity_id in named or _HONORIFIC.search(haystack[max(0, start - 20) : start]):
                refs.append(Ref(start, end, "person", (target.entity_id,)))
        elif target.kind == "capital":
            place = bool(_LOCATIVE.search(haystack[max(0, start - 40) : start]))
            entity_id = target.entity_id if place else target.stands_for
            refs.append(Ref(start, end, kb.names[entity_id][1], (entity_id,)))
        elif target.kind == "entity":
            refs.append(
                Ref(start, end, kb.names.get(target.entity_id, ("", "place"))[1], (target.entity_id,))
            )
    return refs


def _title_role(kb: KnowledgeBase, keys: tuple[str, ...], day: date | None) -> str:
    holders = {kb.role_holder(key, day) for key in keys} - {""}
    return holders.pop() if len(holders) == 1 else ""


def _add_mention(
    kb: KnowledgeBase,
    entities: dict[str, Entity],
    entity_id: str,
    mention: Mention | None,
    name_if_unknown: str = "",
) -> Entity:
    entity = entities.get(entity_id)
    if entity is None:
        name, kind = kb.names.get(entity_id, (name_if_unknown or entity_id, "person"))
        entity = entities[entity_id] = Entity(id=entity_id, name=name, type=kind)  # type: ignore[arg-type]
    if mention is not None:
        entity.mentions.append(mention)
    return entity


def _day(published: str) -> date | None:
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


_default: Tagger | None = None


def tag(article: Article) -> TaggedArticle:
    global _default
    if _default is None:
        _default = Tagger()
    return _default(article)
