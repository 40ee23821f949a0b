"""Quotation finding and speaker attribution.

A quotation is a top-level span inside double quotation marks (straight, curly or
guillemets); single-quoted spans are scare quotes or nested quotes. Each quotation is
attributed by the cue around it, tried in this order: a cue after the closing mark
(`"…," X said` / `"…," said X`), a cue before the opening mark (`X said: "…"`,
`according to X, "…"`), the subject of a sentence with a cue verb that contains a partial
quote, and for a quote standing alone, the sentence before it. A speaker written as a role
or a pronoun is resolved to a person: a role the article itself introduced wins over the
knowledge base, which resolves roles by the article's date; a pronoun goes to the person
most recently in focus (the last speaker or sentence subject). People named inside a
quotation are never its speaker.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import date

from wirewatch.streams.records import Quotation

from .kb import KnowledgeBase, match_text, slug

CUE_VERBS = (
    "said|says|say|told|tells|added|adds|noted|notes|stressed|stresses|pointed out|points out|"
    "recalled|recalls|replied|replies|explained|explains|warned|warns|insisted|insists|"
    "argued|argues|claimed|claims|declared|declares|asserted|asserts|emphasised|emphasized|"
    "emphasises|emphasizes|continued|went on|wrote|writes|observed|remarked|commented|"
    "conceded|admitted|announced|acknowledged|suggested|stated|states|underlined|"
    "underscored|concluded|complained|urged|answered|responded|asked|quipped|vowed|"
    "predicted|believes|believed|thinks|thought|was quoted as saying|is quoted as saying"
)
_CUE = rf"(?:has |had |have |also |then |later |further )?(?:{CUE_VERBS})"
_PRONOUN = re.compile(r"^(?:he|she|they)$", re.I)
_OPENERS = {"“": "”", "«": "»", '"': '"', "„": "“"}
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"«])")
_NAME_RUN = re.compile(r"\b([A-Z][a-z'\-]+(?:\s+(?:al-|bin |van |von |de )?[A-Z][a-z'\-]+)+)\b")

_AFTER_VERB_FIRST = re.compile(
    rf"^[\s,.!?…—–-]*{_CUE}\s+(?P<who>[^.;:!?\"“”]{{2,160}}?)(?=[,.;:!?]|\s+(?:on|in|at|during|after|when|while|from|to)\b|$)"
)
_AFTER_WHO_FIRST = re.compile(rf"^[\s,.!?…—–-]*(?P<who>[^.;:!?\"“”]{{1,200}}?)\s+{_CUE}\b")
_BEFORE = re.compile(rf"(?P<who>[^.;!?\"“”]{{1,200}}?)\s+{_CUE}(?P<rest>[^.;!?\"“”]{{0,80}}?)[,:]?\s*$")
_ACCORDING = re.compile(r"according to (?P<who>[^,.;\"“”]{2,120}),?\s*$", re.I)
_ACCORDING_ANY = re.compile(r"according to (?P<who>[^,.;\"“”]{2,120}),", re.I)
_SUBJECT_CUE = re.compile(rf"(?:^|[.;]\s+|,\s+)(?P<who>[^.;:!?\"“”,]{{1,120}}?)\s+{_CUE}\b")
_REPORTED = re.compile(
    rf"(?P<who>[^.;:!?\"“”]{{1,120}}?)\s+{_CUE}(?P<when>(?:\s+(?:on\s+)?[A-Z][a-z]+day|\s+\w+)?)\s+(?:that\s+)?(?P<what>[^\"“”]{{12,}})$"
)


@dataclass(slots=True)
class Span:
    start: int
    end: int  # exclusive, the closing mark not included
    paragraph: int
    closed: bool


@dataclass(slots=True)
class Resolver:
    """Resolves who-spans to people, tracking the person in focus."""

    kb: KnowledgeBase
    day: date | None
    text: str
    mentions: list[tuple[int, int, str, str]]  # (start, end, kind, id-or-role-key)
    article_roles: dict[str, str] = field(default_factory=dict)
    focus: str = ""

    def person_at(self, start: int, end: int, allow_unknown: bool = True) -> str:
        """The person a span of text names: a name, a role or a pronoun ('' if none)."""
        for m_start, m_end, kind, ident in self.mentions:
            if m_start < start or m_end > end:
                continue
            if kind == "person":
                return ident
            if kind == "role":
                person = self.article_roles.get(ident) or self.kb.role_holder(ident, self.day)
                if person:
                    return person
        words = self.text[start:end].strip(" ,").split()
        if words and _PRONOUN.match(words[0]) and self.focus:
            return self.focus
        if words and words[-1].lower() in {"he", "she"} and self.focus:
            return self.focus
        if allow_unknown:
            run = _NAME_RUN.search(self.text, start, end)
            if run and not run.group(1).startswith(("The ", "In ", "On ", "But ", "And ")):
                name = run.group(1)
                # a name the knowledge base does not know: still a speaker, with a derived id
                person_id = f"person:{slug(name)}"
                self.kb.names.setdefault(person_id, (name, "person"))
                return person_id
        return ""


def find_spans(paragraphs: list[tuple[int, str]]) -> list[Span]:
    """Top-level double-quoted spans; an unclosed span runs to its paragraph's end."""
    spans: list[Span] = []
    for index, (offset, para) in enumerate(paragraphs):
        i = 0
        while i < len(para):
            ch = para[i]
            if ch in _OPENERS and (ch != '"' or i == 0 or not para[i - 1].isalnum()):
                closer = _OPENERS[ch]
                depth_chars = {"“": "”", "«": "»"}
                j = i + 1
                nested = 0
                close_at = -1
                while j < len(para):
                    c = para[j]
                    if ch in depth_chars and c == ch:
                        nested += 1
                    elif c == closer:
                        if nested:
                            nested -= 1
                        else:
                            close_at = j
                            break
                    j += 1
                if close_at == -1:
                    spans.append(Span(offset + i + 1, offset + len(para), index, False))
                    break
                if close_at > i + 1:
                    spans.append(Span(offset + i + 1, offset + close_at, index, True))
                i = close_at + 1
                continue
            i += 1
    return spans


def _sentence_bounds(para_start: int, para: str, position: int) -> tuple[int, int]:
    local = position - para_start
    start = 0
    for match in _SENTENCE_BREAK.finditer(para):
        if match.end() <= local:
            start = match.end()
        else:
            return para_start + start, para_start + match.start()
    return para_start + start, para_start + len(para)


def attribute(
    kb: KnowledgeBase,
    text: str,
    paragraphs: list[tuple[int, str]],
    mentions: list[tuple[int, int, str, str]],
    day: date | None,
) -> tuple[list[Quotation], list[Quotation]]:
    """All direct quotations with speakers, and reported speech, of one article body."""
    spans = find_spans(paragraphs)
    inside = [(s.start, s.end) for s in spans]

    def in_quote(pos: int) -> bool:
        return any(a <= pos < b for a, b in inside)

    outside_mentions = [m for m in mentions if not in_quote(m[0])]
    resolver = Resolver(kb, day, text, outside_mentions)
    _learn_article_roles(resolver, outside_mentions)
    names = kb.names
    quotes: list[Quotation] = []
    reported: list[Quotation] = []
    para_of = {index: (offset, para) for index, (offset, para) in enumerate(paragraphs)}
    # Walk paragraphs in order so that focus moves as a reader's attention does.
    span_index = 0
    previous_speaker = ""
    for p_index, (p_start, para) in enumerate(paragraphs):
        sentences = _split_sentences(p_start, para)
        para_spans = [s for s in spans if s.paragraph == p_index]
        for s_start, s_end in sentences:
            sentence_spans = [s for s in para_spans if s_start <= s.start - 1 < s_end]
            if not sentence_spans:
                _reported_or_focus(resolver, text, s_start, s_end, reported, names)
                continue
            for span in sentence_spans:
                speaker, cue = _speaker_of(resolver, text, span, s_start, s_end, para_of, previous_speaker)
                if speaker:
                    resolver.focus = speaker
                    previous_speaker = speaker
                quotes.append(
                    Quotation(
                        text=text[span.start : span.end].strip(),
                        speaker=names.get(speaker, ("", ""))[0] if speaker else "",
                        speaker_id=speaker,
                        cue=cue,
                        start=span.start,
                        end=span.end,
                    )
                )
                span_index += 1
            # a sentence subject outside the quotes can move the focus too
            _update_focus(resolver, text, s_start, s_end, inside)
    return quotes, reported


def _split_sentences(p_start: int, para: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    depth = 0
    straight_open = False
    for i, ch in enumerate(para):
        if ch in "“«":
            depth += 1
        elif ch in "”»" and depth:
            depth -= 1
        elif ch == '"':
            straight_open = not straight_open
            depth += 1 if straight_open else -1
        elif ch in ".!?" and depth == 0 and i + 1 < len(para) and para[i + 1] == " ":
            nxt = para[i + 2 : i + 3]
            prev_word = para[max(0, i - 4) : i]
            if (
                nxt
                and (nxt.isupper() or nxt in '“"«')
                and not re.search(r"\b(?:U\.S|Mr|Mrs|Ms|Dr|St|Gen|Col|Lt|No)$", prev_word)
            ):
                bounds.append((p_start + start, p_start + i + 1))
                start = i + 2
    bounds.append((p_start + start, p_start + len(para)))
    return [b for b in bounds if b[1] > b[0]]


def _learn_article_roles(resolver: Resolver, mentions: list[tuple[int, int, str, str]]) -> None:
    """'Foreign Minister Sergei Lavrov' or 'Sergei Lavrov, the foreign minister': the
    article introduces who holds the role, which wins over the knowledge base."""
    text = resolver.text
    for a, b in itertools.pairwise(mentions):
        gap = text[a[1] : b[0]]
        if a[2] == "role" and b[2] == "person" and re.fullmatch(r"\s*", gap):
            resolver.article_roles.setdefault(a[3], b[3])
        elif a[2] == "person" and b[2] == "role" and re.fullmatch(r",\s*(?:the\s+)?", gap):
            resolver.article_roles.setdefault(b[3], a[3])


def _speaker_of(
    resolver: Resolver,
    text: str,
    span: Span,
    s_start: int,
    s_end: int,
    para_of: dict[int, tuple[int, str]],
    previous_speaker: str,
) -> tuple[str, str]:
    close = span.end + 1 if span.closed else span.end
    after = match_text(text[close:s_end])
    before = match_text(text[s_start : span.start - 1])
    # 1. cue after the quote
    for pattern in (_AFTER_VERB_FIRST, _AFTER_WHO_FIRST):
        m = pattern.match(after)
        if m and '"' not in m.group(0):
            who_start = close + m.start("who")
            person = resolver.person_at(who_start, close + m.end("who"))
            if person:
                return person, _cue_word(m.group(0))
    # 2. cue before the quote in the same sentence
    m = _ACCORDING.search(before) or _BEFORE.search(before)
    if m:
        person = resolver.person_at(s_start + m.start("who"), s_start + m.end("who"))
        if person:
            return person, _cue_word(m.group(0)) or "according to"
    # 3. partial quote inside a sentence whose subject has a cue verb
    whole = match_text(text[s_start:s_end])
    m = _ACCORDING_ANY.search(whole) or _SUBJECT_CUE.search(whole)
    if m and s_start + m.end("who") < span.start:
        person = resolver.person_at(s_start + m.start("who"), s_start + m.end("who"))
        if person:
            return person, _cue_word(m.group(0))
    # 4. a quote standing alone: introduced by the sentence before, or continuing a speaker
    if not before.strip() and not after.strip(" .,"):
        __, prev_para = para_of.get(span.paragraph - 1, (0, ""))
        if span.paragraph > 0 and prev_para and resolver.focus:
            return resolver.focus, "introduced"
        if previous_speaker:
            return previous_speaker, "continued"
    return "", ""


def _cue_word(fragment: str) -> str:
    m = re.search(rf"\b({CUE_VERBS})\b", fragment)
    return m.group(1) if m else ""


def _update_focus(
    resolver: Resolver, text: str, s_start: int, s_end: int, inside: list[tuple[int, int]]
) -> None:
    for m_start, m_end, _kind, _ident in resolver.mentions:
        if m_start < s_start or m_start >= s_end:
            continue
        if text[s_start:m_start].strip() in ("", "The", "the") or re.fullmatch(
            r"(?:[A-Z][\w'’-]+\s+){0,4}", text[s_start:m_start]
        ):
            person = resolver.person_at(m_start, m_end, allow_unknown=False)
            if person:
                resolver.focus = person
        break


def _reported_or_focus(
    resolver: Resolver, text: str, s_start: int, s_end: int, reported: list[Quotation], names: dict
) -> None:
    sentence = match_text(text[s_start:s_end])
    m = _REPORTED.match(sentence)
    if m:
        person = resolver.person_at(s_start + m.start("who"), s_start + m.end("who"), allow_unknown=True)
        if person:
            reported.append(
                Quotation(
                    text=text[s_start + m.start("what") : s_end].strip(),
                    speaker=names.get(person, ("", ""))[0],
                    speaker_id=person,
                    cue=_cue_word(m.group(0)),
                    start=s_start + m.start("what"),
                    end=s_end,
                    kind="reported",
                )
            )
            resolver.focus = person
            return
    _update_focus(resolver, text, s_start, s_end, [])
