"""Quotation finding and speaker attribution.

A quotation is a top-level span inside double quotation marks (straight, curly or
guillemets); single-quoted spans inside it are nested quotes and stay part of it. A quoted
title ("a book titled “…”", a Title Case name) is not a quotation. A span whose paragraph ends
before its closing mark runs to the end of that paragraph, and the next paragraph's opening
mark continues it (wire style for a quote over several paragraphs): each paragraph's part is
its own Quotation, with the same speaker.

Attribution rules, tried in order (docs/tag.md explains them with examples):

1. a cue after the closing mark in the same sentence: `"…," X said`, `"…," said X`;
2. a cue before the opening mark: `according to X, "…"`, `X said: "…"`, `X told reporters
   "…"`, `X said the bank was "ready to do more"` — the speaker is the referring expression
   nearest before the cue verb that is not governed by a preposition, not a possessive and
   not inside a relative clause;
3. a partial quote inside a sentence without a cue: the sentence's subject;
4. a quote standing alone: the continuation of the previous paragraph's open quote, else the
   speaker of the previous sentence's quote, else the subject of the previous sentence
   ("X was categorical. "…""), else the person in focus.

The referring expression may be a name, a role ("the Pentagon chief", "the Italian"), a
pronoun or an unnamed source ("one diplomat"). A role is resolved first to a person the
article itself introduced with matching words, then by the knowledge base on the article's
date; a pronoun to the most recent subject or speaker of the same gender (in an obituary, to
the person who died when that one was last named before the paragraph before); an unnamed
source leaves the quotation without a speaker. Names inside any quotation are never a speaker.
Reported speech ("X said that …", "…, X said") is kept in a separate list.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from itertools import pairwise
from operator import attrgetter, itemgetter
from typing import Final, NamedTuple

import ahocorasick_rs

from wirewatch.streams.records import Quotation

from .kb import KnowledgeBase, _load, match_text, role_words, roles_agree, slug

CUE_VERBS: Final = (
    "said|says|say|told|tells|added|adds|noted|notes|stressed|stresses|pointed out|points out|"
    "recalled|recalls|replied|replies|explained|explains|warned|warns|insisted|insists|"
    "argued|argues|claimed|claims|declared|declares|asserted|asserts|emphasised|emphasized|"
    "continued|went on|wrote|writes|observed|remarked|commented|conceded|admitted|announced|announce|revealed|"
    "acknowledged|suggested|stated|underlined|underscored|concluded|complained|urged|urging|answered|asked|asks|"
    "responded|quipped|vowed|predicted|promised|promising|saying|adding|telling|warning|insisting|"
    "arguing|claiming|noting|observing|stressing|explaining|grinned|laughed|smiled|beamed|sighed|shrugged|"
    "calling|called|describing|described|accused|accusing|proposed|repeated|joked|cautioned|countered|"
    "boasted|hailed|signalled|signaled|accepted|confirmed|confirms|was quoted as saying|is quoted as saying|"
    "made clear|made it clear|submitted|contended|"
    # the present tense of feature writing ("She admits she underestimated the cost"); not the
    # forms that are also nouns ("remarks", "comments", "answers", "promises"), nor those whose
    # subject is as often a country, a firm or a study ("responds", "suggests", "announces")
    "admits|concedes|acknowledges|complains|vows|cautions|boasts"
)


def _trie_pattern(words: list[str]) -> str:
    """One regex alternation shaped as a trie ("sa(?:id|ys|y)"): Python's re tries the
    alternatives of a flat list one by one at every word start; a trie fails on the first letter."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


_CUE_TRIE: Final = _trie_pattern(CUE_VERBS.split("|"))
# what `find_cues` finds, as a pattern ("continued to deny wrongdoing" is no speech)
_CUE_RE: Final = re.compile(rf"\b(?:{_CUE_TRIE})\b(?!(?<=continued) to )")


class Cue(NamedTuple):
    """A cue verb outside quotations: where it starts and ends, and its words."""

    start: int
    end: int
    verb: str


_new_tuple: Final = tuple.__new__  # builds a named tuple from a tuple in C (its __new__ is Python)


# Matched at a position (pattern.match(text, pos, endpos)), so no "^". At any one position at
# most one cue verb can be followed by a space or a word boundary, so the trie finds what the
# flat list would, without trying eighty alternatives at every step of the lazy "who".
_CUE_AFTER_VERB_FIRST: Final = re.compile(
    rf"[\s,.!?…—–-]*(?:has |had |also |then |later )?(?P<cue>{_CUE_TRIE})\s+(?P<who>[^,;:!?\"“”]{{1,120}})"
)
_CUE_AFTER_WHO_FIRST: Final = re.compile(
    rf"[\s,.!?…—–-]*(?P<who>[^;:!?\"“”]{{1,160}}?)\s+(?:has |had |also |then |later |simply )?(?P<cue>{_CUE_TRIE})\b"
)
_ACCORDING: Final = re.compile(r"\b[Aa]ccording to (?P<who>[^,;\"“”]{2,120}?),")
_PARENT_OF: Final = re.compile(
    r"\s*the (?:(?P<f>mother|mum|mom|grandmother|gran)|dad|father|grandfather|grandad) of "
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\b"
)
_IN_THE_WORDS_OF: Final = re.compile(r"\b[Ii]n the words of (?P<who>[^,;\"“”]{2,80}?),?\s*$")
_ACCORDING_AFTER: Final = re.compile(r"[\s,]*according to (?P<who>[^,;.\"“”]{2,120}?)\s*(?:[,.;]|$)")
# Starts with a character class, so re scans for its first letter in C instead of trying the
# whole pattern at every position; the lookbehind is the word boundary before that letter.
_PRONOUN: Final = re.compile(r"[HhSs](?<!\w.)(?:(?<=[Hh])e|(?<=[Ss])he)\b")
_PREPOSITIONS: Final = frozenset(
    [
        "about",
        "with",
        "by",
        "from",
        "to",
        "of",
        "for",
        "between",
        "alongside",
        "beside",
        "besides",
        "against",
        "at",
        "on",
        "in",
        "over",
        "than",
        "like",
        "including",
        "after",
        "before",
        "among",
        "under",
        "into",
        "toward",
        "towards",
        "behind",
        "near",
        "outside",
        "inside",
        "via",
        "during",
        "without",
        "around",
        "across",
    ]
)
_ROLE_HEADS: Final = (
    r"spokesman|spokeswoman|spokesperson|president|prime minister|premier|chancellor|minister|"
    r"secretary[- ]general|secretary|undersecretary|under[- ]secretary|chief|boss|leader|governor|"
    r"chairman|chairwoman|chair|head|"
    r"vice[- ]chancellor|vice[- ]president|"
    r"director[- ]general|director|executive|diplomat|envoy|speaker|mayor|commissioner|"
    r"ambassador|negotiator|representative|king|queen|pontiff|emir|monarch|judge|prosecutor|"
    r"lawyer|attorney|coach|captain|skipper|manager|midfielder|striker|defender|goalkeeper|winger|"
    r"centre[- ]back|center[- ]back|full[- ]back|wing[- ]back|fly[- ]half|scrum[- ]half|"
    r"sheriff|carer|nurse|doctor|teacher|farmer|chef|headmistress|headmaster|headteacher|principal|"
    r"controller|collector|superintendent|solicitor|barrister|counsel|magistrate|coroner|detective|inspector|"
    r"sergeant|councillor|professor|researcher|prince|princess|sheikh|"
    # (an officer only with the office that makes one person: "A senior officer … said" is
    # unnamed, and so is "the officer" after it)
    r"health officer|medical officer|returning officer|press officer|information officer"
)
# The heads as a trie: the phrase tries them after each of up to four words. Where two heads
# match at one place ("secretary", "secretary-general") both forms take the longer, as the
# flat list (longer first) did.
_ROLE_HEADS_TRIE: Final = _trie_pattern(
    [head.replace("[- ]", sep) for head in _ROLE_HEADS.split("|") for sep in ("-", " ")]
)
# Possessive runs ("*+", "++"): a word or a space run given back a character could never be
# followed by what comes next (an apostrophe, a space, a letter), so re need not try.
_ROLE_NP: Final = re.compile(  # first letter as a class, then a lookbehind, as in _PRONOUN
    r"[A-Zti](?<![\w'’].)(?:(?<=[Tt])he|(?<=H)is|(?<=H)er|(?<=T)heir|(?<=[Ii])ts|(?<=[A-Z])[\w.-]*+['’]s)\s++"
    # (words that end a noun phrase never come between: "the third period that coach X called")
    r"(?:(?!(?:that|which|who|whom|and|or|but|in|on|at|to|for|with|by|from|as|than)\s)[A-Za-z][\w.+'’-]*+\s++){0,4}?"
    rf"(?i:{_ROLE_HEADS_TRIE})\b(?:\s+of\s+(?:the\s+)?(?:[A-Z][\w&.'’-]*\s?){{1,5}}|\s+of\s+(?:the\s+)?(?:[a-z]+\s+)?(?:government|state))?"
)
_ANON_NOUNS: Final = (
    r"spokesman|spokeswoman|spokesperson|analysts?|diplomats?|officials?|owners?|residents?|"
    r"protesters?|economists?|experts?|sources?|lawmakers?|ministers?|aides?|advisers?|advisors?|"
    r"workers?|reporters?|bankers?|traders?|activists?|members?|group|people|man|woman|teachers?|"
    r"doctors?|engineers?|officers?|voters?|farmers?|students?|executives?|investors?|"
    r"supporters?|critics?|negotiators?|observers?|participants?|witness(?:es)?|evacuees?|"
    r"patients?|parents?|shoppers?|commuters?|passengers?|survivors?|neighbours?|neighbors?|"
    r"relatives?|widows?|widowers?|mothers?|fathers?|grandmothers?|grandfathers?|grandparents?|"
    r"pensioners?|homeowners?|tenants?|nurses?|"
    r"representatives?"
)
# Before an unnamed source's noun phrase that says what someone is, not who speaks: "after
# training as a teacher", "she was a nurse"
_PREDICATE_WORDS: Final = (" as ", " was ", " is ", " became ", " becomes ", " remained ", " remains ")
# of unnamed sources
_FEMALE_NOUNS: Final = frozenset({"spokeswoman", "woman", "widow", "mother", "grandmother"})
_MALE_NOUNS: Final = frozenset({"spokesman", "man", "widower", "father", "grandfather"})
_ANON: Final = re.compile(  # first letter as a class, then a lookbehind, as in _PRONOUN
    r"[AaOoSsTtMm](?<![\w'’].)"
    r"(?:(?<=[Aa])(?:nother|n)?|(?<=[Oo])ne|(?<=[Ss])everal|(?<=[Ss])ome|(?<=[Tt])wo|(?<=[Tt])hree|(?<=[Mm])any|(?<=[Oo])ther)\s+"
    # (no verb inside it: "for half a century was the man fishermen called", "a red-faced
    # McAllister told reporters"; no "the" but after "of": "in a judgment the first minister")
    rf"(?:(?!(?:was|were|is|are|had|has|said|says|told|tells)\s|(?<!of )the\s)[\w’'-]+\s+){{0,3}}?"
    # (not a possessive that modifies the noun after it: "A teachers' union representative")
    rf"(?:{_ANON_NOUNS})\b(?![’'])"
)
_ANON_PLURAL_START: Final = re.compile(  # matched at a position: no "^"
    r"(?:[A-Z][\w-]*\s+)?(?:[Aa]nalysts|[Oo]fficials|[Ll]awmakers|[Rr]esidents|[Pp]rotesters|[Ee]conomists|"
    r"[Ee]xperts|[Cc]ritics|[Dd]iplomats|[Ss]ources|[Aa]ctivists|[Gg]roups|[Mm]inisters|[Ii]nvestors)\b"
)
# Words that anchor the reference patterns above: a role phrase (`_ROLE_NP`) ends with a role
# head, an unnamed source (`_ANON`) with one of its nouns. The patterns are then tried only
# just before these words, where they can match (see `_anchored_matches`).
_HEAD_ANCHORS: Final = frozenset(
    word
    for head in _ROLE_HEADS.split("|")
    for first in [re.split(r"[- ]", head.replace("[- ]", " "))[0]]
    for word in (first, first.title())  # "the Premier said", as Australian and British copy has it
)
_NOUN_ANCHORS: Final = frozenset(
    noun.removesuffix("s?").removesuffix("(?:es)?") for noun in _ANON_NOUNS.split("|")
)


class WordHits(NamedTuple):
    """What one automaton pass finds: cue verbs (start, end, verb; not yet checked as whole
    words), the starts of role heads and unnamed sources' nouns that follow a space, and the
    ends of titles (a role head, or a capitalised title) that a capitalised word follows."""

    cues: list[tuple[int, int, str]]
    heads: list[int]
    nouns: list[int]
    titles: list[int]


# The cue verbs and the anchor words in one Aho-Corasick automaton: one pass in C finds them
# all, where a pattern is tried at every position of the text.
_CUE_VERB_SET: Final = frozenset(CUE_VERBS.split("|"))
# Titles written before a name with a capital: "Mayor Tomas Reiner", "Foreign Minister Ana Lopez"
_TITLE_ANCHORS: Final = frozenset(
    {
        "Mayor", "Minister", "President", "Governor", "Senator", "Spokesman", "Spokeswoman",
        "Spokesperson", "Chancellor", "Secretary", "Director", "Ambassador", "Commissioner",
        "Chairman", "Chairwoman", "Judge", "Premier", "Chief", "Envoy", "Leader", "Representative",
        "Sheriff", "Cllr", "Councillor", "Councilor", "Sheikh", "Professor", "Inspector",
        "Detective", "Sergeant", "Superintendent", "Constable", "Coach", "Captain", "Referee",
        "Pastor", "Reverend", "Rev", "Bishop", "Imam", "Rabbi", "Deputy", "Colonel", "General",
        "Major", "Lieutenant", "Commander", "Brigadier", "Admiral", "Corporal",
        "Justice", "Member", "Councilmember", "Assemblymember", "Magistrate", "Advocate",
        "Agent", "Garda", "Trustee", "Corporator", "Alderman", "Alderwoman", "Selectman",
        "Selectwoman", "Supervisor", "Treasurer", "Coroner", "Trooper", "Officer", "Warden", "Sarpanch",
        "Cathaoirleach",
    }
)  # fmt: skip
# Courtesy and short titles, which a name follows and goes with: "Dr. Pieter Smit", "Mr Lund"
_COURTESY_ANCHORS: Final = frozenset(
    {
        "Mr", "Mrs", "Ms", "Dr", "Prof", "Sir", "Dame", "Lord", "Lady", "Gov", "Sen", "Rep", "Gen",
        # ranks as British copy shortens them, without a full stop (`_RANKS`)
        "Lt", "Col", "Sgt", "Capt", "Maj", "Cpl", "Supt", "Insp", "Det",
    }
)  # fmt: skip
# Occupations written before a name as a title, lower case or at a sentence's start: "analyst
# Chloe Attard", "product marketer Hannah Iqbal", "Butcher Tommy Keaveney" (the role heads,
# "manager" or "nurse", are titles already)
_OCCUPATIONS: Final = (
    "analyst", "economist", "strategist", "marketer", "engineer",
    "resident", "activist", "campaigner", "researcher", "scientist", "historian", "novelist",
    "writer", "artist", "designer", "singer", "actor", "actress", "producer", "surgeon",
    "pilot", "student", "pensioner", "shopkeeper", "trader", "banker", "investor", "consultant",
    "adviser", "advisor", "landlord", "owner", "founder", "organiser", "organizer", "volunteer",
    "midwife", "paramedic", "firefighter", "officer", "player", "forward", "correspondent", "reporter",
    "photographer", "broadcaster", "presenter", "veteran", "survivor", "witness", "butcher",
    "fisherman", "publican", "grocer", "plumber", "electrician", "builder", "carpenter",
    "mechanic", "cleaner", "cashier", "waiter", "waitress", "clerk", "labourer", "welder",
    "driver", "miner", "potter", "passenger", "guitarist", "bassist", "drummer", "keyboardist",
    "pianist", "violinist", "cellist", "vocalist", "rapper", "comedian", "dancer", "poet",
    "painter", "sculptor", "architect", "agronomist", "biologist", "ecologist", "geologist",
    "botanist", "virologist", "epidemiologist", "meteorologist", "physician", "technician",
    "statistician", "curator", "librarian", "lecturer", "vet", "veterinarian", "pharmacist",
    "beekeeper", "winemaker", "baker", "brewer", "rancher", "grower", "publisher", "critic", "editor",
    "translator", "playwright", "filmmaker", "composer", "conductor", "choreographer",
    "forecaster", "teacher", "headteacher", "headmaster", "headmistress", "principal", "farmer",
    "vendor", "tailor", "weaver", "herder", "shepherd", "hairdresser", "barber", "chef", "caretaker",
    "trumpeter", "bandleader", "saxophonist", "songwriter", "storyteller",
    "commuter", "motorist", "shopper", "customer", "visitor", "spectator", "pedestrian", "homeowner",
    "landlady", "innkeeper", "barman", "barmaid", "bartender", "substitute", "junior", "senior",
    "sophomore", "freshman",
    "tenant", "parent", "grandmother", "grandfather", "neighbour", "neighbor", "rider", "hiker",
    "centre-back", "center-back", "full-back", "fullback", "wing-back", "playmaker", "sprinter",
    "swimmer", "jockey", "batsman", "bowler", "wicketkeeper", "quarterback", "pitcher", "boxer",
    "trucker", "courier", "gardener", "janitor", "porter", "lifeguard", "jeweller", "jeweler",
    "cobbler", "blacksmith", "fishmonger", "florist", "optician", "dentist", "surveyor", "auctioneer",
    "accountant", "solicitor", "barrister", "academic", "tutor", "trainer", "groundsman", "umpire",
    "goalkeeper", "keeper", "hooker", "flanker", "halfback", "five-eighth", "fly-half", "scrum-half",
    "runner", "cyclist", "rower", "climber", "skier", "golfer", "fisher", "crofter", "smallholder",
    "stallholder", "hawker", "shopowner", "entrepreneur", "programmer", "developer", "mentor",
    "tactician", "boatman", "ferryman", "postman", "postwoman", "boatbuilder", "stonemason",
    "plasterer", "roofer", "bricklayer", "deckhand", "shearer", "stockman", "retiree",
    "brickie", "tradie", "postie", "captain-coach", "player-coach", "player-manager",
    "full-forward", "half-forward", "centre-forward", "center-forward", "half-back", "centre-half",
    "forward", "striker", "winger", "midfielder", "defender", "ruckman", "wingman", "skipper",
)  # fmt: skip
# Kin by gender: before a name ("Proud mum Losa Tui"), before an introduction ("his daughter,
# Sneha Patil,"), and as a sentence's unnamed subject ("Her son, who asked not to be named,")
_FEMALE_KIN: Final = (
    "daughter",
    "wife",
    "mother",
    "mum",
    "mom",
    "sister",
    "widow",
    "grandmother",
    "granddaughter",
)
_MALE_KIN: Final = ("son", "husband", "father", "dad", "brother", "widower", "grandfather", "grandson")
# (but "Sister" and "Brother" before a name are religious titles)
_KIN_NOUNS: Final = tuple(word for word in (*_FEMALE_KIN, *_MALE_KIN) if word not in ("sister", "brother"))
_OCCUPATION_ANCHORS: Final = frozenset(
    {*_OCCUPATIONS, *_KIN_NOUNS, *(word[:1].upper() + word[1:] for word in (*_OCCUPATIONS, *_KIN_NOUNS))}
)
# Possessives whose noun a name may follow: "Her colleague Oskar Lindqvist"
_POSSESSIVE_ANCHORS: Final = frozenset({"his", "her", "their", "His", "Her", "Their"})
# First names that tell a gender (agents/tag/data/first_names.yaml)
_FIRST_NAMES: Final = _load("first_names.yaml")
_FIRST_NAME_GENDERS: Final = {
    **{name: "f" for name in _FIRST_NAMES["female"]},
    **{name: "m" for name in _FIRST_NAMES["male"]},
}
# word -> (the cue verb or "", a role head?, an unnamed source's noun?, before a name: 1 for a
# title, 2 for a courtesy title, 3 for a possessive and its noun, 4 for a first name, else 0).
# "head" before a name is a verb far more often than a title ("to head Ashby Athletic to a win").
WORDS: Final = {
    word: (
        word if word in _CUE_VERB_SET else "",
        word in _HEAD_ANCHORS,
        word in _NOUN_ANCHORS,
        2
        if word in _COURTESY_ANCHORS
        else 3
        if word in _POSSESSIVE_ANCHORS
        else 4
        if word in _FIRST_NAME_GENDERS and word not in _TITLE_ANCHORS
        else int(
            (word in _HEAD_ANCHORS and word not in ("head", "Head"))
            or word in _TITLE_ANCHORS
            or word in _OCCUPATION_ANCHORS
        ),
    )
    for word in sorted(
        {
            *_FIRST_NAME_GENDERS,
            *_CUE_VERB_SET,
            *_HEAD_ANCHORS,
            *_NOUN_ANCHORS,
            *_TITLE_ANCHORS,
            *_OCCUPATION_ANCHORS,
            *_COURTESY_ANCHORS,
            *_POSSESSIVE_ANCHORS,
        }
    )
}
# (a DFA: the fastest kind to search, and small for a hundred words). The tagger has the
# knowledge base's automaton find these words in its own pass (`KnowledgeBase.add_words`);
# this one serves callers without it.
_WORD_AUTOMATON: Final = ahocorasick_rs.AhoCorasick(
    list(WORDS), implementation=ahocorasick_rs.Implementation.DFA
)
_WORD_VALUES: Final = list(WORDS.values())


def find_words(text: str, low: int, high: int) -> WordHits:
    """Cue verbs and anchor words between two offsets of `text`, in one automaton pass."""
    if high <= low:
        return WordHits([], [], [], [])
    piece = text if low == 0 and high == len(text) else text[low:high]
    hits = [
        (start + low, end + low, _WORD_VALUES[index])
        for index, start, end in _WORD_AUTOMATON.find_matches_as_indexes(piece, overlapping=True)
    ]
    return words_found(text, hits)


def words_found(text: str, hits: list[tuple[int, int, tuple[str, bool, bool, int]]]) -> WordHits:
    """The automaton's hits of `WORDS` in `text` ((start, end, value), in the order of their
    ends) sorted out: cue verbs, and role heads and nouns that follow a space."""
    found = WordHits([], [], [], [])
    for start, end, (verb, head, noun, title) in hits:
        if verb:
            found.cues.append((start, end, verb))
        if (head or noun or title) and (start == 0 or text[start - 1].isspace()):
            if head:
                found.heads.append(start)
            if noun:
                found.nouns.append(start)
            if title == 1 and text[end : end + 1] == " " and text[end + 1 : end + 2].isupper():
                found.titles.append(end)
            elif title == 2 and (
                (text[end : end + 1] == " " and text[end + 1 : end + 2].isupper())
                or (text[end : end + 2] == ". " and text[end + 2 : end + 3].isupper())
            ):
                found.titles.append(start - 1)  # (the run is matched from the title on)
            elif (
                # a first name that starts a sentence or a clause, and a surname after it: the
                # subject ("Grace Achieng sells drinks from a kiosk.", "On the first morning it
                # snowed, Amira Osman stood at the window")
                title == 4
                and (
                    start == 0
                    or text[start - 1] == "\n"
                    or text[start - 2 : start] == ". "
                    or (text[start - 2 : start] == ", " and _after_a_leading_clause(text, start))
                    # after an age: "At Mabotse village, 67-year-old Johannes Maepa was waiting"
                    or text.endswith("-year-old ", max(0, start - 10), start)
                    # set off after a comma with a description: "Her coach, former
                    # steeplechaser Joseph Rotich, could barely speak"
                    or (
                        text[start - 1 : start] == " "
                        and text[start - 2 : start - 1].islower()
                        and (
                            (
                                text.find(", ", max(0, start - 40), start) >= 0
                                and _SET_OFF_DESCRIPTION.search(text, max(0, start - 40), start) is not None
                            )
                            # after a description that opens the sentence: "Hat-trick hero Callum
                            # Duffy was the toast of Kilbride", "Local farmer Jane Ellis"
                            or _after_a_lead_description(text, start)
                        )
                    )
                )
                and text[end : end + 1] == " "
                and text[end + 1 : end + 2].isupper()
            ):
                found.titles.append(start - 1)
            elif title == 3 and text[end : end + 1] == " " and text[end + 1 : end + 2].islower():
                noun_end = text.find(" ", end + 1, end + 25)
                if (
                    noun_end > 0
                    and text[end + 1 : noun_end].isalpha()
                    and text[noun_end + 1 : noun_end + 2].isupper()
                ):
                    found.titles.append(noun_end)
    return found


# a comma and one to four lower-case words before a name: "…, former steeplechaser ", "…, with
# replacement first five-eighth "
_SET_OFF_DESCRIPTION: Final = re.compile(r", (?:[a-z][\w'’-]* ){1,4}$")
# a capitalised word and one to three lower-case words that open a sentence, before a name
_LEAD_DESCRIPTION: Final = re.compile(r"[A-Z][\w'’-]*(?: [a-z][\w'’-]*){1,3} ")


def _after_a_lead_description(text: str, at: int) -> bool:
    """Whether the words before `at` are a description that opens the sentence ("Hat-trick hero
    " before "Callum Duffy"): matched from the sentence's start, found with str methods."""
    low = max(0, at - 40)
    stop = max(text.rfind(". ", low, at), text.rfind("! ", low, at), text.rfind("? ", low, at))
    line = text.rfind("\n", low, at)
    if stop >= 0 and stop >= line:
        opens = stop + 2
    elif line >= 0:
        opens = line + 1
    elif low == 0:
        opens = 0
    else:
        return False  # (no sentence starts within reach)
    return _LEAD_DESCRIPTION.fullmatch(text, opens, at) is not None


def _after_a_leading_clause(text: str, at: int) -> bool:
    """Whether what comes before `at` in its sentence is a leading clause ("On the first
    morning it snowed, "), not a list or an appositive ("survived by a son, ")."""
    stop = text.rfind(". ", 0, at - 2)  # (-1 when the sentence starts the text)
    begin = max(stop + 2 if stop >= 0 else 0, text.rfind("\n", 0, at - 2) + 1)
    return _LEADING_CLAUSE.fullmatch(text, begin, at) is not None


def find_cues(
    text: str, stretches: list[tuple[int, int]], hits: list[tuple[int, int, str]] | None = None
) -> list[Cue]:
    """Cue verbs as whole words in the stretches of `text`: exactly what `_CUE_RE.finditer`
    finds in each stretch (leftmost first, none overlapping; a stretch's end is a word boundary).
    `stretches` are in order and do not overlap. `hits`: `find_words(text, …).cues` over a range
    that covers the stretches, when the caller has them."""
    if not stretches:
        return []
    if hits is None:
        hits = find_words(text, stretches[0][0], stretches[-1][1]).cues
    cues: list[Cue] = []
    # In order of starts (the automaton reports by end), walking the stretches alongside to the
    # one each hit starts in; at one start at most one verb is a whole word, and a cue ending
    # in one stretch never blocks one in the next.
    at, last = 0, len(stretches) - 1
    taken = 0  # where the last cue taken ends
    for start, end, verb in sorted(hits):
        while at < last and stretches[at + 1][0] <= start:
            at += 1
        low, high = stretches[at]
        if start < low or end > high or start < taken:
            continue
        if start > 0:
            before = text[start - 1]
            if before.isalnum() or before == "_":  # what re counts as a word character
                continue
        if end < high:
            after = text[end]
            if after.isalnum() or after == "_":
                continue
            if after == " " and verb == "continued" and text.startswith(" to ", end, high):
                continue
        cues.append(_new_tuple(Cue, (start, end, verb)))  # (Cue(...) without a Python call)
        taken = end
    return cues


_LEADING_CLAUSE: Final = re.compile(  # matched at a position: no "^"
    r"(?:Asked|Speaking|Standing|Responding|Answering|Commenting|Writing|Addressing|Pressed|"
    r"Reached|Contacted|Approached|Interviewed|Questioned|"  # ("Reached by phone, her mother said")
    r"In|At|On|After|Before|During|Earlier|Later|Outside|Behind|For|Meanwhile|However|Separately|"
    r"Yesterday|Today|Last|Despite|Since|While|When|Turning|Referring|As for|By|Once|Although|Though|"
    r"Because|Until|Every|Each)\b[^,]*,\s*"
    # and a relative clause of its place or time: "In Lohr, where the firm is the largest
    # employer, the mayor was blunt"
    r"(?:(?:where|when|which|whose)\b[^,]*,\s*)?"
)
# a relative clause or a participle's aside between a subject and its verb: "Steffen
# Hebestreit, asked whether Scholz was campaigning, said"
_RELATIVE: Final = re.compile(r",\s+(?:who|whom|whose|which|asked|speaking|responding)\b[^,]*,")
_CONJUNCTIONS: Final = (" after ", " before ", " since ", " until ", " as ")  # also prepositions
# the noun of a work after a determiner and maybe one word: "the book", "Her book", "his
# debut album"
_TITLE_NOUNS: Final = "book|film|documentary|song|album|novel|memoir|report|letter|slogan|title"
_TITLE_CUE: Final = re.compile(
    rf"(?:titled|entitled|headlined|headline|\b(?:the|her|his|their|its|our)\s+(?:[\w'’-]+\s+)?"
    rf"(?:{_TITLE_NOUNS}))\s*,?\s*$",
    re.I,
)
# the same after "a" or "one", for works only ('She recorded only one album, "The Kitchen at
# Glenora,"'; not 'in a letter, "We regret …"', words quoted from it)
_WORK_AFTER_AN: Final = re.compile(
    r"\b(?:an?|one)\s+(?:[\w'’-]+\s+)?(?:book|film|documentary|song|album|novel|memoir)\s*,?\s*$", re.I
)
_TITLE_CUE_WORDS: Final = (  # for a quick test before the pattern
    "titled", "entitled", "headlined", "headline", *_TITLE_NOUNS.split("|"),
)  # fmt: skip
# Analysts' ratings, quoted as labels: moved the stock to "hold" from "buy"
_RATINGS: Final = frozenset(
    {"buy", "hold", "sell", "neutral", "overweight", "underweight", "outperform", "underperform",
     "accumulate", "reduce", "equal-weight", "market perform", "strong buy"}
)  # fmt: skip
_TITLED: Final = ("titled", "entitled", "headlined", "headline")
_SIGN_READS: Final = (" read", " reads", " reading")
_CHANTS: Final = (" chanting", " chanted", " chant", " chants")  # a crowd's: 'chanting "Fora, Valdir"'
_UNSPOKEN: Final = (*_SIGN_READS, *_CHANTS)  # what a sign reads or a crowd chants: no one's words
# ("saying" is a cue verb as well; "a bedsheet painted with the words “KANE IS ABLE”")
_SIGN_WORDS: Final = (*_UNSPOKEN, " saying", " words")
_LABEL_DETERMINERS: Final = (" her", " his", " its", " their", " our")
_SO_CALLED: Final = re.compile(r"\bso-called\s*$", re.I)
_NAMED_CUE: Final = re.compile(r"\b(?:called|named|dubbed|nicknamed)\s*$")
_NICKNAME_WORDS: Final = (" nickname", " nicknames", " moniker", " sobriquet")
_NICKNAMED: Final = (" nicknamed", " nicknamed the", " nicknamed it", " nicknamed it the")
_CALLS_ITS: Final = (" calls its", " calls their", " called its", " called their")
_WHAT_IT_CALLS: Final = re.compile(r"\bwhat (?:[\w'’-]+ ){1,3}call(?:s|ed) (?:its|their)\s*$")
_CALLED_SOMEONE: Final = tuple(
    f"{verb} {pronoun}"
    for verb in ("called", "call", "calls", "dubbed", "nicknamed")
    for pronoun in ("him", "her")
)
_NAMED_CUE_WORDS: Final = ("called", "named", "dubbed")  # (str.endswith: "nicknamed" ends with "named")
# a label with no one using it: 'tankers often described as the "shadow fleet"' (not 'what he
# described as "reckless"', someone's words)
_PASSIVE_LABEL: Final = re.compile(
    r"\b(?:often|widely|commonly|sometimes|usually|is|are|was|were|been|be)\s+"
    r"(?:described|referred to|labell?ed|termed|branded|billed)\s+as(?:\s+the)?\s*$"
    # a category ('students classified as "frustration level" readers'), after a noun too
    r"|\b(?:classified|categori[sz]ed|graded|rated)\s+as(?:\s+the)?\s*$"
)
# a cue followed by one of these has an unnamed speaker, unless a name is written there
_ANONYMITY: Final = re.compile(
    r"[^,.;]{0,40},\s+(?:speaking|talking)\s+on\s+(?:the\s+)?condition\s+of\s+anonymity"
    r"|[^,.;]{0,40},\s+who\s+(?:asked|declined|did not want|requested)\s+(?:not\s+)?to\s+be\s+(?:named|identified)"
)
# what records someone's words: "according to the presidency's website" names no speaker
_RECORD_NOUNS: Final = (
    "website",
    "statement",
    "readout",
    "transcript",
    "communique",
    "communiqué",
    "minutes",
    "account",
)
_RECORD_OF: Final = re.compile(
    r"(?:an?|the|his|her|its|their) (?:\w+ )?(?:"
    + "|".join(_RECORD_NOUNS)
    + r") (?:from|by|of|on|issued|published|released|posted)\b"
)


def _is_a_record(source: str) -> bool:
    """Whether what "according to" names is a record, not a speaker: "the presidency's
    website", "a statement from his office", "the official readout of the call"."""
    return source.endswith(_RECORD_NOUNS) or _RECORD_OF.match(source) is not None


# a nickname: known to the home supporters as "the Lighthouse", Known to everyone as "Peggy"
_WORD_NOUNS: Final = (" word", " term")
_WORD_CUE: Final = re.compile(r"\b[Tt]he\s+(?:[\w'’-]+\s+)?(?:word|term)\s*$")
_KNOWN_AS: Final = re.compile(r"\b[Kk]nown\b[^.;:!?]{0,55}\bas\s*$")
_WAS_SIMPLY: Final = (" was simply", " is simply", " was always", " was just", " became simply")


def _ends_with_any(text: str, endings: tuple[str, ...]) -> bool:
    """Whether `text` may end with one of the lower-case `endings`, in any case: a quick test
    that never says no to what the case-insensitive pattern would match (a non-ASCII tail is
    left to the pattern)."""
    tail = text[-16:]
    return not tail.isascii() or tail.lower().endswith(endings)


_HONORIFIC: Final = re.compile(
    r"(?:President|Prime Minister|Premier|Chancellor|Minister|Secretary|Governor|Chair|Chairman|"
    r"Mr|Mrs|Ms|Dr|Sir|Dame|Prince|Princess|King|Queen|Senator|Mayor|General|Judge|Speaker)\.?\s+$"
)
_OPENERS: Final = {"“": "”", "«": "»", '"': '"', "„": "“"}
_ANONYMOUS: Final = "anon"
_NOBODY: Final[frozenset[str]] = frozenset()
_ANY_GENDER: Final = "any"  # the gender of a reference that fits anyone ("the 23-year-old")
# (and "The 54-year-old former trade unionist promised"; not "the 22-year-old director of the
# campaign" or "the 22-year-old director said": a role head after it is the phrase's head)
_AGE_NP: Final = re.compile(
    r"[Tt]he \d{1,3}-year-old(?=(?P<described>(?:\s+[a-z][\w-]*){0,3})(?:\s*[,.;:!?]|\s+"
    r"(?:said|says|added|adds|told|tells|replied|promised|insisted|vowed|warned|was|is|has|had)\b))"
)
_PARTY_MEMBERS: Final = ("Democrat", "Republican", "Conservative", "Tory", "Socialist")
_PARTY_MEMBER_NP: Final = re.compile(
    rf"\b[Tt]he (?:Social |Christian |Liberal |Free )?(?:{'|'.join(_PARTY_MEMBERS)})\b"
    r"(?= (?:said|says|added|adds|told|tells|replied|insisted|warned|argued|countered|was|is|has|had)\b)"
)
_KIN_OF_NP: Final = re.compile(
    r"\b[Tt]he (?:(?P<m>dad|father|grandad|grandfather)|mum|mom|mother|gran|grandmother)-of-"
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\b"
)
_SPEAKER_KINDS: Final = frozenset({"person", "role", "rolephrase", "pronoun", "anon"})  # can say something
_RESOLVED: Final = frozenset({"role", "rolephrase", "pronoun"})  # kinds resolved by the article's context
_INDEFINITE: Final = re.compile(r"\s*(?:[Aa]n?|[Oo]ne|[Ss]everal|[Ss]ome|[Tt]wo|[Tt]hree|[Mm]any)\s")
_CAPITALISED_THEN_LOWER: Final = re.compile(r"[A-Z][a-z]+ [a-z]")
_LEADER_WORD: Final = frozenset({"leader"})  # the role word that other heads satisfy (`roles_agree`)
_PLURAL: Final = frozenset(
    {"several", "some", "two", "three", "many", "other"}
)  # a focus entry for an unnamed source ("an Apple spokeswoman")


@dataclass(slots=True, init=False)
class Ref:
    """A referring expression in the body: a name, role, pronoun or unnamed source."""

    start: int
    end: int
    kind: str  # person | role | rolephrase | pronoun | anon (organisations and places are never refs)
    ids: tuple[str, ...]  # the person id; role keys; the entity id
    np_start: int  # where its noun phrase starts ("Pentagon chief Lloyd Austin")
    gender: str
    possessive: bool  # "Merkel's remarks" (set by build_refs)
    after_preposition: bool  # "standing beside Scholz" (set by build_refs)

    # Written out rather than generated: an article makes dozens of these, and a generated
    # __init__ with a __post_init__ costs a second call each.
    def __init__(
        self,
        start: int,
        end: int,
        kind: str,
        ids: tuple[str, ...] = (),
        np_start: int = -1,
        gender: str = "",
        possessive: bool = False,
        after_preposition: bool = False,
    ) -> None:
        self.start = start
        self.end = end
        self.kind = kind
        self.ids = ids
        self.np_start = np_start if np_start >= 0 else start
        self.gender = gender
        self.possessive = possessive
        self.after_preposition = after_preposition


# A sentence opening on where it happens, up to the role phrase that follows it
_PLACED_OPENING: Final = re.compile(
    r"(?:At|In|From|Inside) (?:the )?([A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*), (?:the )?$"
)
# an indefinite article or pronoun right before a role: no one in particular ("a representative")
_INDEFINITE_BEFORE: Final = re.compile(r"(?<![\w'’])(?:[Aa]n?|[Oo]ne|[Aa]nother) $")
_INDEFINITE_START: Final = re.compile(r"(?:[Aa]n?|[Oo]ne|[Aa]nother) ")


class _Names:
    """The knowledge base's names, plus names this article's unknown speakers add: a worker that
    meets thousands of unknown names must not grow the shared knowledge base. (A class of its
    own, not a dict subclass: compiled code calls a dict's own methods, not overrides.)"""

    __slots__ = ("own", "shared")

    def __init__(self, shared: dict[str, tuple[str, str]]) -> None:
        self.own: dict[str, tuple[str, str]] = {}
        self.shared = shared

    def get(self, key: str, default: tuple[str, str]) -> tuple[str, str]:
        return self.own.get(key) or self.shared.get(key, default)

    def setdefault(self, key: str, default: tuple[str, str]) -> tuple[str, str]:
        return self.shared[key] if key in self.shared else self.own.setdefault(key, default)


@dataclass(slots=True)
class Span:
    start: int
    end: int  # exclusive, the closing mark not included
    paragraph: int
    closed: bool
    continues: bool = False  # reopens a quote left open at the end of the previous paragraph


_UNNAMED_ARTICLES: Final = frozenset({"A", "a", "An", "an", "One", "one"})  # "One senior diplomat"
_JUSTICE: Final = frozenset({"justice"})  # a judge's title before the name
_JUSTICE_AS_JUDGE: Final = frozenset({"justice", "judge"})


@dataclass
class Attribution:
    """The state of one article's attribution: people in it, and who is in focus."""

    kb: KnowledgeBase
    day: date | None
    text: str
    refs: list[Ref]
    focus: list[tuple[str, str]] = field(default_factory=list)  # (person id or anon, gender)
    seen: dict[str, list[int]] = field(default_factory=dict)  # person id -> positions mentioned
    descriptions: dict[str, list[frozenset[str]]] = field(default_factory=dict)
    resolved_roles: dict[tuple[int, int], str] = field(default_factory=dict)
    quoted_people: list[tuple[int, str]] = field(default_factory=list)  # people named in quotes
    ref_starts: list[int] = field(default_factory=list)
    names: _Names = field(init=False)  # kb.names + unknown speakers
    genders: dict[str, str] = field(default_factory=dict)  # people it does not know, when told
    cues: list[Cue] = field(default_factory=list)
    cue_starts: list[int] = field(default_factory=list)
    # cue start -> where an organisation named by a common noun right before it starts
    # (`_bodies_before`: "the club saying")
    body_starts: dict[int, int] = field(default_factory=dict)
    # (clause start, cue start) -> the possible subjects of that cue verb, nearest first
    candidates: dict[tuple[int, int], list[Ref]] = field(default_factory=dict)
    # (clause start, cue start) -> the speaker `_nearest_before` found, when it cannot change
    subjects: dict[tuple[int, int], str] = field(default_factory=dict)
    # (role words, any date) -> `described_by`'s answer, until a person or description is added
    described: dict[tuple[frozenset[str], bool], list[str]] = field(default_factory=dict)
    # person id -> every word that can describe them: their roles' and nationality's
    # (`KnowledgeBase.words_of`) and this article's descriptions of them
    vocabulary: dict[str, frozenset[str]] = field(default_factory=dict)
    # a role phrase as written -> (where, who) of the people whose title before their name has it
    titled: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    topic: str = ""  # an obituary's subject: the first person its first paragraph names
    paragraph_starts: list[int] = field(default_factory=list)
    # where the governments, firms and bodies the knowledge base linked end, in order
    body_ends: list[int] = field(default_factory=list)

    # --- people in the article ------------------------------------------------------------

    def __post_init__(self) -> None:
        self.names = _Names(self.kb.names)

    def introduce(self, person: str, position: int, words: frozenset[str] = frozenset()) -> None:
        positions = self.seen.get(person)
        if positions is None:
            self.seen[person] = [position]
            self.described.clear()
        else:
            insort(positions, position)  # kept sorted: bisect finds the last before
        if words:
            if words == _JUSTICE:
                words = _JUSTICE_AS_JUDGE  # "Justice Meera Raghunath" is "the judge"
            # a description said twice fits the same role phrases as once
            known = self.descriptions.setdefault(person, [])
            if words not in known:
                known.append(words)
                self.described.clear()
                if person in self.vocabulary:
                    self.vocabulary[person] |= words

    def described_by(self, words: frozenset[str], any_date: bool = False) -> list[str]:
        """The people in the article that one of their descriptions fits, in the order they came:
        their roles that day (or ever), their nationality ("the Italian"), or what this article
        called them."""
        cached = self.described.get((words, any_date))
        if cached is not None:
            return cached
        # Every word but "leader" (which other heads stand for) must be among a person's words
        # for any of their descriptions to fit: one set test rules out most people.
        required = words - _LEADER_WORD
        vocabulary = self.vocabulary
        found = []
        for person in self.seen:
            known = vocabulary.get(person)
            if known is None:
                known = vocabulary[person] = self.kb.words_of(person).union(
                    *self.descriptions.get(person, ())
                )
            if required <= known and self._fits(person, words, any_date):
                found.append(person)
        self.described[(words, any_date)] = found
        return found

    def _fits(self, person: str, words: frozenset[str], any_date: bool) -> bool:
        """Whether role words describe a person (see `described_by`)."""
        kb = self.kb
        known = kb.fits_of(words)  # (as kb.describes, without its calls: this is hot)
        nationality, roles = known.get(person) or kb.fit(person, words, known)
        if nationality:
            return True
        day = self.day
        for role in roles:
            if any_date or role.held_on(day):
                return True
        return any(roles_agree(words, description) for description in self.descriptions.get(person, ()))

    def resolve_role(
        self,
        words: frozenset[str],
        position: int,
        keys: tuple[str, ...] = (),
        exclude: frozenset[str] = frozenset(),
        phrase: str = "",
    ) -> str:
        """A role phrase to a person: one the article introduced with these words (the last
        before `position`, else the first after), else the knowledge base's holder that day.
        Of several introduced before, those whose title before their name has the phrase's words
        as written (`phrase`) come first: "the Prime Minister" is the one introduced as "Prime
        Minister Anthony Albanese", not "NSW Premier Dominic Perrottet" named after him."""
        if not words:
            return ""
        matching = [person for person in self.described_by(words) if person not in exclude]
        if not matching and (self.day is None or not self.kb.holders_matching(words, self.day)):
            # a wrong or missing date: a person the article names who ever held the role
            matching = [person for person in self.described_by(words, any_date=True) if person not in exclude]
        before = [(_last_before(self.seen[m], position), m) for m in matching if self.seen[m][0] < position]
        as_written = phrase.lower().removeprefix("the ") if len(before) > 1 else ""
        if as_written and not self._named_by_phrase(max(before)[0], as_written):
            found = self.titled.get(as_written)
            if found is None:
                found = self.titled[as_written] = [
                    (ref.start, ref.ids[0])
                    for ref in self.refs
                    if ref.kind == "person"
                    and ref.np_start < ref.start
                    and as_written in self.text[ref.np_start : ref.start].lower()
                ]
            titled = {person for at, person in found if at < position}
            before = [(at, m) for at, m in before if m in titled] or before
        if before:
            return max(before)[1]
        if matching:
            return min((self.seen[m][0], m) for m in matching)[1]
        holders = {self.kb.role_holder(key, self.day) for key in keys} - {""}
        if not keys:
            holders = self.kb.holders_matching(words, self.day)
        if len(holders) > 1:
            holders = self._compatriots(holders) or holders
        return holders.pop() if len(holders) == 1 else ""

    def _named_by_phrase(self, at: int, as_written: str) -> bool:
        """Whether the reference at an offset is a role phrase holding a phrase's words as
        written (lower case, without "the"): "Iraq's electricity minister told …" before "the
        minister said" (the last one the phrase fits, whoever has it in a title)."""
        found = bisect_left(self.ref_starts, at)
        if found == len(self.refs) or self.ref_starts[found] != at:
            return False
        ref = self.refs[found]
        return ref.kind in ("role", "rolephrase") and as_written in self.text[ref.start : ref.end].lower()

    def _compatriots(self, holders: set[str]) -> set[str]:
        """Of several holders of a role that day, those from the one country of every person the
        article names that the knowledge base knows: "The chancellor" after Sunak and Starmer is
        the British one, not the German. (An article naming people of two countries says
        nothing about whose "foreign minister" spoke.)"""
        people = self.kb.people
        countries = {people[person].country for person in self.seen if person in people}
        if len(countries) != 1 or "" in countries:
            return set()
        return {holder for holder in holders if people[holder].country in countries}

    def resolve_ref(self, ref: Ref, exclude: frozenset[str] = frozenset()) -> str:
        """The person a reference denotes; _ANONYMOUS for an unnamed source; '' if unknown.
        `exclude`: people who cannot be meant (those named inside the quotation at hand)."""
        if ref.kind == "person":
            return ref.ids[0]
        if ref.kind == "anon":
            return _ANONYMOUS
        if ref.kind in ("role", "rolephrase"):
            if _INDEFINITE_BEFORE.search(self.text, max(0, ref.np_start - 9), ref.np_start) or (
                _INDEFINITE_START.match(self.text, ref.start)
            ):
                # "A representative of the nurses' union … said": someone unnamed, not the
                # knowledge base's High Representative
                return _ANONYMOUS
            key = (ref.start, ref.end)
            if exclude or key not in self.resolved_roles:
                if _NOT_NAMED_AFTER.match(self.text, ref.end):
                    # "The chief executive of one parts supplier, who asked not to be named, said"
                    person = _ANONYMOUS
                else:
                    person = self._resolve_phrase(self.text[ref.start : ref.end], ref, exclude)
                if person and person != _ANONYMOUS and self._unnamed_since(ref, person):
                    person = _ANONYMOUS
                if exclude:
                    return person
                self.resolved_roles[key] = person
            return self.resolved_roles[key]
        if ref.kind == "pronoun" and ref.gender == _ANY_GENDER:  # "the 23-year-old said"
            for person, _gender in reversed(self.focus):
                if person != _ANONYMOUS and person not in exclude:
                    return person
            return ""
        if ref.kind == "pronoun":
            gender = "f" if self.text[ref.start].lower() == "s" else "m"
            # (someone whose gender is not known, the knowledge base not knowing them and the
            # text not saying, fits either pronoun)
            for person, person_gender in reversed(self.focus):
                if person_gender in (gender, "") and person not in exclude:
                    if (
                        self.topic
                        and person not in (self.topic, _ANONYMOUS)
                        and self._topic_instead(person, ref, gender)
                    ):
                        return self.topic
                    if not person_gender and person != _ANONYMOUS and self._cue_follows(ref):
                        self._learn_gender(person, gender)
                    return person
            # nobody of that gender has been a subject yet: the last one mentioned
            mentioned = [
                (_last_before(positions, ref.start), person)
                for person, positions in self.seen.items()
                if person not in exclude
                and self.gender_of(person) in (gender, "")
                and positions[0] < ref.start
            ]
            if mentioned:
                return max(mentioned)[1]
        return ""

    def _unnamed_since(self, ref: Ref, person: str) -> bool:
        """Whether "the diplomat" means the unnamed "A senior EU diplomat" introduced after the
        person it would otherwise resolve to was last mentioned (the bloc's foreign policy chief,
        two paragraphs before), or at all (a holder the article never names)."""
        phrase = self.text[ref.start : ref.end]
        if not phrase.startswith(("the ", "The ")):
            return False
        head = phrase.rsplit(None, 1)[-1].lower()
        positions = self.seen.get(person)
        if positions and positions[0] >= ref.start:
            return False  # (named in apposition: "said the spokesperson, Nadia Lund")
        last_seen = _last_before(positions, ref.start) if positions else -1
        for at in range(bisect_left(self.ref_starts, ref.start) - 1, -1, -1):
            earlier = self.refs[at]
            if earlier.start <= last_seen:
                return False
            if earlier.kind in ("anon", "rolephrase"):  # ("A company spokeswoman": a role phrase)
                words = self.text[earlier.start : earlier.end].split()
                if words[0] in _UNNAMED_ARTICLES and words[-1].lower() == head:
                    return True
        return False

    def _resolve_phrase(self, phrase: str, ref: Ref, exclude: frozenset[str]) -> str:
        """Resolve a role phrase; when nothing matches, drop its leading words one at a time
        ("The European Union's foreign policy chief" -> "Union's foreign policy chief")."""
        if phrase.startswith(("its ", "Its ")):
            # "The European Central Bank … with its president saying": the organisation's
            organisation = self._organisation_before(ref.start)
            if not organisation:
                return ""
            phrase = organisation + phrase[3:]
        # a sentence that opens on where it happens places the role first: "At the White House,
        # the press secretary said" is the White House press secretary, not another government's
        where = _PLACED_OPENING.match(self.text, _sentence_start(self.text, ref.start), ref.start)
        placed = role_words(where.group(1)) if where is not None else frozenset()
        words = phrase.split()
        while True:
            joined = " ".join(words)
            described = role_words(joined)
            person = ""
            if placed and described:
                person = self.resolve_role(described | placed, ref.start, (), exclude, joined)
            if not person:
                person = self.resolve_role(described, ref.start, ref.ids, exclude, joined)
            if person or len(role_words(" ".join(words[1:]))) < 2:
                return person
            words = words[1:]

    def _organisation_before(self, position: int) -> str:
        """The name of the last organisation the knowledge base knows in the sentence before
        `position` (what an "its" there stands for), or ''."""
        text = self.text
        start = _sentence_start(text, position)
        names = self.kb.names
        found = ""
        for _start, _end, _surface, targets in self.kb.find(text[start:position]):
            for target in targets[:1]:
                if target.kind == "entity" and names.get(target.entity_id, ("", ""))[1] == "org":
                    found = names[target.entity_id][0]
        return found

    def _topic_instead(self, person: str, ref: Ref, gender: str) -> bool:
        """Whether a "he" or "she" in an obituary is its subject rather than `person`, the one of
        that gender in focus: when that person was last named before the paragraph before this
        one ("In 2005 he received a national award" after a colleague spoke and a singer's
        paragraph), or when a dated phrase opens the paragraph before the pronoun ("In 2004
        he was appointed MBE" right after an apprentice spoke: the life, not the apprentice)."""
        if self.gender_of(self.topic) != gender:
            return False
        paragraph = bisect_right(self.paragraph_starts, ref.start) - 1
        if _DATED_OPENING.match(self.text, self.paragraph_starts[paragraph], ref.start):
            return True
        # or the sentence: 'In a 2009 interview she described fame as "…"'
        sentence = self.text.rfind(". ", self.paragraph_starts[paragraph], ref.start)
        if sentence >= 0 and _DATED_OPENING.match(self.text, sentence + 2, ref.start):
            return True
        since = self.paragraph_starts[max(0, paragraph - 1)]
        positions = self.seen.get(person, [])
        at = bisect_left(positions, ref.start)
        if at == 0 or positions[at - 1] < since:
            return True
        # or the paragraph names the subject before the pronoun, and not that person: "In the
        # 1990s Asante-Boakye travelled to Europe … He wrote that …" after a successor spoke
        opening = self.paragraph_starts[paragraph]
        named = self.seen.get(self.topic, [])
        return positions[at - 1] < opening and bisect_left(named, ref.start) > bisect_left(named, opening)

    def _cue_follows(self, ref: Ref) -> bool:
        """Whether a speech verb follows a reference ("he said", "she also told"): a pronoun
        resolved there says who spoke, where one that is any sentence's subject ("He was flown
        to hospital", the wounded boy) may be someone the article never names."""
        at = bisect_left(self.cue_starts, ref.end)
        return at < len(self.cue_starts) and self.cue_starts[at] - ref.end <= 8

    def _learn_gender(self, person: str, gender: str) -> None:
        """A pronoun that refers to someone whose gender was not known tells it: after '"…," he
        said' for Pádraig Mulvey, a "she" is no longer him."""
        self.genders[person] = gender
        self.focus = [(someone, gender if someone == person else known) for someone, known in self.focus]

    def gender_of(self, person: str, ref: Ref | None = None) -> str:
        if person == _ANONYMOUS:
            return ref.gender if ref else ""
        if person in self.kb.people:
            return self.kb.people[person].gender
        return self.genders.get(person, "")

    def focused(self, gender: str) -> str:
        """The last person in focus who may be of this gender (the gender unknown will do)."""
        for person, person_gender in reversed(self.focus):
            if person_gender in (gender, "") and person != _ANONYMOUS:
                return person
        return ""

    def push_focus(self, person: str, ref: Ref | None = None) -> None:
        if person:
            self.focus.append((person, self.gender_of(person, ref)))


def find_spans(paragraphs: list[tuple[int, str]], marks: list[tuple[int, str]] | None = None) -> list[Span]:
    """Top-level double-quoted spans; an unclosed span runs to its paragraph's end.
    `marks`: every quotation mark of the text (`_ANY_MARK`) as (offset, mark), when the caller
    has them."""
    if marks is None:
        marks = [
            (offset + m.start(), m.group(0)) for offset, para in paragraphs for m in _ANY_MARK.finditer(para)
        ]
    spans: list[Span] = []
    left_open = False
    j, count = 0, len(marks)
    for index, (offset, para) in enumerate(paragraphs):
        while j < count and marks[j][0] < offset:
            j += 1
        stop = j
        while stop < count and marks[stop][0] < offset + len(para):
            stop += 1
        first = True
        open_at_end = False
        while j < stop:
            at, ch = marks[j]
            i = at - offset
            if ch in "”»" or (ch == '"' and i > 0 and para[i - 1].isalnum()):
                j += 1  # not an opening mark
                continue
            closer = _OPENERS[ch]
            nested = 0
            close_at = -1
            k = j + 1
            while k < stop:
                c = marks[k][1]
                if c in (ch, closer):
                    if ch != closer and c == ch:
                        nested += 1
                    elif nested:
                        nested -= 1
                    else:
                        close_at = marks[k][0] - offset
                        break
                k += 1
            continues = left_open and first and not para[:i].strip()
            first = False
            if close_at == -1:
                spans.append(Span(offset + i + 1, offset + len(para), index, False, continues))
                open_at_end = True
                break
            if close_at > i + 1:
                spans.append(Span(offset + i + 1, offset + close_at, index, True, continues))
            j = k + 1
        j = stop
        left_open = open_at_end
    return spans


def _is_title(text: str, span: Span, straight: str = "") -> bool:
    """A quoted title or headline ("a book titled “…”", “Code on the River”), not speech.
    `straight`: `match_text(text)`, when the caller has it."""
    inner = text[span.start : span.end].strip()
    low = max(0, span.start - 41)
    before = straight[low : span.start - 1] if straight else match_text(text[low : span.start - 1])
    # the cue patterns end at the opening mark: test the last words with str methods first,
    # since searching a pattern anchored at the end tries it at every position
    tail = before.rstrip()
    if (
        _ends_with_any(tail.removesuffix(",").rstrip(), _TITLE_CUE_WORDS)
        and (_TITLE_CUE.search(before) or _WORK_AFTER_AN.search(before))
        # a title after "the book" starts with a capital: 'found their way into the book
        # "almost unchanged"' and 'called the film "a quiet, stubborn miracle"' are no titles
        and (inner[:1].isupper() or inner[:1].isdigit() or tail.lower().endswith(_TITLED))
    ):
        return True
    if tail.endswith(_NAMED_CUE_WORDS) and inner[:1].isupper() and _NAMED_CUE.search(before):
        return True
    if tail.endswith(_CALLS_ITS) and len(inner.split()) <= 4 and _WHAT_IT_CALLS.search(before):
        return True  # a body's name for its own thing: 'what Russia calls its "special operation"'
    if (
        tail.endswith(_CALLED_SOMEONE)
        and inner[:1].isupper()
        and len(inner.split()) <= 3
        and "," not in inner
    ):
        return True  # what someone is called: 'Team-mates have long called him "Grandpa"'
    if tail.endswith(_WORD_NOUNS) and len(inner.split()) <= 3 and _WORD_CUE.search(before):
        return True  # a word talked about: 'wary of the word “tradition”', 'the term "megafund"'
    if tail.endswith(_NICKNAME_WORDS) and len(inner.split()) <= 6:
        return True  # a nickname: earned him the nickname "the Gentleman of Highlife"
    if tail.endswith(_NICKNAMED) and len(inner.split()) <= 6:
        return True  # 'a side letter that critics have nicknamed the "green annex"'
    if (
        tail.endswith(" as")
        and len(inner.split()) <= 4
        and not inner.islower()
        # (a wider window: "Known to the Wharf Lane faithful simply as" is 43 characters)
        and _KNOWN_AS.search(match_text(text[max(0, span.start - 61) : span.start - 1]))
    ):
        return True
    if (
        tail.endswith(_WAS_SIMPLY)
        and len(inner.split()) <= 2
        and inner[:1].isupper()
        and inner[-1:] not in ",.!?;:"
    ):
        return True  # a name someone went by: 'To every one of them she was simply "Birdie"'
    if tail.endswith((" as", " as the")) and len(inner.split()) <= 4 and _PASSIVE_LABEL.search(before):
        return True
    # (no character but "d" and "D" is "d" to the case-insensitive pattern)
    if (
        tail[-1:] in "dD"
        and _ends_with_any(tail, ("so-called",))
        and _SO_CALLED.search(before)
        and len(inner.split()) <= 3
    ):
        return True  # scare quotes: the so-called "experts"
    if inner[-1:] in ",.!?;:" or not span.closed:
        return False
    if tail.endswith(":") or tail.endswith(_SIGN_WORDS):
        # what a placard or a sign says ('one of them reading "Eastline = Lastline"'), or
        # anything after a colon ('a banner summed up the afternoon: "Plasterers 1 Professionals 0"')
        return False
    if inner.lower() in _RATINGS:
        return True  # an analyst's rating: cut the stock to "hold" from "buy"
    if (
        " " not in inner
        and tail.endswith(_LABEL_DETERMINERS)
        and text[span.end + 1 : span.end + 3].startswith(" ")
        and text[span.end + 2 : span.end + 3].islower()
    ):
        return True  # a word as a label: kept her "hold" rating
    words = inner.split()
    if len(words) < 2 or len(words) > 10:
        return False
    return all(w[:1].isupper() or len(w) <= 3 or not w[:1].isalpha() for w in words) and inner[:1].isupper()


_BOUNDARY: Final = re.compile(r"[.!?][\"”]? (?=[A-Z“\"«])")
_QUOTE_MARK: Final = re.compile('[“«”»"]')
_ANY_MARK: Final = re.compile('[“«"„”»]')  # openers and closers: one pass finds both for an article
_TERMINATORS: Final = ".!?"


def find_marks(text: str, straight: str) -> list[tuple[int, str]]:
    """Every quotation mark of `text` (what `_ANY_MARK.finditer` finds) as (offset, mark).
    `straight`: `match_text(text)`, where every mark but „ is a straight one: str.find skips to
    each in C, where a character class is tested character by character."""
    offsets = []
    for mark in ('"', "„"):
        at = straight.find(mark)
        while at >= 0:
            offsets.append(at)
            at = straight.find(mark, at + 1)
    offsets.sort()
    return [(at, text[at]) for at in offsets]


def _sentence_start(text: str, position: int) -> int:
    """Where the sentence holding `position` starts, roughly: after the last full stop and
    space, or the last line break, before it."""
    full_stop = text.rfind(". ", 0, position)
    return max(full_stop + 2 if full_stop >= 0 else 0, text.rfind("\n", 0, position) + 1)


def find_boundaries(text: str) -> list[tuple[int, int]]:
    """The spans of `_BOUNDARY` in `text`, as `finditer` finds them (two never overlap: one ends
    before a capital or an opening mark, and starts with a full stop, "!" or "?"), tried only at
    those three characters."""
    found = []
    for terminator in _TERMINATORS:
        at = text.find(terminator)
        while at >= 0:
            boundary = _BOUNDARY.match(text, at)
            if boundary:
                found.append(boundary.span())
            at = text.find(terminator, at + 1)
    found.sort()
    return found


# a short attribution after a quotation: "Kruger asked.", "asked Pieter Kruger of the Herald."
_ATTRIBUTION_NEXT: Final = re.compile(rf"(?:[A-Z][\w.'’-]*\s+){{0,4}}(?:{_CUE_TRIE})\b")


def split_sentences(
    p_start: int,
    para: str,
    boundaries: list[tuple[int, int]] | None = None,
    marks: list[tuple[int, str]] | None = None,
) -> list[tuple[int, int]]:
    """Sentence bounds in a paragraph, never splitting inside a quotation. `boundaries`: the
    spans of `_BOUNDARY` in the paragraph, and `marks`: its quotation marks (offset, mark), as
    offsets of the text, when the caller has them."""
    if boundaries is None:
        boundaries = [(p_start + m.start(), p_start + m.end()) for m in _BOUNDARY.finditer(para)]
    if not boundaries:  # most wire paragraphs are one sentence
        return [(p_start, p_start + len(para))] if para else []
    if marks is None:
        marks = [(p_start + m.start(), m.group(0)) for m in _QUOTE_MARK.finditer(para)]
    bounds, start, depth, straight_open, next_mark = [], p_start, 0, False, 0
    for b_start, b_end in boundaries:
        space = b_end - 1
        while next_mark < len(marks) and marks[next_mark][0] < space:
            ch = marks[next_mark][1]
            if ch in "“«":
                depth += 1
            elif ch in "”»" and depth:
                depth -= 1
            elif ch == '"':
                straight_open = not straight_open
                depth += 1 if straight_open else -1
            next_mark += 1  # („ counts for neither)
        stop = b_start - p_start
        if (
            depth == 0
            and not (
                # the abbreviations end with a capital or one of these letters ("$" may also match
                # before a final newline): test that before the pattern
                (para[stop - 1 : stop].isupper() or para[stop - 1 : stop] in _ABBREVIATION_LAST)
                and _ABBREVIATION.search(para[max(0, stop - 4) : stop])
            )
            and not (
                # '"…?" Kruger asked.': a question or exclamation, then who said it, is one sentence
                para[stop : stop + 1] in "?!"
                and para[stop + 1 : stop + 2] in _CLOSING_MARKS
                and _ATTRIBUTION_NEXT.match(para, space - p_start + 1)
            )
        ):
            bounds.append((start, space))
            start = space + 1
    bounds.append((start, p_start + len(para)))
    return [b for b in bounds if b[1] > b[0]]


_TITLE_WORD: Final = re.compile(
    rf"(?:{_ROLE_HEADS}|central|bank|press|finance|foreign|deputy|vice|first|energy|defence|defense|"
    r"economy|executive|financial|officer|senator|judge|professor|councillor|councilor|legislator|"
    r"superintendent|alderman|assemblyman|assemblywoman|sheriff|inspector|detective|constable|"
    r"prosecutor|attorney|lawyer|counsel|coach|captain|referee|author|co-author|researcher|"
    r"alhaji|alhaja|elder|cllr|sheikh|sheik|shaikh|imam|rabbi|pastor|reverend|rev|bishop|archbishop|"
    r"cardinal|colonel|general|major|lieutenant|sergeant|commander|brigadier|admiral|corporal|justice|"
    r"justices|judges|reeve|member|councilmember|assemblymember|councilman|councilwoman|council|magistrate|advocate|agent|"
    r"garda|trustee|corporator|alderwoman|selectman|selectwoman|supervisor|treasurer|coroner|trooper|"
    r"warden|administrator|registrar|curator|auditor|chaplain|vicar|deacon|sarpanch|cathaoirleach|"
    r"mp|mep|mla|msp|td|datuk|dato|datin|tunku|tengku)",
    re.I,
)
_ROLE_HEAD_WORDS: Final = tuple(
    dict.fromkeys(head.replace("[- ]", sep) for head in _ROLE_HEADS.split("|") for sep in ("-", " "))
)  # _ROLE_HEADS as plain words ("secretary-general", "secretary general"), for str.endswith
_SINGLE_ROLE_HEADS: Final = frozenset(head for head in _ROLE_HEAD_WORDS if " " not in head)
_APPOSITIVE_BEFORE: Final = re.compile(rf"(?P<what>[A-Za-z'\s-]{{0,50}}\b(?:{_ROLE_HEADS})),\s+$")
# the same with the title's phrase after its head: "Thailand's Minister of Culture, Suchada
# Wongsawat", "a spokesman for the Ministry of Health, Ana Ruiz"
_TITLE_PHRASE_BEFORE: Final = re.compile(
    rf"(?P<what>[A-Za-z'\s-]{{0,50}}\b(?i:{_ROLE_HEADS})\s+(?:of|for)"
    rf"(?:\s+(?:(?:of|for|and)\s+)?(?:the\s+)?[A-Z][\w'-]*){{1,4}}),\s+$"
)
_APPOSITIVE_AFTER: Final = re.compile(
    rf",\s+(?P<what>(?:the\s+|[A-Z][\w]*'s\s+)[^,.;]{{0,60}}?\b(?:{_ROLE_HEADS})\b[^,.;]{{0,30}})[,.]"
)
_WHO_HEADS: Final = re.compile(r",\s+(?:who\s+(?:heads|leads|runs|chairs)\s+)(?P<what>[^,.;]{2,70})")
_ENDS_WITH_ROLE: Final = re.compile(rf"\b(?:{_ROLE_HEADS})\b[^,]*,\s*$")
_AUXILIARY_WORD: Final = re.compile(
    r"\b(?:will|would|has|have|had|is|are|was|were|must|can|could|should|may|might)\b"
)


def _ends_with_a_role_phrase(lead: str) -> bool:
    """Whether what comes before a name is a role phrase set off before it ("The lone
    dissenting board member, Ray Castellanos, said"), not a clause of its own that names a role
    ("The council will appoint a commissioner to speed up repairs, Carla Benedetti said")."""
    end = len(lead.rstrip())
    if not lead.endswith(",", 0, end):
        return False
    # (the role word is in the last stretch between commas: searched there alone)
    segment_start = lead.rfind(",", 0, end - 1) + 1
    return (
        _ENDS_WITH_ROLE.search(lead, segment_start) is not None
        and _AUXILIARY_WORD.search(lead, segment_start, end) is None
    )


# a title before the speaker's name, after the comma that closes a reported clause: "…, Prime
# Minister Giorgia Meloni said"
_TITLE_AFTER_A_COMMA: Final = re.compile(r",\s+((?:[A-Z][\w'’.-]*\s+){1,4})$")
# a role set off before the name of the speaker it describes, after a reported clause: "…, the
# bank's president, Ajay Banga, said"
_APPOSED_ROLE: Final = re.compile(
    rf",\s+(?:the|its|his|her|their)\s+[^,]{{0,60}}?\b(?:{_ROLE_HEADS})\b[^,]{{0,40}},\s*$"
)


# A word before a name and the space after it, read backwards (the text before the name
# reversed): words are runs of letters, digits, dots, apostrophes and hyphens.
_SPACE_WORD_REVERSED: Final = re.compile(r"(\s+)([\w.’'-]+)")


_title_words: Final[dict[str, bool]] = {}


def _is_title_word(word: str) -> bool:
    """`_TITLE_WORD.fullmatch(word)`, remembered: the pattern tries dozens of alternatives, case
    folded, on every word (several microseconds), and the words before names recur."""
    answer = _title_words.get(word)
    if answer is None:
        if len(_title_words) > 50_000:
            _title_words.clear()
        answer = _title_words[word] = _TITLE_WORD.fullmatch(word) is not None
    return answer


def part_of_another_name(text: str, start: int, end: int) -> bool:
    """Whether a one-word name between two offsets (a known person's surname) is the end of
    another capitalised name: "Bankhaus Lindner", "Goldman Sachs". The word right before it is
    capitalised and is no title ("Chancellor Scholz"), first name, sentence opener ("But
    Lindner") or possessive ("Germany's Lindner")."""
    if start < 2 or text[start - 1] != " " or text.find(" ", start, end) >= 0:
        return False
    before = text.rfind(" ", max(0, start - 40), start - 1) + 1
    word = text[before : start - 1]
    if "\n" in word:
        word = word[word.rfind("\n") + 1 :]
    return (
        word[:1].isupper()
        and word.isalpha()
        and word not in _NOT_NAME_START
        and word not in _FIRST_NAME_GENDERS
        and word not in _HONORIFICS
        and not _is_title_word(word)
    )


def _np_start(text: str, start: int) -> int:
    """Extend a name leftwards over its title words ("Pentagon chief", "Deputy Prime Minister"),
    up to 80 characters back."""
    if not text[start - 1 : start].isspace():
        return start  # no word ends right before the name
    # Walked backwards word by word: most names follow a plain word ("said", "by"), which ends
    # the title words after one step.
    before = text[max(0, start - 80) : start][::-1]
    position, at = start, 0
    while True:
        last = _SPACE_WORD_REVERSED.match(before, at)
        if last is None or "\n" in last.group(1):
            return position
        word = last.group(2)[::-1]
        if word.endswith((".", ",", ";", ":")) and len(word) > 3 and word[:-1] not in _SHORT_TITLES:
            # the end of the previous sentence or clause, not a title ("R. K.", "Sen." are ones)
            return position
        if not (word[:1].isupper() or _is_title_word(word)):
            return position
        at = last.end()
        position = start - at


# A match of `_ROLE_NP` ends with a role head (then maybe "of the …"), one of `_ANON` with a
# noun; between its start and that word there are only these characters, in at most five (four)
# runs of spaces. Matched backwards from the word (on the reversed text), these reach the
# earliest possible start.
_ROLE_NP_REACH: Final = re.compile(r"\s+(?:[\w.+'’-]+\s+){0,4}[\w.+'’-]*")
_ANON_REACH: Final = re.compile(r"\s+(?:[\w’'-]+\s+){0,3}[\w’'-]*")
# Each pattern up to its anchor word, and the anchor word alone (where a match using it ends)
_ROLE_NP_CORE: Final = re.compile(_ROLE_NP.pattern[: _ROLE_NP.pattern.index(r"\b(?:\s+of")] + r"\b")
_ROLE_HEAD: Final = re.compile(rf"(?i:{_ROLE_HEADS_TRIE})\b")
_ANON_NOUN: Final = re.compile(rf"(?:{_ANON_NOUNS})\b")


def _anchored_matches(
    pattern: re.Pattern[str],
    core: re.Pattern[str],
    word: re.Pattern[str],
    reach: re.Pattern[str],
    text: str,
    backwards: str,
    stretches: list[tuple[int, int]],
    anchors: list[int],
    possessive: bool = True,
) -> list[re.Match[str]]:
    """Exactly what `pattern.finditer` finds in each stretch (leftmost first, none overlapping),
    reading only the text just before the anchor words (sorted offsets) that every match ends
    with. `core`: the pattern up to its anchor word; `word`: the anchor word alone; `backwards`:
    the text reversed; `possessive`: whether the anchor word may be followed by an apostrophe
    (a pattern that forbids it tests it after the anchor word, where `core` may not read).

    Why this is exact: a match is the shortest its lazy words allow, so it never runs past an
    anchor word that `word` matches (it would have ended there); so the next match, if it ends
    at an anchor, starts after the last match and within `reach` of that anchor, and a search
    of `core` that may not read past the anchor word finds it, and nothing else, first."""
    found: list[re.Match[str]] = []
    at, count, size = 0, len(anchors), len(text)
    for low, high in stretches:
        while at < count and anchors[at] < low:
            at += 1
        taken = low  # where the last match ended
        while at < count and anchors[at] < high:
            anchor = anchors[at]
            at += 1
            if anchor < taken:
                continue
            ends = word.match(text, anchor, high)
            back = reach.match(backwards, size - anchor, size - low)
            if ends is None or back is None:
                continue  # not the word a match ends with, or no space before it
            if not possessive and ends.end() < high and text.startswith(("’", "'"), ends.end()):
                continue
            start = max(taken, anchor - (back.end() - (size - anchor)))
            match = core.search(text, start, ends.end())
            if match and core is not pattern:
                match = pattern.match(text, match.start(), high)  # the same, then "of the …"
            if match:
                found.append(match)
                taken = match.end()
    return found


# People the knowledge base does not know (most people the news quotes), found as news copy
# introduces them: a full name of two to five capitalised words followed by an apposition
# ("Grace Otieno, the head of Kenya's debt office,", "Javier Ortuño, who speaks for ...") or by
# a speech verb ("Marek Zielak told reporters"). Later, the surname alone refers to them.
# Uppercase first letters: ASCII, Latin-1 and Latin Extended-A (whose upper and lower cases
# alternate: `_unknown_people` checks the first letter is upper case).
# (possessive quantifiers: a word that fails to end a name is not tried again letter by letter)
_NAME_WORD: Final = r"[A-ZÀ-ÖØ-ÞĀ-ž][^\W\d_]*+(?:['’-][^\W\d_]++)*+"
# The name is matched backwards from what follows it (an appositive's start, a cue verb the
# automaton found): tried at every capital letter of the text instead, the pattern cost a
# tenth of the whole tag stage.
# Lower-case words inside names ("Mohammed bin Salman", "Ursula von der Leyen", "al-Sudani")
_PARTICLES: Final = (
    "al-", "bin", "ibn", "van", "von", "der", "den", "ter", "de", "da", "del", "di", "dos", "du", "le", "la", "ole",
    "dela", "delos", "los", "las", "das", "do",  # "Ramon dela Cruz", "Ana de los Santos"
)  # fmt: skip
# the last word of a name that says which generation, not the family: "Sebastião Arruda Filho"
_GENERATIONAL: Final = frozenset(
    {"Filho", "Neto", "Sobrinho", "Júnior", "Junior", "Jr", "Jr.", "Senior", "Sr", "Sr."}
)
_PARTICLE_PATTERN: Final = "|".join(p if p.endswith("-") else p + " " for p in _PARTICLES)
# Titles that American copy shortens with a full stop ("Gov. Katie Hobbs", "said Ms. Eze"). A
# short title or a courtesy title (`_HONORIFICS`) may precede a surname alone: "Mr. Delgado said".
_SHORT_TITLES: Final = frozenset(
    {"Mr", "Ms", "Mrs", "Dr", "Prof", "Gov", "Sen", "Rep", "Gen", "Lt", "Col", "Sgt", "Capt", "Adm", "Maj",
     "Cpl", "Supt", "Insp", "Det", "Cllr", "Rev", "Fr", "Hon"}
)  # fmt: skip
_SHORT_TITLE: Final = rf"(?:{'|'.join(sorted(_SHORT_TITLES))})\. "
# What a full stop ends that is no sentence's end: a short title, "St", "No", "U.S", an initial
_ABBREVIATIONS: Final = (*sorted(_SHORT_TITLES), "St", "No", "U.S")
_ABBREVIATION: Final = re.compile(rf"\b(?:{'|'.join(map(re.escape, _ABBREVIATIONS))}|[A-Z])$")
# the last letters of its lower-case endings (and a line's end)
_ABBREVIATION_LAST: Final = frozenset({word[-1] for word in _ABBREVIATIONS if word[-1].islower()} | {"\n"})
# Initials in a name: "Thomas J. Whitaker", "P.K. Abdul Rasheed", "K. Sivan"
_INITIALS: Final = r"(?:[A-Z]\.){1,3}"
_MORE_NAME_WORDS: Final = (
    rf"(?: (?:{_PARTICLE_PATTERN}){{0,2}}(?:{_INITIALS} )?{_NAME_WORD})"  # ("van der Walt")
)
# a name's first word, or initials and the word after them
_FIRST_NAME_WORD: Final = rf"(?:{_INITIALS} )?{_NAME_WORD}"
_ONE_NAME_WORD: Final = re.compile(rf"{_NAME_WORD}$")
_NOT_A_SURNAME: Final = frozenset({"He", "She", "They", "It", "We", "I", "You", "Who", "This", "That"})
_NAME_BEFORE: Final = re.compile(rf"{_NAME_WORD}{_MORE_NAME_WORDS}{{1,4}}$")
# initials that start a name ("P.K. Abdul Rasheed", "K. Sivan"), matched back from the name's
# first word: tried only where ". " comes before it (a pattern that allowed them at the start
# of `_NAME_BEFORE` doubled its cost)
_INITIALS_BEFORE: Final = re.compile(rf"(?<![\w.])(?:[A-Z]\. ){{0,2}}{_INITIALS} $")  # ("T. S. ")
_SHORT_TITLE_BEFORE: Final = re.compile(rf"\b{_SHORT_TITLE}{_NAME_WORD}$")  # "Mr. Delgado": one word will do
# A name after a cue verb that follows a quotation: '"…," said Mayor Carlos Ibáñez of Antofagasta'
_NAME_AFTER: Final = re.compile(rf"(?:{_SHORT_TITLE})?{_FIRST_NAME_WORD}{_MORE_NAME_WORDS}{{0,5}}")
# A noun phrase and a name set off by a comma after such a cue verb: '"…," said Achebe-Clarke's
# deputy, Farah Quraishi.' (the possessive is someone else), '"…," said the club's captain, Ana Ruiz'
_ROLE_THEN_NAME_STARTS: Final = ("the ", "a ", "an ", "its ", "their ", "his ", "her ")
_ROLE_THEN_NAME: Final = re.compile(
    rf"(?:the |an? |its |their |his |her |[A-Z][^\s,]*['’]s )(?:[A-Za-z][\w'’-]* ){{0,3}}[a-z][\w-]*, "
    rf"(?P<name>(?:{_SHORT_TITLE})?{_FIRST_NAME_WORD}{_MORE_NAME_WORDS}{{1,4}})"
)
_CLOSING_MARKS: Final = '”"»'
# What starts an appositive after a name: an article or "who" ("Grace Otieno, the head of"), a
# possessive ("José Álvarez Peña, Chile's finance minister,"), a bare role that says of what
# ("Chinwe Eze, chief economist at a Lagos brokerage,"), or an age ("Maria Gomez, 54, a teacher");
# any of them after "now" or "formerly" ("Donnie Matheson, now lead fiddle with a band,").
_APPOSITIVE_START: Final = re.compile(
    r",\s+(?:(?:now|formerly|once|still) )?"
    r"(?:the|an?|who|whose|for|of|[A-Z][\w.-]*(?: [A-Z][\w.-]*)*['’]s|(?:[a-z][\w-]* ){1,3}(?:of|for|at|with)|\d{1,3},)\s"
)
_PLACE_PREPOSITIONS: Final = frozenset({"in", "at", "near", "outside"})
_INNER_INITIALS: Final = re.compile(r" (?:[A-Z]\.){1,3} (?=[A-Z])")  # " R. " inside a run
# (an age may come first: "One of the volunteers, 81-year-old Eino Laaksonen, has recorded")
_COMMA_BEFORE_A_CAPITAL: Final = re.compile(
    r", (?:\d{1,3}-year-old )?(?=[A-Z])"
)  # (a literal start: re finds it in C)
# what follows a name set off after a noun: "rival in Brabant, Hendrik Oosterhuis of the..."
_AFTER_A_SET_OFF_NAME: Final = (
    ",",
    " of the ",
    " from ",
    " (",
)  # " (": a party ("Cllr Pádraig Mulvey (FF),")
_NAME_WORDS: Final = _load("name_words.yaml")
# Words before a name that are not part of it (a sentence's first word, a date), and words that
# organisation and place names are made of: a capitalised run holding one is not a person.
_NOT_NAME_START: Final = frozenset(_NAME_WORDS["not_name_start"])
_NOT_PERSON_WORDS: Final = frozenset(_NAME_WORDS["not_person"])
_FAMILY_NAME_FIRST: Final = frozenset(_NAME_WORDS["family_name_first"])
# An appositive role with no article: "António Costa, President of the European Council,",
# "Marina Silva, Brazilian environment minister," (not "X, Tuesday the president ...").
_BARE_APPOSITIVE_AFTER: Final = re.compile(
    rf",\s+(?P<what>(?!(?:{'|'.join(sorted(_NOT_NAME_START))})\b)(?:[A-Z][\w-]*\s+(?:[a-z][\w-]*\s+){{0,3}})?"
    rf"(?i:{_ROLE_HEADS})\b[^,.;]{{0,40}})[,.]"
)


# What the words around an introduction say of an unknown person's gender: a title before the
# name ("Ms Pardo"), or the noun of the appositive after it ("Anna Brzeska, a spokeswoman for").
# Ranks as copy shortens them, with or without a full stop: a surname alone may follow them
_RANKS: Final = frozenset({"Lt", "Col", "Sgt", "Capt", "Maj", "Gen", "Cpl", "Supt", "Insp", "Det", "Adm"})
_HONORIFICS: Final = {
    "Mr": "m", "Sir": "m", "Lord": "m", "Fr": "m", "Ms": "f", "Mrs": "f", "Miss": "f", "Madam": "f", "Dame": "f",
    "Lady": "f", "Baroness": "f", "Sister": "f", "Dona": "f", "Doña": "f", "Dr": "", "Prof": "",
    "Cr": "",  # councillor, as Australian copy writes it: "Cr Jo Castellano"
}  # fmt: skip
# Titles that go with a first name in British usage: "Sir Keir" is Keir Starmer.
_FIRST_NAME_TITLES: Final = ("Sir ", "Dame ")
_GENDER_BEFORE: Final = re.compile(
    rf"\b(?:(?P<f>{'|'.join(t for t, g in _HONORIFICS.items() if g == 'f')})"
    rf"|(?P<m>{'|'.join(t for t, g in _HONORIFICS.items() if g == 'm')}))\.? $"
)
_GENDER_AFTER: Final = re.compile(
    r", (?:the |an? |who is (?:the |an? )?)?(?:(?!(?:said|says|told|her|his|their|whose)\b)[\w'’-]+ ){0,4}?"
    r"(?:(?P<f>spokeswoman|chairwoman|businesswoman|congresswoman|councilwoman|woman|mother|wife|"
    r"daughter|sister|grandmother|actress|widow)|(?P<m>spokesman|chairman|businessman|congressman|"
    r"councilman|man|father|husband|son|brother|grandfather|actor|widower))\b"
)


_KIN_BEFORE: Final = re.compile(
    rf"\b(?:(?P<f>{'|'.join(_FEMALE_KIN)}|niece|aunt|girlfriend)"
    rf"|(?P<m>{'|'.join(_MALE_KIN)}|nephew|uncle|boyfriend)),? $"
)


def _told_gender(text: str, start: int, end: int) -> str:
    """'f', 'm', or '' when the words around an introduction do not say."""
    for found in (
        _GENDER_BEFORE.search(text, max(0, start - 8), start),
        _GENDER_AFTER.match(text, end, end + 90),
    ):
        if found:
            return "f" if found.group("f") else "m"
    return ""


def _may_be_unknown_person(kb: KnowledgeBase, name: str) -> bool:
    """`_is_unknown_person`, remembered while the knowledge base stays as it is: the same
    people recur from article to article (it grows by the people watchlists name)."""
    state = (id(kb), len(kb.people))
    if _unknown_answers_for[0] != state or len(_unknown_answers) > 50_000:
        _unknown_answers.clear()
        _unknown_answers_for[0] = state
    answer = _unknown_answers.get(name)
    if answer is None:
        answer = _unknown_answers[name] = _is_unknown_person(kb, name)
    return answer


_unknown_answers: Final[dict[str, bool]] = {}
_unknown_answers_for: Final[list[tuple[int, int]]] = [(0, 0)]  # (knowledge base, its people) they hold for


def _is_unknown_person(kb: KnowledgeBase, name: str) -> bool:
    """Whether a capitalised run can name a person the knowledge base does not know: not when
    it holds a known person's full name ("General Mark Rutte") or an organisation, nor when it
    ends with a place. A one-word name of someone or somewhere else, a first name ("Sofia",
    "Pavel") or a surname another person has ("Tomas Novak"), does not make it known."""
    if "'s " in name or "’s " in name:
        return False  # "Germany's Boris Pistorius": a possessive, then a name
    names = kb.names
    for start, end, surface, targets in kb.find(name):
        kind = names.get(targets[0].entity_id, ("", ""))[1] if targets[0].entity_id else ""
        if kind == "place" and end == len(name) and start > 0 and " " not in surface:
            # a surname that is a place after a known first name: "Ricardo Montenegro"
            kind = "" if name[: start - 1] in _FIRST_NAME_GENDERS else kind
        if kind == "org" or (kind == "place" and end == len(name)) or (kind == "person" and " " in surface):
            return False
        if start == 0 and end == len(name):
            return False
    return True


_SPACE_OR_COMMA: Final = " \t\n,"
_AUXILIARIES: Final = ("has", "had", "also")  # between a subject and its cue verb: "X has said"
_RELATIVE_OPENINGS: Final = (", who ", ", which ", ", whose ", ", where ")
_NO_CLAUSE_BREAK: Final = re.compile(r"[^,.;:!?\n\"“”]*")  # (within one clause of one sentence)


def _introductions(
    text: str, low: int, high: int, cues: list[tuple[int, int, str]], titles: list[int] | None = None
) -> list[tuple[int, str]]:
    """(start, run) of the capitalised runs between two offsets that an appositive or a cue
    verb follows, that follow a cue verb right after a quotation, or that follow a title (the
    ends of `titles`: "spokesman Heorhiy Tykhyi", "Mayor Tomas Reiner"), in order: the
    candidates for introduced names."""
    ends = [found.start() for found in _APPOSITIVE_START.finditer(text, low, high)]
    # a dash after a name sets off what follows it too: "Morag Munro — no relation — a retired"
    for dash in "—–":  # (str.find: most texts have none)
        at = text.find(dash, low, high)
        while at >= 0:
            if text[at - 1 : at] == " " and text[at + 1 : at + 2] == " " and text[at + 2 : at + 3].islower():
                ends.append(at - 1)
            at = text.find(dash, at + 1, high)
    cue_ends: set[int] = set()
    runs: list[tuple[int, str]] = []
    for end in titles or ():
        if low - 1 <= end < high:  # (-1: a title or first name that starts the text)
            found = _NAME_AFTER.match(text, end + 1, min(high, end + 90))
            if found:
                runs.append((found.start(), found.group(0)))
    # a name set off by commas after a noun ("The club's captain, Wiremu Tautahi, played"); a
    # name after a possessive and a noun ("Her colleague Oskar Lindqvist") comes with `titles`
    for comma in _COMMA_BEFORE_A_CAPITAL.finditer(text, low, high):
        if text[comma.start() - 1 : comma.start()].islower():
            found = _NAME_AFTER.match(text, comma.end(), min(high, comma.end() + 90))
            if (
                found
                and " " in found.group(0)
                and (
                    text.startswith(_AFTER_A_SET_OFF_NAME, found.end())
                    # at a sentence's end after "according to": "according to her longtime
                    # editor, Marcos Teixeira."
                    or (
                        text.startswith(".", found.end())
                        and text.find("according to ", max(low, comma.start() - 60), comma.start()) >= 0
                    )
                )
            ):
                runs.append((found.start(), found.group(0)))
    # the subject of the sentence that ends the paragraph before a quotation a pronoun
    # attributes: "Tapio Rautiainen has run fishing trips on the lake for two decades." before
    # '"My father drove across it," he said.' (what he does, not an appositive or a cue verb,
    # introduces him)
    for mark in _OPENING_MARKS_AT_START:
        at = text.find(mark, low, high)
        while at > low:
            paragraph_end = text.find("\n", at + 1, high)
            if (
                _PRONOUN_AFTER_A_QUOTATION.search(text, at, high if paragraph_end < 0 else paragraph_end)
                is None
            ):
                at = text.find(mark, at + 1, high)
                continue
            end = at  # where the paragraph before ends (paragraphs are set apart by blank lines)
            while end > low and text[end - 1] == "\n":
                end -= 1
            full_stop = text.rfind(". ", low, end)
            sentence = max(text.rfind("\n", low, end) + 1, full_stop + 2 if full_stop >= 0 else low)
            found = _NAME_AFTER.match(text, sentence, end)
            if found and " " in found.group(0) and text[found.end() : found.end() + 2].islower():
                runs.append((found.start(), found.group(0)))
            at = text.find(mark, at + 1, high)
    for start, end, verb in cues:
        if not (low < start < high and text[start - 1].isspace()) or text[end : end + 1].isalnum():
            continue
        if (
            text[end : end + 1] == " "
            and verb != "told"
            and (text[end + 1 : end + 2].isupper() or text.startswith(_ROLE_THEN_NAME_STARTS, end + 1))
        ):
            # '"…," said Mayor Carlos Ibáñez': the verb right after the quotation's closing mark
            # (a comma may stand outside it); "told" is followed by who was told
            before = text[max(low, start - 3) : start].rstrip()
            if before[-1:] in _CLOSING_MARKS or (before[-1:] == "," and before[-2:-1] in _CLOSING_MARKS):
                found = _ROLE_THEN_NAME.match(text, end + 1, min(high, end + 120))
                if found:
                    runs.append((found.start("name"), found.group("name")))
                else:
                    found = _NAME_AFTER.match(text, end + 1, min(high, end + 90))
                    if found:
                        runs.append((found.start(), found.group(0)))
        # back over the spaces and comma before the verb, a party and state in brackets ("Ted
        # Cruz (R-Texas) said"), and a "has", "had" or "also"
        at = start
        while at > low and text[at - 1] in _SPACE_OR_COMMA:
            at -= 1
        if text[at - 1 : at] == ")":
            opening = text.rfind("(", max(low, at - 25), at)
            if opening > low:
                at = opening
                while at > low and text[at - 1] in _SPACE_OR_COMMA:
                    at -= 1
        for auxiliary in _AUXILIARIES:
            if (
                text.endswith(auxiliary, low, at)
                and text[at - len(auxiliary) - 1 : at - len(auxiliary)] == " "
            ):
                at -= len(auxiliary)
                while at > low and text[at - 1] in _SPACE_OR_COMMA:
                    at -= 1
                break
        ends.append(at)
        cue_ends.add(at)
    for end in sorted(set(ends)):
        # the word before must start with a capital ("al-Masri" after its particle): most cue
        # verbs follow "he" or "the minister"
        word_start = max(text.rfind(" ", low, end), low - 1) + 1
        if "\n" in text[word_start:end]:  # (a word at a paragraph's start)
            word_start = text.rfind("\n", word_start, end) + 1
        if text.startswith("al-", word_start, end):
            word_start += 3
        if word_start >= end or not text[word_start].isupper() or text[word_start:end] in _NOT_A_SURNAME:
            continue  # (most cue verbs follow "he" or "the minister")
        found = _NAME_BEFORE.search(text, max(low, word_start - 70), end)
        if found is None:
            found = _SHORT_TITLE_BEFORE.search(text, max(low, word_start - 6), end)
        if found is None:
            # a surname alone ("Solheim-Baker, 52, spent"): a name only if written in full before
            found = _ONE_NAME_WORD.match(text, word_start, end)
        if found is None:
            continue
        start = found.start()
        initials = _INNER_INITIALS.search(text, start, end) if ". " in found.group(0) else None
        if initials is not None and any(
            word in _NOT_PERSON_WORDS or _is_title_word(word)
            for word in text[start : initials.start()].split()
        ):
            # a title's phrase before a name that starts with initials: "Deputy Director of
            # Public Instruction R. Shashikala said" is R. Shashikala, not a firm after "of"
            start = initials.start() + 1
        # a run that ends a relative clause set off before the verb is its object, not the
        # subject: "The centre-back, who runs the Red Lion, said"
        clause = text.rfind(", wh", max(low, start - 100), start) if end in cue_ends else -1
        if (
            clause >= 0
            and text.startswith(_RELATIVE_OPENINGS, clause)
            and _NO_CLAUSE_BREAK.fullmatch(text, clause + 2, start) is not None
        ):
            continue
        if text[start - 2 : start] == ". ":  # "Dr. Priya Raman": the title before the name
            initials = _INITIALS_BEFORE.search(text, max(low, start - 12), start)
            if initials is not None:
                start = initials.start()  # "P.K. Abdul Rasheed", "K. Sivan"
            else:
                titled = _SHORT_TITLE_BEFORE.search(text, max(low, start - 6), text.find(" ", start))
                start = titled.start() if titled else start
        # after a preposition the run is no subject ("a teacher in El Paso, said"), and after
        # "in", "at" or "near" a place ("talks in Addis Ababa, the capital")
        preposition = text[max(low, start - 9) : start].rsplit(None, 1)[-1:]
        if preposition and preposition[0] in (_PREPOSITIONS if end in cue_ends else _PLACE_PREPOSITIONS):
            if preposition[0] == "of" and end in cue_ends and text[start - 4 : start] == " of ":
                # "Tan Wei Ling of Meridian Securities said": the name before the firm
                found = _NAME_BEFORE.search(text, max(low, start - 74), start - 4)
                if found is not None:
                    runs.append((found.start(), text[found.start() : start - 4]))
            continue
        runs.append((start, text[start:end]))
    return sorted(set(runs))


# A paragraph that opens with a quotation mark.
_OPENING_MARKS_AT_START: Final = ('\n"', "\n\u201c")
_PRONOUN_AFTER_A_QUOTATION: Final = re.compile(r"[,?!][\"\u201d] (?:he|she) ")
# Letters after a name, which are no part of it: "Siddharth Venkataraman KC", "Tomás Riera MP"
_POST_NOMINALS: Final = frozenset(
    {"KC", "QC", "SC", "BL", "JP", "MD", "MP", "MEP", "MSP", "MLA", "TD",
     "MBE", "OBE", "CBE", "KBE", "DBE", "Jr", "Sr", "PhD"}
)  # fmt: skip


@lru_cache(maxsize=65_536)  # the same runs recur from article to article
def _name_in_run(run: str) -> tuple[int, list[str], bool, bool]:
    """The name in a capitalised run: where it starts in the run, its words, whether a
    courtesy or short title came right before it (then a surname alone is a name: "Ms
    Lindqvist", "Mr. Delgado"), and whether the words can name a person (`_is_name`). Dropped
    before it: a sentence's first word or a date, and title words ("Passenger Services Director
    Mikko Rantala", "Mayor Carlos Ibáñez", "Gov. Katie Hobbs"). Callers never change the list."""
    start = 0
    words = run.split(" ")
    while len(words) > 1 and words[-1] in _POST_NOMINALS:  # "Siddharth Venkataraman KC"
        words = words[:-1]
    while words and (
        words[0] in _NOT_NAME_START
        or _is_title_word(words[0])
        # "Butcher Tommy Keaveney", "Hydrologist Ana Ruiz" (a first name never ends in "-ist"),
        # "Seventeen-year-old Lucía Moreno"
        or (len(words) > 2 and (words[0] in _OCCUPATION_ANCHORS or words[0].endswith(("ist", "-year-old"))))
        or (len(words) > 2 and words[0].endswith(_POSSESSIVE_ENDINGS))  # "Ethiopia's Abebe Worku"
        or (len(words) > 2 and "-of-" in words[0])  # "Dad-of-two Kevin Lachance": no name has it
        # a tabloid's capitals before the name: "SUPER-SUB Callum Dunn came off the bench"
        or (
            len(words) > 2
            and len(words[0]) > 2
            and words[0].isupper()
            and words[0].replace("-", "").isalpha()  # (not initials: "P.K. Abdul Rasheed")
            and not words[1].isupper()
        )
        # a doer's noun before a first name: "Fiddler Siobhán Brennan", "Learner Sipho Mahlangu"
        or (
            len(words) > 2
            and words[0].endswith("er")
            and words[1] in _FIRST_NAME_GENDERS
            and words[0] not in _FIRST_NAME_GENDERS
        )
        # the end of a title's phrase: "Deputy Minister for Infrastructure Péter Szalai"
        or (
            len(words) > 2
            and words[0] in _NOT_PERSON_WORDS
            # ("of Public Instruction Nandini Raghavendra": two such words, then a first name)
            and (words[1] not in _NOT_PERSON_WORDS or (len(words) > 3 and words[2] in _FIRST_NAME_GENDERS))
        )
    ):
        start += len(words[0]) + 1
        words = words[1:]
    cut = max((at for at, word in enumerate(words) if _is_title_word(word)), default=-1)
    if cut == len(words) - 1 and cut > 0 and words[cut - 1] in _FIRST_NAME_GENDERS:
        # a surname that is a title too, after a first name: "Farhan Shaikh", "Anna Bishop"
        cut = max((at for at, word in enumerate(words[:-1]) if _is_title_word(word)), default=-1)
    if cut >= 0:
        start += sum(len(word) + 1 for word in words[: cut + 1])
        words = words[cut + 1 :]
    if words and words[-1].endswith(_POSSESSIVE_ENDINGS):  # "Sheriff Dale Pruitt's deputies"
        words = [*words[:-1], words[-1][:-2]]
    titled = False
    # (ranks stack: "Lt Col Thanh")
    while len(words) > 1 and (
        words[0] in _HONORIFICS
        or words[0] in _RANKS
        or (words[0][-1:] == "." and words[0][:-1] in _SHORT_TITLES)
    ):
        titled = True
        start += len(words[0]) + 1
        words = words[1:]
    if words and (words[0] in _RANKS or words[0].rstrip(".") in _SHORT_TITLES):
        return start, words, titled, False  # a title alone: "Lt. Col" before a name
    return start, words, titled, _is_name(words, titled)


def _heads_a_subject(text: str, at: int) -> bool:
    """Whether a name starting at an offset can be a subject itself: not after a preposition
    ("the president of the European Central Bank said") nor the end of a longer name that the
    knowledge base does not know ("the Christian Democrats")."""
    before = text[max(0, at - 16) : at].split()
    if before and before[-1] in ("the", "The"):
        before.pop()
    if not before:
        return True
    word = before[-1]
    return word not in _PREPOSITIONS and not (word[:1].isupper() and word[-1:].isalnum())


def _after_doer_noun(text: str, at: int) -> bool:
    """Whether the word before an offset is a lower-case noun of what someone does: "grower",
    "farmer", "organiser", "florist"."""
    before = text[max(0, at - 20) : at].rsplit(None, 1)[-1:]
    return bool(before) and before[0].islower() and before[0].endswith(("er", "or", "ist"))


@lru_cache(maxsize=65_536)
def _is_surname(word: str) -> bool:
    """`_is_name([word], True)`, remembered: whether one word alone can be a surname."""
    return _is_name([word], True)


def _is_name(words: list[str], titled: bool) -> bool:
    """Whether the words of `_name_in_run` can name a person: two or more (one after a title),
    each capitalised ("al-Rashidi" after its particle) and not all capitals, none a word of
    organisation or place names."""
    return len(words) >= (1 if titled else 2) and not any(
        not word[:1].isupper() or (word.isupper() and len(word) > 1) or word in _NOT_PERSON_WORDS
        for word in (word.removeprefix("al-") for word in words)
        if word not in _PARTICLES and not (word[-1:] == "." and _IS_INITIALS.fullmatch(word))
    )


_IS_INITIALS: Final = re.compile(_INITIALS)


def _full_name_before(
    text: str, word: str, before: int, first_name: bool = False, since: int = 0
) -> tuple[int, list[str]] | None:
    """The article's first full name ending with a word (a surname: "Tomás Delgado grows
    alfalfa" before "Mr. Delgado said"), or starting with it (`first_name`: "Keir Starmer"
    before "Sir Keir"), before an offset, when one is written there (after `since`, for a
    surname)."""
    if first_name:
        pattern = re.compile(rf"(?<![\w'’-]){re.escape(word)}{_MORE_NAME_WORDS}+")
        found = pattern.search(text, 0, before)
        if found is None:
            return None
        offset, words, _titled, is_name = _name_in_run(found.group(0))
        return (found.start() + offset, words) if len(words) > 1 and is_name else None
    # each place the word ends a run of capitalised words (str.find, then the run backwards:
    # a pattern searched from the start would be tried at every capital of the text)
    at = text.find(" " + word, since, before)
    while at >= 0:
        end = at + 1 + len(word)
        after = text[end : end + 1]
        if not (after.isalnum() or after == "-") and (after not in "'’" or text[end + 1 : end + 2] == "s"):
            found = _NAME_BEFORE.search(text, max(0, at - 70), end)
            if found is not None:
                offset, words, _titled, is_name = _name_in_run(found.group(0))
                if len(words) > 1 and is_name:
                    return found.start() + offset, words
        at = text.find(" " + word, end, before)
    return None


# One more capitalised word, the last of a name: no capital word after it
_LAST_NAME_WORD: Final = re.compile(r" ([A-Z][\w'’-]+)(?![\w'’-]| [A-Z])")


# An appositive that says a capitalised run is a firm: its head noun, then what follows a head
# ("a family-owned maker of grinding machines", "an engineering group based in Turin"; not "a
# company director")
_FIRM_APPOSITIVE: Final = re.compile(
    r", an? (?:[\w-]+ ){0,3}(?:maker|manufacturer|company|firm|producer|supplier|retailer|group|"
    r"carmaker|chipmaker|lender|insurer|airline|brewery|distillery|start-?up|cooperative|"
    r"co-operative|conglomerate|wholesaler|exporter|importer)(?: of\b| in\b| based\b| that\b| which\b| with\b|,|\.)"
)

_HEAD_COMPOUND: Final = re.compile(
    r" (?:teacher|coach|chef|cook|gardener|groundsman|nurse|porter|ranger|keeper|librarian|curator|"
    r"brewer|winemaker|guide|trainer|boy|girl)\b"
)


def _unknown_people(
    kb: KnowledgeBase,
    text: str,
    in_quote: list[bool] | bytearray,
    genders: dict[str, str],
    cues: list[tuple[int, int, str]],
    titles: list[int] | None = None,
    obituary_lead: int = -1,
) -> tuple[list[Ref], dict[str, str]]:
    """References to people the knowledge base does not know: each introduction (a full name
    before an appositive or a cue verb, or after a cue verb that follows a quotation:
    `_introductions`), then every later mention of the surname outside quotations; and their
    names by id. The genders the text tells (`_told_gender`) go to `genders`. `cues`: the cue
    verbs the automaton found. `obituary_lead`: where an obituary's first paragraph ends (-1
    when the article is no obituary)."""
    refs: list[Ref] = []
    names: dict[str, str] = {}
    lowered: list[str] = []  # the names, lower case (a later run may spell a particle "Van")
    surnames: dict[str, tuple[str, int]] = {}  # surname -> (person id, where introduced)
    first_surnames: list[tuple[str, str, int]] = []  # of names of three words or more
    # surname -> (person id, where introduced, gender) of everyone introduced with it, in order
    sharing: dict[str, list[tuple[str, int, str]]] = {}
    # surname -> (how far it was searched, its full name before there, if any)
    full_names: dict[str, tuple[int, tuple[int, list[str]] | None]] = {}
    candidates = _introductions(text, 0, len(text), cues, titles)
    # nicknames an article gives the people it introduces ("known across Bahia as "Dona
    # Zezé""): where each is given (str.find: most articles give none)
    nicknames: dict[str, int] = {}
    if text.find("known ") >= 0:
        for found in _NICKNAME_GIVEN.finditer(text):
            nickname = found.group(1)
            nicknames[nickname] = found.start()
            title, _space, rest = nickname.partition(" ")
            if rest and title in _HONORIFICS:  # "Dona Zezé", later "Zezé" after the title
                nicknames[rest] = found.start()
    subjects: list[re.Match[str]] = []  # names found as a sentence's subject, with nothing to introduce them
    if obituary_lead >= 0:
        # an obituary's subject, named in its first paragraph with nothing after the name to
        # introduce it ("could hear Halina Wierzbicka before they saw her. She died on")
        subject = _lead_name(text, obituary_lead)
        if subject is not None and subject not in candidates:
            candidates = sorted([*candidates, subject])
    else:
        # a profile's subject, the subject of its first sentence with nothing to introduce them
        # ("At five in the morning, …, Haruko Ishizaki is already on her knees": the "her" says
        # a person, where a firm or a team that opens a lead has "its" or "their"; a word and a
        # name after it make it a description: "Brisbane Bulls veteran Jarrod McKinnon has")
        lead = _LEAD_SUBJECT.search(text, 0, _sentence_end(text))
        if lead is not None:
            subjects.append(lead)
    # the same after where a later paragraph happens: "In Steinbach, Dana Friesen spent the
    # morning clearing her driveway."
    for opening in _paragraph_openings(text):
        set_off = _PLACED_SUBJECT.match(text, opening)
        if set_off is not None:
            subjects.append(set_off)
    named = [(found.start(1), found.group(1)) for found in subjects if _a_person_subject(text, found)]
    named = [subject for subject in named if subject not in candidates]
    if named:
        candidates = sorted([*candidates, *named])
    for start, run in candidates:
        if in_quote[start]:  # (names inside quotations are mentions, and never introductions)
            continue
        if (
            text.startswith(", a", start + len(run))
            and _FIRM_APPOSITIVE.match(text, start + len(run))
            and run.split(" ", 1)[0] not in _FIRST_NAME_GENDERS  # ("Jan-Willem de Groot, a fuel supplier")
        ):
            continue  # "Kessler Präzision, a family-owned maker of grinding machines": a firm
        offset, words, titled, is_name = _name_in_run(run)
        if titled and run[: run.find(" ")] in _RANKS and _after_doer_noun(text, start):
            # a short first name, not a rank, after what the person does: "grain grower Col
            # Whitfield" (Colin); an officer's rank follows no such noun
            offset, words, titled = 0, run.split(" "), False
            is_name = _is_name(words, False)
        if not is_name:
            if (
                titled
                or len(words) != 1
                or not _is_surname(words[0])
                or words[0] in surnames
                or any(words[0] in known.split(" ") for known in names.values())
            ):
                continue
            # a known one: linking has it already, unless the full name before is someone else
            # ("beating Katarina Novak" before "Novak said", not the minister Alexander Novak)
            known_surface = match_text(words[0]) in kb.surfaces
            # a surname alone where the introduction is ("Solheim-Baker, 52, spent"), the full
            # name written before it without one ("Ingrid Solheim-Baker holds a cello"); the
            # same surname recurs at cue after cue ("Lund said"): the full name is found once
            word, at = words[0], start + offset
            if text.endswith(_DEFINITE, max(0, at - 4), at):
                continue  # a team or a firm: "a bitter pill for the Wreckers, who led"
            searched, earlier = full_names.get(word, (0, None))
            if earlier is None and text.find(" " + word, searched, at) >= 0:
                earlier = _full_name_before(text, word, at)
            if earlier is None and word in _FAMILY_NAME_FIRST:
                # the family name first: "Park Min-kyung moved from Gwangju" before "Park said"
                earlier = _full_name_before(text, word, at, first_name=True)
            full_names[word] = (at, earlier)
            if earlier is None or in_quote[earlier[0]]:
                continue
            if known_surface and kb.person_named(" ".join(earlier[1])):
                continue
            ends = earlier[0] + len(" ".join(earlier[1]))
            if text[ends : ends + 1] == " " and text[ends + 1 : ends + 2].isupper():
                # not where the name ends: the surname is the first of two ("Remedios
                # Calatayud Ferrer is already answering" before "Calatayud, 58, was first
                # elected"), and the person is the whole name
                last = _LAST_NAME_WORD.match(text, ends)
                longer = [*earlier[1], last.group(1)] if last else []
                if not longer or not _is_name(longer, False) or in_quote[ends + 1]:
                    continue
                earlier = (earlier[0], longer)
            preposition = text[max(0, earlier[0] - 9) : earlier[0]].rsplit(None, 1)[-1:]
            if (
                preposition
                and preposition[0] in _PREPOSITIONS
                and preposition[0] != "by"  # who directed, wrote or chaired: "directed by X"
                and earlier[1][0] not in _FIRST_NAME_GENDERS
            ):
                continue  # a club or a place ("signed him from Atlético Serrano"), not a person
            known = kb.person_named(" ".join(earlier[1]))
            if known:
                # the nearest of the known people named in full with it: "Silva said" after
                # "Environment Minister Marina Silva", not Luiz Inácio Lula da Silva before her
                later = _full_name_before(text, word, at, since=earlier[0] + len(" ".join(earlier[1])))
                while later is not None:
                    later_name = " ".join(later[1])
                    known = kb.person_named(later_name) or known
                    later = _full_name_before(text, word, at, since=later[0] + len(later_name))
                refs.append(Ref(start + offset, start + offset + len(words[0]), "person", (known,)))
                continue
            offset, words = earlier[0] - start, earlier[1]
        start += offset
        name = " ".join(words)
        if (
            name in surnames
            or any(known.endswith(" " + name.lower()) for known in lowered)
            or any(word == name for word, _person, _at in first_surnames)
        ):
            continue  # a later mention of someone introduced ("Álvarez Peña", "Ms. Eze", "Ms Tan")
        if len(words) == 2 and any(known.startswith(name.lower() + " ") for known in lowered):
            continue  # the given names of a name of three words: "Khairul Anuar" of Khairul Anuar Ismail
        if len(words) > 1 and text.find(" " + name, 0, start) >= 0:
            # a longer name written before, with no introduction: "signed Mateus Carvalho Reis"
            # before "Carvalho Reis, who won his first cap"
            earlier = _full_name_before(text, name, start)
            if earlier is not None and len(earlier[1]) > len(words) and not in_quote[earlier[0]]:
                start, words = earlier
                name = " ".join(words)
        told_at = (start, start + len(name))  # a title before a surname tells the gender there
        if titled and len(words) == 1:
            first_name = text.endswith(_FIRST_NAME_TITLES, max(0, start - 5), start)
            earlier = _full_name_before(text, name, start, first_name)
            if earlier is not None:  # the full name, written before without an introduction
                known = kb.person_named(" ".join(earlier[1]))
                if known:  # "Sir Keir" after "Keir Starmer": a known person's mention
                    refs.append(Ref(start, start + len(name), "person", (known,)))
                    continue
                start, words = earlier
                name = " ".join(words)
        if name in nicknames:
            # a nickname given before: the person introduced nearest before it
            nicknamed = next((r for r in reversed(refs) if r.start < nicknames[name]), None)
            if nicknamed is not None:
                refs.append(Ref(start, start + len(name), "person", nicknamed.ids))
                continue
        if not _may_be_unknown_person(kb, name):
            continue
        word_before = text[max(0, start - 14) : start].rsplit(None, 1)
        if word_before and (word_before[-1] in _THING_NOUNS or word_before[-1] in _DEFINITE_WORDS):
            # the name of a thing: "a fiddler with the band Marée Haute, who said", "a win over
            # the Whitsunday Wreckers" (no person's name follows "the")
            continue
        place = (
            _PLACE_APPOSITIVE.match(text, start + len(name))
            if text.startswith(", ", start + len(name))
            else None
        )
        if place is not None and not any(
            word in _SINGLE_ROLE_HEADS or word in _OCCUPATION_ANCHORS for word in place.group(0).split(" ")
        ):
            # a place: "mayor of Benifassar de la Serra, a hillside village of 212" (not "a lawyer
            # representing the city")
            continue
        person_id = f"person:{slug(name)}"
        names[person_id] = name
        lowered.append(name.lower())
        gender = _told_gender(text, *told_at) or _FIRST_NAME_GENDERS.get(words[0], "")
        if not gender:  # "his daughter, Sneha Patil,"
            kin = _KIN_BEFORE.search(text, max(0, start - 40), start)
            gender = ("f" if kin.group("f") else "m") if kin else ""
        if gender:
            genders[person_id] = gender
        refs.append(Ref(start, start + len(name), "person", (person_id,)))
        surnames.setdefault(words[-1], (person_id, start))
        if len(words) > 2 and words[-1] in _GENERATIONAL:  # "Arruda says" of Sebastião Arruda Filho
            surnames.setdefault(words[-2], (person_id, start))
        if words[-1].startswith("al-"):  # "Al-Balushi said" at a sentence's start
            surnames.setdefault("A" + words[-1][1:], (person_id, start))
        bearers = sharing.setdefault(words[-1], [])
        if all(person_id != bearer for bearer, _at, _gender in bearers):
            bearers.append((person_id, start, gender))
        if len([word for word in words if word not in _PARTICLES]) > 2 and words[-2] not in _PARTICLES:
            first_surnames.append((words[-2], person_id, start))
            if words[1] not in _PARTICLES and words[0] not in _FAMILY_NAME_FIRST:
                # the first two words alone: Malay given names ("Khairul Anuar" of Khairul
                # Anuar Ismail), a Spanish name without its second surname ("José Álvarez")
                first_surnames.append((f"{words[0]} {words[1]}", person_id, start))
        elif len(words) > 3 and words[-2] in _PARTICLES and words[-3] not in _PARTICLES:
            first_surnames.append((words[-3], person_id, start))  # "Moreira" of Zélia Moreira da Silva
        if words[0] in _FAMILY_NAME_FIRST:  # "Wang Wenbin": "Wang said"
            first_surnames.append((words[0], person_id, start))
    # the first of two surnames is used alone too ("Álvarez" for José Álvarez Peña); when it is
    # someone else's surname as well ("Moreira" of Zélia Moreira da Silva and of her daughter,
    # Rosângela Moreira), the two are told apart as people who share a surname are
    for surname, person_id, introduced in first_surnames:
        owner, owner_introduced = surnames.setdefault(surname, (person_id, introduced))
        sharers = sharing.get(surname)
        if owner != person_id and sharers and all(person_id != bearer for bearer, _at, _gender in sharers):
            sharers.append((person_id, introduced, genders.get(person_id, "")))
            sharers.sort(key=itemgetter(1))
            surnames[surname] = (owner, min(owner_introduced, introduced))
    # so is a first name, in features and sport ("Maya says"), when no one else introduced has
    # it and it names nothing the knowledge base knows ("Jordan", "Victoria")
    given: dict[str, list[tuple[str, int]]] = {}
    for ref in refs:
        name = names.get(ref.ids[0], "")
        first = name.split(" ", 1)[0]
        if (
            " " in name
            and first not in _FAMILY_NAME_FIRST
            and first not in _RANKS
            and text.startswith(name, ref.start)
        ):
            given.setdefault(first, []).append((ref.ids[0], ref.start))
    for first, people in given.items():
        if len({person for person, _at in people}) == 1 and match_text(first) not in kb.surfaces:
            surnames.setdefault(first, people[0])
    shared = {  # (the title each was introduced with, found only for surnames shared)
        surname: [(person, _title_before(text, at), gender) for person, at, gender in people]
        for surname, people in sharing.items()
        if len(people) > 1
    }
    # in an obituary, the surname alone is the subject's, not a relative's who shares it
    subject_id = next((r.ids[0] for r in refs if r.start < obituary_lead), "")
    mentions = _surname_mentions(text, in_quote, surnames, refs, shared, subject_id)
    for ref in mentions:  # a later "Mr Ashworth" tells his gender as well as an introduction
        person_id = ref.ids[0]
        if person_id not in genders:
            gender = _told_gender(text, ref.start, ref.end)
            if gender:
                genders[person_id] = gender
    return refs + mentions, names


_DEFINITE: Final = ("the ", "The ")
_AGE_AFTER_NAME: Final = re.compile(r", \d{1,3},")  # "Declan Byrne, 34, of Clonard Park"
_FAMILY_AFTER: Final = (" family", " families", " household", " clan")  # "the Dawson family"
# "known to everyone in Bahia as "Dona Zezé"" (the quotation marks straight or curly)
_NICKNAME_GIVEN: Final = re.compile(r"\bknown (?:[^.\"“”]{0,60} )?as [\"“]([A-Z][^\"“”]{1,40}?)[,.]?[\"”]")
_DEFINITE_WORDS: Final = frozenset({"the", "The"})
# Nouns whose name may follow them, that are no person: "the band Marée Haute", "the ship Agia
# Marina"
_THING_NOUNS: Final = frozenset({
    "band", "group", "club", "firm", "company", "ship", "vessel", "ferry", "restaurant", "hotel",
    "bar", "cafe", "café", "album", "film", "book", "novel", "newspaper", "magazine", "charity",
    "brand", "shop", "store", "label", "team", "choir", "orchestra", "show", "series", "play",
})  # fmt: skip


# An appositive that says a name is a place's: "Nkwanta-Bekai, a farming community about 30
# kilometres from", "Benifassar de la Serra, a hillside village of 212" (the noun ends the
# phrase, "a town councillor" being a person's, and heads it: "a fisherman from Naduri village")
_PLACE_NOUNS: Final = (
    "village|town|city|hamlet|suburb|district|province|region|county|island|valley|municipality|"
    "township|parish|borough|settlement|community|port|resort|neighbourhood|neighborhood|capital|"
    "enclave|oasis|atoll|archipelago|peninsula"
)
_PLACE_APPOSITIVE: Final = re.compile(
    rf", (?:an?|the) (?:(?!(?:from|of|in|at|on|near|with|for|by|to|who|whose|which|that)\b)[\w'’-]+ ){{0,3}}?(?:{_PLACE_NOUNS})"
    r"(?=[,.;:]| (?:of|in|on|near|about|some|just|close|outside|where|that|which|with)\b| \d)"
)


def _in_a_word(text: str, start: int, end: int) -> bool:
    """Whether the letters between two offsets are part of a longer word ("Baker" in
    "Solheim-Baker", "Ali" in "Alison")."""
    before, after = text[start - 1 : start], text[end : end + 1]
    return before.isalnum() or after.isalnum() or before in "-'’" or after == "-"


def _surname_mentions(
    text: str,
    in_quote: list[bool] | bytearray,
    surnames: dict[str, tuple[str, int]],
    taken: list[Ref],
    shared: dict[str, list[tuple[str, str, str]]] | None = None,
    subject: str = "",
) -> list[Ref]:
    """References to people by their surname alone (surname -> (person id, where named in
    full)): each mention after the full name, outside quotations, as a word of its own, where
    no reference in `taken` is. A surname that several people share (`shared`: surname ->
    (person id, title, gender) of each) is the one its title says ("Prof Moss", "Mrs Hughes"),
    else `subject` (an obituary's) when they are one of them, else the one of them named last."""
    found: list[Ref] = []
    covered: bytearray | None = None  # 1 where a reference is (made at the first mention)
    for surname, (person_id, introduced) in surnames.items():
        people = shared.get(surname) if shared else None
        at = text.find(surname, introduced + 1)
        while at >= 0:
            end = at + len(surname)
            if not in_quote[at] and not _in_a_word(text, at, end) and not text.startswith(_FAMILY_AFTER, end):
                # ("a relative of the Dawson family" names the family, not the Dawson introduced)
                if covered is None:
                    covered = bytearray(len(text))
                    for ref in taken:
                        covered[ref.start : ref.end] = b"\x01" * (ref.end - ref.start)
                if not covered[at]:
                    who = (
                        person_id
                        if people is None
                        else _one_of(people, text, at, end, taken + found, subject)
                    )
                    found.append(Ref(at, end, "person", (who,)))
                    covered[at:end] = b"\x01" * (end - at)
            at = text.find(surname, end)
    return found


def _one_of(
    people: list[tuple[str, str, str]], text: str, at: int, end: int, refs: list[Ref], subject: str = ""
) -> str:
    """Which of the people who share a surname a mention between `at` and `end` is: the one
    with the title written before it, or the gender its courtesy title tells, else `subject`
    when they are one of them, else the only one the surname alone named before ("Callaghan
    said" before "his mum, Lorraine Callaghan," stays his), else the one named last."""
    title = _title_before(text, at)
    if title:
        fitting = [person for person, their_title, _gender in people if their_title == title]
        gender = _HONORIFICS.get(title, "")
        if not fitting and gender:
            fitting = [person for person, _title, their_gender in people if their_gender == gender]
        if len(fitting) == 1:
            return fitting[0]
    ids = {person for person, _title, _gender in people}
    if subject in ids:
        return subject
    alone = {
        ref.ids[0]
        for ref in refs
        if ref.start < at
        and ref.end - ref.start == end - at
        and ref.ids[0] in ids
        and text.startswith(text[at:end], ref.start)
    }
    if len(alone) == 1:
        return alone.pop()
    named = [
        (ref.start, ref.ids[0])
        for ref in refs
        if ref.start < at and ref.kind == "person" and ref.ids[0] in ids
    ]
    return max(named)[1] if named else people[0][0]


_TITLE_BEFORE: Final = re.compile(
    r"(?<![\w.])(Dr|Prof|Professor|Doctor|Mr|Mrs|Ms|Miss|Fr|Sir|Dame|Lord|Lady)\.? $"
)
_TITLE_FORMS: Final = {"Professor": "Prof", "Doctor": "Dr"}


def _title_before(text: str, at: int) -> str:
    """The courtesy or academic title right before an offset ("Prof" for "Professor "), or ''."""
    if text[at - 1 : at] != " ":
        return ""
    found = _TITLE_BEFORE.search(text, max(0, at - 11), at)
    return _TITLE_FORMS.get(found.group(1), found.group(1)) if found else ""


_BY_DESCRIBED: Final = re.compile(r"\bby (?:the |an? )?(?:[A-Za-z][\w'’-]* ){1,3}$")


def build_refs(
    kb: KnowledgeBase,
    text: str,
    linked: list[Ref],
    in_quote: list[bool] | bytearray,
    outside: list[tuple[int, int]] | None = None,
    words: WordHits | None = None,
    unknown: dict[str, str] | None = None,
    genders: dict[str, str] | None = None,
    obituary_lead: int = -1,
) -> list[Ref]:
    """Every referring expression outside quotations, in order, longest first on overlaps.

    `outside`: the stretches between closed quotations (see `_between`), the only text worth
    scanning; the whole text when not given. `words`: `find_words` over the text, when the
    caller has it. `unknown`: where to put the names of the people the knowledge base does
    not know that the references name, by id; `genders`: their genders, where the text says;
    `obituary_lead`: as for `_unknown_people`."""
    stretches = outside if outside is not None else [(0, len(text))]
    if words is None:
        words = find_words(match_text(text), 0, len(text))
    found = [r for r in linked if r.kind in ("person", "role") and not in_quote[r.start]]
    strangers, names = _unknown_people(
        kb, text, in_quote, genders if genders is not None else {}, words.cues, words.titles, obituary_lead
    )
    if strangers:
        # A surname the article gave to someone it introduced ("Tomas Novak, a union leader,
        # said ... Novak added") is theirs, not a known person's whom the article never names
        # in full (a known person named in full keeps every mention of theirs).
        named_in_full = {r.ids[0] for r in found if r.kind == "person" and " " in text[r.start : r.end]}
        taken = {(r.start, r.end) for r in strangers}
        found = [
            r
            for r in found
            if not (r.kind == "person" and (r.start, r.end) in taken and r.ids[0] not in named_in_full)
        ]
        found += strangers
        if unknown is not None:
            unknown.update(names)
    found += _known_surnames(kb, text, in_quote, linked, found)
    backwards = text[::-1]
    heads = sorted(set(words.heads))
    role_phrases = _anchored_matches(
        _ROLE_NP, _ROLE_NP_CORE, _ROLE_HEAD, _ROLE_NP_REACH, text, backwards, stretches, heads
    )
    for match in role_phrases:
        start = match.start()
        end = match.end()
        while text[end - 1] == " ":  # (a complement's pattern may take the space after it)
            end -= 1
        if text.endswith(("head", "Head"), start, end):
            compound = _HEAD_COMPOUND.match(text, end)
            if compound is not None:
                end = compound.end()  # "The head teacher": the whole noun
        if not in_quote[start] and not _in_a_longer_name(text, end):
            found.append(Ref(_after_a_sentence_end(text, start, end), end, "rolephrase"))
    nouns = sorted(set(words.nouns))
    for match in _anchored_matches(
        _ANON, _ANON, _ANON_NOUN, _ANON_REACH, text, backwards, stretches, nouns, possessive=False
    ):
        if not in_quote[match.start()] and not text.endswith(
            _PREDICATE_WORDS, max(0, match.start() - 8), match.start()
        ):
            noun = match.group(0).split()[-1].lower()
            gender = "f" if noun in _FEMALE_NOUNS else "m" if noun in _MALE_NOUNS else ""
            if noun.endswith("s") or noun == "people" or match.group(0).split()[0].lower() in _PLURAL:
                gender = "p"  # a plural source is never "he" or "she"
            found.append(Ref(match.start(), match.end(), "anon", gender=gender))
    for match in (m for low, high in stretches for m in _PRONOUN.finditer(text, low, high)):
        if not in_quote[match.start()]:
            found.append(Ref(match.start(), match.end(), "pronoun"))
    at = text.find("-year-old")  # "the 23-year-old said": whoever is in focus, of either gender
    while at >= 0:
        # (from "the" before up to three digits; the lookahead needs the word after it)
        age = _AGE_NP.search(text, max(0, at - 7), at + 70)
        described = age.group("described") if age is not None else None
        if described and not _SINGLE_ROLE_HEADS.isdisjoint(described.split()):
            age = None  # "the 22-year-old director said": a role phrase, its head the director
        if age is not None and not in_quote[age.start()]:
            found.append(Ref(age.start(), age.end(), "pronoun", gender=_ANY_GENDER))
        at = text.find("-year-old", at + 9)
    # "the Social Democrat said": a party's member, whoever is in focus (str.find: most texts
    # have no "Democrat", "Republican", "Conservative", "Tory" or "Socialist")
    if any(text.find(word) >= 0 for word in _PARTY_MEMBERS):
        for match in _PARTY_MEMBER_NP.finditer(text):
            if not in_quote[match.start()]:
                found.append(Ref(match.start(), match.end(), "pronoun", gender=_ANY_GENDER))
    at = text.find("-of-")  # "grinned the dad-of-two": whoever of that gender is in focus
    while at >= 0:
        kin = _KIN_OF_NP.search(text, max(0, at - 16), at + 12)
        if kin is not None and not in_quote[kin.start()]:
            found.append(Ref(kin.start(), kin.end(), "pronoun", gender="m" if kin.group("m") else "f"))
        at = text.find("-of-", at + 4)
    # the longest expression wins where they overlap; a role phrase that contains a
    # knowledge-base role keeps the knowledge base's role keys
    found.sort(key=lambda r: (r.start, -(r.end - r.start)))
    chosen: list[Ref] = []
    for ref in found:
        holder = chosen[-1] if chosen else None
        if holder is None or not (ref.start < holder.end and holder.start < ref.end):
            chosen.append(ref)
            continue
        if holder.kind == "rolephrase" and ref.kind == "role":
            holder.kind, holder.ids, holder.end = "role", ref.ids, max(holder.end, ref.end)
        elif holder.kind == "rolephrase" and ref.kind == "person":
            # "the Pentagon chief Lloyd Austin": the name, not the phrase, is the referent
            chosen[chosen.index(holder)] = Ref(ref.start, ref.end, "person", ref.ids, holder.start)
    # a role right before a name is the name's title ("Ukraine's foreign ministry spokesman
    # Heorhiy Tykhyi"): the name is the referent, whoever else the role could resolve to
    at = 1
    while at < len(chosen):
        ref, title = chosen[at], chosen[at - 1]
        if (
            (
                ref.kind == "person"
                and title.kind in ("role", "rolephrase")
                and text[title.end : ref.start] == " "
                and "\n"
                not in text[title.start : title.end]  # (a phrase reaching back over a paragraph's end)
            )
            or (
                # "One of her patients, Yohane Chirwa, a fisherman, fell ill": the name is who
                ref.kind == "person" and title.kind == "anon" and text[title.end : ref.start] == ", "
            )
        ):
            chosen[at - 1 : at + 1] = [Ref(ref.start, ref.end, "person", ref.ids, title.start)]
        else:
            at += 1
    # asked for every sentence and cue verb around a reference: found once here, in the loop
    # rather than through a call per reference
    for ref in chosen:
        np_start = ref.np_start
        if np_start == ref.start and ref.kind == "person":
            np_start = ref.np_start = _np_start(text, np_start)
        ref.possessive = text[ref.end : ref.end + 2] in _POSSESSIVE_ENDINGS
        before = text[max(0, np_start - 20) : np_start].rsplit(None, 1)  # the last word is enough
        # (a comma ends the prepositional phrase: "Asked where it had come from, she said")
        ref.after_preposition = (
            (
                bool(before)
                and before[-1].lower() in _PREPOSITIONS
                # not "of" inside a title before the name: "Ministry of Education spokesman X"
                and not (
                    before[-1] in ("of", "for")
                    and len(before) > 1
                    and text[np_start : np_start + 1].isupper()
                    and before[0].split()[-1][:1].isupper()  # (len 2: the word before "of")
                )
            )
            or (
                # an agent with its description: "chaired by the Italian actor Carlo Benvenuti"
                text.find(" by ", max(0, np_start - 40), np_start) >= 0
                and _BY_DESCRIBED.search(text, max(0, np_start - 40), np_start) is not None
            )
            or (
                # the second of two after a preposition: "the daughter of a ploughman and a mill
                # worker, she was given"
                bool(before)
                and before[-1] in ("and", "or")
                and _COORDINATED.search(text, max(0, np_start - 40), np_start) is not None
            )
        )
    for previous, ref in pairwise(chosen):
        # a name in apposition inside a phrase with "for" or "of" is in it too: "A spokesman for
        # the health secretary, Neil Gray, said" is the spokesman's (but "put forward by the
        # chairman, Peter Ashdown, who told the meeting" is Ashdown's)
        if (
            previous.after_preposition
            and text[max(0, previous.np_start - 5) : previous.np_start] in (" for ", "\nfor ", " of ")
            and ref.kind == "person"
            and previous.end == ref.np_start - 2
            and text[previous.end] == ","
            and text[ref.end : ref.end + 1] == ","  # (", Neil Gray," and not ", Starmer said")
        ):
            ref.after_preposition = True
    chosen.sort(key=_START)
    return chosen


_START: Final = attrgetter("start")
_COORDINATED: Final = re.compile(
    r"\b(?:of|for|with|by|from|to|at|on|in)\s+(?:[\w'’-]+\s+){1,3}(?:and|or)\s+$"
)


def _after_a_sentence_end(text: str, start: int, end: int) -> int:
    """Where a role phrase starts once the words it took from the sentence before are dropped
    ("the meeting.\n\nThe minister": "The minister"; "the U.S. president" stays whole)."""
    cut = text.rfind("\n", start, end)
    stop = text.rfind(". ", start, end)
    if stop > cut and text[stop - 2 : stop].isalpha() and text[stop - 1].islower():
        cut = stop + 1
    if cut < 0:
        return start
    cut += 1
    while cut < end and text[cut].isspace():
        cut += 1
    return cut


def _known_surnames(
    kb: KnowledgeBase, text: str, in_quote: list[bool] | bytearray, linked: list[Ref], found: list[Ref]
) -> list[Ref]:
    """The surname alone of a known person the article names in full, where the knowledge base
    does not list it as an alias ("Silva said" after "Marina Silva": alone, "Silva" names too
    many people to be an alias). Not a surname two people named in full share, nor a word of a
    longer capitalised run ("Costa Rica")."""
    surnames: dict[str, tuple[str, int]] = {}
    shared: set[str] = set()
    for ref in found:
        if ref.kind != "person":
            continue
        surface = text[ref.start : ref.end]
        if " " not in surface:
            continue
        family = surface.split(" ", 1)[0]
        for surname in (surface.rsplit(" ", 1)[1], *((family,) if family in _FAMILY_NAME_FIRST else ())):
            held = surnames.get(surname)
            if held is None:
                surnames[surname] = (ref.ids[0], ref.start)
            elif held[0] != ref.ids[0]:
                shared.add(surname)
    for surname in shared:
        del surnames[surname]
    for surname in [word for word in surnames if word in kb.surfaces]:
        del surnames[surname]  # an alias (or another name): linking has found its mentions
    if not surnames:
        return []
    mentions = _surname_mentions(text, in_quote, surnames, [*linked, *found])
    return [
        ref
        for ref in mentions
        if not _CAPITALISED_NEXT.match(text, ref.end)
        and not _CAPITALISED_BEFORE.search(text, max(0, ref.start - 30), ref.start)
    ]


_CAPITALISED_NEXT: Final = re.compile(r" [A-Z]")
_CAPITALISED_BEFORE: Final = re.compile(r"[A-Z][\w’'-]* $")


_POSSESSIVE_ENDINGS: Final = ("'s", "’s")  # right after a reference: "Merkel's remarks"


def _role_head_before_of(before: str) -> bool:
    """Whether a role head ends the words before an "of" or a "for" that a capital follows
    ("Minister of Culture", "spokesman for the Ministry")."""
    for joiner in (" of ", " for "):
        at = before.find(joiner)
        while at > 0:
            after = at + len(joiner)
            if before.startswith("the ", after):
                after += 4
            if before[after : after + 1].isupper() and before.lower().endswith(_ROLE_HEAD_WORDS, 0, at):
                return True
            at = before.find(joiner, at + 1)
    return False


_TITLES_IN_NAMES: Final = ("Prince ", "Princess ", "Sheikh ", "King ", "Queen ", "Emir ")


def _descriptor_words(text: str, ref: Ref) -> frozenset[str]:
    """What the article says a person is: the title before the name, an appositive after, a
    title the name is written with ("Prince Abdulaziz bin Salman" is "the prince")."""
    words = set(role_words(text[ref.np_start : ref.start])) if ref.np_start < ref.start else set()
    if text.startswith(_TITLES_IN_NAMES, ref.start):
        words.add(text[ref.start : text.find(" ", ref.start)].lower())
    if text.startswith(",", ref.end):  # an appositive after: "Klaas Knot, who heads …"
        after = match_text(text[ref.end : ref.end + 90])
        m = _WHO_HEADS.match(after)
        if m:
            words |= role_words(m.group("what")) | {"chief"}
        m = _APPOSITIVE_AFTER.match(after) or _BARE_APPOSITIVE_AFTER.match(after)
        if m:
            words |= role_words(m.group("what"))
    lead = ref.np_start
    titled = _TITLE_BEFORE.search(text, max(0, lead - 11), lead) if text[lead - 1 : lead] == " " else None
    if titled is not None:  # "The vice-chancellor, Prof. Meera Deshpande"
        lead = titled.start()
    if text[max(0, lead - 2) : lead] == ", ":  # "the finance minister, Rachel Reeves"
        before = match_text(text[max(0, lead - 70) : lead])
        # the pattern ends with a role head right before the comma: test that first, cheaply
        m = _APPOSITIVE_BEFORE.search(before) if before[:-2].endswith(_ROLE_HEAD_WORDS) else None
        # (the pattern is tried only where a role head ends the words before "of" or "for")
        if m is None and _role_head_before_of(before):
            m = _TITLE_PHRASE_BEFORE.search(before)
        if m is None and before.endswith(" counterpart, "):
            # "his Polish counterpart, Wladyslaw Kosiniak-Kamysz": the caller adds the office
            m = _COUNTERPART_BEFORE.search(before)
        if m:
            words |= role_words(m.group("what"))
    return frozenset(words)


_COUNTERPART_BEFORE: Final = re.compile(r"(?P<what>(?:[A-Z][\w-]* )?counterpart),\s+$")


def attribute(
    kb: KnowledgeBase,
    text: str,
    paragraphs: list[tuple[int, str]],
    linked: list[Ref],
    day: date | None,
    word_hits: list[tuple[int, int, tuple[str, bool, bool, int]]] | None = None,
) -> tuple[list[Quotation], list[Quotation], dict[tuple[int, int], str], dict[str, str]]:
    """Direct quotations with speakers, reported speech, the people that role phrases and the
    names of people the knowledge base does not know refer to (by span), and those people's
    names (by id). `word_hits`: the hits of `WORDS` in the text, when the caller's automaton
    found them."""
    straight = match_text(text)
    marks = find_marks(text, straight)
    all_spans = find_spans(paragraphs, marks)
    spans = [s for s in all_spans if not _is_title(text, s, straight)]
    in_quote = bytearray(len(text) + 1)
    for span in all_spans:
        low, high = max(0, span.start - 1), min(len(text), span.end + 1)
        in_quote[low:high] = b"\x01" * (high - low)
    # cue verbs and anchor words, in one pass
    words = find_words(straight, 0, len(text)) if word_hits is None else words_found(straight, word_hits)
    closed = [s for s in all_spans if s.closed]
    unknown: dict[str, str] = {}
    genders: dict[str, str] = {}
    # an obituary (its first paragraph says who died): whose name and pronouns are whose
    lead = paragraphs[0] if paragraphs else (0, "")
    obituary_lead = lead[0] + len(lead[1]) if _is_obituary(lead[1]) else -1
    refs = build_refs(
        kb, text, linked, in_quote, _between(closed, len(text), 1), words, unknown, genders, obituary_lead
    )
    state = Attribution(kb, day, text, refs, ref_starts=[r.start for r in refs], genders=genders)
    for person_id, name in unknown.items():  # this article's, not the shared knowledge base's
        state.names.setdefault(person_id, (name, "person"))
    state.quoted_people = sorted(
        (r.start, r.ids[0]) for r in linked if r.kind == "person" and in_quote[r.start]
    )
    state.paragraph_starts = [start for start, _para in paragraphs]
    state.body_ends = [
        r.end
        for r in linked
        if (r.kind == "org" or (r.kind == "place" and r.ids[0].startswith("country:")))
        and _heads_a_subject(text, r.start)
    ]
    if obituary_lead >= 0:
        state.topic = next((r.ids[0] for r in refs if r.kind == "person" and r.start < obituary_lead), "")
        if state.topic and not state.gender_of(state.topic):
            _learn_topic_gender(state, refs)
    # who the article introduces, and how: names first, then roles resolved by the KB alone
    office: frozenset[str] = frozenset()  # the last office a title or appositive gave someone
    for ref in refs:
        if ref.kind == "person":
            described = _descriptor_words(text, ref)
            if "counterpart" in described:
                # "German Defence Minister Boris Pistorius … with his Polish counterpart, X": X
                # holds that office for Poland ("the Polish minister" is X)
                described |= {word for word in office if word not in kb.demonyms}
            elif described:
                office = described
            state.introduce(ref.ids[0], ref.start, described)
    for ref in refs:
        if ref.kind == "role":
            person = state.resolve_ref(ref)
            if person:
                state.introduce(person, ref.start, role_words(text[ref.start : ref.end]))
        elif ref.kind == "rolephrase":
            # "Iraq's electricity minister said …" when the article names no one it fits: the
            # knowledge base's holder that day, whom a later "the minister" means (asked here
            # without remembering the answer: in its sentence the phrase is resolved again)
            person = state.resolve_ref(ref, _NO_ONE)
            if person and person != _ANONYMOUS and person not in state.seen:
                state.introduce(person, ref.start, role_words(text[ref.start : ref.end]))
    spans_of: dict[int, list[Span]] = {}
    for span in spans:
        spans_of.setdefault(span.paragraph, []).append(span)
    masked = _mask(straight, all_spans)
    state.cues = find_cues(masked, _between(all_spans, len(text), 0), words.cues)
    state.cue_starts = [c.start for c in state.cues]
    state.body_starts = _bodies_before(masked, state.cue_starts)
    names = state.names
    quotes: list[Quotation] = []
    reported: list[Quotation] = []
    speaker_of_span: dict[int, str] = {}
    quote_at: dict[int, Quotation] = {}  # span start -> its quotation
    guessed: set[int] = set()  # spans that only the focus gave a speaker (`_standalone`)
    boundaries = find_boundaries(text)  # (paragraphs never share one)
    first_named: dict[str, Ref] = {}  # person -> where first named in full
    for ref in refs:
        if ref.kind == "person" and ref.end - ref.start > len(names.get(ref.ids[0], ("", ""))[0]) // 2:
            first_named.setdefault(ref.ids[0], ref)
    introductions = sorted(first_named.values(), key=attrgetter("start"))
    introduction_starts = [ref.start for ref in introductions]
    next_boundary = next_mark = 0
    for p_index, (p_start, para) in enumerate(paragraphs):
        p_end = p_start + len(para)
        first_boundary = next_boundary
        while next_boundary < len(boundaries) and boundaries[next_boundary][0] < p_end:
            next_boundary += 1
        if first_boundary == next_boundary:
            sentences = [(p_start, p_end)] if para else []
        else:
            while next_mark < len(marks) and marks[next_mark][0] < p_start:
                next_mark += 1
            last_mark = next_mark
            while last_mark < len(marks) and marks[last_mark][0] < p_end:
                last_mark += 1
            sentences = split_sentences(
                p_start, para, boundaries[first_boundary:next_boundary], marks[next_mark:last_mark]
            )
        para_spans = spans_of.get(p_index, [])
        para_opens = [s.start - 1 for s in para_spans]  # offsets of the opening marks
        previous_subject = ""
        previous_speaker = ""
        for s_start, s_end in sentences:
            clause = _clause_start(masked, s_start, s_end)  # (the same for all three rules)
            cues = _cues_in(state, clause, s_end)  # (the subject's and reported speech's)
            topic = ""  # "For Markus Tamm, …, the meeting had "…"": whose view the sentence is
            if masked.startswith(_TOPIC_OPENINGS, s_start):
                # "As for Pellizzari, he said …", "For Ms Rai, the busiest part of the job is
                # …": the topic is whom the pronoun means
                for ref in _refs_in(state, s_start, clause):
                    if ref.kind in ("person", "role", "rolephrase") and not ref.possessive:
                        person = state.resolve_ref(ref)
                        state.push_focus(person)
                        if ref.start <= s_start + 8 and masked.startswith("For ", s_start):
                            topic = person
                        break
            # "Sunak's predecessor, Liz Truss, ...": Sunak is salient, and before the subject is
            # found: "Chepkoech's prize is the biggest she has won" is hers
            possessor = _possessor(state, masked, s_start, clause, s_end)
            if possessor:
                state.push_focus(possessor)
            what = masked.find("what ", s_start, s_end)  # (str.find: most sentences have none)
            if what > s_start and masked.startswith(_WHAT_PRONOUN, what):
                # "Lavrov welcomed what he called …": the pronoun is the one who welcomed
                state.push_focus(_first_person(state, s_start, what))
            subject, subject_ref = _subject(state, masked, clause, s_end, cues)
            # someone named in full for the first time is in focus too, below the subject: "He
            # has one apprentice: his granddaughter, Valentina Sepúlveda, 19, …" then '"…," she
            # says'
            at = bisect_left(introduction_starts, s_start)
            while at < len(introductions) and introduction_starts[at] < s_end:
                if introductions[at].ids[0] != subject:
                    state.push_focus(introductions[at].ids[0], introductions[at])
                at += 1
            state.push_focus(subject, subject_ref)
            if not subject:  # "Heorhiy Tykhyi dismissed the offer.": the sentence's subject
                state.push_focus(_first_person(state, clause, s_end))
            if masked.find("asked ", s_start, s_end) >= 0:  # (str.find: most sentences ask no one)
                state.push_focus(_asked_person(state, masked, s_start, s_end))
            according = masked.find("according to ", s_start, s_end)
            if according >= 0:
                # "…, according to her longtime editor, Marcos Teixeira." then '"…," he said':
                # the source, named last, is whom the next pronoun of his gender means
                for ref in _refs_in(state, according, s_end):
                    if ref.kind == "person":
                        state.push_focus(ref.ids[0])
                        break
            sentence_speaker = ""
            # (most paragraphs quote nobody: no bisection for their sentences)
            sentence_spans = (
                para_spans[bisect_left(para_opens, s_start) : bisect_left(para_opens, s_end)]
                if para_spans
                else para_spans
            )
            for span in sentence_spans:
                speaker, cue = _speaker_of(state, masked, span, s_start, s_end, subject, possessor or topic)
                if not speaker and not cue:
                    speaker, cue, from_focus = _standalone(
                        state, span, spans_of, speaker_of_span, previous_speaker, previous_subject
                    )
                    if from_focus:
                        guessed.add(span.start)
                if speaker == _ANONYMOUS and p_index == 0:
                    speaker = _named_later(state, s_start, span.start) or _ANONYMOUS
                if speaker == _ANONYMOUS:
                    speaker = ""
                if not speaker and cue not in _NO_CUE:
                    # '"…," she said' for no one the article names: the quotation after it in
                    # the next sentence ("Since then, nothing.") is not the person before's
                    sentence_speaker = _ANONYMOUS
                speaker_of_span[span.start] = speaker
                if speaker:
                    state.push_focus(speaker)
                    state.introduce(speaker, span.start)
                    sentence_speaker = speaker
                    if span.continues:
                        _name_earlier_parts(
                            span, speaker, spans_of, speaker_of_span, quote_at, names, guessed
                        )
                quote = quote_at[span.start] = Quotation(
                    text=text[span.start : span.end].strip(),
                    speaker=names.get(speaker, ("", ""))[0] if speaker else "",
                    speaker_id=speaker,
                    cue=cue,
                    start=span.start,
                    end=span.end,
                )
                quotes.append(quote)
            if cues:  # (reported speech needs a cue verb after the clause start)
                reported += _reported(state, masked, s_start, clause, s_end, cues)
            previous_subject = subject or _last_person(state, s_start, s_end)
            previous_speaker = sentence_speaker
    # role phrases the knowledge base resolved (for entities: "the US president" is a person)
    resolved = {
        (r.start, r.end): state.resolved_roles.get((r.start, r.end), "") for r in refs if r.kind == "role"
    }
    # the people linking did not find there: those it does not know, and known people by a
    # surname or title alone ("Costa said", "Sir Keir")
    linked_spans = {(r.start, r.end) for r in linked}
    resolved.update(
        {
            (r.start, r.end): r.ids[0]
            for r in refs
            if r.kind == "person" and (r.start, r.end) not in linked_spans
        }
    )
    return quotes, reported, {k: v for k, v in resolved.items() if v}, unknown


# An obituary's first paragraph: "has died at his home", "who has died aged 87", "died on Monday"
# A paragraph's opening up to a pronoun that dates what follows: "In 2004 ", "At her last
# public concert, in December 2019, " (no quotation, no sentence end before the pronoun)
_DATED_OPENING: Final = re.compile(
    r"(?:In|At|On|By|After|Before|During|From)\b[^.!?\"“”]*?\b(?:1[89]|20)\d\d\b[^.!?\"“”]*$"
)


def _learn_topic_gender(state: Attribution, refs: list[Ref]) -> None:
    """An obituary's subject whose gender nothing else tells: the first "he", "she", "his" or
    "her" after their name in the first two paragraphs, when nobody else is named in between
    ("… died on Sunday at her home", "Her death was announced by her son")."""
    named = [r for r in refs if r.kind == "person"]
    first = next((r for r in named if r.ids[0] == state.topic), None)
    if first is None:
        return
    end = state.paragraph_starts[2] if len(state.paragraph_starts) > 2 else len(state.text)
    pronoun = _PERSONAL_PRONOUN.search(state.text, first.end, end)
    if pronoun is None or any(
        first.end <= r.start < pronoun.start() and r.ids[0] != state.topic for r in named
    ):
        return
    state.genders[state.topic] = "f" if pronoun.group().lower().startswith(("s", "her")) else "m"


def _is_obituary(lead: str) -> bool:
    """Whether an article's first paragraph opens an obituary ("died on Thursday", "dies at 88")."""
    return ("died" in lead or "dies " in lead) and _DIED.search(lead) is not None


def _lead_name(text: str, lead_end: int) -> tuple[int, str] | None:
    """(start, run) of the first name in the first paragraph that starts with a known first
    name ("Halina Wierzbicka"), or that a "he", "she", "his" or "her" follows in its sentence
    ("until Célia Barbosa stepped onto the balcony of her blue house"), or None."""
    found = list(_LEAD_NAME.finditer(text, 0, lead_end))
    for run in found:
        if run.group(1) in _FIRST_NAME_GENDERS:
            return run.start(), run.group(0)
    for run in found:
        full_stop = text.find(". ", run.end(), lead_end)
        if _is_name(run.group(0).split(" "), False) and _PERSONAL_PRONOUN.search(
            text, run.end(), lead_end if full_stop < 0 else full_stop
        ):
            return run.start(), run.group(0)
    return None


def _a_person_subject(text: str, subject: re.Match[str]) -> bool:
    """Whether a name found as its sentence's subject is a person: a "he", "she", "his" or "her"
    follows in the sentence (a firm or a team has "its" or "their"), and no word and name follow
    it ("Brisbane Bulls veteran Jarrod McKinnon": a description)."""
    return not _WORD_AND_NAME.match(text, subject.end()) and (
        _PERSONAL_PRONOUN.search(text, subject.end(), _sentence_end(text, subject.end())) is not None
    )


def _paragraph_openings(text: str) -> list[int]:
    """Where the paragraphs after the first start, when they open on where they happen ("In
    Steinbach, ", "At the market, ")."""
    openings = []
    at = text.find("\n\n")
    while at >= 0:
        if text.startswith(_PLACE_OPENINGS, at + 2):
            openings.append(at + 2)
        at = text.find("\n\n", at + 2)
    return openings


def _sentence_end(text: str, start: int = 0) -> int:
    """Where the sentence holding an offset ends (the first sentence, by default), roughly: its
    full stop, else its paragraph's end."""
    line = text.find("\n", start)
    line = len(text) if line < 0 else line
    full_stop = text.find(". ", start, line)
    return line if full_stop < 0 else full_stop


_PLACE_OPENINGS: Final = ("In ", "At ", "On ", "Outside ", "Back in ", "Across ", "Near ", "Inside ")
# a paragraph's opening phrase of place, then a name and a lower-case word
_PLACED_SUBJECT: Final = re.compile(
    rf"[A-Z][a-z]+(?: [a-z]+)? [^,.\n]{{1,40}}, ((?:{_NAME_WORD}){_MORE_NAME_WORDS}{{1,2}}) (?=[a-z])"
)
_WORD_AND_NAME: Final = re.compile(r"[a-z][\w-]* [A-Z]")
_PERSONAL_PRONOUN: Final = re.compile(r"\b(?:[Hh]e|[Ss]he|[Hh]is|[Hh]er|him)\b")
# (after a comma, or after a short time of day with none: "At dawn Teodora Vlaicu is already
# checking her hives")
_LEAD_SUBJECT: Final = re.compile(
    rf"(?:^|, |^(?:At|By|Before|Every|Most) (?:dawn|daybreak|sunrise|first light|noon|midday|night|"
    rf"morning|mornings|evening|evenings|day|weekday|weekend|[a-z]+ in the morning) )"
    rf"((?:{_NAME_WORD}){_MORE_NAME_WORDS}{{1,3}}) (?=[a-z])"
)
_LEAD_NAME: Final = re.compile(rf"(?<![\w'’-])({_NAME_WORD}){_MORE_NAME_WORDS}{{1,3}}")
_DIED: Final = re.compile(
    r"\b(?:has|have|who) died\b|\bdied (?:on|at|in|aged|peacefully|suddenly|after|last)\b|\bdies (?:at|aged)\b"
)


def _named_later(state: Attribution, start: int, end: int) -> str:
    """The person a lead's unnamed source turns out to be ("A head teacher who ordered pupils
    to lock away their phones says …" before "Now head teacher Fiona McColl says"): the one
    person named later with the same description as a title, or the one the next paragraph
    opens on with an age (`start`, `end`: in the first paragraph); '' if none or several."""
    for ref in _refs_in(state, start, end):
        if ref.kind != "anon":
            continue
        article, _space, description = state.text[ref.start : ref.end].partition(" ")
        if article in ("A", "An") and len(state.paragraph_starts) > 1:
            # court copy: "A Dublin man who was found with 40 stolen bicycles … told gardaí"
            # before "Declan Byrne, 34, of Tallaght, pleaded guilty": the next paragraph opens
            # on the name, with an age
            opening = state.paragraph_starts[1]
            at = bisect_left(state.ref_starts, opening)
            if at < len(state.refs) and state.ref_starts[at] == opening and state.refs[at].kind == "person":
                named = state.refs[at]
                if _AGE_AFTER_NAME.match(state.text, named.end):
                    return named.ids[0]
        if article not in ("A", "a", "An", "an") or " " not in description:
            return ""  # ("a resident" will not do: one word is no title)
        description = description.lower() + " "
        people = {
            later.ids[0]
            for later in state.refs
            if later.kind == "person"
            and later.start > end
            and state.text[later.np_start : later.start].lower().endswith(description)
        }
        return people.pop() if len(people) == 1 else ""
    return ""


def _between(spans: list[Span], length: int, margin: int) -> list[tuple[int, int]]:
    """The stretches of text outside the spans, each span widened by `margin` (1: its marks).

    Scanning only these finds the same matches as scanning the whole text, for the patterns
    scanned here: none of them matches a quotation mark, so no match starting outside a closed
    quotation reaches into it, and none starting inside one reaches out of it. Quotations are a
    good part of wire copy, so this saves scanning it."""
    stretches, at = [], 0
    for span in spans:
        stretches.append((at, span.start - margin))
        at = span.end + margin
    stretches.append((at, length))
    return [(low, high) for low, high in stretches if high > low]


def _mask(straight: str, spans: list[Span]) -> str:
    """The text (`match_text` of it) with the inside of every quotation blanked out (offsets kept)."""
    pieces, at = [], 0
    for span in spans:
        pieces.append(straight[at : span.start])
        inside = straight[span.start : span.end]
        pieces.append(re.sub(r"[^\n]", "_", inside) if "\n" in inside else "_" * len(inside))
        at = span.end
    pieces.append(straight[at:])
    return "".join(pieces)


# what may follow a role's head before a comma: "of one parts supplier in Baden-Württemberg"
_ROLE_COMPLEMENT: Final = r"(?:\s+(?:of|at|for|in) [^,.;:\"]{1,60})?"
_BY_AGENT_AS: Final = re.compile(r" by (?P<who>[^,;:\"]{2,80}?) as\s*")
_NOT_NAMED_AFTER: Final = re.compile(
    rf"(?:\s+[a-z-]+)?{_ROLE_COMPLEMENT}"  # ("[chief] executive of one parts supplier")
    r",\s+(?:who (?:asked|declined|did not want|preferred) (?:not )?to be (?:named|identified)|"
    r"speaking on condition of anonymity)"
)


def _refs_in(state: Attribution, start: int, end: int) -> list[Ref]:
    first = bisect_left(state.ref_starts, start)
    last = bisect_left(state.ref_starts, end)
    found = state.refs[first:last]
    # refs do not overlap (build_refs keeps one per place), so only the last can end after `end`
    if found and found[-1].end > end:
        found.pop()
    return found


def _who(state: Attribution, start: int, end: int, exclude: frozenset[str] = frozenset()) -> str:
    """The person a who-span names ('' if none; _ANONYMOUS for an unnamed source)."""
    refs = [r for r in _refs_in(state, start, end) if r.kind in _SPEAKER_KINDS]
    if not refs:
        named = _named_after(state, end)  # '"…," said its coordinator, Álvaro Sanz.'
        if named:
            return named
        if _INDEFINITE.match(state.text, start):
            return _ANONYMOUS  # "a Greek shipowner", "one official": an unnamed source
        # "his daughter said": the daughter the article introduced, or someone it does not name
        possessed = _possessed_subject(state, state.text, start, end)
        if possessed:
            return possessed
        if _names_a_body(state, start, end):
            return _ANONYMOUS  # "Helsinki Port said": no person said it
        return _unknown_name(state, start, end)
    if refs[0].kind == "anon":
        return _ANONYMOUS
    # a possessor is someone else: "said Achebe-Clarke's deputy, Farah Quraishi"
    refs = [r for r in refs if r.kind != "person" or not r.possessive]
    if not refs:
        return _named_after(state, end)
    for ref in refs:
        if ref.kind == "person":
            return ref.ids[0]
    return state.resolve_ref(refs[0], exclude)


# what someone says, owned by a pronoun, before a colon: "Her message to shipowners was blunt:"
# (not "His coach was in no doubt:", someone else)
_POSSESSIVE_LEAD: Final = re.compile(
    r"\s*(His|Her) (?:(?:final|closing|main|first|last|only|own) )?(?:message|words|verdict|answer|reply|"
    r"response|advice|view|argument|point|warning|plea|explanation|assessment|reaction|conclusion|"
    r"prediction|position|instruction|promise|appeal)\b[^:\n]*:\s*$"
)
# a line of what someone wrote or said, before a colon: "A line from her 1987 letter to the
# department still hangs, framed, in the school corridor:"
_LINE_OF_WRITING: Final = re.compile(
    r"\s*(?:An?|One|The) (?:line|passage|sentence|extract|phrase|paragraph|verse)s? (?:from|in|of) "
    r"(his|her) (?:[\w-]+ ){0,2}(?:letter|speech|memoir|diary|book|column|essay|will|notes|address|"
    r"poem|sermon|testimony)\b[^:\n]*:\s*$"
)
# (not a passive's subject: "Her death was confirmed by her son, Angus MacIsaac, who said"); a
# common noun's possessive owns it too: "the worker's mother said"
_POSSESSIVE_DETERMINER_NOUN: Final = re.compile(
    r"\s*(?:[Hh]is|[Hh]er|[Tt]heir|[Tt]he (?:[a-z][\w-]* )?[a-z][\w-]*['’]s) "
    r"(?:[a-z][\w-]* ){0,2}(?!(?:was|were|is|are|been)\s)[a-z][\w-]*\s*"
)


def _introduced_as(state: Attribution, phrase: str, before: int) -> str:
    """The person an earlier "<phrase>, Name," introduced ("His daughter, Renée
    Thibodeaux-Wells, said"), the phrase's first letter in either case, and its possessive any
    of his, her and their ("their daughter, Catriona Sinclair" for "Her daughter"); '' if none."""
    text = state.text
    head, _space, noun = phrase.partition(" ")
    variants = [phrase, phrase[:1].swapcase() + phrase[1:]]
    if head.lower() in ("his", "her", "their"):
        variants += [
            f"{determiner} {noun}"
            for other in ("his", "her", "their")
            if other != head.lower()
            for determiner in (other, other.capitalize())
        ]
    for variant in variants:
        at = text.rfind(variant + ", ", 0, before)
        if at < 0:
            continue
        named = bisect_left(state.ref_starts, at + len(variant) + 2)
        if named < len(state.refs) and state.ref_starts[named] == at + len(variant) + 2:
            ref = state.refs[named]
            if ref.kind == "person":
                return ref.ids[0]
    return ""


# a subject that is someone's team, wife or spokesman, maybe with a first name: no one named
_POSSESSED_SUBJECT: Final = re.compile(
    r"\s*(?:[A-Z][\w-]*\s+)*[A-Z][\w-]*['’]s\s+(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*(?:,\s*[A-Z][\w-]*,)?\s*"
)


def _named_after(state: Attribution, end: int) -> str:
    """The person named right after a who-span, set off by the comma it stops at ("said its
    coordinator, Álvaro Sanz"), or ''."""
    if not state.text.startswith(", ", end):
        return ""
    at = bisect_left(state.ref_starts, end + 2)
    if at < len(state.refs) and state.ref_starts[at] == end + 2 and state.refs[at].kind == "person":
        return state.refs[at].ids[0]
    return ""


_CAPITALISED_WORDS: Final = re.compile(rf"\s*((?:{_NAME_WORD})(?: {_NAME_WORD})*)")


def _names_a_body(state: Attribution, start: int, end: int) -> bool:
    """Whether a who-span starts with the name of an organisation or a place: a known one, or a
    capitalised run with a word such names are made of ("Baltic Link Ferries")."""
    run = _CAPITALISED_WORDS.match(state.text, start, end)
    if run is None:
        return False
    name = run.group(1)
    if any(word in _NOT_PERSON_WORDS for word in name.split(" ")):
        return True
    names = state.kb.names
    return any(
        names.get(target.entity_id, ("", "person"))[1] != "person"
        for _start, _end, _surface, targets in state.kb.find(name)
        for target in targets[:1]
        if target.kind in ("entity", "capital")
    )


def _unknown_name(state: Attribution, start: int, end: int) -> str:
    """A name in a who-span that no introduction covered ("according to Maria Lopez,"), when it
    can be a person the knowledge base does not know: still a speaker, with a derived id."""
    found = _NAME_AFTER.search(state.text, start, end)
    if found is None:
        return ""
    _offset, words, _titled, is_name = _name_in_run(found.group(0))
    name = " ".join(words)
    if not is_name or not _may_be_unknown_person(state.kb, name):
        return ""
    person_id = f"person:{slug(name)}"
    state.names.setdefault(person_id, (name, "person"))  # this article's, not the shared base's
    return person_id


def _names_its_speaker(state: Attribution, text: str, start: int, end: int) -> bool:
    """Whether a who-span that names no one the article knows still names a speaker of its
    own: it starts with an organisation or a place ("said the Financial Times"), with a
    capitalised word that is not a sentence's first word or a date ("said Mayor Ibáñez"), or
    with "the" and a noun that is no role ("the company said") or a name of several words."""
    refs = _refs_in(state, start, end)
    if refs:
        if refs[0].possessive:
            return True  # "said Okafor's driver": someone the article does not name
        if refs[0].kind == "pronoun" and refs[0].gender != _ANY_GENDER:
            return True  # "she said" with no woman the article names: not the man before
        return (
            refs[0].kind not in _SPEAKER_KINDS
            and _BEFORE_A_NAME.fullmatch(text, start, refs[0].start) is not None
        )
    run = _CAPITALISED_WORDS.match(text, start, end)
    if run is not None:
        return run.group(1).split(" ", 1)[0] not in _NOT_NAME_START
    return _THE_NOUN.match(text, start, end) is not None


# "the company", "the Financial Times"; not "the Italian" (a nationality stands for a person)
_THE_NOUN: Final = re.compile(r"\s*the\s+(?:[a-z]|[A-Z][\w.’'-]*\s+[A-Z])")
_BEFORE_A_NAME: Final = re.compile(r"\s*(?:the\s+)?")


_ELLIPSIS_OPENINGS: Final = (" and ", " but ", " and also ", " but also ", " and then ")


def _nearest_before(
    state: Attribution, masked: str, clause_start: int, cue_start: int, exclude: frozenset[str] = frozenset()
) -> str:
    """The speaker of a cue verb: the referring expression nearest before it that is its
    subject (not after a preposition unless right beside the verb, not possessive, not
    inside a relative clause that ends before the verb)."""
    key = (clause_start, cue_start)
    if not exclude and key in state.subjects:
        return state.subjects[key]
    if _body_before(state, masked, clause_start, cue_start) >= 0:
        return _ANONYMOUS  # "with the club saying he was "…"": the club, not the "he" before
    if masked.endswith(_ELLIPSIS_OPENINGS, max(0, cue_start - 10), cue_start):
        # "Grossi said he had received "positive signals" from Abbas Araghchi, but added:": the
        # verb after "and" or "but" shares the subject of the cue verb before it in the clause
        at = bisect_left(state.cue_starts, cue_start) - 1
        if at >= 0 and state.cue_starts[at] >= clause_start:
            return _nearest_before(state, masked, clause_start, state.cue_starts[at], exclude)
    # A name or unnamed source always means the same; a role phrase keeps what it was first
    # resolved to; a pronoun follows the focus, which moves: an answer reached without one
    # holds for the sentence's other rules.
    if masked.endswith(", who ", max(0, cue_start - 6), cue_start):
        # "…chaired by the director Rania Haddad, who said": the relative's antecedent, a party
        # in brackets between them ("proposed by Cllr Aoife Brennan (Soc Dems), who told")
        antecedent_end = cue_start - 6
        if masked[antecedent_end - 1 : antecedent_end] == ")":
            opening = masked.rfind(" (", max(0, antecedent_end - 30), antecedent_end)
            antecedent_end = opening if opening >= 0 else antecedent_end
        at = bisect_left(state.ref_starts, antecedent_end) - 1
        antecedent = state.refs[at] if at >= 0 else None
        if antecedent is None or antecedent.end != antecedent_end:
            # an appositive between them: "led by Sophie Laurent, World Rugby's head of
            # tournament operations, who said"
            comma = masked.rfind(", ", max(0, antecedent_end - 90), antecedent_end)
            at = bisect_left(state.ref_starts, comma) - 1
            if (
                comma >= 0
                and at >= 0
                and state.refs[at].end == comma
                and state.refs[at].kind == "person"
                and _APPOSITIVE_TEXT.fullmatch(masked, comma + 2, antecedent_end)
            ):
                antecedent, antecedent_end = state.refs[at], comma
        if (
            antecedent is not None
            and antecedent.end == antecedent_end
            and antecedent.kind == "person"
            and antecedent.ids[0] not in exclude
        ):
            return antecedent.ids[0]
        if antecedent is not None and antecedent.end == antecedent_end and antecedent.kind == "anon":
            return _ANONYMOUS  # "a submission by one resident, who wrote that "…"": no one named
    if state.body_ends:
        at = bisect_left(state.body_ends, cue_start - 6)
        if at < len(state.body_ends) and masked[state.body_ends[at] : cue_start] in _SUBJECT_GAPS:
            # "as Beijing accused Brussels of "…"": a government or a firm says it, no person
            return _ANONYMOUS
    comma = masked.rfind(", ", max(clause_start, cue_start - 30), cue_start)
    if comma >= 0:
        if masked.startswith("whose ", comma + 2) and masked[comma + 8 : cue_start].strip().isalpha():
            # "al-Sudani, whose office said …": his office, no person it names
            return _ANONYMOUS
        if masked.startswith(_KIN_SUBJECT_LOWER, comma + 2):
            # "an honour she accepted, her nephew said, "…"": the nephew the article introduced
            phrase = masked[comma + 2 : cue_start].rstrip()
            if _KIN_PHRASE.fullmatch(phrase):
                person = _introduced_as(state, phrase, comma)
                if person and person not in exclude:
                    return person
    lasting = True
    person = ""
    candidates = _subject_candidates(state, masked, clause_start, cue_start)
    if len(candidates) > 1 and (
        masked.endswith(" and ", max(0, cue_start - 5), cue_start)
        # 'hosted his Russian counterpart Sergey Lavrov …, saying Ankara wanted': a participle
        # after a comma, the clause's first cue ('she said, adding' is the nearest's)
        or (
            masked.endswith(", ", max(0, cue_start - 2), cue_start)
            and _PARTICIPLE.match(masked, cue_start)
            and bisect_left(state.cue_starts, clause_start) == bisect_left(state.cue_starts, cue_start)
        )
    ):
        # "Van Doorn said he had spoken to the sporting director, Hugo Lindqvist, and described
        # the talks as …": a second verb of the clause has its subject, not the nearest name
        candidates = candidates[::-1]
    for ref in candidates:
        if ref.kind == "pronoun":
            lasting = False
            subject = candidates[-1]
            if (
                len(candidates) == 2  # (no one else between them to be what the pronoun means)
                and subject.kind == "person"
                # a clause of its own, not a tag after what was said ('was "deeply ashamed",
                # he added' is the one quoted before's)
                and masked[ref.start - 2 : ref.start - 1].isalpha()
                and subject.np_start <= clause_start + 2
                and subject.ids[0] not in exclude
                and state.gender_of(subject.ids[0], subject)
                in ("", "f" if state.text[ref.start] in "Ss" else "m")
            ):
                # "Mayor Aksoy did not answer the charge, but at a rally he said": the
                # pronoun of a later clause is the person the sentence opened on
                person = subject.ids[0]
                break
        person = state.resolve_ref(ref, exclude)
        if person:
            break
    if lasting and not exclude:
        state.subjects[key] = person
    return person


def _subject_candidates(state: Attribution, masked: str, clause_start: int, cue_start: int) -> list[Ref]:
    """The references that can be a cue verb's subject, nearest first. They depend on the text
    alone, so they are found once: a sentence asks for them for its subject, its quotations
    and its reported speech."""
    key = (clause_start, cue_start)
    found = state.candidates.get(key)
    if found is not None:
        return found
    found = []
    relative: list[tuple[int, int]] | None = None  # (worked out at the first reference that needs it)
    participle: bool | None = None
    refs = _refs_in(state, clause_start, cue_start)
    for at in range(len(refs) - 1, -1, -1):
        ref = refs[at]
        if ref.kind not in _SPEAKER_KINDS or ref.possessive:
            continue
        if (
            ref.kind not in ("person", "pronoun")  # (a pronoun is never an appositive)
            and at
            and refs[at - 1].kind == "person"
            and _apposition(masked, refs[at - 1], ref)
        ):
            # "David Kiprono, an economist at a bank, said", "António Costa, President of the
            # European Council, said": the person named said it, whoever held the role then
            continue
        if (
            ref.kind not in ("person", "pronoun")
            and at > 1
            and refs[at - 2].kind == "person"
            and refs[at - 1].kind in ("role", "rolephrase", "anon")
            and masked[refs[at - 1].end : ref.np_start] == " and "
            and _apposition(masked, refs[at - 2], refs[at - 1])
        ):
            # "Klaas Knot, the Dutch central bank president and a member of the council, told":
            # the second of two appositives joined by "and"
            continue
        if ref.kind == "person" and _named_in_an_appositive(masked, refs, at, cue_start):
            continue
        if (
            ref.kind in ("role", "rolephrase")
            and at + 1 < len(refs)
            and refs[at + 1].kind == "person"
            and _ROLE_SET_OFF_BEFORE.fullmatch(masked, ref.end, refs[at + 1].np_start) is not None
        ):
            # "The leader of the opposition People's Party, Alberto Núñez Feijóo, accused … and
            # said": the name set off after the role is the subject, whoever the role might mean
            continue
        if relative is None:
            relative = (
                [
                    (clause_start + m.start(), clause_start + m.end())
                    for m in _RELATIVE.finditer(masked[clause_start:cue_start])
                ]
                # (str.find: a pattern without a literal start would be tried at every position)
                if masked.find("wh", clause_start, cue_start) >= 0  # who, whom, whose, which
                or masked.find(", asked ", clause_start, cue_start) >= 0
                or masked.find(", speaking ", clause_start, cue_start) >= 0
                or masked.find(", responding ", clause_start, cue_start) >= 0
                else []
            )
            who_at = masked.find(", who ", clause_start, cue_start)
            if (
                who_at >= 0
                and masked.endswith(", ", max(0, cue_start - 2), cue_start)
                and any(r.end == who_at and r.kind in _SPEAKER_KINDS for r in refs)
            ):
                # "Donald Tusk, who met the German defence minister, Boris Pistorius, in Warsaw,
                # said": a relative clause with commas of its own runs to the comma before the
                # verb, whose subject is the name before "who"
                relative.append((who_at, cue_start))
        if relative and any(a <= ref.start and ref.end <= b for a, b in relative):
            continue
        if _in_a_participles_aside(masked, ref, clause_start, cue_start):
            continue
        if ref.after_preposition:
            if participle is None:
                # "with President X saying ...": an -ing cue right after its subject keeps it
                words = masked[cue_start : cue_start + 30].split(None, 1)
                participle = bool(words) and words[0].endswith("ing")
            gap = masked[ref.end : cue_start]
            if not (participle and (not gap or gap.isspace())) and not (
                # "a day after Lithuania's foreign minister warned": a conjunction before the
                # subject of its own clause (and "a day after Fatih Birol, executive director
                # of the agency, said": a name with its appositive)
                (gap == " " or _APPOSITIVE_GAP.fullmatch(gap) is not None)
                and ref.kind != "anon"  # (not "after several residents called out")
                and masked.endswith(_CONJUNCTIONS, max(0, ref.np_start - 7), ref.np_start)
            ):
                continue
        found.append(ref)
    state.candidates[key] = found
    return found


def _in_a_participles_aside(masked: str, ref: Ref, clause_start: int, cue_start: int) -> bool:
    """Whether a reference is inside a participle's phrase set off by commas before the verb:
    "Iraq's prime minister, receiving Araghchi later in the day, called for" (not "including")."""
    comma = masked.rfind(",", clause_start, ref.start)
    if comma < 0 or masked.find(",", ref.end, cue_start) < 0:
        return False
    participle = _ASIDE_PARTICIPLE.match(masked, comma, ref.start)
    return participle is not None and participle.group(1) not in ("including", "excluding")


_ASIDE_PARTICIPLE: Final = re.compile(r",\s+([a-z]+ing)\b")


def _named_in_an_appositive(masked: str, refs: list[Ref], at: int, cue_start: int) -> bool:
    """Whether the name `refs[at]` is inside an appositive that a person before it opens and that
    closes right before the cue verb: "Priya Lal, chief executive of the trade body Hospitality
    Forward, said", "Aoife Byrne, the director of the Yes campaign, Old Enough, said"."""
    ref = refs[at]
    if cue_start - ref.end > 3 or masked[ref.end : cue_start].strip() != ",":
        return False
    for earlier in reversed(refs[:at]):
        if earlier.kind != "person" or earlier.possessive:
            continue
        between = masked[earlier.end : ref.start]
        return between.startswith(", ") and between[2:3].islower() and "." not in between
    return False


def _apposition(masked: str, person: Ref, ref: Ref) -> bool:
    """Whether `ref` describes the person named right before it ("Name, an analyst at ...",
    "Name, 54, a teacher")."""
    between = masked[person.end : ref.np_start].strip()
    return between == "," or _AGE_BETWEEN.fullmatch(between) is not None


_AGE_BETWEEN: Final = re.compile(r", \d{1,3},")


def _last_before(positions: list[int], position: int) -> int:
    return positions[bisect_left(positions, position) - 1]


def _named_inside(state: Attribution, span: Span) -> frozenset[str]:
    """The people named inside a quotation (never its speaker)."""
    if not state.quoted_people:
        return _NOBODY
    first = bisect_left(state.quoted_people, (span.start, ""))
    last = bisect_left(state.quoted_people, (span.end, ""))
    if first == last:
        return _NOBODY  # most quotations name nobody
    return frozenset(person for _at, person in state.quoted_people[first:last])


def _cue_overlaps(state: Attribution, start: int, end: int) -> bool:
    """Whether a cue verb outside quotations overlaps the text between two offsets."""
    at = bisect_left(state.cue_starts, start)
    if at and state.cues[at - 1].end > start:
        return True
    return at < len(state.cues) and state.cues[at].start < end


def _cues_in(state: Attribution, start: int, end: int) -> list[Cue]:
    """Cue verbs outside quotations between two offsets (found once per article)."""
    first = bisect_left(state.cue_starts, start)
    last = bisect_left(state.cue_starts, end)
    found = state.cues[first:last]
    if found and found[-1].end > end:  # cues do not overlap: only the last can end after `end`
        found.pop()
    return found


def _clause_start(masked: str, s_start: int, position: int) -> int:
    """Start of the clause holding `position`: after a leading "Asked about X," clause."""
    m = _LEADING_CLAUSE.match(masked, s_start, position)
    return m.end() if m else s_start


def _subject(
    state: Attribution, masked: str, clause: int, s_end: int, cues: list[Cue]
) -> tuple[str, Ref | None]:
    """The person a sentence is about: the subject of its first cue verb, else its first
    referring expression that is not after a preposition or possessive. `cues`: `_cues_in`
    the clause and the rest of the sentence."""
    plural = _ANON_PLURAL_START.match(masked, clause, s_end)
    if plural:
        return _ANONYMOUS, Ref(clause, plural.end(), "anon", gender="p")
    if masked.startswith(_KIN_SUBJECT_STARTS, clause):
        # "Her son, who asked not to be named, was less forgiving.": the son, unnamed unless
        # the article introduced him, whom the next "he said" means
        kin = _KIN_SUBJECT.match(masked, clause, s_end)
        if kin:
            person = _introduced_as(state, kin.group(0), clause) or _ANONYMOUS
            gender = "f" if kin.group("f") else "m" if kin.group("m") else ""
            return person, Ref(clause, kin.end(), "anon", gender=gender) if person == _ANONYMOUS else None
    if cues and masked.startswith(" that ", cues[0].end):
        # "The Chancellor has ruled out … "for now", as the Governor warned that …": a clause
        # of its own after "as", whose cue says its own thing; the sentence's subject is before
        as_at = masked.rfind(", as ", clause, cues[0].start)
        if as_at > clause and masked.find(",", as_at + 2, cues[0].start) < 0:
            cues = cues[1:]
    if cues:
        cue = cues[0]
        body = _body_before(state, masked, clause, cue.start)
        if body >= 0:
            # "The club said he had pulled up "a bit sore but fine"": the club's words, not
            # those of the "he" after the verb; a later "he said" is not the club
            return _ANONYMOUS, Ref(body, cue.start, "anon", gender="p")
        relative = _RELATIVE_PRONOUN_BEFORE_A_CUE.search(masked, max(clause, cue.start - 24), cue.start)
        if relative is not None:
            # "Haddad pushed a minimum tax, which he said could raise $250 billion": the pronoun
            # of a relative clause is the sentence's subject, named before it
            person = _nearest_before(state, masked, clause, relative.start())
            if person and person != _ANONYMOUS:
                return person, None
        person = _nearest_before(state, masked, clause, cue.start)
        if person:
            for ref in _refs_in(state, clause, cue.start):
                if ref.kind == "anon":
                    return person, ref
            return person, None
        person = _possessed_subject(state, masked, clause, cue.start)
        if person:
            return person, Ref(clause, cue.start, "anon") if person == _ANONYMOUS else None
        single = _INDEFINITE.match(masked, clause, cue.start)
        if single and (
            masked[single.end() : single.end() + 1].islower()
            # "One European ambassador, who asked …": an adjective of a people or a place first
            or _CAPITALISED_THEN_LOWER.match(masked, single.end(), cue.start) is not None
        ):
            # "A cashier who was held at gunpoint said …": someone unnamed, whom a later "she
            # said" refers to, rather than the last person named
            return _ANONYMOUS, Ref(clause, single.end(), "anon")
    for ref in _refs_in(state, clause, s_end):
        if ref.kind not in _SPEAKER_KINDS:
            continue
        if ref.after_preposition or ref.possessive:
            continue
        if ref.kind == "anon" and ref.np_start == clause and state.text.startswith(", ", clause - 2):
            # "For Ingrid Solberg, a defence analyst in Oslo, the meeting …": the appositive of
            # the name the leading clause ends with, not someone unnamed
            at = bisect_left(state.ref_starts, clause - 2) - 1
            named = state.refs[at] if at >= 0 else None
            if named is not None and named.end == clause - 2 and named.kind == "person":
                return named.ids[0], None
        person = state.resolve_ref(ref)
        if person:
            return person, ref
        break
    return "", None


_TOPIC_OPENINGS: Final = ("As for ", "For ")
# what a role set off before a name may carry: "The leader of the opposition People's Party, "
_ROLE_SET_OFF_BEFORE: Final = re.compile(rf"{_ROLE_COMPLEMENT}, ")
_APPOSITIVE_TEXT: Final = re.compile(r"[^.!?;:\n\"“”]+")  # within one sentence, outside quotations
_APPOSITIVE_GAP: Final = re.compile(r", [a-z][^,.;:\"]{0,80}, ")  # between a name and its verb
_RELATIVE_PRONOUN_BEFORE_A_CUE: Final = re.compile(
    r"(?:, (?:(?:in|of|on|at|with|through) )?(?:which|who|whom)|(?<=[a-z]) that) (?:he|she) (?:has |had |also )?$"
)
# A sentence whose subject is someone's kin or neighbour, not named there: "Her son, who asked
# not to be named, was …", "Her neighbour, who asked not to be named, had lost …" (not "His
# daughter, Eilidh MacRae, said", who is named)
_KIN_SUBJECT_STARTS: Final = ("His ", "Her ", "Their ")
_KIN_SUBJECT: Final = re.compile(
    r"(?:His|Her|Their) (?:(?:elder|eldest|younger|youngest|late|own|other) )?"
    rf"(?:(?P<f>{'|'.join(_FEMALE_KIN)})|(?P<m>{'|'.join(_MALE_KIN)})|partner|neighbou?r|friend|colleague)"
    r"\b(?![’'-]|,? [A-ZÀ-ÖØ-Þ]| and )"  # ("Her neighbour and accompanist, the pianist Tom Harte,")
)
# the same inside a sentence: "an honour she accepted, her nephew said, "…""
_KIN_SUBJECT_LOWER: Final = ("his ", "her ", "their ")
_KIN_PHRASE: Final = re.compile(
    r"(?:his|her|their) (?:(?:elder|eldest|younger|youngest|late|own|other) )?"
    rf"(?:{'|'.join((*_FEMALE_KIN, *_MALE_KIN))}|niece|nephew|aunt|uncle|cousin|partner|friend|colleague)"
)
_SUBJECT_GAPS: Final = frozenset({" ", " has ", " had ", " also "})  # between a subject and its verb
# an organisation named by a common noun right before a cue verb: "the club saying", "The
# council has said"
_BODY_BEFORE_A_CUE: Final = re.compile(
    r"\b[Tt]he (?:[a-z][\w-]* ){0,2}?(?P<head>[a-z][\w-]*) (?:(?:has|had|also|later|then) )?$"
)
_BODY_GAP_WORDS: Final = frozenset({"has", "had", "also", "later", "then"})
_BODY_SUBJECT_AFTER: Final = (", ", "with ", " as ", " and ", " but ", "while ")
_BODY_HEADS: Final = (
    "club|team|side|council|company|firm|ministry|department|government|court|union|party|"
    "police|board|committee|agency|authority|bank|group|school|university|hospital|league|"
    "federation|association|family|statement|operator|airline|museum|foundation|charity|"
    "organisers|organizers|regulator|commission|office|service|network|institute|trust|"
    "municipality|utility|insurer|retailer|carrier|broadcaster|newspaper|report|website"
)
_BODY_NOUNS: Final = frozenset(_BODY_HEADS.split("|"))


def _in_a_longer_name(text: str, end: int) -> bool:
    """Whether a role phrase's head goes on into the name of an organisation or a place ("The
    Premier League", "the President Hotel"): a capitalised word after it that such names are
    made of."""
    if text[end : end + 1] != " " or not text[end + 1 : end + 2].isupper():
        return False
    word_end = end + 2
    while word_end < len(text) and text[word_end].isalpha():
        word_end += 1
    return text[end + 1 : word_end] in _NOT_PERSON_WORDS


def _bodies_before(masked: str, cue_starts: list[int]) -> dict[int, int]:
    """Cue start -> where an organisation named by a common noun right before the cue verb
    starts ("the club saying", "The council has said"), for the cues that have one (found once
    per article: every rule that looks for a cue verb's subject asks)."""
    found: dict[int, int] = {}
    for cue_start in cue_starts:
        end = cue_start - 1  # (the space before the verb)
        if end <= 0 or masked[end] != " ":
            continue
        space = masked.rfind(" ", 0, end)
        if masked[space + 1 : end] in _BODY_GAP_WORDS:
            end = space
            space = masked.rfind(" ", 0, end)
        if masked[space + 1 : end] not in _BODY_NOUNS:
            continue  # (the pattern only where the noun before the verb is such a noun)
        body = _BODY_BEFORE_A_CUE.search(masked, max(0, cue_start - 50), cue_start)
        if body is not None and body.group("head") in _BODY_NOUNS:
            found[cue_start] = body.start()
    return found


def _body_before(state: Attribution, masked: str, clause_start: int, cue_start: int) -> int:
    """Where an organisation named by a common noun right before a cue verb starts, as the
    subject of the clause from `clause_start`, or -1: not "a spokesman for the town council
    said", nor "said the company had added"."""
    start = state.body_starts.get(cue_start, -1)
    if start < clause_start:
        return -1
    if start > clause_start and not masked.endswith(_BODY_SUBJECT_AFTER, max(clause_start, start - 6), start):
        return -1
    return start


def _possessed_subject(state: Attribution, masked: str, clause: int, cue_start: int) -> str:
    """The subject "Her son" before a cue verb ("Her son recalled …", "his daughter said"): the
    son the article introduced ("her son, Andrei Mureșan,"), else _ANONYMOUS, someone it does
    not name, whom a later "he said" means; never her. '' when the subject is no such phrase."""
    possessed = _POSSESSIVE_DETERMINER_NOUN.fullmatch(masked, clause, cue_start)
    if possessed is None:
        return ""
    return _introduced_as(state, possessed.group(0).strip(), clause) or _ANONYMOUS


def _possessor(state: Attribution, masked: str, s_start: int, clause: int, s_end: int) -> str:
    """The owner in a sentence-initial possessive ("Sunak's predecessor ...")."""
    if masked.find("'s ", s_start, s_start + 120) < 0 and masked.find("’s ", s_start, s_start + 120) < 0:
        return ""
    refs = _refs_in(state, clause, s_end)
    if refs and refs[0].np_start <= clause + 4 and refs[0].possessive:
        return state.resolve_ref(refs[0])
    if masked.startswith(_TIME_OPENINGS, s_start):
        # "Last year Millalonco's story was included in a book. She admits …"
        refs = _refs_in(state, s_start, s_end)
        if (
            refs
            and refs[0].possessive
            and _TIME_BEFORE_A_SUBJECT.fullmatch(masked, s_start, refs[0].np_start)
        ):
            return state.resolve_ref(refs[0])
    return ""


_TIME_OPENINGS: Final = ("Last ", "This ", "Next ", "Earlier ", "Later ")


_TIME_BEFORE_A_SUBJECT: Final = re.compile(
    r"(?:Last|This|Next|Earlier this|Later that) (?:year|month|week|season|spring|summer|autumn|winter) "
)


# (a descriptor may stand between "by" and the name: "was started by Hollins Road resident Bev
# Marchant")
_PASSIVE_BY: Final = re.compile(
    r"\b(?:was|were|is|are|been|being) (?:\w+ )?\w+ by (?:[A-Za-z][\w'’-]* ){0,3}$"
)


def _first_person(state: Attribution, s_start: int, s_end: int) -> str:
    """The person a sentence without a cue verb names first, as its subject: not a possessive,
    not after a preposition ("talks with X")."""
    for ref in _refs_in(state, s_start, s_end):
        if ref.kind == "anon" and ref.np_start <= s_start + 2 and ref.gender != "p":
            return _ANONYMOUS  # "Another evacuee, who gave only her first name, was…": no one named
        if ref.kind not in ("person", "role", "rolephrase") or ref.possessive:
            continue
        if ref.after_preposition and not _PASSIVE_BY.search(
            state.text, max(0, ref.np_start - 40), ref.np_start
        ):
            # (but "The race was won by Belgium's Arne Dewaele": the agent of the sentence's
            # verb is who acted; not "The jury, chaired by X, praised": that verb is the jury's)
            continue
        person = state.resolve_ref(ref)
        if person:
            return person
    return ""


def _asked_person(state: Attribution, masked: str, s_start: int, s_end: int) -> str:
    """The person a sentence asks something ("The chair asked Papadakis why the log was empty."),
    when their gender is known: the answer that follows is theirs ('"…," he replied'), so they
    come into focus after the sentence's subject. (An unknown gender would fit the asker's
    pronoun too: "Judge Farr asked Hale …  '…,' she said" is the judge.)"""
    for ref in _refs_in(state, s_start, s_end):
        if ref.kind == "person" and masked.endswith("asked ", s_start, ref.np_start):
            person = ref.ids[0]
            return person if state.gender_of(person, ref) else ""
    return ""


def _last_person(state: Attribution, s_start: int, s_end: int) -> str:
    for ref in reversed(_refs_in(state, s_start, s_end)):
        if ref.kind in ("person", "role", "rolephrase") and not ref.possessive:
            person = state.resolve_ref(ref)
            if person:
                return person
    return ""


def _speaker_of(
    state: Attribution, masked: str, span: Span, s_start: int, s_end: int, subject: str, possessor: str = ""
) -> tuple[str, str]:
    close = span.end + 1 if span.closed else span.end
    after = masked[close:s_end]
    before = masked[s_start : span.start - 1]
    if before.rstrip(" :,").endswith(_SIGN_READS):
        # 'in front of a banner reading "Stick with the plan", the prime minister said …': what
        # a banner reads, whoever speaks in the sentence
        return "", "none"
    exclude = _named_inside(state, span)
    # '"…," according to Matthias Brenner, an analyst': the source after the quotation
    if "according" in after[:16]:
        found = _ACCORDING_AFTER.match(masked, close, s_end)
        if found:
            # (the source named, and no one the article introduced: no speaker rather than
            # the one quoted before)
            person = _who(state, found.start("who"), found.end("who"), exclude)
            # (not the "called" of "so-called")
            cues_before = [
                c for c in _cues_in(state, s_start, span.start) if masked[c.start - 1 : c.start] != "-"
            ]
            if (
                (person and person != _ANONYMOUS)  # ("a statement" is no unnamed speaker)
                or not _is_a_record(found.group("who"))
                or not cues_before
            ):
                return ("" if person == _ANONYMOUS else person), "according to"
            # '… told him the country had "nothing to hide", according to the presidency's
            # website': where it was recorded, not who said it; the cue before it finds who,
            # in its own clause ("He told the meeting that the government "…", according to a
            # statement from his office")
            cue = cues_before[-1]
            person = _nearest_before(
                state, masked, _clause_start(masked, s_start, cue.start), cue.start, exclude
            )
            if person:
                return person, cue.verb
    # 1. a cue after the quote: '"…," X said' or '"…," said X' (both patterns need a cue verb
    # as a word, which the article's cue verbs overlap wherever there is one)
    if (
        after.strip(" .,!?…—–-")
        and not after.lstrip().startswith(('"', "“"))
        and _cue_overlaps(state, close, s_end)
    ):
        for pattern in (_CUE_AFTER_VERB_FIRST, _CUE_AFTER_WHO_FIRST):
            m = pattern.match(masked, close, s_end)
            if (
                m
                and pattern is _CUE_AFTER_WHO_FIRST
                and (
                    (
                        m.group("cue").endswith("ing")
                        and m.group("who").lstrip(" ,").split(" ", 1)[0] in _PREPOSITIONS
                    )
                    # '"under the shadow of threats", hours after the head of the UN nuclear
                    # watchdog called for …': another clause, with a subject of its own
                    or _SUBORDINATE_START.match(m.group("who").lstrip(" ,")) is not None
                    # 'with the prime minister insisting that polls "do not decide elections" and
                    # the Labour leader warning': another subject's clause, joined by "and", after
                    # a quotation that a cue before it introduced
                    or (
                        m.group("who").lstrip(" ,").startswith("and ")
                        and bool(_cues_in(state, s_start, span.start))
                    )
                    # 'Supporters sang "…" long after the whistle, and chairman Derek Holloway
                    # has promised to lay on coaches': what he will do, in a clause of its own
                    or (", and " in m.group("who") and masked.startswith(" to ", m.end("cue")))
                    # 'after a "gutless" second half saw them thrashed by the Ironbarks, warning
                    # that': the words after the quotation go on with the sentence, and the
                    # participle's subject is the sentence's
                    or (
                        m.group("cue").endswith("ing")
                        and m.group("who").endswith(",")
                        and m.group("who")[:2].strip().islower()
                    )
                    # 'had received "positive signals" from Abbas Araghchi, but added': the
                    # verb's subject is the sentence's, before the quotation
                    or m.group("who").endswith((" and", " but"))
                    # 'promised to "get Britain building again" as he unveiled the plans,
                    # while Rishi Sunak accused him': the cue is in a clause of its own
                    or (", wh" in m.group("who") and _CONTRASTING.search(m.group("who")) is not None)
                    # 'the energy minister said the group was in "no hurry" to change its targets,
                    # even as the head of the IEA warned': the cue before it has said who
                    or (
                        ", even as " in m.group("who")
                        and bool(_cues_in(state, _clause_start(masked, s_start, span.start), span.start))
                    )
                    # 'ruled out hitting back "for now", as the Governor warned that …': a
                    # clause of its own, saying its own thing ("as the Governor put it" is not)
                    or (
                        m.group("who").lstrip(" ,").startswith("as ")
                        and masked.startswith(" that ", m.end("cue"))
                    )
                )
            ):
                # '"in a mirror manner" to Estonia's expulsion of a diplomat, calling it': the
                # participle's subject is the sentence's, not the phrase after the quotation
                continue
            if m and pattern is _CUE_AFTER_VERB_FIRST and m.group("cue").endswith("ing") and subject:
                # 'dismissed the sanctions as "an exercise in self-harm," saying the measures
                # would …': what follows the participle is what was said, the subject said it
                if subject != _ANONYMOUS and subject not in exclude:
                    return subject, m.group("cue")
                continue
            if m and " of " in m.group("who"):
                epithet = _PARENT_OF.match(m.group("who"))
                if epithet:
                    # '"…," grinned the dad of two': a description of the one in focus
                    person = state.focused("f" if epithet.group("f") else "m")
                    if person and person not in exclude:
                        return person, m.group("cue")
            if m and m.group("who").endswith(("quoted him as", "quoted her as")):
                # '"…," the statement quoted him as saying': the one the pronoun means
                person = state.focused("m" if m.group("who").endswith("him as") else "f")
                if person and person not in exclude:
                    return person, m.group("cue")
            if m and "_" not in m.group("who"):
                person = _who(state, m.start("who"), m.end("who"), exclude)
                # (a word of it found first: the pattern would be tried after every cue)
                if (
                    (
                        masked.find(" to be ", m.end(), m.end() + 100) >= 0
                        or masked.find("anonymity", m.end(), m.end() + 100) >= 0
                    )
                    and _ANONYMITY.match(masked, m.end(), s_end)
                    and not any(ref.kind == "person" for ref in _refs_in(state, m.start("who"), m.end("who")))
                ):
                    # '"…," the diplomat said, speaking on condition of anonymity': someone
                    # unnamed, not the knowledge base's top diplomat
                    return _ANONYMOUS, m.group("cue")
                if person:
                    return person, m.group("cue")
                if m.group("who").strip(" \n,") in _BODY_PRONOUNS:
                    return "", m.group("cue")  # '"…," it said in a statement': a body, not a person
                if _names_its_speaker(state, masked, m.start("who"), m.end("who")):
                    # the quotation names its speaker, and no one the article introduced
                    # answers to it: better no speaker than the one quoted before
                    return "", m.group("cue")
    # 'in the words of one former staffer, "…"': the source named there, or no one named
    if "words of" in before[-90:]:
        words_of = _IN_THE_WORDS_OF.search(before)
        if words_of:
            person = _who(state, s_start + words_of.start("who"), s_start + words_of.end("who"), exclude)
            return ("" if person == _ANONYMOUS else person), "in the words of"
    # 2. a cue before the quote, in the same sentence; the one nearer the quote wins
    according = None
    if "ccording to" in before:
        for found in _ACCORDING.finditer(before):
            according = found
    clause = _clause_start(masked, s_start, span.start)
    cues = [
        c for c in _cues_in(state, clause, span.start) if not according or c.start > s_start + according.end()
    ]
    if cues:
        quoted_as = masked[max(clause, cues[-1].start - 14) : cues[-1].start]
        if quoted_as.endswith(("quoted him as ", "quoted her as ")):
            # 'his office quoted him as saying: "…"': the one the pronoun means
            person = state.focused("m" if quoted_as.endswith("him as ") else "f")
            if person and person not in exclude:
                return person, cues[-1].verb
        agent = _BY_AGENT_AS.fullmatch(masked, cues[-1].end, span.start - 1) if len(cues) == 1 else None
        if agent is not None:
            # 'a step hailed by Brazil's finance minister as "historic"': the agent said it
            person = _who(state, agent.start("who"), agent.end("who"), exclude)
            if person:
                return ("" if person == _ANONYMOUS else person), cues[-1].verb
        what = masked.rfind("what ", max(clause, cues[-1].start - 45), cues[-1].start)
        if what >= 0 and not any(
            ref.kind in _SPEAKER_KINDS for ref in _refs_in(state, what + 5, cues[-1].start)
        ):
            # 'met Haddad for what officials on both sides described as "constructive" talks':
            # whoever "what" brings in said it, and the text does not name them
            return "", cues[-1].verb
        person = _nearest_before(state, masked, clause, cues[-1].start, exclude)
        if person:
            return person, cues[-1].verb
        if _POSSESSED_SUBJECT.fullmatch(masked, clause, cues[-1].start):
            # "Van Dalen's team said …", "Ruffini's wife, Giulia, wrote …": someone unnamed
            return "", cues[-1].verb
    if according:
        person = _who(state, s_start + according.start("who"), s_start + according.end("who"), exclude)
        if person:
            return person, "according to"
    if before.rstrip().endswith(":"):
        if not subject:
            # "Her message to shipowners was blunt: "…"": the one "her" refers to
            owner = _POSSESSIVE_LEAD.match(masked, clause, span.start - 1) or _LINE_OF_WRITING.match(
                masked, clause, span.start - 1
            )
            if owner:
                subject = state.focused("m" if owner.group(1) in ("His", "his") else "f")
        if subject and subject not in exclude:
            return subject, "introduced"
    # 3. a partial quote inside a sentence without a cue: the subject said it, or the owner of
    # a subject that is what they said ("Ms Faleolo's pitch was for "fewer consultants"")
    if before.strip():
        if before.rstrip(" :,").endswith(_UNSPOKEN):
            return "", "none"  # what a sign says: 'greeted by a bedsheet on the hill reading "…"'
        who = subject or possessor
        if subject and _subject_of_a_later_clause(state, masked, close, s_end):
            # 'Supporters sang "…" long after the whistle, and chairman Derek Holloway has
            # promised': the subject is the later clause's, not the quotation's
            return "", "none"
        return (who, "") if who and who not in exclude and who != _ANONYMOUS else ("", "none")
    return "", ""


def _subject_of_a_later_clause(state: Attribution, masked: str, close: int, s_end: int) -> bool:
    """Whether the sentence's only cue verbs come after a quotation, in a clause joined to it by
    ", and" that names its own subject ("…, and chairman Derek Holloway has promised")."""
    joined = masked.find(", and ", close, s_end)
    if joined < 0:
        return False
    cues = _cues_in(state, joined, s_end)
    return bool(cues) and any(ref.kind in _SPEAKER_KINDS for ref in _refs_in(state, joined, cues[0].start))


_BODY_PRONOUNS: Final = frozenset({"it", "It", "they", "They"})
_CONTRASTING: Final = re.compile(r", (?:while|whereas) ")
_PARTICIPLE: Final = re.compile(r"[a-z]+ing\b")
_WHAT_PRONOUN: Final = ("what he ", "what she ")
_SUBORDINATE_START: Final = re.compile(
    r"(?:(?:hours|days|minutes|weeks|months|a day|a week|shortly|soon|just|moments|only)\s+)?"
    r"(?:after|before|while|when|since|until|although|though|because|even as)\b"
)
_NO_ONE: Final = frozenset({""})  # an `exclude` that excludes no one, for a resolution not kept
_NO_CUE: Final = frozenset(
    {"", "none", "continued", "introduced"}
)  # how a quote without a cue verb was given


def _name_earlier_parts(
    span: Span,
    speaker: str,
    spans_of: dict[int, list[Span]],
    speaker_of_span: dict[int, str],
    quote_at: dict[int, Quotation],
    names: _Names,
    guessed: set[int],
) -> None:
    """A quotation over several paragraphs has one speaker: when a later part names them
    ('"…," said the spokesperson, Nadia Lund') and the parts before had none, or only the one
    in focus before them (`guessed`), they are theirs."""
    while span.continues:
        earlier = spans_of.get(span.paragraph - 1, [])
        if (
            not earlier
            or earlier[-1].closed
            or (speaker_of_span.get(earlier[-1].start, "x") and earlier[-1].start not in guessed)
        ):
            return
        span = earlier[-1]
        speaker_of_span[span.start] = speaker
        quote = quote_at[span.start]
        quote.speaker, quote.speaker_id = names.get(speaker, ("", ""))[0], speaker


def _standalone(
    state: Attribution,
    span: Span,
    spans: dict[int, list[Span]],
    speaker_of_span: dict[int, str],
    previous_speaker: str,
    previous_subject: str,
) -> tuple[str, str, bool]:
    """4. A quote standing alone in its sentence: (speaker, cue, whether only the focus gave
    the speaker)."""
    exclude = _named_inside(state, span)
    if span.continues:
        earlier = spans.get(span.paragraph - 1, [])
        if earlier and earlier[-1].start in speaker_of_span:
            return speaker_of_span[earlier[-1].start], "continued", False
    if previous_speaker and previous_speaker not in exclude:
        return previous_speaker, "continued", False
    if previous_subject and previous_subject not in exclude:
        return previous_subject, "introduced", False
    for person, _gender in reversed(state.focus):
        if person not in exclude:
            return person, "continued", True
    return "", "", False


# ('told reporters: "…"', 'told reporters in Vienna, "…"', not 'told reporters that leaders
# had made "real progress"' nor 'told reporters there had been "no breakthrough"')
_DIRECT_INTRO: Final = re.compile(
    r"\s*(?:(?:reporters|journalists|the media|lawmakers|supporters)\b(?:(?:(?! that\b)[^:\"“]){0,60}[:,])?)?"
    r":?\s*[\"“]"
)
# ("told reporters at a press conference in Valencia that", "told shareholders at the company's
# annual general meeting on Thursday that")
_THAT: Final = re.compile(r"[^.;:]{0,80}?\bthat\b")
_TOLD_NAME_CLAUSE: Final = re.compile(
    r"\s+(?:[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)?|reporters|journalists|them|us|councillors|councilors|council|lawmakers|"
    r"legislators|MPs|delegates|shareholders|investors|parents|residents|villagers|students|staff|"
    r"employees|workers|supporters|members|mourners|officials|colleagues|analysts|voters|farmers|fans|"
    r"creditors|the (?:court|jury|inquest|tribunal|"
    r"hearing|inquiry|committee|meeting|panel|council|crowd|audience|conference|assembly|senate|radio|"
    r"station|newspaper|paper|broadcaster|programme|program|magistrates|judge))"
    r"(?= (?:he|his|she|her|they|their|it|its|the|two|three|four|five|six|seven|eight|nine|ten|\d+) )"
)
_THAT_NEXT: Final = re.compile(r"[^.;:,]{0,30}\bthat\b")  # (no comma: not "said on Thursday, adding that")
_CLAUSE_NEXT: Final = re.compile(r" (?:he|she|they|we|it|there|the|his|her|their|its) \w")
_WORD: Final = re.compile(r"[A-Za-z]{2,}")


@cache
def _words_pattern(count: int) -> re.Pattern[str]:
    """A pattern that matches where `count` words (`_WORD`) follow: each is a whole run of two
    or more letters (possessive, so a run is never split in two), after any non-letters and
    single letters."""
    word = r"[^A-Za-z]*+(?:[A-Za-z](?![A-Za-z])[^A-Za-z]*+)*+[A-Za-z]{2,}+"
    return re.compile(f"(?:{word}){{{count}}}")


def _has_words(text: str, start: int, end: int, count: int) -> bool:
    """Whether `text[start:end]` holds at least `count` words (`_WORD`): one match in C, where
    counting `_WORD.finditer`'s matches took a generator step per word."""
    return _words_pattern(count).match(text, start, end) is not None


_NEGATIONS: Final = (" not ", "n't ", " never ")
_NEEDS_THAT: Final = frozenset(
    {
        "told",
        "tells",
        "telling",
        "urged",
        "urging",
        "warned",
        "warning",
        "asked",
        "called",
        "calling",
        "accepted",
        "confirmed",  # ("confirmed the deaths": what, not what was said)
        "confirms",
        "announce",  # ("to announce that …": the infinitive says what, with "that" only)
        "made clear",  # ("made clear its opposition": what, not what was said)
        "made it clear",
        "submitted",  # ("submitted invoices": what; "submitted that": court copy's "argued that")
        "contended",
    }
)


# verbs of manner that tag a quotation ('"…," grinned the 19-year-old') and never report speech
_MANNER_VERBS: Final = frozenset({"grinned", "laughed", "smiled", "beamed", "sighed", "shrugged"})
# verbs whose object is a thing as often as what was said: reported speech only with "that"
# or a clause with a pronoun subject ("recalled he had", not "recalled a conversation")
_NEEDS_A_CLAUSE: Final = frozenset(
    {"recalled", "recalls", "described", "describing", "proposed", "repeated", "accused", "accusing"}
)
_PRONOUN_CLAUSE_NEXT: Final = re.compile(r"\s+(?:that|he|she|they|we|it|there|I)\b")


# a wire story's dateline: "MOSCOW —", "BRUSSELS, Oct 2 (EBW) - ", "TEHRAN, Jan 29 (DWS) - "
_DATELINE: Final = re.compile(r"[A-Z][A-Z .'/-]+(?:, [A-Z][a-z]+\.? \d{1,2})?(?: \([A-Za-z]+\))? [—–-] ")


def _reported(
    state: Attribution, masked: str, s_start: int, clause: int, s_end: int, cues: list[Cue]
) -> list[Quotation]:
    """Reported speech in a sentence: 'X said (that) …', '…, X said', '…," X said, adding that …'.
    `cues`: `_cues_in` the clause and the rest of the sentence."""
    found: list[Quotation] = []
    taken = clause
    for cue in cues:
        if cue.start < taken or masked.endswith(_NEGATIONS, max(0, cue.start - 6), cue.start):
            continue  # ("X has not commented on …": nothing was said)
        if cue.verb in _MANNER_VERBS:
            continue  # '"…," she laughed' tags a quotation; "laughed off the claim" reports nothing
        who = _nearest_before(state, masked, clause, cue.start) or _possessed_subject(
            state, masked, clause, cue.start
        )
        if not who or who == _ANONYMOUS:
            continue
        # the last reference to the speaker before the cue; every one is resolved, in order, since
        # a role phrase keeps what it was first resolved to
        np_start = cue.start
        previous: Ref | None = None
        for ref in _refs_in(state, clause, cue.start):
            kind = ref.kind
            if kind == "person":  # (what resolve_ref answers for a name, without the call)
                if ref.ids[0] == who:
                    np_start = ref.np_start
            elif (
                kind in _RESOLVED
                and state.resolve_ref(ref) == who  # (others are never `who`)
                # "Grace Otieno, the head of the debt office, said": the name starts the subject
                and not (
                    previous is not None and previous.kind == "person" and _apposition(masked, previous, ref)
                )
            ):
                np_start = ref.np_start
            previous = ref
        lead = masked[clause:np_start]
        title = _TITLE_AFTER_A_COMMA.search(lead)
        if title is not None and _is_title_word(title.group(1).split()[-1].rstrip(".")):
            np_start = clause + title.start(1)
            lead = lead[: title.start(1)]
        # '"…," X said': the text before X ends with a closing mark and maybe a comma
        before_who = masked[s_start:np_start].rstrip()
        after_quote = before_who.removesuffix(",").endswith('"')  # masked text: marks are straight
        if (
            not after_quote
            and lead.rstrip().endswith(",")
            # "Under cross-examination by X, Dent accepted that she had …": the clause after
            and not _THAT_NEXT.match(masked, cue.end, s_end)
            # "Back in Três Pontas, Ribeiro said he would …": a clause follows the verb
            and not _CLAUSE_NEXT.match(masked, cue.end, s_end)
            and _has_words(lead, 0, len(lead), 4)  # (a masked quotation's "_" are not letters)
            and not _ends_with_a_role_phrase(lead)
            # not "The lone dissenting board member, Ray Castellanos, said": a name in apposition
            and not masked[np_start : cue.start].rstrip().endswith(",")
            # nor "Sentencing the company on Wednesday, Judge Alison Marsh said": a participle
            and not lead.lstrip().split(" ", 1)[0].endswith("ing")
        ):
            start, end = clause, clause + len(lead.rstrip().rstrip(","))  # "…, X said on Tuesday"
        elif (
            not after_quote
            and lead.endswith(", ")
            and masked[np_start : cue.start].rstrip().endswith(",")
            and (role := _APPOSED_ROLE.search(lead)) is not None
            and _has_words(lead, 0, role.start(), 4)
            and not _CLAUSE_NEXT.match(masked, cue.end, s_end)
            and not _THAT_NEXT.match(masked, cue.end, s_end)
        ):
            # "The World Bank will lend Brazil $1 billion, the bank's president, Ajay Banga, said"
            start, end = clause, clause + role.start()
        elif (
            after_quote
            and clause == s_start
            and lead[:1].isupper()
            # not when what was said follows the verb: '"hawks", Klaas Knot, told the paper
            # in an interview that …'
            and cue.verb not in ("told", "tells", "telling")
            and not _THAT_NEXT.match(masked, cue.end, s_end)
            and not _CLAUSE_NEXT.match(masked, cue.end, s_end)
            # not a participle's phrase: 'Known to everyone as "Seu Nelson", he wrote'
            and not lead.split(" ", 1)[0].lower().endswith(("ing", "ed", "wn", "born"))
            and _has_words(lead, 0, len(lead), 4)
        ):
            # 'The club sees no point in setting a date until "the survey work is finished," the
            # chairman said': what was said runs up to the quotation that ends it (after the
            # dateline that opens a wire story: "MOSCOW, March 20 (Reuters) - ")
            dateline = _DATELINE.match(masked, clause, clause + len(lead))
            start, end = dateline.end() if dateline else clause, clause + len(lead.rstrip())
        else:
            rest = masked[cue.end : s_end]
            if _DIRECT_INTRO.match(rest):
                continue  # 'X said: "…"': a direct quotation
            that = None
            if not after_quote and cue.verb in ("told", "tells", "telling"):
                # "Judge Farr told Hale his driving had put …": the clause after who was told
                # (first: "He told them two teachers would join …, and that …" starts at "two")
                that = _TOLD_NAME_CLAUSE.match(rest)
            if that is None and (after_quote or cue.verb in _NEEDS_THAT):
                that = _THAT.match(rest)
            if (
                that is None
                and not after_quote
                and cue.verb in _NEEDS_A_CLAUSE
                and not _PRONOUN_CLAUSE_NEXT.match(rest)
            ):
                continue  # "Her son recalled a conversation": what, not what was said
            if that is None and (after_quote or cue.verb in _NEEDS_THAT):
                continue  # '"…," X told a news conference': no reported clause
            if that is not None and cue.verb in _NEEDS_THAT:
                rest = rest[that.end() :]  # "told reporters on Tuesday that": who was told is not said
            start = s_end - len(rest.lstrip())
            end = s_end
        if not _has_words(masked, start, end, 3) or (
            found and found[-1].start == start and found[-1].end == end
        ):
            continue  # (too short, or what a cue before reported: '…," she said, adding')
        taken = end
        found.append(
            Quotation(
                text=state.text[start:end].strip(),
                speaker=state.names.get(who, ("", ""))[0],
                speaker_id=who,
                cue=cue.verb,
                start=start,
                end=end,
                kind="reported",
            )
        )
    return found
