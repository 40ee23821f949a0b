"""Story grouping of reports that tell one event in their own words and quote different people
(the usual case of regional copy), written for this test: the terms a report is compared by are
its rarest words, and the figures it gives, not its first words."""

from __future__ import annotations

import dataclasses

from wirewatch.agents.dedup import Deduper
from wirewatch.agents.state import MemoryStore
from wirewatch.agents.tag import Tagger
from wirewatch.streams.records import Article, Block


def report(article_id: str, source: str, hour: int, title: str, *paragraphs: str) -> Article:
    return Article(
        id=article_id,
        title=title,
        blocks=[Block(p) for p in paragraphs],
        source=source,
        published=f"2025-03-11T{hour:02d}:00:00Z",
        origin=f"raw/0/{article_id}",
    )


FIRST = report(
    "a-1",
    "Dale Courier",
    7,
    "Blaze at Kellerby mill forces 1,200 from their homes",
    "About 1,200 residents of Kellerby spent the night in school halls after fire tore through "
    "the old flax mill on Canal Street late on Monday.",
    "Forty firefighters fought the blaze for six hours. Smoke from the burning roof could be seen "
    "from the motorway, and the canal towpath was closed.",
    '"The roof went in within twenty minutes," said station manager Ruth Oakley. "Our crews kept '
    'it off the terraces, which is what mattered."',
    "The mill had stood empty since 2019. Police said the cause was not yet known.",
)
SECOND = report(
    "a-2",
    "Northern Evening Post",
    9,
    "Families evacuated as fire guts disused Kellerby flax mill",
    "Families on the terraces beside Canal Street were woken by police after a fire took hold of "
    "a disused flax mill, with 1,200 people evacuated overnight.",
    '"We grabbed the children and the cat and ran," said Imran Siddiqui, who lives two doors from '
    'the mill gate. "The heat was like an oven door opening."',
    "Forty firefighters were at the scene. The building, empty since 2019, was still smouldering "
    "at dawn and the towpath stays shut.",
)
ELSEWHERE = report(
    "a-3",
    "Dale Courier",
    10,
    "Fire crews tackle grass fire on Harrowby moor",
    "Crews from three stations were called to a grass fire on Harrowby moor on Tuesday afternoon, "
    "where about 30 hectares of heather burned.",
    '"Dry weather and a strong wind make these fires spread fast," said watch commander Colin '
    'Brandt. "Please do not light barbecues on the moor."',
    "No homes were threatened and the road over the moor reopened by evening.",
)


BUDGET = report(
    "a-0",
    "Dale Courier",
    6,
    "Council approves budget with rise in parking charges",
    "Councillors approved next year's budget on Monday night after a three-hour debate, with "
    "parking charges in the town centre rising by 40p an hour.",
    '"Nobody likes paying more to park, but the alternative was closing two libraries," said '
    "council leader Janet Pryce.",
    "Opposition members said the rise would drive shoppers to out-of-town retail parks.",
)


def test_two_outlets_reports_of_one_fire_are_one_story_and_another_fire_is_not() -> None:
    tagger, deduper = Tagger(), Deduper(MemoryStore())
    budget, first, second, elsewhere = (
        deduper(tagger(article)) for article in (BUDGET, FIRST, SECOND, ELSEWHERE)
    )
    assert not second.duplicate_of
    assert second.story.id == first.story.id and second.story.size == 2
    assert elsewhere.story.id not in (first.story.id, budget.story.id)
    assert first.story.id != budget.story.id


# A local paper keeps a town's accents and writes "flooded"; the wire drops them and writes
# "floods": one event, the same rare words once accents and endings are set aside.
LOCAL = report(
    "a-4",
    "Podhale Evening Herald",
    8,
    "Stará Hůrka cleans up after night of flooding",
    "Shopkeepers in Stará Hůrka shovelled mud out of their doorways on Wednesday after the "
    "Hůrecký brook flooded the market square in the small hours.",
    '"By three o\'clock the water was at the second step," said pharmacist Vilma Kroupová, 64. '
    '"I moved the insulin to the top shelf and waited."',
    "Volunteers filled sandbags at the fire station until dawn, and the sawmill lost a "
    "stack of seasoned beech.",
)
WIRE = report(
    "a-5",
    "Central European Wire",
    10,
    "Floods swamp square in Czech border town",
    "STARA HURKA, Czech Republic (CEW) - Floods swept through the centre of Stara Hurka "
    "overnight when the Hurecky brook burst its banks after a cloudburst, officials said.",
    '"We have never seen the brook rise so fast," deputy mayor Lubos Sedlacek told reporters, '
    "adding that the sandbags ran out before midnight.",
    "A sawmill beside the brook reported heavy losses; no one was hurt.",
)


def test_a_report_without_the_accents_and_another_word_ending_joins_the_story() -> None:
    tagger, deduper = Tagger(), Deduper(MemoryStore())
    budget, local, wire = (deduper(tagger(article)) for article in (BUDGET, LOCAL, WIRE))
    assert wire.story.id == local.story.id != budget.story.id


# A second outlet's report of one accident, written from the village hall: other voices, some of
# the rare words, and the site manager the first report quoted. It scores under
# STORY_THRESHOLD on all its features, and joins on its words and the manager in common.
QUARRY = report(
    "a-6",
    "Fenland Standard",
    7,
    "Quarry conveyor collapse injures two at Ashwick pit",
    "Two workers were taken to hospital after a conveyor gantry collapsed at the Ashwick gravel "
    "pit on Tuesday morning, Breckmoor Aggregates said.",
    '"Both men are conscious and talking, and our thoughts are with their families," said site '
    'manager Colin Rudd. "We have stopped all work on the north face."',
    "The Health and Safety Executive has been told. The pit supplies sand and gravel for the "
    "new bypass and employs 38 people.",
)
QUARRY_AGAIN = report(
    "a-7",
    "East Anglian Courier",
    10,
    "Ashwick villagers demand answers after accident at gravel pit",
    "Residents of Ashwick packed the village hall on Tuesday evening, hours after two men were "
    "hurt at the gravel pit on the edge of the village.",
    '"The lorries have been running flat out since January," said parish councillor Ruth Danby. '
    '"People here have been worried for months, and nobody listened."',
    "Colin Rudd, who manages the site, told the meeting the injured men were recovering. Several "
    "parents asked for a weight limit on Mill Lane, which children walk along to school.",
)


def test_another_outlets_report_with_other_voices_joins_on_its_words_and_an_actor_in_common() -> None:
    tagger, deduper = Tagger(), Deduper(MemoryStore())
    budget, first, second = (deduper(tagger(article)) for article in (BUDGET, QUARRY, QUARRY_AGAIN))
    assert second.story.id == first.story.id != budget.story.id


# One agency's template, filled for two exchanges in two countries, each quoting its own
# strategist: the country in the title tells them apart, as no actor in common does not (the
# strategists, named twice, do not lead the articles).
def close(article_id, hour, city, index, sector, analyst, points, share):
    return report(
        article_id,
        "Baltic Markets Wire",
        hour,
        f"{city} stocks close higher as {sector} lead gains",
        f"{city} shares closed higher on Monday, with the {index} index adding {points} points as "
        f"{sector} led the market after a quiet morning.",
        f'"Investors were happy to buy {sector} again after last week\'s sell-off," said {analyst}, '
        f"a strategist at a local brokerage. {analyst.split()[-1]} said turnover stayed thin.",
        f"The biggest gainer rose {share} per cent. Trading volume was below the monthly average.",
    )


WARSAW = close("a-8", 16, "Warsaw", "WIG20", "banks", "Marek Wolny", 31, 4)
PRAGUE = close("a-9", 16, "Prague", "PX", "utilities", "Tereza Horka", 12, 3)


def test_one_agencys_closes_for_two_countries_are_two_stories() -> None:
    tagger, deduper = Tagger(), Deduper(MemoryStore())
    budget, warsaw, prague = (deduper(tagger(article)) for article in (BUDGET, WARSAW, PRAGUE))
    assert prague.story.id not in (warsaw.story.id, budget.story.id)


def demonym_close(article_id, hour, demonym, country, index, sector, analyst, points, share):
    """The template again, its title naming the country by its demonym ("Polish stocks")."""
    return report(
        article_id,
        "Baltic Markets Wire",
        hour,
        f"{demonym} stocks close higher as {sector} lead gains",
        f"Shares in {country} closed higher on Monday, with the {index} index adding {points} "
        f"points as {sector} led the market after a quiet morning.",
        f'"Investors were happy to buy {sector} again after last week\'s sell-off," said {analyst}, '
        f"a strategist at a local brokerage. {analyst.split()[-1]} said turnover stayed thin.",
        f"The biggest gainer rose {share} per cent. Trading volume was below the monthly average.",
    )


def test_closes_whose_titles_name_their_countries_by_demonym_are_two_stories() -> None:
    tagger, deduper = Tagger(), Deduper(MemoryStore())
    polish = demonym_close("a-10", 16, "Polish", "Poland", "WIG20", "banks", "Marek Wolny", 31, 4)
    hungarian = demonym_close("a-11", 16, "Hungarian", "Hungary", "BUX", "banks", "Anna Fekete", 31, 3)
    budget, first, second = (deduper(tagger(article)) for article in (BUDGET, polish, hungarian))
    assert second.story.id not in (first.story.id, budget.story.id)


# One minister, one press conference, two subjects: two stories, though both name her often.
BRIDGE = report(
    "a-20",
    "Harbour Courier",
    10,
    "Minister Orla Kinsella awards contract to rebuild Ballyvane river bridge",
    "Transport minister Orla Kinsella on Tuesday awarded a 14-million-euro contract to rebuild "
    "the Ballyvane bridge, a 70-year-old crossing that has carried a weight limit since 2021.",
    '"The bridge has served this valley well, but it is worn out," Kinsella told a press '
    "conference in Galway. Work will start in April and take two years.",
    "Kinsella said a temporary crossing would keep lorries moving during the works, and that "
    "the new deck would take two lanes and a cycle path.",
    "Local councillors have campaigned for the rebuild since cracks were found in the piers.",
)
FERRY = report(
    "a-21",
    "Western Wire",
    11,
    "Aran ferry to stay out of service until Friday, Kinsella says",
    "The Aran island ferry will stay out of service until at least Friday while engineers "
    "replace a damaged propeller shaft, transport minister Orla Kinsella said on Tuesday.",
    "Speaking at a press conference in Galway, Kinsella said islanders would be flown to the "
    'mainland for hospital appointments. "Nobody will miss treatment," she said.',
    "Kinsella said the operator had chartered a smaller boat for freight and post, and that "
    "she had asked for a review of the ferry's maintenance schedule.",
    "Kinsella was asked about the ferry at the Galway press conference where she had announced "
    "the contract for the Ballyvane bridge. Islanders said the outage was the third since January.",
)


BRIDGE_AGAIN = report(
    "a-22",
    "Connacht Tribune Online",
    13,
    "Ballyvane bridge rebuild gets green light after years of cracks",
    "Cracked piers and a weight limit that sent lorries on a 20-kilometre detour will soon be "
    "history in Ballyvane, where the 70-year-old river bridge is to be rebuilt.",
    'The 14-million-euro contract was awarded on Tuesday. "We have waited a long time," said '
    "councillor Declan Moran, who has campaigned for the rebuild. A temporary crossing will carry "
    "traffic during the two years of works.",
    "The new deck will have two lanes and a cycle path, transport minister Orla Kinsella said.",
)


def test_one_ministers_two_announcements_at_one_press_conference_are_two_stories() -> None:
    tagger, deduper = Tagger(), Deduper(MemoryStore())
    budget, bridge, ferry, again = (
        deduper(tagger(article)) for article in (BUDGET, BRIDGE, FERRY, BRIDGE_AGAIN)
    )
    assert ferry.story.id not in (bridge.story.id, budget.story.id)
    assert again.story.id == bridge.story.id  # another outlet's report of the bridge joins it


def test_stems_stay_right_when_the_remembered_stems_are_cleared(monkeypatch) -> None:
    """Past its bound the stem memory is emptied while a call still holds words it looked up
    there: a long-running worker must keep going, with the same stems."""
    from wirewatch.agents.dedup import features

    monkeypatch.setattr(features, "_STEMS", {})
    monkeypatch.setattr(features, "_STEMS_KEPT", 3)
    assert features._stems(["floods", "flooded", "rivers", "bridges"]) == ["flood", "flood", "river", "bridg"]
    # two remembered, one new word: the memory is over its bound and is cleared first
    assert features._stems(["floods", "rivers", "closures"]) == ["flood", "river", "closur"]
    assert features._stems(["floods", "closures"]) == ["flood", "closur"]


def _on(article: Article, published: str) -> Article:
    return dataclasses.replace(article, published=published)


# A trial's opening, and another outlet's report of its verdict three days later: the defendant
# is named by no other story, so the days between weigh less.
TRIAL = report(
    "a-30",
    "Dale Courier",
    9,
    "Former parish clerk took £84,000 from village hall fund, court hears",
    "A former parish clerk spent £84,000 from a village hall restoration fund on a caravan, "
    "holidays and gambling, a jury at Lincoln Crown Court heard on Monday.",
    "Graham Tolley, 58, of Saxby, denies nine counts of fraud by abuse of position between 2019 and 2023.",
    '"He treated the hall fund as his own wallet," prosecutor Ann Whitcombe told the jury.',
    "The trial is expected to last a week.",
)
VERDICT = report(
    "a-31",
    "Wolds Radio News",
    15,
    "Saxby clerk guilty of raiding village hall fund",
    "Graham Tolley was convicted on Thursday of stealing money that villagers collected to mend "
    "Saxby's hall.",
    "Jurors took two hours to reach their verdicts. He will be sentenced next month.",
    '"People held jumble sales for years to raise that money," said parish council chair Rita '
    "Hammond outside the court.",
)


def test_a_verdict_days_after_the_trial_opened_joins_it_on_its_defendant() -> None:
    tagger, deduper = Tagger(), Deduper(MemoryStore())
    budget = deduper(tagger(_on(BUDGET, "2025-03-10T06:00:00Z")))
    trial = deduper(tagger(_on(TRIAL, "2025-03-10T09:00:00Z")))
    verdict = deduper(tagger(_on(VERDICT, "2025-03-13T15:00:00Z")))
    assert trial.story.id != budget.story.id
    assert verdict.story.id == trial.story.id
