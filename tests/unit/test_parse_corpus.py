"""Scores the parse stage against the labelled corpus in tests/data/parse, field by field.

Every field of tests/data/parse/expected.yaml is checked for every input. The score is the
share of fields that match, per input format and overall; `pytest -s` prints the table that
docs/parse.md reports. A field may fail only when it is listed in KNOWN_HARD_CASES with the
reason it is hard; any other failing field fails the test, and so does a listed case that
has started to pass (so the list cannot go stale).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
import yaml

from wirewatch.agents.parse import ParseResult, parse_bytes
from wirewatch.streams.records import Article, StageError

CORPUS = Path(__file__).resolve().parents[1] / "data" / "parse"
INGEST_MS = 1_800_000_000_000  # 2027-01-15T08:00:00Z: after every date in the corpus
FORMAT_ORDER = ["text", "html", "rss", "atom", "json", "jsonl", "history"]

# Overall field accuracy the parser must reach. About 1,100 fields are checked, so 0.95 allows
# some fifty wrong fields: room for hard cases added to the corpus later (each one listed in
# KNOWN_HARD_CASES with its reason), while losing a whole mechanism (dates, datelines,
# captions, feed items) costs more than that and fails. The parser scores 1.000 today on this
# corpus, which it was tuned on; docs/parse.md says what that does and does not mean.
OVERALL_THRESHOLD = 0.95
# No single format may fall far behind the others: a format has 80-280 fields, so 0.90 is a
# handful of wrong fields, not a broken reader.
PER_FORMAT_THRESHOLD = 0.90

# (file, article number or "dead letters", field) -> why the parser is allowed to miss it.
KNOWN_HARD_CASES: dict[tuple[str, str, str], str] = {}

_ODD_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]+")


def norm(text: str) -> str:
    """The corpus's matching rule: NFC, odd spaces to plain, no soft hyphens, folded spaces."""
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "")
    return " ".join(_ODD_SPACES.sub(" ", text).split())


@dataclass
class Scorecard:
    checked: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    passed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    failures: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def check(self, fmt: str, where: tuple[str, str, str], ok: bool, detail: str) -> None:
        self.checked[fmt] += 1
        if ok:
            self.passed[fmt] += 1
        else:
            self.failures[where] = detail

    def accuracy(self, fmt: str | None = None) -> float:
        if fmt is None:
            return sum(self.passed.values()) / max(1, sum(self.checked.values()))
        return self.passed[fmt] / max(1, self.checked[fmt])

    def table(self) -> str:
        rows = ["| format | fields checked | fields correct | accuracy |", "|---|---:|---:|---:|"]
        for fmt in [f for f in FORMAT_ORDER if self.checked[f]]:
            rows.append(f"| {fmt} | {self.checked[fmt]} | {self.passed[fmt]} | {self.accuracy(fmt):.3f} |")
        total, correct = sum(self.checked.values()), sum(self.passed.values())
        rows.append(f"| **all** | {total} | {correct} | {self.accuracy():.3f} |")
        return "\n".join(rows)


def load_cases() -> list[dict]:
    return yaml.safe_load((CORPUS / "expected.yaml").read_text("utf-8"))["cases"]


def run_parser(data: bytes) -> ParseResult:
    try:
        return parse_bytes(data, ingest_ms=INGEST_MS, origin="corpus")
    except StageError as exc:
        return ParseResult(articles=[], failures=[exc])


def iso_from_ms(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def ingest_times(data: bytes, fmt: str) -> set[str]:
    """What "ingest" means for this input: the parse call's time, or a history record's time."""
    if fmt != "history":
        return {iso_from_ms(INGEST_MS)}
    return {
        iso_from_ms(orjson.loads(line)["timestamp"])
        for line in data.decode("utf-8").splitlines()
        if line.strip()
    }


def accepted_formats(fmt: str) -> set[str]:
    # The parser reports JSON lines as "json" (one input_format for the JSON shapes), and a
    # history record's article keeps the format of its value.
    return {"jsonl": {"json", "jsonl"}, "history": {"text", "html", "json", "history"}}.get(fmt, {fmt})


def score_article(
    card: Scorecard, case: dict, number: int, want: dict, got: Article | None, ingest: set[str]
) -> None:
    fmt, name = case["format"], case["file"]

    def check(field_name: str, ok: bool, detail: str) -> None:
        card.check(fmt, (name, f"article {number}", field_name), ok, detail)

    if got is None:
        check("present", False, "the article is missing")
        return
    check("present", True, "")
    if fmt != "history":
        check("format", got.input_format in accepted_formats(fmt), f"input_format {got.input_format!r}")
    for key in ("title", "source", "agency", "url", "byline", "language"):
        check(key, norm(getattr(got, key)) == norm(want[key]), f"{getattr(got, key)!r} != {want[key]!r}")
    if want["published"] == "ingest":
        check(
            "published",
            got.published_estimated and got.published in ingest,
            f"{got.published!r} estimated={got.published_estimated}, want the ingest time",
        )
    else:
        check(
            "published",
            got.published == want["published"] and not got.published_estimated,
            f"{got.published!r} estimated={got.published_estimated} != {want['published']!r}",
        )
    check(
        "published_precision",
        got.published_precision == want["published_precision"],
        f"{got.published_precision!r} != {want['published_precision']!r}",
    )
    headings = [norm(b.text) for b in got.blocks if b.kind == "h"]
    check("headings", headings == [norm(h) for h in want["headings"]], f"{headings!r}")
    paragraphs = [norm(b.text) for b in got.blocks if b.kind == "p"]
    first = paragraphs[0] if paragraphs else ""
    check("body_starts", first.startswith(norm(want["body_starts"])), f"first paragraph {first[:90]!r}")
    body = norm(" ".join(b.text for b in got.blocks))
    for phrase in want["body_contains"]:
        check(f"body_contains {phrase[:40]!r}", norm(phrase) in body, "not in the body")
    if want["body_contains"]:
        last = paragraphs[-1] if paragraphs else ""
        check("body_ends", norm(want["body_contains"][-1]) in last, f"last paragraph {last[-90:]!r}")
    for phrase in want["body_excludes"]:
        check(f"body_excludes {phrase[:40]!r}", norm(phrase) not in body, "present in the body")
    media = norm(" | ".join(got.media))
    for phrase in want["media"]:
        check(f"media {phrase[:40]!r}", norm(phrase) in media, f"media {got.media!r}")


_LOCATOR_WORDS = {"item": r"item {}\b", "line": r"line {}\b", "offset": r"offset {}\b"}


def score_dead_letters(card: Scorecard, case: dict, failures: list[StageError]) -> None:
    fmt, name = case["format"], case["file"]
    unmatched = list(failures)
    for number, want in enumerate(case["dead_letters"], start=1):
        reasons = {want["reason"], *want.get("also_accept", [])}
        locators = [
            re.compile(pattern.format(want[key])) for key, pattern in _LOCATOR_WORDS.items() if key in want
        ]
        match = next(
            (f for f in unmatched if f.reason in reasons and all(loc.search(str(f)) for loc in locators)),
            None,
        )
        got = [(f.reason, str(f)[:120]) for f in failures]
        card.check(
            fmt,
            (name, "dead letters", f"dead letter {number} ({want['reason']})"),
            match is not None,
            f"got {got}",
        )
        if match is not None:
            unmatched.remove(match)
            card.check(
                fmt,
                (name, "dead letters", f"dead letter {number} message"),
                len(str(match)) > 15,
                "no message a person can act on",
            )
    card.check(
        fmt,
        (name, "dead letters", "no unexpected dead letters"),
        not unmatched,
        f"unexpected {[(f.reason, str(f)[:120]) for f in unmatched]}",
    )


def score_corpus() -> Scorecard:
    card = Scorecard()
    for case in load_cases():
        data = (CORPUS / "inputs" / case["file"]).read_bytes()
        result = run_parser(data)
        ingest = ingest_times(data, case["format"]) if result.articles else set()
        for number, want in enumerate(case["articles"], start=1):
            got = result.articles[number - 1] if number <= len(result.articles) else None
            score_article(card, case, number, want, got, ingest)
        extra = result.articles[len(case["articles"]) :]
        card.check(
            case["format"],
            (case["file"], "articles", "no unexpected articles"),
            not extra,
            f"unexpected {[a.title[:60] for a in extra]}",
        )
        score_dead_letters(card, case, result.failures)
    return card


@pytest.fixture(scope="module")
def scorecard() -> Scorecard:
    card = score_corpus()
    print("\nParse corpus field accuracy\n" + card.table())
    return card


def test_corpus_has_every_input_labelled() -> None:
    labelled = {case["file"] for case in load_cases()}
    on_disk = {p.name for p in (CORPUS / "inputs").iterdir()}
    assert labelled == on_disk
    assert len(labelled) >= 40


def test_only_known_hard_cases_fail(scorecard: Scorecard) -> None:
    unexpected = {k: v for k, v in scorecard.failures.items() if k not in KNOWN_HARD_CASES}
    listing = "\n".join(f"{f} / {a} / {fld}: {d}" for (f, a, fld), d in sorted(unexpected.items()))
    assert not unexpected, f"{len(unexpected)} corpus fields are wrong:\n{listing}"


def test_known_hard_cases_are_still_hard(scorecard: Scorecard) -> None:
    fixed = [k for k in KNOWN_HARD_CASES if k not in scorecard.failures]
    assert not fixed, f"these now pass; remove them from KNOWN_HARD_CASES: {fixed}"


def test_overall_accuracy_meets_the_threshold(scorecard: Scorecard) -> None:
    assert scorecard.accuracy() >= OVERALL_THRESHOLD, scorecard.table()


@pytest.mark.parametrize("fmt", FORMAT_ORDER)
def test_each_format_meets_its_threshold(scorecard: Scorecard, fmt: str) -> None:
    assert scorecard.checked[fmt] > 0, f"the corpus has no {fmt} input"
    assert scorecard.accuracy(fmt) >= PER_FORMAT_THRESHOLD, scorecard.table()


def test_the_scorer_can_fail() -> None:
    """A wrong title and a missing dead letter are counted as failures."""
    card = Scorecard()
    case = {"file": "x.txt", "format": "text", "dead_letters": [{"reason": "empty"}]}
    want = {
        "title": "Right", "source": "", "agency": "", "url": "", "byline": "", "language": "en",
        "published": "ingest", "published_precision": "second", "headings": [], "body_starts": "Body",
        "body_contains": ["Body"], "body_excludes": [], "media": [],
    }  # fmt: skip
    article = parse_bytes(b"Wrong\n\nBody text of the article.\n", ingest_ms=INGEST_MS).articles[0]
    score_article(card, case, 1, want, article, {iso_from_ms(INGEST_MS)})
    score_dead_letters(card, case, [])
    assert ("x.txt", "article 1", "title") in card.failures
    assert ("x.txt", "dead letters", "dead letter 1 (empty)") in card.failures
    assert ("x.txt", "article 1", "body_starts") not in card.failures
