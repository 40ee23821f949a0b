"""The knowledge base: people, organisations and places from data files, and one
Aho-Corasick automaton (pyahocorasick) that finds all their surface forms in one pass.

Why pyahocorasick: a C automaton, maintained, matching 100k+ patterns in time linear in
the text; the default tagging path needs no model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources

import ahocorasick
import pycountry
import yaml

_STRAIGHTEN = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"', "‐": "-", "‑": "-"})


def match_text(text: str) -> str:
    """Same length as `text`, with curly quotes and apostrophes straightened for matching."""
    return text.translate(_STRAIGHTEN)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@dataclass(slots=True)
class Role:
    role: str
    person_id: str
    start: date | None
    end: date | None

    def held_on(self, day: date | None) -> bool:
        if day is None:
            return self.end is None
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(slots=True)
class Target:
    """What a surface form points to: an entity, or a role (resolved by date)."""

    kind: str  # "entity" | "role"
    entity_id: str = ""
    role_key: str = ""


@dataclass(slots=True)
class KnowledgeBase:
    names: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (name, type)
    stands_for: dict[str, str] = field(default_factory=dict)  # metonym org id -> entity id
    roles: dict[str, list[Role]] = field(default_factory=dict)  # role key -> holders
    surfaces: dict[str, list[Target]] = field(default_factory=dict)  # surface -> targets
    _automaton: ahocorasick.Automaton | None = None

    def add_surface(self, surface: str, target: Target) -> None:
        surface = match_text(surface.strip())
        if len(surface) < 2:
            return
        self.surfaces.setdefault(surface, [])
        if target not in self.surfaces[surface]:
            self.surfaces[surface].append(target)
        self._automaton = None

    def add_person(self, name: str, aliases: list[str] | tuple[str, ...] = ()) -> str:
        person_id = f"person:{slug(name)}"
        self.names.setdefault(person_id, (name, "person"))
        for surface in (name, *aliases):
            self.add_surface(surface, Target("entity", person_id))
        return person_id

    def role_holder(self, role_key: str, day: date | None) -> str:
        """The person who held a role on a day ('' if unknown or ambiguous)."""
        holders = {r.person_id for r in self.roles.get(role_key, []) if r.held_on(day)}
        return holders.pop() if len(holders) == 1 else ""

    @property
    def automaton(self) -> ahocorasick.Automaton:
        if self._automaton is None:
            automaton = ahocorasick.Automaton()
            for surface, targets in self.surfaces.items():
                automaton.add_word(surface, (surface, targets))
                lower = surface.lower()
                # Role phrases are often lower-case in copy ("the kremlin spokesman" is not,
                # but "the prime minister" is); names are matched case-sensitively.
                if any(t.kind == "role" for t in targets) and lower != surface:
                    automaton.add_word(lower, (surface, targets))
            automaton.make_automaton()
            self._automaton = automaton
        return self._automaton

    def find(self, text: str) -> list[tuple[int, int, str, list[Target]]]:
        """Longest, non-overlapping, word-bounded matches: (start, end, surface, targets)."""
        haystack = match_text(text)
        found = []
        for end_index, (surface, targets) in self.automaton.iter(haystack):
            start = end_index - len(surface) + 1
            end = end_index + 1
            if start > 0 and (haystack[start - 1].isalnum() or haystack[start - 1] == "-"):
                continue
            if end < len(haystack) and (haystack[end].isalnum() or haystack[end] == "-"):
                continue
            found.append((start, end, surface, targets))
        # Longest match first, then non-overlapping: "White House spokesman" beats "the White House".
        found.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
        taken: list[tuple[int, int]] = []
        chosen: list[tuple[int, int, str, list[Target]]] = []
        for match in found:
            if all(match[1] <= a or match[0] >= b for a, b in taken):
                chosen.append(match)
                taken.append((match[0], match[1]))
        chosen.sort(key=lambda m: m[0])
        return chosen


def _date(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _load(name: str) -> dict:
    return yaml.safe_load(resources.files(__package__).joinpath(f"data/{name}").read_text("utf-8"))


@cache
def default_kb() -> KnowledgeBase:
    """The knowledge base from the shipped data files (built once per process)."""
    kb = KnowledgeBase()
    for person in _load("people.yaml")["people"]:
        person_id = kb.add_person(person["name"], person.get("aliases", []))
        for role in person.get("roles", []):
            key = role["role"]
            kb.roles.setdefault(key, []).append(
                Role(key, person_id, _date(role.get("from")), _date(role.get("to")))
            )
            for surface in (key, *role.get("aliases", [])):
                kb.add_surface(surface, Target("role", role_key=key))
    for org in _load("organisations.yaml")["organisations"]:
        org_id = org.get("id") or f"org:{slug(org['name'])}"
        kb.names[org_id] = (org["name"], "org")
        if org.get("stands_for"):
            kb.stands_for[org_id] = org["stands_for"]
        for surface in (org["name"], *org.get("aliases", [])):
            kb.add_surface(surface, Target("entity", org_id))
    places = _load("places.yaml")
    for code, info in places["countries"].items():
        country = pycountry.countries.get(alpha_2=code)
        country_id = f"country:{code}"
        kb.names[country_id] = (getattr(country, "common_name", None) or country.name, "place")
        for surface in info.get("forms", []):
            kb.add_surface(surface, Target("entity", country_id))
        for capital in info.get("capitals", []):
            kb.add_surface(capital, Target("entity", country_id))
    for country in pycountry.countries:
        country_id = f"country:{country.alpha_2}"
        kb.names.setdefault(country_id, (getattr(country, "common_name", None) or country.name, "place"))
        for surface in {country.name, getattr(country, "common_name", country.name)}:
            if surface not in kb.surfaces:
                kb.add_surface(surface, Target("entity", country_id))
    for region in places.get("regions", []):
        region_id = f"place:{slug(region['name'])}"
        kb.names[region_id] = (region["name"], "place")
        for surface in (region["name"], *region.get("aliases", [])):
            kb.add_surface(surface, Target("entity", region_id))
    return kb
