"""Loads the parser's data files (outlets, agencies, furniture lines) once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True, slots=True)
class ParserKnowledge:
    outlets: dict[str, str]  # alias or name -> canonical outlet name
    agencies: dict[str, str]  # alias or name -> canonical agency name
    furniture: frozenset[str]


@cache
def knowledge() -> ParserKnowledge:
    text = resources.files(__package__).joinpath("data/outlets.yaml").read_text("utf-8")
    data = yaml.safe_load(text)

    def index(entries: list[dict]) -> dict[str, str]:
        table: dict[str, str] = {}
        for entry in entries:
            for alias in [entry["name"], *entry.get("aliases", [])]:
                table[alias] = entry["name"]
        return table

    return ParserKnowledge(
        outlets=index(data.get("outlets", [])),
        agencies=index(data.get("agencies", [])),
        furniture=frozenset(line.lower() for line in data.get("furniture", [])),
    )
