"""Shortcuts of the parse stage's hot path give exactly what the plain code gives."""

from __future__ import annotations

import random
from collections import Counter
from copy import copy
from pathlib import Path
from typing import Any

import lxml.etree
import lxml.html
from trafilatura import htmlprocessing, main_extractor, xpaths
from trafilatura.htmlprocessing import convert_tags, tree_cleaning
from trafilatura.settings import Extractor

from tests.benchmarks.corpus import generate
from wirewatch.agents.parse import dates, formats, maintext, selections
from wirewatch.agents.parse.core import _WORDS, guess_language, word_counts
from wirewatch.agents.parse.maintext import OPTIONS

PARSE_INPUTS = Path(__file__).resolve().parents[1] / "data" / "parse" / "inputs"


def _reference_counts(text: str) -> Counter[str]:
    return Counter(w.lower() for w in _WORDS.findall(text))


def test_word_counts_are_those_of_the_regular_expression() -> None:
    rng = random.Random(11)
    # letters of several scripts, digits of several scripts, punctuation ASCII or not, marks,
    # spaces of several kinds, and the characters that lower-case unusually
    alphabet = (
        "abcXYZ _-'.,;:!?()0123456789éÉßçñøÅ“”‘’«»—–…€²½Ⅻǅ\u0301\u00a0\u2003\u200bИПОдея"
        "ΟΔΟΣσςΚΑΙ\u0130ıİ٣३中文"
    )
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80))) for _ in range(5000)]
    texts += ["", "   ", "42", "—", "The “said,” x² snake_case the2nd (Reuters) don't", "\ud800 lone"]
    for text in texts:
        assert word_counts(text) == _reference_counts(text), repr(text)


def test_word_counts_of_plain_ascii_text() -> None:
    text = "The harbour authority said on Tuesday, the 3rd, that the_corridor would OPEN."
    assert word_counts(text) == _reference_counts(text)
    assert word_counts(text)["the"] == 3


# --- trafilatura's selections as Python (selections.py) -----------------------------------------

TAGS = [
    "html",
    "body",
    "div",
    "p",
    "span",
    "section",
    "item",
    "list",
    "article",
    "main",
    "aside",
    "details",
    "ol",
    "ul",
    "h1",
    "a",
    "header",
    "li",
]
ATTRIBUTES = [
    "id",
    "class",
    "style",
    "role",
    "data-component",
    "data-lp-replacement-content",
    "aria-hidden",
    "itemprop",
]
# pieces of the expressions' tests, near misses and case variants
TOKENS = [
    "cookie", "share", "Share", "shar", "social", "nav", "Nav", "NAV", "navigation", "menu", "bar",
    " ad ", "-ad-", "ad-x", "x ad-y", "byline", "footer", "related", "elated", "teaser", "Teaser",
    "caption", "hidden", " hidden", "hide-x", "reply-", "comments-title", "comment", "Comment",
    "commentary", "comol", "disqus_thread", "article-comments", "display:none", "display: none",
    "true", "articleBody", "article-body", "article__body", "post", "entry", "articleContent",
    "entry-content", "post-text", "story", "story-body", "primary", "FullText", "text", "cell",
    "postarea", "content", "content-main", "contentBody", "Main-Content", "MAIN-CONTENT",
    "page-content", "Page-Content", "main", "MostPopularStories", "article", "mvp-post-add-box",
    "infinite-scroll", "elementor-share-buttons", "premium", "meta", "x", "", " ", "yin", "jp-",
]  # fmt: skip


def _pairs() -> list[tuple[Any, Any]]:
    names = ("RAW_TREE_PRUNE_XPATH", "REMOVE_COMMENTS_AND_LISTS_XPATH", *selections.STANDING_IN)
    functions = [
        selections.RAW_TREE_PRUNE,
        selections.REMOVE_COMMENTS_AND_LISTS,
        *selections.STANDING_IN.values(),
    ]
    return [
        pair
        for name, stand_ins in zip(names, functions, strict=True)
        for pair in zip(getattr(xpaths, name), stand_ins, strict=True)
    ]


def _assert_same_selections(tree: Any) -> None:
    for context in [tree, *list(tree.iterdescendants("article", "div", "body", "main"))[:6]]:
        for expression, function in _pairs():
            assert function(context) == expression(context), (function.__name__, expression.path)


def _random_tree(rng: random.Random, depth: int = 0) -> Any:
    element = lxml.html.Element(rng.choice(TAGS) if depth else "html")
    for name in rng.sample(ATTRIBUTES, rng.randint(0, 4)):  # in random order: the first counts
        pieces = (rng.choice(TOKENS) + rng.choice(["", " ", "-", "_"]) for _ in range(rng.randint(1, 3)))
        element.set(name, "".join(pieces).strip())
    if depth < 5:
        for _ in range(rng.randint(0, 4 if depth < 3 else 2)):
            element.append(_random_tree(rng, depth + 1))
            if rng.random() < 0.2:
                element.append(lxml.etree.Comment("note"))
    return element


def test_the_selections_stand_in_for_this_trafilatura() -> None:
    """The pinned trafilatura's expressions are the ones selections.py was written from; a new
    version keeps its own expressions until the functions are checked against them."""
    assert selections.matches_trafilatura()
    assert selections.STANDING_IN["OVERALL_DISCARD_XPATH"] == main_extractor.OVERALL_DISCARD_XPATH
    assert selections.STANDING_IN["BODY_XPATH"] == main_extractor.BODY_XPATH


def test_selections_are_the_xpath_ones_on_pages() -> None:
    pages = [record.value.decode("utf-8") for record in generate(260) if record.format == "html"]
    pages += [path.read_text("utf-8", errors="replace") for path in sorted(PARSE_INPUTS.glob("*.htm*"))]
    assert len(pages) > 60
    for page in pages:
        tree = lxml.html.document_fromstring(page)
        _assert_same_selections(tree)
        # and on the tree trafilatura's extractor reads: cleaned, its tags converted
        _assert_same_selections(convert_tags(tree_cleaning(copy(tree), OPTIONS), OPTIONS, None))


def test_selections_are_the_xpath_ones_on_generated_trees() -> None:
    rng = random.Random(5)
    for number in range(600):
        tree = _random_tree(rng)
        if number % 2:  # through the HTML parser, as a page is built
            tree = lxml.html.document_fromstring(lxml.html.tostring(tree))
        _assert_same_selections(tree)


def test_tree_cleaning_is_trafilaturas() -> None:
    """maintext.tree_cleaning skips the tags a page does not have; the tree it leaves is
    trafilatura's, with every setting that changes its steps."""
    pages = [record.value.decode("utf-8") for record in generate(60) if record.format == "html"]
    pages += [path.read_text("utf-8", errors="replace") for path in sorted(PARSE_INPUTS.glob("*.htm*"))]
    pages.append(
        "<html><body><form><p>Login</p></form><table><tr><td>a</td></tr></table><figure><table>"
        "<tr><td>b</td></tr></table></figure><math alttext='x^2'></math><p>text</p><picture>"
        "<img src='a.png'></picture><aside><p>more</p></aside></body></html>"
    )
    variants = [
        OPTIONS,
        Extractor(output_format="xml", fast=True, tables=True, images=True),
        Extractor(output_format="xml", fast=True, recall=True),
        Extractor(output_format="xml", fast=True, precision=True),
    ]
    for page in pages:
        for options in variants:
            ours = maintext.tree_cleaning(lxml.html.document_fromstring(page), options)
            theirs = htmlprocessing.tree_cleaning(lxml.html.document_fromstring(page), options)
            assert lxml.etree.tostring(ours) == lxml.etree.tostring(theirs)


def test_bare_paragraphs_are_read_as_the_parser_reads_them() -> None:
    rng = random.Random(13)
    pieces = [
        "word",
        " ",
        "  ",
        "\u201cquoted\u201d",
        "caf\u00e9",
        "a > b",
        ";",
        "\t",
        "\n",
        "\u00a0",
        "\u2003",
    ]
    pieces += ["\u200b", "\ufeff", "\U0001f600", "\u0301", "\ufffe", "]]>", "x" * 30, "'", '"', "="]
    fragments = []
    for _ in range(3000):
        paragraphs = [
            "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8))) for _ in range(rng.randint(1, 5))
        ]
        gaps = [rng.choice(["", " ", "\n", "\n  ", "\t"]) for _ in range(len(paragraphs) + 1)]
        fragments.append(
            gaps[0] + "".join(f"<p>{p}</p>{gap}" for p, gap in zip(paragraphs, gaps[1:], strict=True))
        )
    fragments += ["<p></p>", "<p> </p><p>\u00a0</p>", "<p>one</p>\n<p>two</p>\n", "  <p>x</p>"]
    plain = 0
    for fragment in fragments:
        assert formats._PLAIN_PARAGRAPHS.fullmatch(fragment), fragment
        blocks = formats.plain_paragraphs(fragment)
        parsed, media = formats._parsed_blocks(fragment, True)
        assert blocks == parsed and media == [], repr(fragment)
        plain += all(map(str.isprintable, formats._PARAGRAPH_TEXT.findall(fragment)))
    assert plain > 200  # the shortcut itself was taken, not only the parser behind it


def test_lower_casing_keeps_a_character_in_the_cyrillic_block_or_out_of_it() -> None:
    """What the language guess relies on to see Cyrillic letters in the lower-cased text."""
    for code in range(0x110000):
        character = chr(code)
        assert ("\u0400" <= character <= "\u04ff") == any(
            "\u0400" <= lowered <= "\u04ff" for lowered in character.lower()
        ), hex(code)


def test_language_guess_of_mixed_scripts() -> None:
    texts = [
        "И в Москве по данным на этой неделе the and of",
        "the and of И",
        "Die und der И в по на",
        "\u0130stanbul и в по на the",
        "caf\u00e9 и в по",
    ]
    for text in texts:
        counts = Counter(w.lower() for w in _WORDS.findall(text))
        assert word_counts(text) == counts
    assert guess_language(texts[0]) == "ru"


def test_dates_read_again_are_the_dates_read_first() -> None:
    spellings = [
        "March 2, 2023",
        "2023-03-01T07:17:00Z",
        "1 March 2023 09:15 GMT",
        "12 мая 2023 г.",
        "soon",
        "",
    ]
    for spelling in spellings * 2:
        assert dates.parse_date(spelling) == dates.parse_date.__wrapped__(spelling)
    assert dates.parse_date.cache_info().maxsize is not None  # bounded
