"""Loads the parser's data files (outlets, agencies, furniture, dates, languages) once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True, slots=True)
class ParserKnowledge:
    outlets: dict[str, str]  # alias or name -> canonical outlet name
    agencies: dict[str, str]  # alias or name -> canonical agency name
    furniture: frozenset[str]  # whole lines, lower case
    furniture_pattern: re.Pattern[str]  # every furniture pattern in one alternation
    flash_markers: frozenset[str]
    byline_prefixes: tuple[str, ...]
    published_labels: tuple[str, ...]
    updated_labels: tuple[str, ...]
    months: dict[str, int]  # month name in another language (lower case) -> month number
    date_fillers: frozenset[str]
    stopwords: dict[str, frozenset[str]]  # language code -> common function words


def _load(name: str) -> Any:
    return yaml.safe_load(resources.files(__package__).joinpath(f"data/{name}").read_text("utf-8"))


@cache
def knowledge() -> ParserKnowledge:
    outlets, dates, languages = _load("outlets.yaml"), _load("dates.yaml"), _load("languages.yaml")

    def index(entries: list[dict]) -> dict[str, str]:
        table: dict[str, str] = {}
        for entry in entries:
            for alias in [entry["name"], *entry.get("aliases", [])]:
                table[alias] = entry["name"]
        return table

    labels = outlets.get("date_labels", {})
    # Longest labels first, so "Last updated" wins over "Updated" and "Publicado el" over "Publicado".
    return ParserKnowledge(
        outlets=index(outlets.get("outlets", [])),
        agencies=index(outlets.get("agencies", [])),
        furniture=frozenset(line.lower() for line in outlets.get("furniture", [])),
        furniture_pattern=re.compile(
            "|".join(f"(?:{p})" for p in outlets.get("furniture_patterns", [])) or "(?!)", re.I
        ),
        flash_markers=frozenset(m.upper() for m in outlets.get("flash_markers", [])),
        byline_prefixes=tuple(outlets.get("byline_prefixes", [])),
        published_labels=tuple(sorted(labels.get("published", []), key=len, reverse=True)),
        updated_labels=tuple(sorted(labels.get("updated", []), key=len, reverse=True)),
        months={str(k).lower(): int(v) for k, v in dates.get("months", {}).items()},
        date_fillers=frozenset(str(f).lower() for f in dates.get("fillers", [])),
        stopwords={
            code: frozenset(str(words).split()) for code, words in languages.get("languages", {}).items()
        },
    )
