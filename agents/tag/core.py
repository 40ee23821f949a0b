"""Tagging one article: entity linking with the knowledge base, then quote attribution."""

from __future__ import annotations

import re
from datetime import date
from typing import Final

from mypy_extensions import mypyc_attr

from wirewatch.streams.records import Article, Entity, Mention, TaggedArticle

from .kb import KnowledgeBase, Target, default_kb, match_text
from .quotes import _HONORIFIC, WORDS, Ref, attribute, part_of_another_name

# Words before a capital that make it the city, not the government it stands for:
# "talks in Moscow" is a place, "Moscow said" is Russia.
_LOCATIVE_WORDS: Final = (
    "in|at|to|near|outside|inside|into|around|across|of|visited|visiting|visit|via|toward|towards"
)
_LOCATIVE: Final = re.compile(rf"(?:\b(?:{_LOCATIVE_WORDS})(?:\s+[A-Z][\w-]+\s+and)?\s+)$")
# The same pattern for the window read backwards: a match at its first character answers what
# searching the window for `_LOCATIVE` answers, in one attempt instead of one per character.
_LOCATIVE_REVERSED: Final = re.compile(
    rf"\s+(?:dna\s+[\w-]+[A-Z]\s+)?(?:{'|'.join(word[::-1] for word in _LOCATIVE_WORDS.split('|'))})(?!\w)"
)
_UNKNOWN_PLACE: Final = ("", "place")


def _is_locative(haystack: str, start: int) -> bool:
    """Whether the 40 characters before `start` end with a locative preposition (`_LOCATIVE`)."""
    return _LOCATIVE_REVERSED.match(haystack[max(0, start - 40) : start][::-1]) is not None


# the tests subclass it to make it fail; compiled, a class allows that only when it says so
@mypyc_attr(allow_interpreted_subclasses=True)
class Tagger:
    """Callable stage: Article -> TaggedArticle. Holds the knowledge base."""

    def __init__(self, kb: KnowledgeBase | None = None) -> None:
        self.kb = kb or default_kb()
        self.kb.add_words(WORDS)  # quote attribution's words, found in linking's automaton pass

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
        word_hits: list = []
        linked = link(kb, text, word_hits)
        entities: dict[str, Entity] = {}
        for ref in linked:
            if ref.kind in ("person", "org", "place"):
                entity = entities.get(ref.ids[0]) or _add_mention(kb, entities, ref.ids[0], None)
                entity.mentions.append(Mention(ref.start, ref.end, text[ref.start : ref.end]))
        for ref in link(kb, article.title):
            entity_id = ref.ids[0] if ref.kind != "role" else _title_role(kb, ref.ids, day)
            if entity_id:
                _add_mention(kb, entities, entity_id, None).in_title = True
        paragraphs = []
        offset = 0
        for block in article.blocks:
            paragraphs.append((offset, block.text))
            offset += len(block.text) + 2
        quotes, reported, referred, strangers = attribute(kb, text, paragraphs, linked, day, word_hits)
        for (start, end), person in referred.items():
            _add_mention(
                kb, entities, person, Mention(start, end, text[start:end]), strangers.get(person, "")
            )
        for quote in (*quotes, *reported):
            if quote.speaker_id and quote.speaker_id not in entities:
                _add_mention(kb, entities, quote.speaker_id, None, quote.speaker)
        return TaggedArticle(
            article=article, entities=list(entities.values()), quotes=quotes, reported=reported
        )


def link(kb: KnowledgeBase, text: str, words: list | None = None) -> list[Ref]:
    """Knowledge-base matches as references: people, roles, organisations and places.

    A weak alias (a surname that is also a common word) counts only after the article used
    the full name or after a title; a capital is the government it stands for unless a
    preposition makes it the place; demonyms are known but are not mentions. `words`: where
    to add the hits of `kb.words` (see `KnowledgeBase.find`).
    """
    haystack = match_text(text)
    matches = kb.find(text, haystack, words)
    named: set[str] | None = None  # the people named in full: needed only for a weak alias
    refs: list[Ref] = []
    for start, end, _surface, targets in matches:
        target: Target = targets[0]
        kind = target.kind
        if kind == "entity":
            entity_kind = kb.names.get(target.entity_id, _UNKNOWN_PLACE)[1]
            if entity_kind == "person" and part_of_another_name(haystack, start, end):
                continue  # "Jana Hoffmeister of Bankhaus Lindner": a bank, not Christian Lindner
            refs.append(Ref(start, end, entity_kind, (target.entity_id,)))
        elif kind == "capital":
            place = _is_locative(haystack, start)
            entity_id = target.entity_id if place else target.stands_for
            refs.append(Ref(start, end, kb.names[entity_id][1], (entity_id,)))
        elif kind == "role":
            refs.append(Ref(start, end, "role", tuple(t.role_key for t in targets if t.kind == "role")))
            # "Pentagon chief" also mentions the organisation it names
            org = kb.organisation_in(text[start:end])
            if org is not None:
                o_start, o_end, org_id = org
                refs.append(Ref(start + o_start, start + o_end, "org", (org_id,)))
        elif kind == "weak":
            if named is None:
                named = {
                    t.entity_id for _s, _e, _surface, found in matches for t in found if t.kind == "entity"
                }
            # (people who share a weak alias, "Lee" of two Korean names: the one named in full)
            fitting = [t.entity_id for t in targets if t.kind == "weak" and t.entity_id in named]
            if len(fitting) == 1:
                refs.append(Ref(start, end, "person", (fitting[0],)))
            elif (
                not fitting and len(targets) == 1 and _HONORIFIC.search(haystack[max(0, start - 20) : start])
            ):
                refs.append(Ref(start, end, "person", (target.entity_id,)))
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
