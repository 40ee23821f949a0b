"""The plain RSS 2.0 reader gives the parse stage exactly what feedparser gives it.

Each feed is read twice, once through the plain reader and once with it turned off (so through
feedparser), and the drafts must be equal. Feeds the plain reader does not take must be
recognised and left to feedparser.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.benchmarks.corpus import generate
from wirewatch.agents.parse import formats
from wirewatch.agents.parse.plainrss import simple_rss
from wirewatch.streams.records import StageError

INPUTS = Path(__file__).resolve().parents[1] / "data" / "parse" / "inputs"


def rss(items: str, channel: str = "<title>Lake Shore Wire</title>", head: str = "") -> bytes:
    declaration = head or '<?xml version="1.0" encoding="UTF-8"?>'
    return (
        f'{declaration}\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        f'xmlns:content="http://purl.org/rss/1.0/modules/content/">\n<channel>{channel}\n{items}\n'
        "</channel></rss>"
    ).encode()


BODY = "<p>The ferry service across the lake resumed on Monday after repairs to the pier were finished.</p>"
TAKEN = {
    "plain": rss(
        f"<item><title>Ferry back</title><link>https://lake.example/a</link><description>{BODY}</description></item>".replace(
            "<p>", "&lt;p&gt;"
        ).replace("</p>", "&lt;/p&gt;")
    ),
    "cdata and dates": rss(
        "<item><title>Ferry back</title><link>https://lake.example/a</link>"
        "<pubDate>Mon, 06 Mar 2023 18:30:00 EST</pubDate>"
        f"<description><![CDATA[{BODY}]]></description></item>"
        "<item><title>Pier opens</title><pubDate>6 March 2023</pubDate>"
        f"<description><![CDATA[{BODY}]]></description></item>"
        "<item><title>No date</title><pubDate></pubDate><description>Plain words only, no markup at all here.</description></item>"
    ),
    "guid as link": rss(
        "<item><title>One</title><guid>https://lake.example/one</guid><description>First item text.</description></item>"
        '<item><title>Two</title><guid isPermaLink="false">tag:two</guid><description>Second item text.</description></item>'
        '<item><title>Three</title><guid isPermaLink="True">https://lake.example/three</guid><description>Third.</description></item>'
        "<item><title>Four</title><guid>https://lake.example/g</guid><link>https://lake.example/l</link><description>Fourth.</description></item>"
        "<item><title>Five</title><link>https://lake.example/l5</link><guid>https://lake.example/g5</guid><description>Fifth.</description></item>"
        "<item><title>Six</title><guid></guid><description>Sixth item.</description></item>"
    ),
    "links": rss(
        "<item><title>Query</title><link>https://lake.example/x?a=1&amp;amp;b=2&amp;c;=3</link><description>Text one.</description></item>"
        "<item><title>Slashes</title><link>https:////lake.example/y</link><description>Text two.</description></item>"
        "<item><title>Empty</title><link></link><description>Text three.</description></item>"
    ),
    "authors and content": rss(
        "<item><title>By line</title><dc:creator><![CDATA[Mira Okafor]]></dc:creator>"
        f"<content:encoded><![CDATA[{BODY}<p>More.</p>]]></content:encoded><category>Ports</category>"
        "<category domain='x'>Lakes</category></item>"
        "<item><title>Author</title><author>Tomas Reyes</author><description>Short lead.</description>"
        f"<content:encoded><![CDATA[{BODY}]]></content:encoded></item>"
        "<item><title></title><author></author><description></description></item>"
    ),
    "text clean-ups": rss(
        "<item><title>  Café opens \u00c3\u00a9 </title><description>Caf\u00e9 on the pier: cr\u00c3\u00a8me, d\u00e9j\u00e0 vu.</description></item>"
        "<item><title>Cr\u00c3\u00a8me br\u00c3\u00bbl\u00c3\u00a9e stall opens</title><description>Mis-encoded title.</description></item>"
        "<item><title>Comment</title><description>Before<!-- note -->after the note.</description></item>",
        channel="<title> Lake Shore Wire </title><language>en-GB</language><link>https://lake.example</link>",
    ),
    "no declaration": rss(
        "<item><title>Cr\u00c3\u00a8me stall</title><description>Caf\u00e9 words.</description></item>",
        head=" ",
    ),
}
LEFT_TO_FEEDPARSER = {
    "media": rss(
        '<item xmlns:media="http://search.yahoo.com/mrss/"><title>A</title><media:credit>Photo: Ana</media:credit>'
        "<description>Text.</description></item>"
    ),
    "image": rss(
        "<item><title>A</title></item>", channel="<title>T</title><image><title>Logo</title></image>"
    ),
    "base": rss('<item xml:base="https://lake.example/"><title>A</title><link>/a</link></item>'),
    "language attribute": rss("<item><title>A</title></item>").replace(
        b'<rss version="2.0"', b'<rss xml:lang="de" version="2.0"'
    ),
    "utf8 spelled without a dash": rss(
        "<item><title>A</title></item>", head="<?xml version='1.0' encoding='utf8'?>"
    ),
    "latin-1": rss("<item><title>A</title></item>", head='<?xml version="1.0" encoding="ISO-8859-1"?>'),
    "email author": rss("<item><title>A</title><author>desk@lake.example (Ana Lind)</author></item>"),
    "two titles": rss("<item><title>A</title><title>B</title></item>"),
    "inline markup": rss("<item><title>A</title><description>Some <b>bold</b> text.</description></item>"),
    "control characters": rss("<item><title>A\u0093quoted\u0094</title></item>"),
    "dc date": rss("<item><title>A</title><dc:date>2023-03-06</dc:date></item>"),
    "atom": b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title></feed>',
}


def both_ways(data: bytes, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    plain = formats.read_feed(data)
    with monkeypatch.context() as patched:
        patched.setattr(formats, "simple_rss", lambda root, data: None)
        through_feedparser = formats.read_feed(data)
    return plain, through_feedparser


def failures_as_text(result: tuple[list, list[StageError]]) -> tuple[list, list[tuple[str, str]]]:
    drafts, failures = result
    return drafts, [(f.reason, str(f)) for f in failures]


@pytest.mark.parametrize("name", sorted(TAKEN))
def test_plain_reader_takes_plain_rss_and_gives_what_feedparser_gives(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = TAKEN[name]
    assert simple_rss(formats._check_xml(data), data) is not None, "the plain reader should take this feed"
    plain, through_feedparser = both_ways(data, monkeypatch)
    assert failures_as_text(plain) == failures_as_text(through_feedparser)


@pytest.mark.parametrize("name", sorted(LEFT_TO_FEEDPARSER))
def test_plain_reader_leaves_other_feeds_to_feedparser(name: str) -> None:
    data = LEFT_TO_FEEDPARSER[name]
    assert simple_rss(formats._check_xml(data), data) is None


def test_corpus_feeds_read_the_same_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    feeds = [p.read_bytes() for p in sorted(INPUTS.iterdir()) if p.read_bytes().lstrip().startswith(b"<?xml")]
    feeds += [record.value for record in generate(300) if record.format == "rss"]
    taken = 0
    for data in feeds:
        try:
            root = formats._check_xml(data)
        except StageError:
            continue
        taken += simple_rss(root, data) is not None
        plain, through_feedparser = both_ways(data, monkeypatch)
        assert failures_as_text(plain) == failures_as_text(through_feedparser)
    assert taken >= 30  # the benchmark corpus's feed items are plain RSS 2.0
