"""A deterministic benchmark corpus: raw articles and watchlists generated from a seed.

The text is built from templates and word lists written for this file; the people,
organisations, places and agencies come from the knowledge-base data files (so the tagger
and the watchlists have real names to find), the outlets and most speakers are invented.

What a corpus of N records holds (stated here, checked by tests/unit/test_bench_smoke.py):

- one article per record (a feed record carries one item, as a feed poller that splits
  feeds would publish them);
- formats: 40 % plain-text wire copy, 25 % HTML pages, 15 % RSS feed items, 20 % JSON
  (news-API shape), drawn at random per record;
- length: article bodies drawn from a log-normal distribution with a median of 1,900
  characters (σ = 0.45, clipped to 700–12,000), so the raw records have a median near the
  seed articles' 2.6 KB;
- about 30 % duplicates: a third of them byte-identical resends, two thirds syndicated
  copies (the same text under another outlet, format and URL);
- stories: each event is covered by 1 article (50 %), 2–3 (30 %) or 4–8 (20 %) from
  different outlets, published over a few hours; events follow each other in time, so
  records arrive roughly in publication order;
- every article quotes one or two speakers (direct quotations with a speech verb, sometimes
  reported speech), and names organisations and places; a third of the events quote someone
  the knowledge base knows, the others people it does not: mostly people of that event alone
  (a first name and a surname made of syllables), in 15 % of the draws one of a fixed pool of
  recurring commentators.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import orjson
import yaml

REPO = Path(__file__).resolve().parents[2]
TAG_DATA = REPO / "agents" / "tag" / "data"
PARSE_DATA = REPO / "agents" / "parse" / "data"

FORMAT_SHARES = {"text": 0.40, "html": 0.25, "rss": 0.15, "json": 0.20}
DUPLICATE_SHARE = 0.30
EXACT_DUPLICATE_SHARE = 0.10  # of all records; the other 20 % are syndicated copies
RECURRING_SPEAKER_SHARE = 0.15  # of the speakers the knowledge base does not know
STORY_SIZES = ((1, 1, 0.50), (2, 3, 0.30), (4, 8, 0.20))  # (smallest, largest, share of events)
BODY_MEDIAN_CHARS = 1900
BODY_SIGMA = 0.45
BODY_CLIP = (700, 12_000)
# A word every generated article uses: the catch-all watchlist matches it, so most
# original articles raise an alert that the benchmark can follow (story rules permitting).
CATCH_ALL_QUERY = "said"

OUTLETS = [
    "Harbour Ledger",
    "Capital Courier",
    "Northern Gazette",
    "Meridian Post",
    "Steppe Herald",
    "Baltic Dispatch",
    "River City Times",
    "Continental Review",
    "Eastern Monitor",
    "Gulf Observer",
    "Highland Chronicle",
    "Danube Daily",
    "Coastal Record",
    "Frontier Journal",
    "Atlas Bulletin",
    "Prairie Standard",
    "Lakeside Tribune",
    "Summit Report",
]
FIRST_NAMES = [
    "Anna",
    "Marta",
    "Jonas",
    "Elif",
    "Karim",
    "Lena",
    "Tomas",
    "Irina",
    "Samir",
    "Nadia",
    "Pavel",
    "Olga",
    "Hassan",
    "Clara",
    "Viktor",
    "Leila",
    "Ruben",
    "Sofia",
    "Arman",
    "Greta",
    "Yusuf",
    "Mila",
    "Oskar",
    "Daria",
    "Farid",
    "Helena",
    "Bogdan",
    "Amira",
    "Lukas",
    "Zeynep",
]
SURNAMES = [
    "Kowal",
    "Weber",
    "Haddad",
    "Novak",
    "Petrenko",
    "Lindqvist",
    "Aydin",
    "Moreau",
    "Rahimi",
    "Sokolova",
    "Brandt",
    "Kassem",
    "Varga",
    "Orlov",
    "Demir",
    "Halloran",
    "Mendes",
    "Tamm",
    "Farouk",
    "Janssen",
    "Bakirov",
    "Castell",
    "Dvorak",
    "Esfahani",
    "Grimaldi",
    "Holm",
    "Ivanic",
    "Kaya",
    "Lund",
    "Marek",
    "Nazari",
    "Ostrov",
    "Quist",
    "Rinaldi",
    "Sarkis",
]
INVENTED_ROLES = [
    "the deputy energy minister",
    "a spokeswoman for the port authority",
    "the central bank governor",
    "a senior diplomat",
    "the head of the grain exporters' union",
    "an opposition lawmaker",
    "the regional governor",
    "a defence ministry spokesman",
    "the foreign ministry's press officer",
    "a senior economist at a state bank",
    "the chairman of the parliamentary budget committee",
]
TOPICS = [
    ("grain exports", ["wheat", "harvest", "shipments", "tonnes", "port", "corridor", "buyers"]),
    ("gas supplies", ["pipeline", "gas", "contract", "winter", "storage", "prices", "transit"]),
    ("troop withdrawal", ["troops", "withdrawal", "advisers", "security", "bases", "militants"]),
    ("sanctions", ["sanctions", "assets", "banks", "exports", "restrictions", "waivers"]),
    ("election", ["election", "ballots", "turnout", "candidates", "observers", "campaign"]),
    ("peace talks", ["talks", "ceasefire", "delegations", "mediators", "prisoners", "agreement"]),
    ("oil output", ["oil", "output", "barrels", "quotas", "refinery", "tankers"]),
    ("drought", ["drought", "rainfall", "farmers", "reservoirs", "irrigation", "yields"]),
    ("currency", ["currency", "inflation", "rates", "reserves", "markets", "bonds"]),
    ("border incident", ["border", "patrol", "incident", "checkpoint", "investigation", "guards"]),
]
SPEECH_VERBS = [
    "said",
    "told reporters",
    "told journalists",
    "said in a statement",
    "added",
    "said on Tuesday",
]
ALL_COMMON_WORDS = sorted({word for _, words in TOPICS for word in words})


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    surname: str
    role: str  # how an article introduces them


@dataclass(frozen=True, slots=True)
class World:
    """Names from the knowledge-base data files, plus invented people."""

    known_people: tuple[Person, ...]
    invented_people: tuple[Person, ...]
    organisations: tuple[str, ...]
    places: tuple[tuple[str, str, str], ...]  # (country, adjective, capital)
    agencies: tuple[str, ...]


@dataclass(slots=True)
class BenchRecord:
    """One raw record of the corpus, with what the generator knows about it."""

    index: int
    key: bytes
    value: bytes
    format: str
    story: int
    kind: str  # original | exact-duplicate | syndicated
    duplicate_of: int | None = None
    published: str = ""
    headers: dict[str, str] = field(default_factory=dict)


def _load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text("utf-8"))


@cache
def world() -> World:
    people_data = _load_yaml(TAG_DATA / "people.yaml")["people"]
    known = []
    for person in people_data:
        roles = person.get("roles") or []
        role = roles[0]["role"] if roles else "an official"
        known.append(Person(person["name"], person["name"].split()[-1], role))
    organisations = tuple(o["name"] for o in _load_yaml(TAG_DATA / "organisations.yaml")["organisations"])
    places = []
    countries = _load_yaml(TAG_DATA / "places.yaml")["countries"]
    for _code, entry in sorted(countries.items(), key=lambda item: str(item[0])):
        # Two shapes of the data file: {name, forms, demonyms, capital} or {forms, capitals}.
        forms = entry.get("forms") or []
        name = entry.get("name") or (forms[0] if forms else "")
        demonyms = entry.get("demonyms") or [
            f for f in forms[1:] if f.endswith(("an", "ish", "ese", "ch", "i"))
        ]
        capital = entry.get("capital") or next(iter(entry.get("capitals") or []), "")
        if name and demonyms and capital:
            places.append((name, demonyms[0], capital))
    agencies = tuple(a["name"] for a in _load_yaml(PARSE_DATA / "outlets.yaml")["agencies"])
    invented = tuple(
        Person(f"{first} {last}", last, INVENTED_ROLES[(i * 7 + j) % len(INVENTED_ROLES)])
        for i, first in enumerate(FIRST_NAMES)
        for j, last in enumerate(SURNAMES)
        if (i + j) % 3 == 0
    )
    return World(tuple(known), invented, organisations, tuple(places), agencies)


@dataclass(slots=True)
class Event:
    number: int
    topic: str
    words: list[str]
    place: tuple[str, str, str]
    other_place: tuple[str, str, str]
    organisation: str
    speakers: list[Person]
    figure: int
    start: datetime
    landmark: str  # an invented place name that only this event's articles use


@dataclass(slots=True)
class Story:
    """The text of one original article, before it is wrapped in a format."""

    title: str
    paragraphs: list[str]
    outlet: str
    agency: str
    published: datetime
    author: str
    url: str


def _pick_speakers(rng: random.Random, known: World) -> list[Person]:
    # A third of events quote someone the knowledge base knows: watchlists on speakers fire.
    first = rng.choice(known.known_people) if rng.random() < 0.35 else _invented_speaker(rng, known)
    if rng.random() < 0.5:
        return [first]
    return [first, _invented_speaker(rng, known)]


def _invented_speaker(rng: random.Random, known: World) -> Person:
    """Someone the knowledge base does not know: one of the recurring commentators (whom some
    speaker watchlists follow) in RECURRING_SPEAKER_SHARE of the draws, else a person of this
    event's own (a first name and a surname made of syllables, with a role). Drawn from the
    recurring pool alone, the same person spoke in unrelated events: 580 of 851 events in
    3,000 records shared one with another event within 72 hours, which news rarely does."""
    if rng.random() < RECURRING_SPEAKER_SHARE:
        return rng.choice(known.invented_people)
    surname = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    return Person(f"{rng.choice(FIRST_NAMES)} {surname}", surname, rng.choice(INVENTED_ROLES))


SYLLABLES = ["kar", "vel", "mo", "ta", "rin", "sol", "dor", "ne", "lis", "gra", "vo", "bek", "ust", "ira"]
LANDMARKS = ["district", "refinery", "crossing", "terminal", "airbase", "reservoir", "valley", "port"]


def _landmark(rng: random.Random) -> str:
    name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    return f"{name} {rng.choice(LANDMARKS)}"


def _event(rng: random.Random, number: int, start: datetime, known: World) -> Event:
    topic, words = rng.choice(TOPICS)
    place, other = rng.sample(known.places, 2)
    return Event(
        number=number,
        topic=topic,
        words=list(words),
        place=place,
        other_place=other,
        organisation=rng.choice(known.organisations),
        speakers=_pick_speakers(rng, known),
        figure=rng.randrange(3, 950),
        start=start,
        landmark=_landmark(rng),
    )


def _quote_sentence(rng: random.Random, event: Event) -> str:
    words = rng.sample(event.words, 3)
    options = [
        f"We will not accept any decision on {words[0]} that is taken without us",
        f"The question of {words[0]} cannot be separated from the {words[1]}, and everyone here knows it",
        f"Nobody should expect quick results on {words[0]}, but the {words[1]} will not wait",
        f"It is too early to talk about {words[0]}; first we need to see what happens with the {words[1]}",
        f"We have made our position on the {words[0]} clear, and we expect our partners to respect it",
        f"There is no reason for panic over {words[0]}, although the {words[2]} remain a concern",
        f"This is a difficult moment for the {words[1]}, and it requires a lot of patience",
    ]
    return rng.choice(options)


def _paragraph(rng: random.Random, event: Event, first_mention: set[str], quote: bool = False) -> str:
    speaker = rng.choice(event.speakers)
    country, adjective, capital = event.place
    other_country, other_adjective, other_capital = event.other_place
    words = rng.sample(event.words, 3)
    if speaker.name in first_mention:
        who = speaker.surname
    else:
        first_mention.add(speaker.name)
        who = f"{speaker.name}, {speaker.role},"
    kind = 0.0 if quote else rng.random()
    if kind < 0.45:
        verb = rng.choice(SPEECH_VERBS)
        quote = _quote_sentence(rng, event)
        if rng.random() < 0.5:
            return f"“{quote},” {who.rstrip(',')} {verb} in {capital}."
        return (
            f"{who.rstrip(',')} {verb}: “{quote}.” The remarks followed a week of talks on {words[1]} "
            f"and the situation at the {event.landmark}."
        )
    if kind < 0.6:
        return (
            f"{who.rstrip(',')} said that the {words[0]} would depend on how {other_country} responds, "
            f"and that officials in {capital} were watching the {words[1]} closely."
        )
    if kind < 0.8:
        return (
            f"Officials in {capital} said about {event.figure} {words[0]} at the {event.landmark} were affected, a figure that "
            f"analysts in {other_capital} called conservative. The {event.organisation} has not "
            f"commented on the {words[1]}, and {adjective} media said the {words[2]} could take weeks."
        )
    return (
        f"The dispute over {event.topic} has strained relations between {country} and "
        f"{other_country} since the spring, when {other_adjective} officials said the {words[0]} "
        f"had been delayed without notice. Diplomats said on condition of anonymity that the "
        f"{words[1]} would be discussed again at the next meeting."
    )


def _title(rng: random.Random, event: Event) -> str:
    speaker = event.speakers[0]
    country, adjective, _capital = event.place
    word = rng.choice(event.words)
    options = [
        f"{speaker.surname} warns of {word} risks as {country} weighs {event.topic}",
        f"{adjective} officials say {event.topic} hinge on {word}",
        f"{event.organisation} silent as {country} {event.topic} row deepens",
        f"Tension over {event.landmark} as {country} weighs {word}",
        f"{country} and {event.other_place[0]} at odds over {word}",
        f"{speaker.surname}: no quick deal on {event.topic}",
    ]
    return f"{rng.choice(options)} ({event.number}-{rng.randrange(1000)})"


def _story(rng: random.Random, event: Event, index: int, known: World, outlet: str) -> Story:
    target = int(math.exp(rng.gauss(math.log(BODY_MEDIAN_CHARS), BODY_SIGMA)))
    target = max(BODY_CLIP[0], min(BODY_CLIP[1], target))
    first_mention: set[str] = set()
    country, _adjective, _capital = event.place
    speaker = event.speakers[0]
    lead = (
        f"{speaker.name}, {speaker.role}, said on {event.start:%A} that {event.topic} in {country} "
        f"would be discussed with {event.other_place[0]} after reports about the {event.words[0]} "
        f"near the {event.landmark}."
    )
    first_mention.add(speaker.name)
    paragraphs = [lead]
    size = len(lead)
    while size < target:
        paragraph = _paragraph(rng, event, first_mention, quote=len(paragraphs) == 1)
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    published = event.start + timedelta(minutes=rng.randrange(0, 240))
    slug = "-".join(event.topic.split())
    domain = outlet.lower().replace(" ", "") + ".example"
    return Story(
        title=_title(rng, event),
        paragraphs=paragraphs,
        outlet=outlet,
        agency=rng.choice(known.agencies),
        published=published,
        author=f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
        url=f"https://{domain}/{published:%Y/%m}/{slug}-{index}",
    )


def _long_date(moment: datetime) -> str:
    return f"{moment:%B} {moment.day}, {moment.year}"


def render(story: Story, fmt: str) -> bytes:
    """The story as the bytes of one raw record in the given format."""
    iso = story.published.strftime("%Y-%m-%dT%H:%M:%SZ")
    if fmt == "text":
        lines = [
            f"{story.outlet.upper()}: {story.title} – {story.agency}",
            f"({story.agency} – {_long_date(story.published)})",
        ]
        return ("\n\n".join([*lines, *story.paragraphs, "Comment"]) + "\n").encode()
    if fmt == "html":
        body = "\n".join(f"    <p>{escape(p)}</p>" for p in story.paragraphs)
        return (
            '<!doctype html>\n<html lang="en">\n<head>\n  <meta charset="utf-8">\n'
            f"  <title>{escape(story.title)} | {escape(story.outlet)}</title>\n"
            f'  <meta property="og:site_name" content="{escape(story.outlet)}">\n'
            f'  <meta property="article:published_time" content="{iso}">\n'
            f'  <meta name="author" content="{escape(story.author)}">\n'
            f'  <link rel="canonical" href="{story.url}">\n</head>\n<body>\n'
            '  <nav><a href="/">Home</a> <a href="/world">World</a> <a href="/markets">Markets</a></nav>\n'
            "  <article>\n"
            f'    <h1>{escape(story.title)}</h1>\n    <p class="byline">By {escape(story.author)}</p>\n'
            f'    <time datetime="{iso}">{_long_date(story.published)}</time>\n{body}\n  </article>\n'
            "  <footer>Subscribe to our newsletter. All rights reserved.</footer>\n</body>\n</html>\n"
        ).encode()
    if fmt == "rss":
        description = "".join(f"<p>{p}</p>" for p in story.paragraphs)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n  <channel>\n'
            f"    <title>{escape(story.outlet)}</title>\n    <link>{story.url.rsplit('/', 3)[0]}/</link>\n"
            "    <description>News</description>\n    <item>\n"
            f"      <title>{escape(story.title)}</title>\n      <link>{story.url}</link>\n"
            f"      <pubDate>{story.published:%a, %d %b %Y %H:%M:%S} +0000</pubDate>\n"
            f"      <description><![CDATA[{description}]]></description>\n    </item>\n"
            "  </channel>\n</rss>\n"
        ).encode()
    if fmt == "json":
        item = {
            "source": {"id": None, "name": story.outlet},
            "author": story.author,
            "title": story.title,
            "description": story.paragraphs[0],
            "url": story.url,
            "publishedAt": iso,
            "content": "\n\n".join(story.paragraphs),
        }
        return orjson.dumps({"status": "ok", "totalResults": 1, "articles": [item]})
    raise ValueError(f"unknown format {fmt!r}")


def _choose_format(rng: random.Random) -> str:
    return rng.choices(list(FORMAT_SHARES), weights=list(FORMAT_SHARES.values()))[0]


def _story_size(rng: random.Random) -> int:
    roll, total = rng.random(), 0.0
    for smallest, largest, share in STORY_SIZES:
        total += share
        if roll < total:
            return rng.randint(smallest, largest)
    return 1


def generate(count: int, seed: int = 7, start: datetime | None = None) -> list[BenchRecord]:
    """`count` raw records, the same ones for the same seed, in rough publication order."""
    rng = random.Random(seed)
    known = world()
    clock = start or datetime(2023, 3, 1, 6, 0, tzinfo=UTC)
    records: list[BenchRecord] = []
    originals: list[tuple[int, Story]] = []  # (record index, story) of recent originals
    event_number = 0
    pending: list[tuple[Event, str]] = []  # articles of the current event still to write
    while len(records) < count:
        if rng.random() < DUPLICATE_SHARE and originals:
            # Copies of a recent original: what feeds resend and what syndication spreads.
            source_index, story = rng.choice(originals[-40:])
            if rng.random() < EXACT_DUPLICATE_SHARE / DUPLICATE_SHARE:
                first = records[source_index]
                records.append(
                    BenchRecord(
                        len(records),
                        first.key,
                        first.value,
                        first.format,
                        first.story,
                        "exact-duplicate",
                        source_index,
                        first.published,
                    )
                )
                continue
            outlet = rng.choice([o for o in OUTLETS if o != story.outlet])
            copy = Story(
                story.title,
                story.paragraphs,
                outlet,
                story.agency,
                story.published + timedelta(minutes=rng.randrange(5, 90)),
                story.author,
                f"https://{outlet.lower().replace(' ', '')}.example/syndicated/{len(records)}",
            )
            fmt = _choose_format(rng)
            records.append(
                BenchRecord(
                    len(records),
                    f"bench-{len(records)}.{fmt}".encode(),
                    render(copy, fmt),
                    fmt,
                    records[source_index].story,
                    "syndicated",
                    source_index,
                    copy.published.strftime("%Y-%m-%dT%H:%M:%SZ"),
                )
            )
            continue
        if not pending:
            event_number += 1
            clock += timedelta(minutes=rng.randrange(4, 25))
            event = _event(rng, event_number, clock, known)
            pending = [(event, outlet) for outlet in rng.sample(OUTLETS, _story_size(rng))]
        event, outlet = pending.pop()
        story = _story(rng, event, len(records), known, outlet)
        fmt = _choose_format(rng)
        records.append(
            BenchRecord(
                len(records),
                f"bench-{len(records)}.{fmt}".encode(),
                render(story, fmt),
                fmt,
                event.number,
                "original",
                None,
                story.published.strftime("%Y-%m-%dT%H:%M:%SZ"),
            )
        )
        originals.append((len(records) - 1, story))
    return records


def _speaker(rng: random.Random, quoted: list[str], unquoted: list[str]) -> str:
    return rng.choice(quoted) if rng.random() < 0.2 else rng.choice(unquoted)


def watchlists(count: int, seed: int = 11) -> list[dict[str, Any]]:
    """`count` watchlists as the mappings of a watchlist file: keyword queries, speaker lists
    and both, over the corpus vocabulary and beyond it (most match rarely, as real ones do).
    The first one is the catch-all that every original article matches."""
    rng = random.Random(seed)
    known = world()
    quoted = [p.name for p in known.known_people] + [p.name for p in known.invented_people]
    # People the corpus never quotes: most speaker watchlists follow someone else.
    unquoted = [
        f"{first} {last}"
        for i, first in enumerate(FIRST_NAMES)
        for j, last in enumerate(SURNAMES)
        if (i + j) % 3 != 0
    ]
    places = [p[0] for p in known.places] + [p[2] for p in known.places]
    # Terms the corpus never uses: most watchlists are about something else.
    elsewhere = [
        f"{a}{b}" for a in ("vel", "mar", "tor", "kal", "ost", "bri") for b in ("cor", "ix", "ana", "eth")
    ]
    vocabulary = ALL_COMMON_WORDS + places + list(known.organisations) + elsewhere * 16
    result: list[dict[str, Any]] = [{"id": "bench-catch-all", "query": CATCH_ALL_QUERY}]
    while len(result) < count:
        ident = f"bench-{len(result):05d}"
        roll = rng.random()
        a, b, c = rng.sample(vocabulary, 3)
        if roll < 0.60:
            shape = rng.randrange(5)
            query = [
                f'"{a}" AND "{b}"',
                f'"{a}" AND ("{b}" OR "{c}")',
                f'"{a}" NEAR/5 "{b}"',
                f'"{a}" AND "{b}" AND NOT "{c}"',
                f'title:"{a}" AND "{b}"',
            ][shape]
            result.append({"id": ident, "query": query})
        elif roll < 0.85:
            result.append({"id": ident, "speakers": [_speaker(rng, quoted, unquoted)]})
        else:
            result.append(
                {"id": ident, "speakers": [_speaker(rng, quoted, unquoted)], "query": f'quote:"{a}"'}
            )
    return result


def format_mix(records: list[BenchRecord]) -> dict[str, float]:
    return {fmt: sum(r.format == fmt for r in records) / len(records) for fmt in FORMAT_SHARES}


def duplicate_share(records: list[BenchRecord]) -> float:
    return sum(r.kind != "original" for r in records) / len(records)


def median_size(records: list[BenchRecord]) -> float:
    sizes = sorted(len(r.value) for r in records)
    return float(sizes[len(sizes) // 2])
