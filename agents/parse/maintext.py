"""The main text of an HTML page: trafilatura's extraction, without the work our settings waste.

`trafilatura.bare_extraction` with our settings (fast, no comments, no tables, no metadata)
runs the steps below, plus three that cost about a fifth of its time and change nothing here:
it copies the page tree (the parse stage does not use the tree afterwards), it copies the
cleaned tree a second time as a backup for the slower extractors that fast mode never runs,
and it renders the whole page as text to see whether a short extraction covers less than a
fifth of the page (the sign that a second try is needed). That last test is kept, but the
page's text is only rendered when its length could matter: the length of the page's text,
plus two for every element (the separators rendering may add), is an upper bound of the
rendered length, and when the extraction is at least a fifth of that bound, it is a fifth of
the rendering too.

The steps and their order are trafilatura's own (`trafilatura.core.trafilatura_sequence`), so
this module follows the version pinned in pyproject.toml; tests/unit/test_parse_main_text.py
checks that it extracts exactly what `bare_extraction` extracts, on every HTML page of the
labelled corpus, on the benchmark corpus and on pages made to take the rarer branches.
"""

from __future__ import annotations

from copy import copy, deepcopy
from typing import Any

import lxml.etree
from lxml.etree import Element, strip_elements, strip_tags
from trafilatura import main_extractor
from trafilatura.baseline import baseline, html2txt
from trafilatura.core import (
    ESCALATION_ACCEPT_RATIO,
    ESCALATION_MAX_LENGTH,
    ESCALATION_PAGE_SHARE,
    _forum_thread_page,
    _recall_retry,
)
from trafilatura.htmlprocessing import (
    PRESERVE_IMG_CLEANING,
    _handle_forms,
    convert_tags,
    process_node,
    prune_html,
    prune_unwanted_nodes,
    recover_math,
)
from trafilatura.main_extractor import (
    NOT_AT_THE_END,
    REBUILT_BLOCKS,
    _elem_text,
    handle_textelem,
    prune_unwanted_sections,
    recover_wild_text,
)
from trafilatura.settings import (
    INLINE_FORMATTABLE,
    MANUALLY_CLEANED,
    MANUALLY_STRIPPED,
    MIN_DUPLICATE_LENGTH,
    TAG_CATALOG,
    Extractor,
)
from trafilatura.utils import SPACING_PROTECTED, text_chars_test
from trafilatura.xml import delete_element
from trafilatura.xpaths import RAW_TREE_PRUNE_XPATH, REMOVE_COMMENTS_AND_LISTS_XPATH

from . import selections

# Built once: an Extractor reads trafilatura's configuration file values on every construction.
# fast=True skips trafilatura's second opinion (readability, jusText): on news pages it rarely
# changes the result, and it about doubles the cost of a page.
OPTIONS = Extractor(output_format="xml", fast=True, comments=False, tables=False, with_metadata=False)

# trafilatura's selections by regular-expression XPath, as Python (selections.py): the same
# elements for a fraction of the cost, when trafilatura is the version they were written from.
RAW_TREE_PRUNE: list[Any] = RAW_TREE_PRUNE_XPATH
REMOVE_COMMENTS_AND_LISTS: list[Any] = REMOVE_COMMENTS_AND_LISTS_XPATH
if selections.install():
    RAW_TREE_PRUNE, REMOVE_COMMENTS_AND_LISTS = (
        selections.RAW_TREE_PRUNE,
        selections.REMOVE_COMMENTS_AND_LISTS,
    )


def main_text(tree: Any) -> Any | None:
    """The extracted body (trafilatura's XML element: head, p, list/item, quote...), or None.

    `tree` is the parsed page (lxml.html); it is pruned in place, so the caller must not need
    it afterwards.
    """
    try:
        return _extract(tree, OPTIONS)
    except (TypeError, ValueError):
        return None  # bare_extraction's answer to a page its steps cannot read


def _extract(tree: Any, options: Extractor) -> Any | None:
    is_forum = _forum_thread_page(tree)
    tree = prune_unwanted_nodes(tree, RAW_TREE_PRUNE)
    if not is_forum:  # comments are off: on a forum thread they are the posts, and kept
        tree = prune_unwanted_nodes(tree, REMOVE_COMMENTS_AND_LISTS)
    body, text = extract_content(tree, options)
    # Rescue: the baseline extractor on the page, when the main one found too little.
    if len(text) < options.min_extracted_size:
        baseline_body, baseline_text, baseline_length = baseline(tree)
        if baseline_length > len(text):
            body, text = baseline_body, baseline_text
    # Recall escalation: a short extraction covering little of the page is tried again.
    if (
        0 < len(text) < ESCALATION_MAX_LENGTH
        and len(text) < ESCALATION_PAGE_SHARE * page_text_bound(tree)
        and len(text) < ESCALATION_PAGE_SHARE * len(html2txt(tree))
    ):
        recall = copy(options)
        recall.focus = "recall"
        retry_text = ""
        try:
            retry_body, retry_text = _recall_retry(tree, recall, None)
        except Exception:  # trafilatura's own guard: a failed retry keeps the first result
            retry_text = ""
        if len(retry_text) >= options.min_extracted_size and len(retry_text) > ESCALATION_ACCEPT_RATIO * len(
            text
        ):
            body, text = retry_body, retry_text
    if not text:
        return None  # trafilatura discards a page with no text at all
    return body


def tree_cleaning(tree: Any, options: Extractor) -> Any:
    """trafilatura's `tree_cleaning`, step for step, except that the elements to delete are
    looked for only under the tags the page has: trafilatura walks the whole tree once for
    each of some fifty tags, and deleting an element never brings a tag in."""
    recover_math(tree)
    cleaning_list, stripping_list = MANUALLY_CLEANED.copy(), MANUALLY_STRIPPED.copy()
    clean_forms = "form" in cleaning_list
    if clean_forms:
        cleaning_list.remove("form")
    if not options.tables:
        cleaning_list.extend(["table", "td", "th", "tr"])
    else:
        for element in tree.iter("figure", "table"):
            if (
                element.find(".//table") is not None
                if element.tag == "figure"
                else element.get("role") in ("presentation", "none")
            ):
                element.tag = "div"
    if options.images:
        cleaning_list = [e for e in cleaning_list if e not in PRESERVE_IMG_CLEANING]
        stripping_list.remove("img")
    strip_tags(tree, stripping_list)
    backup = None
    if (
        options.focus == "recall"
        and tree.find(".//p") is not None
        and (
            "p" in cleaning_list
            or not any(next(p.iterancestors(cleaning_list), tree) is tree for p in tree.iter("p"))
        )
    ):
        backup = deepcopy(tree)
    present = {element.tag for element in tree.iter(*cleaning_list)}  # one walk, in C
    for tag in cleaning_list:
        if tag in present:
            for element in tree.iter(tag):
                delete_element(element)
    if backup is not None and tree.find(".//p") is None:
        tree = backup
    if clean_forms:
        _handle_forms(tree)
    return prune_html(tree, options.focus)


# The length of an element's text, plus two for it and for every element inside it, in one
# pass in C (an XPath number). Rendering adds a space before the text and before the tail of
# block elements, and folds whitespace, which only shortens: every element is counted as if
# it were a block, so this is never less than the rendering's length.
_TEXT_BOUND = lxml.etree.XPath("string-length(string(.)) + 2 * (1 + count(.//*))")


def page_text_bound(tree: Any) -> int:
    """At least the length of trafilatura's rendering of the page as text (html2txt)."""
    page = tree.find(".//body")
    return int(_TEXT_BOUND(tree if page is None else page))


# The two expressions trafilatura's extraction loop writes as strings, which lxml compiles on
# every call. Only the texts' total length and whether there are any are read: plain strings.
_PARAGRAPH_TEXTS = lxml.etree.XPath("//p//text()", smart_strings=False)
_ALL_ELEMENTS = lxml.etree.XPath(".//*")


def _cleaned(tree: Any, options: Extractor) -> Any:
    return convert_tags(tree_cleaning(copy(tree), options), options, None)


def extract_content(tree: Any, options: Extractor) -> tuple[Any, str]:
    """`trafilatura.main_extractor.extract_content` on the page's cleaned tree, without the copy
    of that tree it keeps for its rare second pass: when the pass is needed, the page is cleaned
    again (the same steps give the same tree), which on the benchmark pages never happens.
    """
    cleaned = _cleaned(tree, options)
    # source order before the main pass moves elements, which the second pass needs
    order = list(cleaned.iter())
    result_body, temp_text, potential_tags = _main_pass(cleaned, options)
    if len(result_body) == 0 or len(temp_text) < options.min_extracted_size:
        backup_tree = _cleaned(tree, options)
        consumed = {twin for elem, twin in zip(order, backup_tree.iter(), strict=True) if elem.tag == "done"}
        result_body = recover_wild_text(backup_tree, result_body, options, potential_tags, consumed)
        temp_text = " ".join(result_body.itertext()).strip()
    previous = None
    for element in list(result_body):
        current = _elem_text(element)
        if current and current == previous and len(current) > MIN_DUPLICATE_LENGTH:
            delete_element(element, keep_tail=False)
        else:
            previous = current
    strip_elements(result_body, "done")
    strip_tags(result_body, "div")
    for linebreak in result_body.iter("lb"):
        if (
            linebreak.tail
            and not text_chars_test(linebreak.tail)
            and not any(ancestor.tag in SPACING_PROTECTED for ancestor in linebreak.iterancestors())
        ):
            linebreak.tail = None
    return result_body, temp_text


def _main_pass(tree: Any, options: Extractor) -> tuple[Any, str, set[str]]:
    """`trafilatura.main_extractor._extract`, step for step, with its XPaths compiled once and
    without the debug log's arguments, which it builds whether or not the log is on."""
    potential_tags = set(TAG_CATALOG)
    if options.tables is True:
        potential_tags.update(["table", "td", "th", "tr"])
    if options.images is True:
        potential_tags.add("graphic")
    if options.links is True:
        potential_tags.add("ref")
    result_body = Element("body")
    # read at call time: selections.install may have put its functions in this list's place
    for expression in main_extractor.BODY_XPATH:
        subtree = next((s for s in expression(tree) if s is not None), None)
        if subtree is None:
            continue
        subtree = prune_unwanted_sections(subtree, potential_tags, options)
        if len(subtree) == 0:
            continue
        paragraph_texts = _PARAGRAPH_TEXTS(subtree)
        factor = 1 if options.focus == "precision" else 3
        if not paragraph_texts or len("".join(paragraph_texts)) < options.min_extracted_size * factor:
            potential_tags.add("div")
        subelements = _ALL_ELEMENTS(subtree)
        tags = {element.tag for element in subelements}
        if tags == {"lb"} or (
            subtree.tag == "div" and "div" in potential_tags and tags <= INLINE_FORMATTABLE | {"lb"}
        ):
            subelements = [subtree]
        lead, start = None, len(result_body)
        if subelements != [subtree] and text_chars_test(subtree.text):
            lead = Element("p")
            lead.text = subtree.text
            lead = process_node(lead, options)
        for element in subelements:
            # an element already moved into the result with its parent is not visited again
            if element.getroottree().getroot() is result_body:
                continue
            tag, tail = element.tag, element.tail
            processed = handle_textelem(element, potential_tags, options)
            if processed is not None:
                result_body.append(processed)
                if element.getroottree().getroot() is not result_body:
                    element.tag = "done"
            if (
                tag in REBUILT_BLOCKS
                and text_chars_test(tail)
                and (processed is None or processed.tail is None)
            ):
                tail_element = Element("p")
                tail_element.text = tail
                if process_node(tail_element, options) is not None:
                    result_body.append(tail_element)
        while len(result_body) > 0 and (result_body[-1].tag in NOT_AT_THE_END):
            delete_element(result_body[-1], keep_tail=False)
        if sum(element.tag != "graphic" for element in result_body) > 1:
            if lead is not None:
                result_body.insert(start, lead)
            break
    temp_text = " ".join(result_body.itertext()).strip()
    return result_body, temp_text, potential_tags
