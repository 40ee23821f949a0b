"""The optional NER stage's wrapper: unknown names are added, known spans are left alone.

The model is replaced here by a stand-in that returns fixed entity spans (a unit test of the
wrapper, not of the model; tests/unit/test_ner_stage.py runs the real one).
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

from wirewatch.agents.tag import Tagger
from wirewatch.agents.tag.ner import NamedEntityRecognizer
from wirewatch.streams.records import Article, Block


@dataclass
class Span:
    start_char: int
    end_char: int
    text: str
    label_: str


@dataclass
class Doc:
    ents: list[Span]


def fake_model(spans: dict[str, str]):
    """A stand-in for spaCy: finds each given surface in the text with its label."""

    def nlp(text: str) -> Doc:
        found = []
        for surface, label in spans.items():
            at = text.find(surface)
            if at >= 0:
                found.append(Span(at, at + len(surface), surface, label))
        return Doc(found)

    return nlp


def tagged_article():
    text = '"We will open in Tromsvik next spring," said Ada Quillfeather of Northwind Ferries in Oslo.'
    return Tagger()(Article(id="n", title="t", blocks=[Block(text)], published="2023-01-01T00:00:00Z"))


def test_names_the_knowledge_base_does_not_know_are_added() -> None:
    ner = NamedEntityRecognizer(
        nlp=fake_model(
            {"Ada Quillfeather": "PERSON", "Northwind Ferries": "ORG", "Tromsvik": "GPE", "Oslo": "GPE"}
        )
    )
    result = ner(tagged_article())
    by_id = {e.id: e for e in result.entities}
    assert by_id["person:ada-quillfeather"].type == "person"
    assert by_id["org:northwind-ferries"].type == "org"
    assert by_id["place:tromsvik"].surfaces == ["Tromsvik"]
    # Oslo is the knowledge base's: linked once, under its own id, not duplicated by the model
    assert "place:oslo" in by_id and by_id["place:oslo"].count == 1


def test_labels_outside_person_org_place_are_ignored_and_quotes_untouched() -> None:
    before = tagged_article()
    result = NamedEntityRecognizer(nlp=fake_model({"next spring": "DATE"}))(before)
    assert {e.id for e in result.entities} == {e.id for e in before.entities}
    assert result.quotes == before.quotes


def test_the_default_pipeline_never_imports_spacy(seed_bytes) -> None:
    # in a fresh interpreter: other tests in this process load spaCy on purpose
    script = (
        "import sys\n"
        "from wirewatch.agents.pipeline import Pipeline\n"
        "from wirewatch.streams.records import RawRecord\n"
        "outcome = Pipeline().process(RawRecord(value=sys.stdin.buffer.read()))\n"
        "assert outcome.articles, 'the seed was not processed'\n"
        "print('spacy' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], input=seed_bytes[0], capture_output=True, check=True, timeout=120
    )
    assert done.stdout.strip() == b"False"
