"""trafilatura's XPath selections of page sections, written as Python over the element tree.

trafilatura finds the sections to prune (comments, share bars, navigation, hidden parts,
teasers, captions) and the frame that holds the main text with XPath expressions whose
tests are EXSLT regular expressions. lxml runs every `re:test` as a call back into Python,
element by element, which made these selections a fifth of an HTML page's cost, most of it
in `OVERALL_DISCARD_XPATH`. The functions here select the same elements, in the same
(document) order, reading each candidate's attributes with `get`:

- `@a` is `get("a")`, a missing attribute reads as "" where XPath takes a string of it;
- `@id|@class` is the one of the two that comes first on the element (XPath's string of a
  node-set is its first node in document order, and attributes are in source order);
- `re:test(s, p)` is `re.search(p, s)` (flag "i": IGNORECASE), as lxml's EXSLT does;
- `.//*[...][1]` is, for every element, its first child that passes (`(...)[1]`: the first
  element that passes).

`install()` puts them in place of trafilatura's lists only when those are the expressions they
were written from (the version pinned in pyproject.toml): a newer trafilatura keeps its own.
tests/unit/test_parse_speed_paths.py compares each with its XPath on the labelled and
benchmark pages and on generated trees.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from typing import Any

import lxml.etree
from trafilatura import main_extractor, xpaths

Selection = Callable[[Any], list[Any]]


def _first_of(element: Any, first: str, second: str) -> str:
    """XPath's string of `@first|@second`: the value of the one that comes first, or ""."""
    one, other = element.get(first), element.get(second)
    if one is None or other is None:
        return (other if one is None else one) or ""
    names = element.keys()
    return one if names.index(first) < names.index(second) else other


def _matching(elements: Iterable[Any], test: Callable[[Any], bool]) -> list[Any]:
    return [element for element in elements if test(element)]


# --- RAW_TREE_PRUNE_XPATH ---------------------------------------------------------------------

_AD_BOX_OR_SCROLL = re.compile(r"mvp-post-add-(?:box|wrap)|infinite-?scroll")
_AD_BOX = re.compile(r"mvp-post-add-(?:box|wrap)")


def _is_ad_box(element: Any) -> bool:
    ident, classes = element.get("id") or "", element.get("class") or ""
    if not (_AD_BOX_OR_SCROLL.search(ident) or _AD_BOX_OR_SCROLL.search(classes)):
        return False
    return (
        next(element.iterdescendants("h1"), None) is None
        or bool(_AD_BOX.search(ident))
        or bool(_AD_BOX.search(classes))
    )


def ad_boxes(tree: Any) -> list[Any]:
    return _matching(tree.iterdescendants("div", "section", "aside"), _is_ad_box)


def share_button_bars(tree: Any) -> list[Any]:
    return _matching(
        tree.iterdescendants("div", "section", "aside"),
        lambda element: "elementor-share-buttons" in (element.get("class") or ""),
    )


# --- REMOVE_COMMENTS_AND_LISTS_XPATH ----------------------------------------------------------

_COMMENTS_SECTION_ID = re.compile(r"^(?:[Cc]omment(?!ary)|comol|disqus_thread|dsq-comments)")
_COMMENTS_LIST_ID = re.compile(r"^(?:[Cc]omment(?!ary)|comol)")
_COMMENTS_CLASS = re.compile(r"^[Cc]omment(?!ary)|(?:article|post)-comments")


def _is_comments(element: Any) -> bool:
    ident, classes = element.get("id") or "", element.get("class") or ""
    if not (_COMMENTS_SECTION_ID.search(ident) or _COMMENTS_CLASS.search(classes)):
        return False
    return (
        element.tag not in ("ol", "ul")
        or bool(_COMMENTS_LIST_ID.search(ident))
        or bool(_COMMENTS_CLASS.search(classes))
    )


def comment_sections(tree: Any) -> list[Any]:
    return _matching(tree.iterdescendants("div", "list", "section", "details", "ol", "ul"), _is_comments)


# --- OVERALL_DISCARD_XPATH, TEASER_DISCARD_XPATH, DISCARD_IMAGE_ELEMENTS -------------------------

_SECTION_TAGS = ("div", "item", "list", "p", "section", "span")
_DISCARD_ID = re.compile(
    r"^shar|social|viral|newsletter|syndication|tags|sidebar|banner|bread-?crumb|button|author"
    r"|^(?:jp-|dpsp-content)|bmdh|footer|Footer|share|Share|nav|Nav|menu|related|message-container"
    r"|premium|^ad-"
)
_DISCARD_CLASS = re.compile(
    r"^shar|social|viral|newsletter|syndication|tags|sidebar|banner|bread-?crumb|button|author"
    r"|^(?:nav|post-nav|ZendeskForm)|subnav|avigation|navbar|navbox|menu|bar| ad |-ad-|(?:^| )ad-"
    r"|dfp[Aa]d|outbrain|taboola|criteo|paid-?content|widget|footer|Footer|byline|Byline|share-"
    r"|sociable|embedded|embed|tag-list|consent|modal-content|permission|elated|next-|-stories"
    r"|most-popular|more-on|meta|rating|attachment|timestamp|user-info|user-profile|-icon"
    r"|article-infos|message-container|slide|viewport|overlay|options|expand|obfuscated|blurred"
    r"|mol-factbox|yin|zlylin|nfoline"
)
_HIDDEN_ID = re.compile(r"reader-comments|akismet")
_HIDDEN_CLASS = re.compile(
    r"^hide-|comments-title|nocomments|-reply-|message|akismet|suggest-links|-hide-|hide-print"
    r"| hidden| hide|noprint|notloaded"
)


def _is_discarded_section(element: Any) -> bool:
    get = element.get
    return (
        get("data-lp-replacement-content") is not None
        or "nav" in (get("role") or "").replace("N", "n")
        or "MostPopularStories" in (get("data-component") or "")
        or "cookie" in _first_of(element, "id", "class")
        or bool(_DISCARD_ID.search(get("id") or ""))
        or bool(_DISCARD_CLASS.search(get("class") or ""))
    )


def discarded_sections(tree: Any) -> list[Any]:
    return [
        element
        for element in tree.iterdescendants(*_SECTION_TAGS)
        # an element without attributes passes none of the tests (none holds for "")
        if element.attrib and _is_discarded_section(element)
    ]


def _is_hidden(element: Any) -> bool:
    get = element.get
    classes, style = get("class"), get("style") or ""
    return (
        classes == "comments-title"
        or _first_of(element, "id", "class").startswith("reply-")
        or "hidden" in _first_of(element, "id", "style")
        or "display:none" in style
        or "display: none" in style
        or bool(_HIDDEN_ID.search(get("id") or ""))
        or bool(_HIDDEN_CLASS.search(classes or ""))
        or get("aria-hidden") == "true"
    )


def hidden_elements(tree: Any) -> list[Any]:
    return [
        element
        for element in tree.iterdescendants(lxml.etree.Element)
        if element.attrib and _is_hidden(element)
    ]


def teasers(tree: Any) -> list[Any]:
    return _matching(
        tree.iterdescendants(*_SECTION_TAGS),
        lambda element: (
            "teaser" in (element.get("id") or "").replace("T", "t")
            or "teaser" in (element.get("class") or "").replace("T", "t")
        ),
    )


def captions(tree: Any) -> list[Any]:
    return _matching(
        tree.iterdescendants(*_SECTION_TAGS),
        lambda element: "caption" in (element.get("id") or "") or "caption" in (element.get("class") or ""),
    )


# --- BODY_XPATH ---------------------------------------------------------------------------------

_FRAME_TAGS = ("article", "div", "main", "section")
_BODY_ID = re.compile(
    r"(?:entry|article|art)-content|article__content|article(?:-|__)?body|articleBody|body-text"
)
_BODY_CLASS = re.compile(
    r"post[-_]text|post-body|post-?entry|post[-_]?content|postContent|post_inner_wrapper|article-?text"
    r"|articleText|(?:entry|page|text|article|art)-content|article__content|article(?:-|__)?body"
    r"|articleBody|ArticleContent|body-text|article__container"
)
_STORY_ID = re.compile(r"^primary|story-body")
_FULLTEXT_CLASS = re.compile(r"fulltext", re.I)
_STORY_CLASS = re.compile(
    r"^article |post-bodycopy|story-?content|(?:theme|blog|section|single)-content|single-post"
    r"|main-column|wpb_text_column|story-body|field-body"
)
_STORY_CLASSES = ("postarea", "art-postcontent", "text", "cell", "story")
_CONTENT_ID = re.compile(r"content-main|content-body|contentBody")
_CONTENT_CLASS = re.compile(r"content[-_]main|content(?:-|__)body")


def _is_article_body(element: Any) -> bool:
    get = element.get
    classes, ident = get("class"), get("id")
    return (
        classes in ("post", "entry")
        or get("itemprop") == "articleBody"
        or ident == "articleContent"
        or bool(_BODY_ID.search(ident or ""))
        or bool(_BODY_CLASS.search(classes or ""))
    )


def article_bodies(tree: Any) -> list[Any]:
    """`.//*[...][1]`: of every element's children that pass, the first."""
    found, parents = [], set()
    for element in tree.iterdescendants(*_FRAME_TAGS):
        if _is_article_body(element):
            parent = element.getparent()
            if parent not in parents:  # an earlier child of the same parent passed
                parents.add(parent)
                found.append(element)
    return found


def first_article(tree: Any) -> list[Any]:
    return [element] if (element := next(tree.iterdescendants("article"), None)) is not None else []


def _is_story(element: Any) -> bool:
    get = element.get
    classes, ident = get("class"), get("id")
    return (
        get("role") == "article"
        or ident in ("article", "story")
        or classes in _STORY_CLASSES
        or bool(_STORY_ID.search(ident or ""))
        or bool(_FULLTEXT_CLASS.search(classes or ""))
        or bool(_STORY_CLASS.search(classes or ""))
    )


def _first(elements: Iterable[Any], test: Callable[[Any], bool]) -> list[Any]:
    return [element] if (element := next(filter(test, elements), None)) is not None else []


def first_story(tree: Any) -> list[Any]:
    return _first(tree.iterdescendants(*_FRAME_TAGS), _is_story)


def _is_content(element: Any) -> bool:
    get = element.get
    classes, ident = get("class") or "", get("id") or ""
    return (
        ident == "content"
        or classes == "content"
        or bool(_CONTENT_ID.search(ident))
        or bool(_CONTENT_CLASS.search(classes))
        or "main-content" in ident.replace("C", "c").replace("M", "m")
        or "main-content" in classes.replace("C", "c").replace("M", "m")
        or "page-content" in classes.replace("C", "c").replace("P", "p")
    )


def first_content(tree: Any) -> list[Any]:
    return _first(tree.iterdescendants(*_FRAME_TAGS), _is_content)


def first_main(tree: Any) -> list[Any]:
    """`(.//*[self::article or self::div or self::section][starts-with(...)])[1] | (.//main)[1]`:
    the two firsts (never the same element: their tags differ), in document order."""
    found: list[Any] = []
    frame_found = main_found = False
    for element in tree.iterdescendants("article", "div", "section", "main"):
        if element.tag == "main":
            if not main_found:
                main_found = True
                found.append(element)
        elif not frame_found and (
            (element.get("class") or "").startswith("main")
            or (element.get("id") or "").startswith("main")
            or (element.get("role") or "").startswith("main")
        ):
            frame_found = True
            found.append(element)
        if frame_found and main_found:
            break
    return found


# --- in place of trafilatura's lists -----------------------------------------------------------

RAW_TREE_PRUNE: list[Selection] = [ad_boxes, share_button_bars]
REMOVE_COMMENTS_AND_LISTS: list[Selection] = [comment_sections]
# trafilatura's XPath lists (in xpaths.py), what main_extractor reads them as, and their stand-ins
STANDING_IN: dict[str, list[Selection]] = {
    "OVERALL_DISCARD_XPATH": [discarded_sections, hidden_elements],
    "TEASER_DISCARD_XPATH": [teasers],
    "DISCARD_IMAGE_ELEMENTS": [captions],
    "BODY_XPATH": [article_bodies, first_article, first_story, first_content, first_main],
}
# The sha256 of the expressions above as trafilatura 2.3.1 writes them (`expressions_digest`).
WRITTEN_FROM = "d9fe50f5a3f896778f192b1d77411b4035ec1f0c51af489f476806382b4c2baa"


def expressions_digest() -> str:
    """A digest of trafilatura's expressions that the functions here stand in for."""
    names = ("RAW_TREE_PRUNE_XPATH", "REMOVE_COMMENTS_AND_LISTS_XPATH", *STANDING_IN)
    paths = "\n\n".join(expression.path for name in names for expression in getattr(xpaths, name))
    return hashlib.sha256(paths.encode("utf-8")).hexdigest()


def matches_trafilatura() -> bool:
    return expressions_digest() == WRITTEN_FROM


def install() -> bool:
    """Put the functions in place of the XPath lists trafilatura's main extractor reads, when
    its expressions are the ones they were written from; whether they are in place."""
    if not matches_trafilatura():
        return False
    for name, selections in STANDING_IN.items():
        setattr(main_extractor, name, selections)
    return True
