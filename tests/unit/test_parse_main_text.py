"""The parse stage's main-text extraction gives exactly what trafilatura's bare_extraction gives.

`agents/parse/maintext.py` runs trafilatura's steps without the copies and the page rendering
that our settings make useless; any drift from trafilatura (a new version, a step missed)
shows here as a different extracted tree.
"""

from __future__ import annotations

from pathlib import Path

import lxml.etree
import lxml.html
import pytest
import trafilatura

from tests.benchmarks.corpus import generate
from wirewatch.agents.parse import maintext
from wirewatch.agents.parse.maintext import OPTIONS, main_text, page_text_bound
from wirewatch.agents.parse.textnorm import decode

INPUTS = Path(__file__).resolve().parents[1] / "data" / "parse" / "inputs"
PARAGRAPH = (
    "<p>The harbour board met on Thursday evening to discuss the dredging of the outer channel, "
    "which pilots say has silted up faster than expected since the spring storms.</p>"
)
LINKS = "".join(f'<li><a href="/s/{n}">Section number {n} of the site</a></li>' for n in range(120))
MADE = {
    "short article": "<html><body><article><p>Too short to be an article.</p></article></body></html>",
    "short article on a long page": (
        f"<html><body><nav><ul>{LINKS}</ul></nav><article>{PARAGRAPH}</article>"
        f"<div class='teasers'>{''.join(f'<div><p>Teaser line number {n} about something else.</p></div>' for n in range(80))}</div>"
        "</body></html>"
    ),
    "forum thread": (
        '<html><head><script type="application/ld+json">{"@type": "DiscussionForumPosting", "headline": "x"}'
        f"</script></head><body><div class='comments'>{PARAGRAPH * 3}</div>"
        f"<ul class='comment-list'><li>{PARAGRAPH}</li></ul></body></html>"
    ),
    "no body element": f"<div>{PARAGRAPH * 4}</div>",
    "nothing": "<html><body><p> </p><script>var x = 1;</script></body></html>",
    "navigation only": "<html><body><nav><a href='/'>Home</a></nav></body></html>",
    "short article beside a long text": (
        f"<html><body><article>{PARAGRAPH * 2}</article><section>"
        + "".join(
            f"<div>Market note {n}: grain and timber prices moved a little today.</div>" for n in range(60)
        )
        + "</section></body></html>"
    ),
    "table and list": f"<html><body><main>{PARAGRAPH}<table><tr><td>cell text</td></tr></table><ul><li>one point made</li></ul>{PARAGRAPH}</main></body></html>",
}


def pages() -> list[tuple[str, str]]:
    found = [(p.name, decode(p.read_bytes())) for p in sorted(INPUTS.glob("html-*"))]
    found += [(f"corpus {r.index}", r.value.decode()) for r in generate(240) if r.format == "html"]
    return found + sorted(MADE.items())


def rendered(element: object | None) -> bytes | None:
    return None if element is None else lxml.etree.tostring(element, encoding="utf-8")


@pytest.mark.parametrize(("name", "page"), pages(), ids=[name for name, _ in pages()])
def test_main_text_is_what_bare_extraction_extracts(name: str, page: str) -> None:
    reference = trafilatura.bare_extraction(lxml.html.document_fromstring(page), options=OPTIONS)
    expected = rendered(reference.body if reference is not None else None)
    assert rendered(main_text(lxml.html.document_fromstring(page))) == expected


@pytest.mark.parametrize(("name", "page"), pages(), ids=[name for name, _ in pages()])
def test_page_text_bound_is_never_below_the_rendering(name: str, page: str) -> None:
    tree = lxml.html.document_fromstring(page)
    assert page_text_bound(tree) >= len(trafilatura.html2txt(tree))


def test_made_pages_take_the_rare_branches(monkeypatch: pytest.MonkeyPatch) -> None:
    """The made pages reach the rescue, the escalation and the empty result, or they test nothing."""
    calls: dict[str, int] = {}
    for step in ("baseline", "html2txt", "_recall_retry"):
        original = getattr(maintext, step)

        def counted(*args: object, _original: object = original, _step: str = step) -> object:
            calls[_step] = calls.get(_step, 0) + 1
            return _original(*args)  # type: ignore[operator]

        monkeypatch.setattr(maintext, step, counted)
    results = {name: main_text(lxml.html.document_fromstring(page)) for name, page in MADE.items()}
    assert results["nothing"] is None
    assert (
        calls.get("baseline", 0) >= 1 and calls.get("html2txt", 0) >= 1 and calls.get("_recall_retry", 0) >= 1
    )


def test_benchmark_pages_are_not_rendered_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    """On ordinary article pages the bound settles the escalation test without rendering the page."""
    rendered_pages = []
    monkeypatch.setattr(maintext, "html2txt", lambda tree: rendered_pages.append(tree) or "")
    corpus = [r.value.decode() for r in generate(120) if r.format == "html"]
    for page in corpus:
        assert main_text(lxml.html.document_fromstring(page)) is not None
    assert len(rendered_pages) < len(corpus) / 10
