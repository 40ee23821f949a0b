"""Scores the tag stage on the labelled quotation corpus (tests/data/quotes).

Speaker attribution is scored per quotation: a gold quotation is *found* when a predicted
quotation has the same text (whitespace collapsed, curly marks straightened, a trailing comma
or full stop ignored), and *correct* when the predicted speaker is the gold one. A
multi-paragraph quotation is scored per paragraph: each paragraph's part is its own unit,
as the corpus labels it and as the tagger emits it. Precision counts every attributed
prediction (a speaker given to a span that is not a gold quotation, or to an unattributable
one, is a wrong prediction); recall counts the gold quotations that have a speaker.

Run with `pytest -s` to see the per-category table beside the naive baseline (each quote goes
to the nearest person name before it), the figures docs/tag.md reports.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml

from wirewatch.agents.tag import Tagger
from wirewatch.streams.records import Article, Block, TaggedArticle

CORPUS = Path(__file__).resolve().parents[1] / "data" / "quotes"
_STRAIGHT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def normalise(text: str) -> str:
    text = re.sub(r"\s+", " ", text.translate(_STRAIGHT)).strip()
    return text.rstrip(",.").strip()


@cache
def corpus() -> list[dict[str, Any]]:
    return yaml.safe_load((CORPUS / "corpus.yaml").read_text("utf-8"))["articles"]


@cache
def gold_people() -> list[dict[str, Any]]:
    return yaml.safe_load((CORPUS / "people.yaml").read_text("utf-8"))["people"]


def article_of(entry: dict[str, Any]) -> Article:
    return Article(
        id=entry["id"],
        title=entry["title"],
        blocks=[Block(text) for text in entry["paragraphs"]],
        source=entry["source"],
        published=f"{entry['published']}T00:00:00Z",
    )


@cache
def tagged_corpus() -> dict[str, TaggedArticle]:
    tagger = Tagger()
    return {entry["id"]: tagger(article_of(entry)) for entry in corpus()}


@dataclass
class Score:
    """Attribution counts for one category (or overall)."""

    gold: int = 0  # gold quotations with a speaker
    found: int = 0  # gold quotations (any) whose text was predicted as a quotation
    total: int = 0  # gold quotations (any)
    predicted: int = 0  # predictions with a speaker, on this category's gold spans
    correct: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 1.0


@dataclass
class Report:
    categories: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    overall: Score = field(default_factory=Score)
    spurious: list[tuple[str, str, str]] = field(default_factory=list)  # attributed non-gold spans
    errors: list[tuple[str, str, str, str]] = field(default_factory=list)  # (id, text, gold, predicted)


def score_attribution(
    predict: dict[str, list[tuple[str, str]]], entries: list[dict[str, Any]] | None = None
) -> Report:
    """`predict` maps article id to [(quotation text, speaker)] as a system produced them;
    `entries`: the labelled articles (the corpus when not given)."""
    report = Report()
    for entry in entries if entries is not None else corpus():
        remaining = [(normalise(text), speaker) for text, speaker in predict[entry["id"]]]
        for quote in entry["quotes"]:
            wanted = normalise(quote["text"])
            match = next((i for i, (text, _s) in enumerate(remaining) if text == wanted), None)
            predicted = remaining.pop(match)[1] if match is not None else ""
            for score in (report.overall, *(report.categories[c] for c in quote.get("categories", []))):
                score.total += 1
                score.found += match is not None
                score.gold += bool(quote["speaker"])
                score.predicted += bool(predicted)
                score.correct += bool(predicted) and predicted == quote["speaker"]
            if predicted != quote["speaker"]:
                report.errors.append((entry["id"], quote["text"][:60], quote["speaker"], predicted))
        for text, speaker in remaining:  # predictions on spans that are not gold quotations
            if speaker:
                report.overall.predicted += 1
                report.spurious.append((entry["id"], text[:60], speaker))
    return report


def tagger_predictions() -> dict[str, list[tuple[str, str]]]:
    return {aid: [(q.text, q.speaker) for q in t.quotes] for aid, t in tagged_corpus().items()}


def baseline_predictions() -> dict[str, list[tuple[str, str]]]:
    """The naive baseline: each gold quotation goes to the nearest person name before it."""
    names = sorted(
        (
            (alias, person["name"])
            for person in gold_people()
            for alias in [person["name"], *person["aliases"]]
        ),
        key=lambda pair: -len(pair[0]),
    )
    pattern = re.compile(r"\b(" + "|".join(re.escape(alias) for alias, _ in names) + r")\b")
    canonical = dict(names)
    result: dict[str, list[tuple[str, str]]] = {}
    for entry in corpus():
        text = "\n\n".join(entry["paragraphs"])
        cursor, predictions = 0, []
        for quote in entry["quotes"]:
            at = text.find(quote["text"], cursor)
            cursor = at + 1
            before = list(pattern.finditer(text, 0, at))
            predictions.append((quote["text"], canonical[before[-1].group(1)] if before else ""))
        result[entry["id"]] = predictions
    return result


def entity_scores() -> tuple[float, float, float, list[str]]:
    """Micro precision, recall and F1 of linked entities (canonical name and type) per article."""
    true_positive = predicted = gold = 0
    misses: list[str] = []
    for entry in corpus():
        if entry["entities"] is None:  # labelled for attribution only (the corpus README says why)
            continue
        wanted = {(e["name"], e["type"]) for e in entry["entities"]}
        got = {(e.name, e.type) for e in tagged_corpus()[entry["id"]].entities}
        true_positive += len(wanted & got)
        predicted += len(got)
        gold += len(wanted)
        misses += [f"{entry['id']} missed {n} ({t})" for n, t in sorted(wanted - got)]
        misses += [f"{entry['id']} extra {n} ({t})" for n, t in sorted(got - wanted)]
    precision, recall = true_positive / predicted, true_positive / gold
    return precision, recall, 2 * precision * recall / (precision + recall), misses


def table(system: Report, baseline: Report) -> str:
    lines = [
        "| category | quotes | found | precision | recall | baseline P | baseline R |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    rows = sorted(system.categories.items(), key=lambda item: -item[1].total)
    for name, score in [("**overall**", system.overall), *rows]:
        base = baseline.overall if name == "**overall**" else baseline.categories[name]
        lines.append(
            f"| {name} | {score.total} | {score.found} | {score.precision:.3f} | {score.recall:.3f} "
            f"| {base.precision:.3f} | {base.recall:.3f} |"
        )
    return "\n".join(lines)


# --- the tests -------------------------------------------------------------------------


def test_corpus_is_big_enough_for_the_issue() -> None:
    quotes = [q for entry in corpus() for q in entry["quotes"]]
    assert len(corpus()) >= 40 and len(quotes) >= 150
    for category in (
        "role",
        "pronoun",
        "prior_sentence",
        "multi_paragraph",
        "speaker_after",
        "mention_inside",
    ):
        assert sum(category in q["categories"] for q in quotes) >= 15, category


def test_speaker_attribution_precision_and_recall() -> None:
    system = score_attribution(tagger_predictions())
    baseline = score_attribution(baseline_predictions())
    print("\n" + table(system, baseline))
    for error in system.errors:
        print("  wrong:", error)
    for spurious in system.spurious:
        print("  spurious:", spurious)
    assert system.overall.precision >= 0.95
    assert system.overall.recall >= 0.90
    # people no knowledge base knows are most of those the news quotes: held to the same aims
    unknown = system.categories["unknown_speaker"]
    assert unknown.precision >= 0.95 and unknown.recall >= 0.90
    # the corpus must stay hard: the naive baseline is far from the targets
    assert baseline.overall.precision < 0.80


def test_every_gold_quotation_is_found() -> None:
    system = score_attribution(tagger_predictions())
    assert system.overall.found / system.overall.total >= 0.97


def test_titles_and_scare_quotes_are_not_quotations() -> None:
    wrong = [
        (entry["id"], text)
        for entry in corpus()
        for text in entry["not_quotes"]
        if any(normalise(q.text) == normalise(text) for q in tagged_corpus()[entry["id"]].quotes)
    ]
    assert not wrong


def test_reported_speech_is_kept_apart() -> None:
    found = total = 0
    for entry in corpus():
        tagged = tagged_corpus()[entry["id"]]
        for item in entry["reported"]:
            total += 1
            wanted = normalise(item["text"])
            found += any(
                wanted in normalise(r.text) and r.speaker == item["speaker"] for r in tagged.reported
            )
            # reported speech is never a direct quotation
            assert not any(normalise(q.text) == wanted for q in tagged.quotes)
    print(f"\nreported speech: {found}/{total} found with their speaker")
    assert found / total >= 0.80


def test_knowledge_base_entity_linking_f1() -> None:
    precision, recall, f1, misses = entity_scores()
    print(f"\nentity linking: precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f}")
    for miss in misses:
        print("  ", miss)
    assert f1 >= 0.90


def test_scorer_can_fail() -> None:
    """The scorer itself: a system that names the wrong speaker everywhere scores zero."""
    wrong = {
        aid: [(q["text"], "Nobody In Particular") for q in entry["quotes"]]
        for aid, entry in ((e["id"], e) for e in corpus())
    }
    report = score_attribution(wrong)
    assert report.overall.correct == 0 and report.overall.precision == 0.0


class Floor(NamedTuple):
    """What a set must score: its quotations found (a share of them), attribution precision
    and recall, and the share of its reported-speech items found with their speaker."""

    found: float
    precision: float
    recall: float
    reported: float


# heldout.yaml to heldout21.yaml, heldout23.yaml to heldout38.yaml and heldout41.yaml to
# heldout74.yaml were mended for the faults they showed, and are held to the aims, but for the
# precision of heldout9.yaml (0.950 since 2026-12-07, 0.918 before: two people of one surname told apart only by pronouns, a
# company set off by commas; README.md). heldout25.yaml (0.940 until the rules of heldout45: a
# scare quote of an unnamed coach inside a "when" clause) and heldout32.yaml (0.947 until the kin
# rules of heldout43: an obituary's subject, "she" after her daughter spoke) now meet them.
# heldout22.yaml, heldout39.yaml and heldout40.yaml are kept held out (scored, never tuned to:
# precision / recall 0.957 / 0.957, 0.932 / 0.932 and 0.938 / 0.952 on arrival; heldout40
# came to 0.984 / 1.000 with the rules mended for heldout37 and heldout38, and heldout22 to
# 0.986 / 0.986 with those of heldout45, both unread): their floors only keep them from falling.
# heldout41.yaml to heldout54.yaml came four at once and then in pairs, each read and mended
# once the next were committed (README.md; heldout44 finds 82 of its 83 quotations: a placard's
# short slogan, "We are not ATMs", is taken for a title). heldout49.yaml's figures, before its
# text was read, showed two rules of heldout43's and heldout45's rounds doing harm on unseen
# copy, and both were withdrawn. heldout55.yaml to heldout58.yaml came four at once a day later,
# and were read with heldout53.yaml and heldout54.yaml once heldout59.yaml and heldout60.yaml
# were committed; heldout59.yaml to heldout62.yaml were read once heldout63.yaml and
# heldout64.yaml were, those two once heldout65.yaml and heldout66.yaml were, and those two
# once heldout67.yaml and heldout68.yaml were. Those two, written from a third brief
# (BRIEF_PUBLIC.md: public figures of the knowledge base in roles they held on the article's
# date), were read once heldout69.yaml and heldout70.yaml, from the same brief, were, those
# two once heldout71.yaml and heldout72.yaml were, those two once heldout73.yaml and
# heldout74.yaml were, and those two once heldout75.yaml and heldout76.yaml were. Those two
# were read once heldout77.yaml and heldout78.yaml, from the first brief again, and
# heldout79.yaml and heldout80.yaml, from the third, were committed; those four were read
# once heldout81.yaml (first brief) and heldout82.yaml (third) were, and those two once
# heldout83.yaml (first brief) and heldout84.yaml (third) were, those two once
# heldout85.yaml (first brief) and heldout86.yaml (third) were, and those two once
# heldout87.yaml (first brief) and heldout88.yaml (third) were, and those two once
# heldout89.yaml (first brief) and heldout90.yaml (third) were, and those two once
# heldout91.yaml (first brief) and heldout92.yaml (third) were, and those two once
# heldout93.yaml (first brief) and heldout94.yaml (third) were, and those two once
# heldout95.yaml (first brief) and heldout96.yaml (third) were, and those two once
# heldout97.yaml (first brief) and heldout98.yaml (third) were, and those two once
# heldout99.yaml (first brief) and heldout100.yaml (third) were, and those two once
# heldout101.yaml (first brief) and heldout102.yaml (third) were, and those two once
# heldout103.yaml (first brief) and heldout104.yaml (third) were, and those two once
# heldout105.yaml (first brief) and heldout106.yaml (third) were, and those two once
# heldout107.yaml (first brief) and heldout108.yaml (third) were, and those two once
# heldout109.yaml (first brief) and heldout110.yaml (third) were, and those two once
# heldout111.yaml (first brief) and heldout112.yaml (third) were, those two once
# heldout113.yaml (first brief) and heldout114.yaml (third) were, and so on two by two up to
# heldout177.yaml (first brief) and heldout178.yaml (third), read once heldout179.yaml (first
# brief) and heldout180.yaml (third) were. These two, and the sets after them, wait unread with
# floors at their arrival figures. heldout107.yaml is held to 0.97 / 0.95 (a pupil named by her
# first name alone is never taken for a person), heldout141.yaml finds 86 of its 87 spans (a
# petition that 'described the plan as "Kilbrannagh's own Berlin Wall"' reads as a label), and
# heldout171.yaml 80 of its 81 (T-shirts printed with the slogan "Hands off our Freibad": a
# slogan named as such reads as a label).
DEVELOPMENT = Floor(1.0, 0.95, 0.90, 0.80)
HELD_OUT_FLOORS = {
    "heldout.yaml": DEVELOPMENT,
    "heldout2.yaml": DEVELOPMENT,
    "heldout3.yaml": DEVELOPMENT,
    "heldout4.yaml": DEVELOPMENT,
    "heldout5.yaml": DEVELOPMENT,
    "heldout6.yaml": DEVELOPMENT,
    "heldout7.yaml": DEVELOPMENT,
    "heldout8.yaml": DEVELOPMENT,
    "heldout9.yaml": Floor(1.0, 0.95, 0.96, 0.95),
    "heldout10.yaml": DEVELOPMENT,
    "heldout11.yaml": DEVELOPMENT,
    "heldout12.yaml": DEVELOPMENT,
    "heldout13.yaml": DEVELOPMENT,
    "heldout14.yaml": DEVELOPMENT,
    "heldout15.yaml": DEVELOPMENT,
    "heldout16.yaml": DEVELOPMENT,
    "heldout17.yaml": DEVELOPMENT,
    "heldout18.yaml": DEVELOPMENT,
    "heldout19.yaml": DEVELOPMENT,
    "heldout20.yaml": DEVELOPMENT,
    "heldout21.yaml": DEVELOPMENT,
    "heldout22.yaml": Floor(1.0, 0.98, 0.98, 0.95),
    "heldout23.yaml": DEVELOPMENT,
    "heldout24.yaml": DEVELOPMENT,
    "heldout25.yaml": DEVELOPMENT,
    "heldout26.yaml": DEVELOPMENT,
    "heldout27.yaml": DEVELOPMENT,
    "heldout28.yaml": DEVELOPMENT,
    "heldout29.yaml": DEVELOPMENT,
    "heldout30.yaml": DEVELOPMENT,
    "heldout31.yaml": DEVELOPMENT,
    "heldout32.yaml": DEVELOPMENT,
    "heldout33.yaml": DEVELOPMENT,
    "heldout34.yaml": DEVELOPMENT,
    "heldout35.yaml": DEVELOPMENT,
    "heldout36.yaml": DEVELOPMENT,
    "heldout37.yaml": DEVELOPMENT,
    "heldout38.yaml": DEVELOPMENT,
    "heldout39.yaml": Floor(1.0, 0.93, 0.93, 0.85),
    "heldout40.yaml": Floor(1.0, 0.98, 0.99, 0.95),
    "heldout41.yaml": DEVELOPMENT,
    "heldout42.yaml": DEVELOPMENT,
    "heldout43.yaml": DEVELOPMENT,
    "heldout44.yaml": Floor(0.98, 0.95, 0.90, 0.80),
    "heldout45.yaml": DEVELOPMENT,
    "heldout46.yaml": DEVELOPMENT,
    "heldout47.yaml": DEVELOPMENT,
    "heldout48.yaml": DEVELOPMENT,
    "heldout49.yaml": DEVELOPMENT,
    "heldout50.yaml": DEVELOPMENT,
    "heldout51.yaml": DEVELOPMENT,
    "heldout52.yaml": DEVELOPMENT,
    "heldout53.yaml": DEVELOPMENT,
    "heldout54.yaml": DEVELOPMENT,
    "heldout55.yaml": DEVELOPMENT,
    "heldout56.yaml": DEVELOPMENT,
    "heldout57.yaml": DEVELOPMENT,
    "heldout58.yaml": DEVELOPMENT,
    "heldout59.yaml": DEVELOPMENT,
    "heldout60.yaml": DEVELOPMENT,
    "heldout61.yaml": DEVELOPMENT,
    "heldout62.yaml": DEVELOPMENT,
    "heldout63.yaml": DEVELOPMENT,
    "heldout64.yaml": DEVELOPMENT,
    "heldout65.yaml": DEVELOPMENT,
    "heldout66.yaml": DEVELOPMENT,
    "heldout67.yaml": DEVELOPMENT,
    "heldout68.yaml": DEVELOPMENT,
    "heldout69.yaml": DEVELOPMENT,
    "heldout70.yaml": DEVELOPMENT,
    "heldout71.yaml": DEVELOPMENT,
    "heldout72.yaml": DEVELOPMENT,
    "heldout73.yaml": DEVELOPMENT,
    "heldout74.yaml": DEVELOPMENT,
    "heldout75.yaml": DEVELOPMENT,
    "heldout76.yaml": DEVELOPMENT,
    "heldout77.yaml": DEVELOPMENT,
    "heldout78.yaml": DEVELOPMENT,
    "heldout79.yaml": DEVELOPMENT,
    "heldout80.yaml": DEVELOPMENT,
    "heldout81.yaml": DEVELOPMENT,
    "heldout82.yaml": DEVELOPMENT,
    "heldout83.yaml": DEVELOPMENT,
    "heldout84.yaml": DEVELOPMENT,
    "heldout85.yaml": DEVELOPMENT,
    "heldout86.yaml": DEVELOPMENT,
    "heldout87.yaml": DEVELOPMENT,
    "heldout88.yaml": DEVELOPMENT,
    "heldout89.yaml": DEVELOPMENT,
    "heldout90.yaml": DEVELOPMENT,
    "heldout91.yaml": DEVELOPMENT,
    "heldout92.yaml": DEVELOPMENT,
    "heldout93.yaml": DEVELOPMENT,
    "heldout94.yaml": DEVELOPMENT,
    "heldout95.yaml": DEVELOPMENT,
    "heldout96.yaml": DEVELOPMENT,
    "heldout97.yaml": DEVELOPMENT,
    "heldout98.yaml": DEVELOPMENT,
    "heldout99.yaml": DEVELOPMENT,
    "heldout100.yaml": DEVELOPMENT,
    "heldout101.yaml": DEVELOPMENT,
    "heldout102.yaml": DEVELOPMENT,
    "heldout103.yaml": DEVELOPMENT,
    "heldout104.yaml": DEVELOPMENT,
    "heldout105.yaml": DEVELOPMENT,
    "heldout106.yaml": DEVELOPMENT,
    "heldout107.yaml": Floor(1.0, 0.97, 0.95, 0.96),
    "heldout108.yaml": DEVELOPMENT,
    "heldout109.yaml": DEVELOPMENT,
    "heldout110.yaml": DEVELOPMENT,
    "heldout111.yaml": DEVELOPMENT,
    "heldout112.yaml": DEVELOPMENT,
    "heldout113.yaml": DEVELOPMENT,
    "heldout114.yaml": DEVELOPMENT,
    "heldout115.yaml": DEVELOPMENT,
    "heldout116.yaml": DEVELOPMENT,
    "heldout117.yaml": DEVELOPMENT,
    "heldout118.yaml": DEVELOPMENT,
    "heldout119.yaml": DEVELOPMENT,
    "heldout120.yaml": DEVELOPMENT,
    "heldout121.yaml": DEVELOPMENT,
    "heldout122.yaml": DEVELOPMENT,
    "heldout123.yaml": DEVELOPMENT,
    "heldout124.yaml": DEVELOPMENT,
    "heldout125.yaml": DEVELOPMENT,
    "heldout126.yaml": DEVELOPMENT,
    "heldout127.yaml": DEVELOPMENT,
    "heldout128.yaml": DEVELOPMENT,
    "heldout129.yaml": DEVELOPMENT,
    "heldout130.yaml": DEVELOPMENT,
    "heldout131.yaml": DEVELOPMENT,
    "heldout132.yaml": DEVELOPMENT,
    "heldout133.yaml": DEVELOPMENT,
    "heldout134.yaml": DEVELOPMENT,
    "heldout135.yaml": DEVELOPMENT,
    "heldout136.yaml": DEVELOPMENT,
    "heldout137.yaml": DEVELOPMENT,
    "heldout138.yaml": DEVELOPMENT,
    "heldout139.yaml": DEVELOPMENT,
    "heldout140.yaml": DEVELOPMENT,
    "heldout141.yaml": Floor(0.98, 0.95, 0.90, 0.80),
    "heldout142.yaml": DEVELOPMENT,
    "heldout143.yaml": DEVELOPMENT,
    "heldout144.yaml": DEVELOPMENT,
    "heldout145.yaml": DEVELOPMENT,
    "heldout146.yaml": DEVELOPMENT,
    "heldout147.yaml": DEVELOPMENT,
    "heldout148.yaml": DEVELOPMENT,
    "heldout149.yaml": DEVELOPMENT,
    "heldout150.yaml": DEVELOPMENT,
    "heldout151.yaml": DEVELOPMENT,
    "heldout152.yaml": DEVELOPMENT,
    "heldout153.yaml": DEVELOPMENT,
    "heldout154.yaml": DEVELOPMENT,
    "heldout155.yaml": DEVELOPMENT,
    "heldout156.yaml": DEVELOPMENT,
    "heldout157.yaml": DEVELOPMENT,
    "heldout158.yaml": DEVELOPMENT,
    "heldout159.yaml": DEVELOPMENT,
    "heldout160.yaml": DEVELOPMENT,
    "heldout161.yaml": DEVELOPMENT,
    "heldout162.yaml": DEVELOPMENT,
    "heldout163.yaml": DEVELOPMENT,
    "heldout164.yaml": DEVELOPMENT,
    "heldout165.yaml": DEVELOPMENT,
    "heldout166.yaml": DEVELOPMENT,
    "heldout167.yaml": DEVELOPMENT,
    "heldout168.yaml": DEVELOPMENT,
    "heldout169.yaml": DEVELOPMENT,
    "heldout170.yaml": DEVELOPMENT,
    "heldout171.yaml": Floor(0.98, 0.95, 0.90, 0.80),
    "heldout172.yaml": DEVELOPMENT,
    "heldout173.yaml": DEVELOPMENT,
    "heldout174.yaml": DEVELOPMENT,
    "heldout175.yaml": DEVELOPMENT,
    "heldout176.yaml": DEVELOPMENT,
    "heldout177.yaml": DEVELOPMENT,
    "heldout178.yaml": DEVELOPMENT,
    "heldout179.yaml": Floor(1.0, 1.0, 1.0, 0.95),
    "heldout180.yaml": Floor(1.0, 1.0, 1.0, 1.0),
    "heldout181.yaml": Floor(1.0, 0.98, 1.0, 1.0),
}


def test_every_independently_written_set_is_scored() -> None:
    """A new held-out file is scored from the day it is committed: it needs a floor here."""
    assert sorted(path.name for path in CORPUS.glob("heldout*.yaml")) == sorted(HELD_OUT_FLOORS)


@pytest.mark.parametrize("name", sorted(HELD_OUT_FLOORS))
def test_the_independently_written_sets(name: str) -> None:
    """tests/data/quotes/heldout*.yaml: articles written apart from the rules, by authors who
    did not read them (README.md, "The held-out set"), attribution and reported speech."""
    entries = yaml.safe_load((CORPUS / name).read_text("utf-8"))["articles"]
    tagger = Tagger()
    tagged = {entry["id"]: tagger(article_of(entry)) for entry in entries}
    report = score_attribution(
        {aid: [(q.text, q.speaker) for q in t.quotes] for aid, t in tagged.items()}, entries
    )
    print(f"\n{name}: precision {report.overall.precision:.3f} recall {report.overall.recall:.3f}")
    for error in report.errors:
        print("  wrong:", error)
    floor = HELD_OUT_FLOORS[name]
    assert report.overall.found >= floor.found * report.overall.total
    assert report.overall.precision >= floor.precision and report.overall.recall >= floor.recall
    reported = [
        any(normalise(item["text"]) in normalise(r.text) and r.speaker == item["speaker"] for r in t.reported)
        for entry, t in ((entry, tagged[entry["id"]]) for entry in entries)
        for item in entry["reported"]
    ]
    assert sum(reported) / len(reported) >= floor.reported
