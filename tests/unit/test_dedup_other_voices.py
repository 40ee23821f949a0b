"""Another outlet's report of one event often quotes other people than the first report, each
named once, and no one leads it: its words decide whether it joins (`STORY_WORDS_THRESHOLD`),
unless the story is the same outlet's or names other countries, which is how one agency's
template for two events, or one kind of event in two countries, looks."""

from __future__ import annotations

from wirewatch.agents.dedup import Deduper
from wirewatch.agents.state import MemoryStore
from wirewatch.streams.records import Article, Block, Entity, Mention, Quotation, TaggedArticle


def report(
    article_id: str,
    hour: int,
    source: str,
    title: str,
    paragraphs: list[str],
    speaker: str,
    places: tuple[tuple[str, str], ...] = (),
) -> TaggedArticle:
    """A report as the tag stage leaves it: its places, and one person, named once and quoted."""
    person_id = "person:" + speaker.lower().replace(" ", "-")
    entities = [
        Entity(id=place_id, name=name, type="place", mentions=[Mention(0, len(name), name)])
        for place_id, name in places
    ]
    entities.append(
        Entity(id=person_id, name=speaker, type="person", mentions=[Mention(0, len(speaker), speaker)])
    )
    return TaggedArticle(
        article=Article(
            id=article_id,
            title=title,
            blocks=[Block(p) for p in paragraphs],
            source=source,
            published=f"2025-03-13T{hour:02d}:00:00Z",
            origin=f"raw/0/{article_id}",
        ),
        entities=entities,
        quotes=[Quotation(text="…", speaker=speaker, speaker_id=person_id)],
    )


FLOOD = [
    "Homes and shops in Kilcarrow were flooded overnight after the Dalla river burst its banks "
    "following two days of heavy rain.",
    "The county council said water began entering properties on Mill Street and Quay Lane at "
    "about 3am, and fire crews helped several residents out of ground-floor flats.",
    "\u201cWe have never seen it come up so fast,\u201d said Nora Quill, who runs a bakery on Mill "
    "Street. More than 60mm of rain fell in 24 hours and the river peaked before dawn.",
]
FLOOD_ELSEWHERE = [
    "Dozens of properties in Kilcarrow were flooded early on Thursday when the Dalla overflowed "
    "after a night of heavy rain.",
    "About 30 homes and businesses were affected, mostly on Mill Street and Quay Lane, the county "
    "council said. No one was injured.",
    "\u201cThe pumps were ready, but the volume of water coming off the hills was too much,\u201d "
    "said engineer Ruairi Tobin. Sandbags were handed out at the fire station.",
]


def test_another_outlets_report_quoting_someone_else_joins_on_its_words() -> None:
    deduper = Deduper(MemoryStore())
    first = deduper(
        report(
            "a-1",
            6,
            "Valley Radio",
            "Homes flooded as river bursts its banks in Kilcarrow",
            FLOOD,
            "Nora Quill",
        )
    )
    second = deduper(
        report(
            "a-2",
            8,
            "County Press",
            "Flooding hits Kilcarrow after night of rain",
            FLOOD_ELSEWHERE,
            "Ruairi Tobin",
        )
    )
    assert not second.duplicate_of
    assert second.story.id == first.story.id


# One agency's warning, filled in for two areas and reworded enough not to be a copy
WARNING = [
    "The national weather service has issued a rainfall warning for the Harrow coast, including "
    "Dunmore, Ashby and Kells.",
    "Between 50 and 80 millimetres of rain is expected from Wednesday evening into Thursday "
    "afternoon, with more over the hills. Drivers should allow extra time and check road reports.",
    "\u201cThis system has been on our charts for several days,\u201d said forecaster Lena Ward. "
    "Low-lying roads near the shore may flood at high tide.",
]
WARNING_ELSEWHERE = [
    "A rainfall warning for the Calder valley, including Brack, Ferris and Holm, was issued by the "
    "national weather service on Wednesday.",
    "Up to 70 millimetres is forecast from Wednesday night into Thursday, heaviest on high ground. "
    "Motorists should check road reports before leaving.",
    "\u201cWe have been watching this system for several days,\u201d said forecaster Piet Osner. "
    "Streams in the valley may burst their banks.",
]


def test_the_same_outlets_brief_for_another_area_is_another_story() -> None:
    deduper = Deduper(MemoryStore())
    first = deduper(
        report("a-1", 9, "Coast Wire", "Rainfall warning for the Harrow coast", WARNING, "Lena Ward")
    )
    second = deduper(
        report(
            "a-2", 11, "Coast Wire", "Rainfall warning for the Calder valley", WARNING_ELSEWHERE, "Piet Osner"
        )
    )
    assert not second.duplicate_of
    assert second.story.id != first.story.id


def the_two_warnings_in(first_country: tuple[str, str], second_country: tuple[str, str]) -> bool:
    """Whether the two areas' warnings, from two outlets, each naming a country, are one story."""
    deduper = Deduper(MemoryStore())
    first = deduper(
        report(
            "a-1",
            9,
            "Coast Wire",
            "Rainfall warning for the Harrow coast",
            WARNING,
            "Lena Ward",
            (first_country,),
        )
    )
    second = deduper(
        report(
            "a-2",
            11,
            "Daily Post",
            "Rainfall warning for the Calder valley",
            WARNING_ELSEWHERE,
            "Piet Osner",
            (second_country,),
        )
    )
    return second.story.id == first.story.id


def test_the_words_of_a_report_from_another_country_do_not_join_it() -> None:
    ireland, britain = ("country:IE", "Ireland"), ("country:GB", "United Kingdom")
    assert not the_two_warnings_in(ireland, britain)
    # the same report naming the first one's country is scored on its words, and joins
    assert the_two_warnings_in(ireland, ireland)
