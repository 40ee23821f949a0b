"""Anchors in story scoring: the people, organisations and quoted speakers of an article. A
story whose articles name who acts, none of them the article's, is another event, however
many words the two share (agencies fill one template for different actors). An article that
names no one is scored on its words alone."""

from __future__ import annotations

from wirewatch.agents.dedup import Deduper
from wirewatch.agents.dedup.features import TERMS_PER_ARTICLE, is_anchor, story_features, words
from wirewatch.agents.state import MemoryStore
from wirewatch.streams.records import Article, Block, Entity, Mention, Quotation, TaggedArticle

# One template, filled for two lenders; the second brief is reworded enough not to be a copy.
TEMPLATE = [
    "{bank} said on Tuesday that it would keep its lending rate for fishing cooperatives "
    "unchanged until the autumn, after the winter catch came in below forecasts along the coast.",
    "\u201cThe cooperatives need a calm season before we ask more of them,\u201d {chief} told "
    "reporters. Skippers had warned that higher repayments would keep trawlers in harbour.",
    "Cooperative boards welcomed the decision but said the lending rate was still too high "
    "for small trawlers, whose fuel and insurance costs rose again this winter.",
]
SECOND = [
    "The lending rate for fishing cooperatives stays where it is until the autumn, {bank} said "
    "on Tuesday, pointing to a winter catch that came in below forecasts.",
    "\u201cWe want the cooperatives to have a calm season,\u201d {chief} told reporters, after "
    "skippers warned that higher repayments would keep trawlers in harbour.",
    "Boards of the cooperatives called the decision welcome but the lending rate too high for "
    "small trawlers, which paid more for fuel and insurance this winter.",
]


def brief(
    article_id: str,
    hour: int,
    bank: tuple[str, str] | None,
    chief: tuple[str, str] | None,
    paragraphs: list[str] = TEMPLATE,
) -> TaggedArticle:
    bank_name = bank[1] if bank else "The lender"
    chief_name = chief[1] if chief else "its chair"
    body = [p.format(bank=bank_name, chief=chief_name) for p in paragraphs]
    # the lender leads the brief: it is in the title, as the tag stage marks it
    entities = [
        Entity(id=ident, name=name, type=kind, mentions=[Mention(0, len(name), name)], in_title=kind == "org")
        for kind, pair in (("org", bank), ("person", chief))
        if pair
        for ident, name in [pair]
    ]
    quotes = [Quotation(text="a calm season", speaker=chief[1], speaker_id=chief[0])] if chief else []
    return TaggedArticle(
        article=Article(
            id=article_id,
            title=f"{bank_name} keeps cooperative lending rate unchanged",
            blocks=[Block(p) for p in body],
            source=f"Outlet {article_id}",
            published=f"2024-04-02T{hour:02d}:00:00Z",
            origin=f"raw/0/{article_id}",
        ),
        entities=entities,
        quotes=quotes,
    )


HARBOUR = ("org:harbour-bank", "Harbour Bank")
UPLAND = ("org:upland-bank", "Upland Bank")
VELKIN = ("person:mara-velkin", "Mara Velkin")
RYE = ("person:tomas-rye", "Tomas Rye")


def test_people_organisations_and_speakers_are_anchors_places_and_words_are_not() -> None:
    tagged = brief("a-1", 8, HARBOUR, VELKIN)
    tagged.entities.append(Entity(id="place:north-cape", name="North Cape", type="place"))
    features = story_features(tagged, words(tagged.article.title), words(tagged.article.text))
    anchors = [feature for feature in features if is_anchor(feature)]
    # the bank, the chief as an entity and as the quoted speaker; the place and every word not
    assert len(anchors) == 3
    assert len(features) - len(anchors) > TERMS_PER_ARTICLE  # the place, the terms, the figures


def test_the_same_template_for_another_lender_is_another_story() -> None:
    deduper = Deduper(MemoryStore())
    first = deduper(brief("a-1", 8, HARBOUR, VELKIN))
    other = deduper(brief("a-2", 9, UPLAND, RYE, SECOND))
    assert not other.duplicate_of
    assert other.story.id != first.story.id


def test_without_anyone_named_the_shared_words_make_it_one_story() -> None:
    """The same two briefs with no one tagged: what the words alone decide (so the test
    above is the anchors' doing)."""
    deduper = Deduper(MemoryStore())
    first = deduper(brief("a-1", 8, None, None))
    other = deduper(brief("a-2", 9, None, None, SECOND))
    assert not other.duplicate_of
    assert other.story.id == first.story.id


def test_a_report_that_shares_one_anchor_joins_and_one_naming_no_one_joins() -> None:
    deduper = Deduper(MemoryStore())
    first = deduper(brief("a-1", 8, HARBOUR, VELKIN))
    # the same lender, another spokesperson quoted
    same_bank = deduper(brief("a-2", 9, HARBOUR, RYE, SECOND))
    assert same_bank.story.id == first.story.id
    # no one named: scored on its words alone
    nameless = deduper(brief("a-3", 10, None, None, SECOND))
    assert nameless.story.id == first.story.id


def test_a_story_counts_its_anchors_while_its_originals_are_in_the_window() -> None:
    store = MemoryStore()
    deduper = Deduper(store, window_hours=24, lateness_hours=1)
    first = deduper(brief("a-1", 8, HARBOUR, VELKIN))
    deduper(brief("a-2", 9, HARBOUR, RYE, SECOND))
    deduper.commit()
    story = deduper.index.stories[first.story.id]
    assert story.anchors == 3 + 3  # bank, chief, speaker in each
    assert Deduper(store).index.stories[first.story.id].anchors == story.anchors  # rebuilt
    # a day and more later both originals have left the window, and the story with them
    later = brief("a-3", 8, UPLAND, RYE)
    later.article.published = "2024-04-04T08:00:00Z"
    deduper(later)
    assert first.story.id not in deduper.index.stories
    assert deduper.index.stories[deduper(later).story.id].anchors == 3


def test_a_new_voice_named_twice_does_not_keep_a_report_from_its_story() -> None:
    """A resident or an expert named twice, outside the title, is a new voice on the event,
    as in a follow-up that quotes the people it affects after the lender's announcement, and
    does not lead the report: the words decide."""
    deduper = Deduper(MemoryStore())
    first = deduper(brief("a-1", 8, HARBOUR, VELKIN))
    follow_up = brief("a-2", 9, None, RYE, SECOND)
    voice = follow_up.entities[0]
    voice.mentions.append(Mention(40, 40 + len(voice.name), voice.name))
    assert deduper(follow_up).story.id == first.story.id
