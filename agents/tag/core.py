"""Tagging one article: entity linking with the knowledge base, then quote attribution."""

from __future__ import annotations

from datetime import date

from wirewatch.streams.records import Article, Entity, Mention, TaggedArticle

from .kb import KnowledgeBase, default_kb
from .quotes import attribute


class Tagger:
    """Callable stage: Article -> TaggedArticle. Holds the knowledge base."""

    def __init__(self, kb: KnowledgeBase | None = None) -> None:
        self.kb = kb or default_kb()

    def add_people(self, names: list[str]) -> None:
        """Extend the knowledge base with people that watchlists name."""
        for name in names:
            parts = name.split()
            aliases = [parts[-1]] if len(parts) > 1 else []
            self.kb.add_person(name, aliases)

    def __call__(self, article: Article) -> TaggedArticle:
        kb = self.kb
        text = article.text
        day = _day(article.published)
        entities: dict[str, Entity] = {}
        mentions: list[tuple[int, int, str, str]] = []
        for start, end, _surface, targets in kb.find(text):
            target = targets[0]
            if target.kind == "role":
                mentions.append((start, end, "role", target.role_key))
                holder = kb.role_holder(target.role_key, day)
                entity_id = holder
            else:
                entity_id = target.entity_id
                kind = kb.names.get(entity_id, ("", "place"))[1]
                mentions.append((start, end, kind, entity_id))
            if entity_id:
                _add_mention(kb, entities, entity_id, Mention(start, end, text[start:end]))
                # metonyms: "the White House" also stands for the United States
                if entity_id in kb.stands_for:
                    _add_mention(kb, entities, kb.stands_for[entity_id], Mention(start, end, text[start:end]))
        for _start, _end, _surface, targets in kb.find(article.title):
            entity_id = targets[0].entity_id or kb.role_holder(targets[0].role_key, day)
            if entity_id:
                entity = _add_mention(kb, entities, entity_id, None)
                entity.in_title = True
        paragraphs = []
        offset = 0
        for block in article.blocks:
            paragraphs.append((offset, block.text))
            offset += len(block.text) + 2
        quotes, reported = attribute(kb, text, paragraphs, mentions, day)
        for quote in quotes:
            if quote.speaker_id and quote.speaker_id not in entities:
                _add_mention(kb, entities, quote.speaker_id, None)
        return TaggedArticle(
            article=article, entities=list(entities.values()), quotes=quotes, reported=reported
        )


def _add_mention(
    kb: KnowledgeBase, entities: dict[str, Entity], entity_id: str, mention: Mention | None
) -> Entity:
    entity = entities.get(entity_id)
    if entity is None:
        name, kind = kb.names.get(entity_id, (entity_id, "person"))
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
