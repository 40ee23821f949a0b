"""The knowledge base: people, organisations and places from data files, and one
Aho-Corasick automaton (ahocorasick_rs) that finds all their surface forms in one pass.

Why ahocorasick_rs: a maintained automaton (the Rust aho-corasick crate, wheels for every
platform) matching 100k+ patterns in time linear in the text, about three times faster per
character here than pyahocorasick, which it replaced; the default tagging path needs no model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from importlib import resources
from operator import itemgetter
from typing import Any, Final

import ahocorasick_rs
import pycountry
import yaml

from wirewatch.agents.text import fold_accents

_STRAIGHT_PAIRS: Final = (
    ("’", "'"),
    ("‘", "'"),
    ("“", '"'),
    ("”", '"'),
    ("«", '"'),
    ("»", '"'),
    ("‐", "-"),
    ("‑", "-"),
)

# Words that do not tell one role from another ("the new prime minister" is "prime minister").
_ROLE_STOPWORDS: Final = frozenset(
    {"the", "of", "a", "an", "and", "for", "new", "its", "his", "her", "their", "s", "to"}
)
# Spellings of the same function, folded before role words are compared.
_ROLE_PHRASES: Final = (
    ("prime minister", "premier"),
    ("head of government", "premier"),
    ("chief executive officer", "ceo"),
    ("chief executive", "ceo"),
    ("press secretary", "spokesman"),
    ("secretary-general", "secretary general"),
    ("director-general", "director general"),
)
_ROLE_WORDS: Final = {
    "spokeswoman": "spokesman",
    "spokesperson": "spokesman",
    "chairman": "chair",
    "chairwoman": "chair",
    "boss": "chief",
    "skipper": "captain",
    "head": "chief",
    "defense": "defence",
}


def match_text(text: str) -> str:
    """Same length as `text`, with curly quotes and apostrophes straightened for matching."""
    if text.isascii():
        return text
    for curly, straight in _STRAIGHT_PAIRS:  # str.replace is C-speed; translate is not
        if curly in text:
            text = text.replace(curly, straight)
    return text


_NOT_SLUG: Final = re.compile(r"[^a-z0-9]+")  # (compiled once: `re.sub` with a string looks it up per call)


def slug(name: str) -> str:
    """The id part of a name: lower-case ASCII letters and digits, accents dropped ("José
    Álvarez Peña" -> "jose-alvarez-pena"), anything else a hyphen."""
    return _NOT_SLUG.sub("-", fold_accents(name.lower())).strip("-")


@lru_cache(maxsize=65_536)  # the same phrases and titles recur in article after article
def role_words(phrase: str) -> frozenset[str]:
    """The words that identify a role, folded: 'the Russian premier' -> {russian, premier}."""
    text = match_text(phrase).lower().replace("'s ", " ")
    for long, short in _ROLE_PHRASES:
        text = text.replace(long, short)
    words = re.findall(r"[a-z0-9+]+", text)
    return frozenset(_ROLE_WORDS.get(w, w) for w in words if w not in _ROLE_STOPWORDS)


# Offices a possessive before a role names, which are the possessor's, not the role's: a
# "Chancellor's spokesman" or a "Prime Minister's spokesman" is no chancellor or prime minister
_POSSESSOR_OFFICES: Final = frozenset({"president", "chancellor", "premier", "minister", "king", "queen"})


def _office_words(text: str) -> frozenset[str]:
    """`role_words` of a role's name or alias, without the office of a possessor in it."""
    possessor, possessive, rest = match_text(text).rpartition("'s ")
    if not possessive:
        return role_words(text)
    return (role_words(possessor) - _POSSESSOR_OFFICES) | role_words(rest)


@dataclass(slots=True)
class Role:
    role: str
    person_id: str
    start: date | None
    end: date | None
    words: frozenset[str] = frozenset()  # role words of its name, aliases and descriptions
    # the same before its country's other names were added ("lithuanian" without "lithuania")
    own_words: frozenset[str] = frozenset()

    def held_on(self, day: date | None) -> bool:
        if day is None:
            return self.end is None
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(slots=True)
class Person:
    gender: str = ""  # "m", "f" or "" (unknown): pronouns must agree
    country: str = ""  # country id of nationality, e.g. "country:IT"


@dataclass(slots=True, frozen=True)
class Target:
    """What a surface form points to.

    kind: "entity" (entity_id), "weak" (entity_id, a surname that needs an introduction),
    "role" (role_key, resolved by date), "demonym" (entity_id of the country, not a mention),
    "capital" (entity_id of the city; `stands_for` the government it names).
    """

    kind: str
    entity_id: str = ""
    role_key: str = ""
    stands_for: str = ""


@dataclass(slots=True)
class KnowledgeBase:
    names: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (name, type)
    people: dict[str, Person] = field(default_factory=dict)
    stands_for: dict[str, str] = field(default_factory=dict)  # metonym id -> what it stands for
    roles: dict[str, list[Role]] = field(default_factory=dict)  # role key -> holders
    person_roles: dict[str, list[Role]] = field(default_factory=dict)  # person id -> roles
    demonyms: dict[str, str] = field(default_factory=dict)  # "italian" -> "country:IT"
    country_words: dict[str, frozenset[str]] = field(default_factory=dict)  # country id -> its words
    # a country's one-word names, forms and demonyms ("lithuania", "lithuanian"; not "united"
    # of "United States", which the United Auto Workers' president's role has too), and back
    country_own_words: dict[str, frozenset[str]] = field(default_factory=dict)
    country_of_word: dict[str, str] = field(default_factory=dict)  # "lithuanian" -> "country:LT"
    surfaces: dict[str, list[Target]] = field(default_factory=dict)  # surface -> targets
    # Words another part of tagging looks for in the same automaton pass (`find(..., words=)`):
    # word -> what to report with it (quote attribution's cue verbs and anchor words).
    words: dict[str, Any] = field(default_factory=dict)
    _automaton: Any = None
    # by pattern index: the surface and its targets (None for a word alone), and the word's value
    _values: list[tuple[str, list[Target]] | None] = field(default_factory=list)
    _word_values: list[Any] = field(default_factory=list)
    # Role words -> the roles they fit, and person id -> (their nationality fits, their roles that
    # fit). Whether words fit does not depend on the day, so these hold across articles; the
    # dates are checked on use.
    _roles_fitting: dict[frozenset[str], tuple[list[Role], list[Role]]] = field(default_factory=dict)
    _describes_cache: dict[frozenset[str], dict[str, tuple[bool, tuple[Role, ...]]]] = field(
        default_factory=dict
    )
    # person id -> every word their roles and nationality have (see `words_of`)
    _words_of: dict[str, frozenset[str]] = field(default_factory=dict)
    # A role phrase's text -> the longest organisation named inside it, or None.
    _organisations_in: dict[str, tuple[int, int, str] | None] = field(default_factory=dict)

    def add_surface(self, surface: str, target: Target) -> None:
        surface = match_text(surface.strip())
        if len(surface) < 2:
            return
        targets = self.surfaces.setdefault(surface, [])
        if target not in targets:
            targets.append(target)
        self._automaton = None
        self._organisations_in.clear()

    def add_person(
        self, name: str, aliases: list[str] | tuple[str, ...] = (), gender: str = "", country: str = ""
    ) -> str:
        person_id = f"person:{slug(name)}"
        self.names.setdefault(person_id, (name, "person"))
        person = self.people.setdefault(person_id, Person())
        person.gender = person.gender or gender
        person.country = person.country or country
        self._describes_cache.clear()
        self._words_of.clear()
        for surface in (name, *aliases):
            self.add_surface(surface, Target("entity", person_id))
            if _PARTICLE_FIRST.match(surface):
                # a particle that starts a sentence takes a capital: "Al-Sudani also instructed"
                self.add_surface(surface[:1].upper() + surface[1:], Target("entity", person_id))
            if _INITIAL_FIRST.match(surface):
                # an initial is written without its full stop too: "S. Jaishankar", "S Jaishankar"
                self.add_surface(surface[:1] + surface[2:], Target("entity", person_id))
        return person_id

    def person_named(self, name: str) -> str:
        """The id of the person a name or alias denotes ('' if none, or if it is ambiguous)."""
        ids = {t.entity_id for t in self.surfaces.get(match_text(name), []) if t.kind in ("entity", "weak")}
        ids = {i for i in ids if i.startswith("person:")}
        return ids.pop() if len(ids) == 1 else ""

    def add_role(
        self, key: str, person_id: str, start: date | None, end: date | None, texts: list[str]
    ) -> None:
        own_words = frozenset().union(*(_office_words(t) for t in (key, *texts)))
        # a country's every word for its demonym or name: "Lithuania's foreign minister" is the
        # "Lithuanian foreign minister"
        countries = {self.country_of_word[word] for word in own_words if word in self.country_of_word}
        words = own_words.union(*(self.country_own_words[country] for country in countries))
        role = Role(key, person_id, start, end, words, own_words)
        self._roles_fitting.clear()
        self._describes_cache.clear()
        self._words_of.clear()
        self.roles.setdefault(key, []).append(role)
        self.person_roles.setdefault(person_id, []).append(role)

    def roles_of(self, person_id: str) -> list[Role]:
        return self.person_roles.get(person_id, [])

    def words_of(self, person_id: str) -> frozenset[str]:
        """Every word of a person's roles (whatever the day) and nationality: role words that
        `fit` finds fitting are all among them."""
        words = self._words_of.get(person_id)
        if words is None:
            if len(self._words_of) > 50_000:
                self._words_of.clear()
            person = self.people.get(person_id)
            nationality = self.country_words.get(person.country, frozenset()) if person else frozenset()
            words = self._words_of[person_id] = nationality.union(
                *(role.words for role in self.roles_of(person_id))
            )
        return words

    def describes(
        self, person_id: str, words: frozenset[str], day: date | None, any_date: bool = False
    ) -> bool:
        """Whether a person's role on the day (any role they ever held, with `any_date`) or their
        nationality has all the role words."""
        known = self.fits_of(words)
        fits = known.get(person_id) or self.fit(person_id, words, known)
        return fits[0] or any(any_date or role.held_on(day) for role in fits[1])

    def fits_of(self, words: frozenset[str]) -> dict[str, tuple[bool, tuple[Role, ...]]]:
        """What `fit` has found so far for these role words: person id -> fit."""
        known = self._describes_cache.get(words)
        if known is None:
            if len(self._describes_cache) > 20_000:
                self._describes_cache.clear()
            known = self._describes_cache[words] = {}
        return known

    def fit(
        self, person_id: str, words: frozenset[str], known: dict[str, tuple[bool, tuple[Role, ...]]]
    ) -> tuple[bool, tuple[Role, ...]]:
        """How role words fit a person, whatever the day: whether their nationality has all the
        words, and which of their roles do. Stored in `known` (from `fits_of`)."""
        person = self.people.get(person_id)
        nationality = self.country_words.get(person.country, frozenset()) if person else frozenset()
        fits = known[person_id] = (
            bool(nationality) and roles_agree(words, nationality),
            tuple(role for role in self.roles_of(person_id) if roles_agree(words, role.words)),
        )
        return fits

    def role_holder(self, role_key: str, day: date | None) -> str:
        """The person who held a role on a day ('' if unknown or ambiguous)."""
        holders = {r.person_id for r in self.roles.get(role_key, []) if r.held_on(day)}
        return holders.pop() if len(holders) == 1 else ""

    def holders_matching(self, words: frozenset[str], day: date | None) -> set[str]:
        """People whose role on the day is described by all of `words` (for role phrases): by
        the words the role is written with if any fit ("the Ukrainian leader" is the one whose
        role says "Ukrainian", the president, not the prime minister "of Ukraine"), else by
        its country's other names too ("Lithuania's foreign minister")."""
        fitting = self._roles_fitting.get(words)
        if fitting is None:
            if len(self._roles_fitting) > 50_000:
                self._roles_fitting.clear()
            written: list[Role] = []  # (own words are among the role's words: one pass finds both)
            wider: list[Role] = []
            for role_holders in self.roles.values():
                for role in role_holders:
                    if roles_agree(words, role.words):
                        wider.append(role)
                        if roles_agree(words, role.own_words):
                            written.append(role)
            fitting = self._roles_fitting[words] = (written, wider)
        for roles in fitting:
            holders = {role.person_id for role in roles if role.held_on(day)}
            if holders:
                return holders
        return set()

    def organisation_in(self, phrase: str) -> tuple[int, int, str] | None:
        """The longest organisation a role phrase names ("Pentagon chief"): its start and end in
        the phrase and its id; None if it names none. Remembered: the same phrases recur."""
        if phrase in self._organisations_in:
            return self._organisations_in[phrase]
        organisations = [
            (o_end - o_start, o_start, o_end, inner[0].entity_id)
            for o_start, o_end, _s, inner in self.find_all(phrase)
            if inner[0].kind == "entity" and self.names.get(inner[0].entity_id, ("", ""))[1] == "org"
        ]
        found = None
        if organisations:
            _length, o_start, o_end, org_id = max(organisations)
            found = (o_start, o_end, org_id)
        if len(self._organisations_in) > 20_000:
            self._organisations_in.clear()
        self._organisations_in[phrase] = found
        return found

    def add_words(self, words: dict[str, Any]) -> None:
        """Have the automaton also report these words (word -> value) to `find(..., words=)`."""
        if any(word not in self.words or self.words[word] != value for word, value in words.items()):
            self.words.update(words)
            self._automaton = None

    @property
    def automaton(self) -> Any:
        """The surfaces' (and `words`') automaton (ahocorasick_rs), built on first use after a change."""
        if self._automaton is None:
            patterns: list[str] = []
            values: list[tuple[str, list[Target]] | None] = []
            for surface, targets in self.surfaces.items():
                patterns.append(surface)
                values.append((surface, targets))
                lower = surface.lower()
                # Role phrases are often lower-case in copy ("the prime minister" is, "Prime
                # Minister Kishida" is not); names are matched case-sensitively.
                if any(t.kind == "role" for t in targets) and lower != surface and lower not in self.surfaces:
                    patterns.append(lower)
                    values.append((surface, targets))
            word_values: list[Any] = [None] * len(values)
            index_of = {pattern: index for index, pattern in reversed(list(enumerate(patterns)))}
            for word, value in self.words.items():
                if word in index_of:  # a surface too: reported with the first of its patterns
                    word_values[index_of[word]] = value
                else:
                    patterns.append(word)
                    values.append(None)
                    word_values.append(value)
            self._values, self._word_values = values, word_values
            # A contiguous NFA, not a DFA: searched alone, the DFA is faster, but it is large (14 MB
            # for the shipped data, 600 MB for 100,000 aliases) and a tagger searches once per
            # article, between which the rest of tagging has pushed it out of the CPU caches. Then
            # it is the slower one: about 0.27 ms per seed-sized article against 0.19 ms.
            kind = ahocorasick_rs.Implementation.ContiguousNFA
            self._automaton = ahocorasick_rs.AhoCorasick(patterns, implementation=kind) if patterns else None
        return self._automaton

    @property
    def pattern_count(self) -> int:
        """How many patterns the automaton searches for (surfaces, lower-case roles, words)."""
        self.automaton  # noqa: B018 -- (built on first use)
        return len(self._values)

    def find(
        self, text: str, haystack: str = "", words: list[tuple[int, int, Any]] | None = None
    ) -> list[tuple[int, int, str, list[Target]]]:
        """Longest, non-overlapping, word-bounded matches: (start, end, surface, targets).
        `haystack`: `match_text(text)`, when the caller has it. `words`: where to add the hits
        of `self.words` (start, end, value), found in the same pass."""
        found = self.find_all(text, haystack, words)
        # The automaton reports matches by where they end: when each starts at or after the end
        # of the one before, none overlap and they are already in order (the common case).
        previous_end = 0
        for match in found:
            if match[0] < previous_end:
                break
            previous_end = match[1]
        else:
            return found
        # Longest match first, then non-overlapping: "UN General Assembly" beats "UN". Only
        # matches in one run of overlapping ones compete, so the runs are found in order of
        # starts and each is settled alone; most are a single match.
        # A run's first match is held alone, and a list made only when a second overlaps it.
        chosen: list[tuple[int, int, str, list[Target]]] = []
        first: tuple[int, int, str, list[Target]] | None = None
        run: list[tuple[int, int, str, list[Target]]] | None = None
        run_end = -1
        for match in sorted(found, key=itemgetter(0)):  # (stable: equal starts keep their order)
            if match[0] >= run_end:
                if run is not None:
                    chosen += _longest_first(run)
                    run = None
                elif first is not None:
                    chosen.append(first)
                first, run_end = match, match[1]
            else:
                if run is None:
                    run = [first, match]  # type: ignore[list-item]
                else:
                    run.append(match)
                if match[1] > run_end:
                    run_end = match[1]
        if run is not None:
            chosen += _longest_first(run)
        elif first is not None:
            chosen.append(first)
        return chosen

    def find_all(
        self, text: str, haystack: str = "", words: list[tuple[int, int, Any]] | None = None
    ) -> list[tuple[int, int, str, list[Target]]]:
        """Every word-bounded match, overlapping ones included, in the order of their ends.
        `words`: as for `find`."""
        if not haystack:
            haystack = match_text(text)
        automaton = self.automaton
        if automaton is None:
            return []
        values, word_values = self._values, self._word_values
        length = len(haystack)
        found = []
        for index, start, end in automaton.find_matches_as_indexes(haystack, overlapping=True):
            if words is not None and word_values[index] is not None:
                words.append((start, end, word_values[index]))
            value = values[index]
            if value is None:
                continue
            if start > 0:
                before = haystack[start - 1]
                if before.isalnum() or before in "-+":
                    continue
            if end < length:
                after = haystack[end]
                if after.isalnum() or after in "-+":
                    continue
            found.append((start, end, value[0], value[1]))
        return found


def _longest_first(
    matches: list[tuple[int, int, str, list[Target]]],
) -> list[tuple[int, int, str, list[Target]]]:
    """The longest of overlapping matches, then the longest of the rest that overlap none
    taken, and so on (the earlier start first among equals), in order of their starts."""
    if len(matches) == 2:  # the usual run: a name and the surname or word inside it
        first, second = matches
        if second[1] - second[0] > first[1] - first[0] or (
            second[1] - second[0] == first[1] - first[0] and second[0] < first[0]
        ):
            first = second
        return [first]  # (two in a run overlap: the other is never taken)
    taken: list[tuple[int, int, str, list[Target]]] = []
    for match in sorted(matches, key=lambda m: (m[0] - m[1], m[0])):
        start, end = match[0], match[1]
        if all(end <= other[0] or other[1] <= start for other in taken):
            taken.append(match)
    taken.sort(key=itemgetter(0))
    return taken


_PARTICLE_FIRST: Final = re.compile(r"[a-z]{1,3}-[A-Z]")  # "al-Sudani", "el-Sisi"
_INITIAL_FIRST: Final = re.compile(r"[A-Z]\. [A-Z][a-z]")  # "S. Jaishankar"


# Heads that stand for one another when a role is described loosely ("the Turkish leader").
_LEADER: Final = frozenset({"president", "premier", "chancellor", "leader"})


_SUBORDINATE: Final = frozenset({"deputy", "vice", "former", "first"})


@lru_cache(maxsize=65_536)  # asked for every person an article names, for each role phrase in it
def roles_agree(wanted: frozenset[str], words: frozenset[str]) -> bool:
    """Whether every word of a role phrase describes a role (with 'leader' for any leader).
    A deputy is not the office: "the prime minister" is not the deputy prime minister."""
    if (words & _SUBORDINATE) - wanted:
        return False
    for word in wanted:
        if word in words:
            continue
        if word == "leader" and words & _LEADER:
            continue
        return False
    return bool(wanted)


def _date(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _load(name: str) -> dict:
    return yaml.safe_load(resources.files(__package__).joinpath(f"data/{name}").read_text("utf-8"))


def place_data() -> dict:
    """The shipped place data (countries with their names, forms and demonyms; capitals), for
    a stage that needs the same list (the dedup stage's demonyms in titles)."""
    return _load("places.yaml")


def _country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def load_kb(people: list[dict], organisations: list[dict], places: dict) -> KnowledgeBase:
    """Build a knowledge base from the decoded data files (see docs/tag.md for the format)."""
    kb = KnowledgeBase()
    for code, info in places["countries"].items():
        country_id = f"country:{code}"
        name = info.get("name") or _country_name(code)
        kb.names[country_id] = (name, "place")
        for surface in (name, *info.get("forms", [])):
            kb.add_surface(surface, Target("entity", country_id))
        words = {w.lower() for w in (name, *info.get("forms", []), *info.get("demonyms", [])) if " " not in w}
        # (its own words: not "south" of "South Korean", which South Africa's roles have too)
        kb.country_own_words[country_id] = frozenset(words)
        for word in words:
            kb.country_of_word.setdefault(word, country_id)
        for demonym in info.get("demonyms", []):
            kb.add_surface(demonym, Target("demonym", country_id))
            kb.demonyms[demonym.lower()] = country_id
            words |= set(role_words(demonym))
        kb.country_words[country_id] = frozenset(words | set(role_words(name)))
        if info.get("capital"):
            city_id = f"place:{slug(info['capital'])}"
            kb.names[city_id] = (info["capital"], "place")
            kb.add_surface(info["capital"], Target("capital", city_id, stands_for=country_id))
    for country in pycountry.countries:
        country_id = f"country:{country.alpha_2}"
        if country_id in kb.names:
            continue
        name = _country_name(country.alpha_2)
        kb.names[country_id] = (name, "place")
        for surface in {name, country.name}:
            if surface not in kb.surfaces:
                kb.add_surface(surface, Target("entity", country_id))
    for city, info in places.get("cities", {}).items():
        city_id = f"place:{slug(city)}"
        kb.names[city_id] = (city, "place")
        target = Target("capital", city_id, stands_for=info["stands_for"]) if info.get("stands_for") else None
        for surface in (city, *info.get("aliases", [])):
            kb.add_surface(surface, target or Target("entity", city_id))
    for region in places.get("regions", []):
        region_id = f"place:{slug(region['name'])}"
        kb.names[region_id] = (region["name"], "place")
        for surface in (region["name"], *region.get("aliases", [])):
            kb.add_surface(surface, Target("entity", region_id))
    for org in organisations:
        org_id = org.get("id") or f"org:{slug(org['name'])}"
        kb.names[org_id] = (org["name"], "org")
        if org.get("stands_for"):
            kb.stands_for[org_id] = org["stands_for"]
        for surface in (org["name"], *org.get("aliases", [])):
            kb.add_surface(surface, Target("entity", org_id))
    for person in people:
        home = f"country:{person['country']}" if person.get("country") else ""
        person_id = kb.add_person(person["name"], person.get("aliases", []), person.get("gender", ""), home)
        for weak in person.get("weak_aliases", []):
            kb.add_surface(weak, Target("weak", person_id))
        for role in person.get("roles", []):
            key = role["role"]
            kb.add_role(
                key,
                person_id,
                _date(role.get("from")),
                _date(role.get("to")),
                [*role.get("aliases", []), *role.get("describe", [])],
            )
            for surface in (key, *role.get("aliases", [])):
                kb.add_surface(surface, Target("role", role_key=key))
    return kb


def shipped_kb() -> KnowledgeBase:
    """A new knowledge base from the shipped data files, for a tagger that must not share the
    process's (`default_kb`)."""
    return load_kb(_load("people.yaml")["people"], _load("organisations.yaml")["organisations"], place_data())


@cache
def default_kb() -> KnowledgeBase:
    """The knowledge base from the shipped data files, built once per process and shared by
    every Tagger made without one: people `Tagger.add_people` adds are there for all of them
    (a worker has one tagger; a benchmark or test that must not see another's watchlist people
    uses `shipped_kb`)."""
    return shipped_kb()
