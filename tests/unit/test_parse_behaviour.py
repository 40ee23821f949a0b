"""The parse stage on small inputs written here, apart from the labelled corpus it was tuned on:
format detection, attribution, dates, normalisation, media and furniture, and bad input."""

from __future__ import annotations

import orjson
import pytest

from wirewatch.agents.parse import parse_bytes
from wirewatch.agents.parse.core import detect_format
from wirewatch.streams.records import Article, StageError

INGEST_MS = 1_800_000_000_000  # 2027-01-15T08:00:00Z

BODY = (
    "The harbour authority said on Monday that dredging of the main channel would begin next "
    "month and take about a year, allowing larger container ships to call at the port without "
    "waiting for high tide. Shipping lines have asked for the work for more than a decade."
)
SECOND = "Environmental groups said they would watch the effect of the dredging on the river's fish."


def only_article(data: bytes) -> Article:
    result = parse_bytes(data, ingest_ms=INGEST_MS)
    assert len(result.articles) == 1, result.failures
    return result.articles[0]


# --- detection ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ('<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>', "feed"),
        ('<feed xmlns="http://www.w3.org/2005/Atom"></feed>', "feed"),
        ("<html><body><p>x</p></body></html>", "html"),
        ("  <!DOCTYPE html><html></html>", "html"),
        ('{"title": "x"}', "json"),
        ('[{"title": "x"}]', "json"),
        ('{"title": "x"}\n{"title": "y"}\n', "jsonl"),
        ('{"key": "k", "value": "v", "topic": "t", "partition": 0, "offset": 1}\n', "history"),
        ("A headline\n\nSome text.", "text"),
    ],
)
def test_format_comes_from_the_content(text: str, fmt: str) -> None:
    assert detect_format(text) == fmt


# --- wire copy ------------------------------------------------------------------------------


def test_paren_dateline_gives_the_agency_and_is_not_body() -> None:
    article = only_article(
        f"Port to deepen shipping channel\n\nMarch 2, 2022\n\nBy Ana Pereira and Tomas Lind\n\n"
        f"LISBON, March 2 (Reuters) - {BODY}\n\n{SECOND}\n".encode()
    )
    assert article.agency == "Reuters"
    assert article.byline == "Ana Pereira and Tomas Lind"
    assert (article.published, article.published_precision) == ("2022-03-02T00:00:00Z", "day")
    assert article.blocks[0].text.startswith("The harbour authority said")
    assert "LISBON" not in article.text and "March 2, 2022" not in article.text


def test_slash_dateline_without_a_year_does_not_invent_one() -> None:
    article = only_article(f"Port to deepen channel\n\nST. PETERSBURG, May 4. /TASS/. {BODY}\n".encode())
    assert article.agency == "TASS"
    assert article.published_estimated is True  # "May 4" alone has no year
    assert article.published == "2027-01-15T08:00:00Z"


def test_photo_credit_agency_is_media_not_the_agency() -> None:
    article = only_article(f"Port to deepen channel\n\nPhoto: Rui Costa / AFP\n\n{BODY}\n".encode())
    assert article.agency == ""
    assert article.media == ["Photo: Rui Costa / AFP"]
    assert "Rui Costa" not in article.text


def test_furniture_and_sign_off_lines_are_dropped() -> None:
    article = only_article(
        f"Port to deepen channel\n\n{BODY}\n\n{SECOND}\n\n(Writing by Ana Pereira; Editing by Jon Fry)\n\n"
        "Share\n\nRead more: Port strike ends\n\nComment\n".encode()
    )
    assert article.blocks[-1].text == SECOND
    assert [b.kind for b in article.blocks] == ["p", "p"]


def test_future_date_becomes_the_ingest_time_flagged() -> None:
    article = only_article(f"Port to deepen channel\n\n3 April 2031\n\n{BODY}\n".encode())
    assert article.published_estimated is True
    assert (article.published, article.published_precision) == ("2027-01-15T08:00:00Z", "second")


def test_text_normalisation() -> None:
    decomposed = "Cafe\u0301 owners"  # e + combining acute
    article = only_article(
        f'{decomposed} protest\n\nPrices rose by 1\u00a0200 euros, the\u00ad ministry said; “quotes” and "quotes" stay.\n'.encode()
    )
    assert article.title == "Café owners protest"
    assert "1 200 euros, the ministry" in article.text
    assert '“quotes” and "quotes" stay' in article.text


def test_latin1_text_without_a_declaration_is_decoded() -> None:
    text = "Les pêcheurs de l'Atlantique réclament des aides\n\nLe ministère a annoncé que les aides seront versées avant l'été et que les pêcheurs de la côte recevront une compensation.\n"
    article = only_article(text.encode("latin-1"))
    assert article.title == "Les pêcheurs de l'Atlantique réclament des aides"
    assert article.language == "fr"


def test_same_input_twice_gives_the_same_id_and_different_inputs_do_not() -> None:
    data = f"Port to deepen channel\n\n{BODY}\n".encode()
    assert only_article(data).id == only_article(data).id
    assert only_article(data).id != only_article(data.replace(b"Monday", b"Tuesday")).id


# --- HTML -----------------------------------------------------------------------------------

PAGE = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Port to deepen channel | Estuary Times</title>
<meta property="article:published_time" content="2022-03-02T10:00:00+01:00">
<meta property="article:modified_time" content="2022-03-04T10:00:00+01:00">
</head><body>
<nav><a href="/">Home</a> <a href="/ports">Ports</a> <a href="/x">Embassy row deepens</a></nav>
<article><h1>Port to deepen channel</h1>
<p class="byline">By Ana Pereira</p>
<figure><img src="a.jpg"><figcaption>A dredger at work. Photo: Rui Costa / Estuary Times</figcaption></figure>
<p>{BODY}</p><p>{SECOND}</p>
<p><a href="/ports">More from Ports</a></p>
</article>
<aside><h3>Most read</h3><ul><li><a href="/y">Embassy staff expelled after spy row</a></li></ul></aside>
<footer>All rights reserved. Cookie settings.</footer></body></html>"""


def test_html_page_main_text_and_metadata() -> None:
    article = only_article(PAGE.encode())
    assert article.title == "Port to deepen channel"
    assert article.source == "Estuary Times"  # from the <title> suffix
    assert article.byline == "Ana Pereira"
    assert (article.published, article.published_precision) == ("2022-03-02T09:00:00Z", "second")
    assert article.blocks[0].text.startswith("The harbour authority")
    assert article.blocks[-1].text == SECOND
    for boilerplate in ("Embassy", "More from Ports", "All rights reserved", "A dredger at work"):
        assert boilerplate not in article.text
    assert any("Rui Costa" in m for m in article.media)
    assert article.input_format == "html"


def test_html_without_an_article_is_a_dead_letter() -> None:
    page = b"<html><body><nav><a href='/'>Home</a></nav><h1>Sign in</h1><form><input type='password'></form></body></html>"
    with pytest.raises(StageError) as info:
        parse_bytes(page, ingest_ms=INGEST_MS)
    assert info.value.reason == "no-article"


# --- feeds ----------------------------------------------------------------------------------


def rss(items: str, prolog: str = "") -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>{prolog}
<rss version="2.0"><channel><title>Estuary Times</title>{items}</channel></rss>""".encode()


GOOD_ITEM = f"""<item><title>Port to deepen channel</title><link>https://estuary.example/a</link>
<pubDate>Wed, 02 Mar 2022 22:30:00 -0500</pubDate><description>{BODY}</description></item>"""


def test_feed_with_a_broken_item_keeps_the_good_ones() -> None:
    result = parse_bytes(
        rss(
            GOOD_ITEM
            + "<item><link>https://estuary.example/b</link></item>"
            + GOOD_ITEM.replace("/a<", "/c<")
        ),
        ingest_ms=INGEST_MS,
    )
    assert [a.url for a in result.articles] == ["https://estuary.example/a", "https://estuary.example/c"]
    assert result.articles[0].published == "2022-03-03T03:30:00Z"
    assert result.articles[0].source == "Estuary Times"
    assert [(f.reason, "item 2" in str(f)) for f in result.failures] == [("missing-field", True)]


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]>',
    ],
)
def test_xml_with_entities_is_refused_unexpanded(prolog: str) -> None:
    with pytest.raises(StageError) as info:
        parse_bytes(rss(GOOD_ITEM, prolog), ingest_ms=INGEST_MS)
    assert info.value.reason == "unsafe-xml"


def test_truncated_feed_is_malformed_xml_with_a_hint() -> None:
    with pytest.raises(StageError) as info:
        parse_bytes(rss(GOOD_ITEM)[:-40], ingest_ms=INGEST_MS)
    assert info.value.reason == "malformed-xml"
    assert "truncated" in str(info.value)


# --- JSON -----------------------------------------------------------------------------------


def test_json_list_with_a_bad_item_names_the_item() -> None:
    good = {
        "title": "Port to deepen channel",
        "content": BODY,
        "publishedAt": 1646265600000,
        "source": {"name": "Estuary Times"},
    }
    result = parse_bytes(
        orjson.dumps([good, {"title": None, "content": None}, "not an object"]), ingest_ms=INGEST_MS
    )
    assert [a.published for a in result.articles] == ["2022-03-03T00:00:00Z"]  # epoch milliseconds
    assert [(f.reason, str(f).split(":")[0]) for f in result.failures] == [
        ("missing-field", "item 2"),
        ("missing-field", "item 3"),
    ]


def test_newsapi_truncation_marker_is_removed() -> None:
    data = f'{{"title": "Port to deepen channel", "content": "{BODY[:120]}… [+812 chars]"}}'.encode()
    article = only_article(data)
    assert "chars]" not in article.text


def test_jsonl_malformed_line_is_located() -> None:
    line = f'{{"title": "Port to deepen channel", "body": "{BODY}"}}'
    result = parse_bytes(f"{line}\n\n{{oops\n{line}\n".encode(), ingest_ms=INGEST_MS)
    assert len(result.articles) == 2
    assert [(f.reason, "line 3" in str(f)) for f in result.failures] == [("malformed-json", True)]


def test_index_page_of_many_teasers_is_not_an_article() -> None:
    teasers = "".join(
        f"<div class='card'><h2><a href='/n/{i}'>Headline number {i} about the port</a></h2>"
        f"<p>One short teaser sentence, number {i}.</p></div>"
        for i in range(20)
    )
    page = f"<html><head><title>Ports | Estuary Times</title></head><body><main><h1>Ports</h1>{teasers}</main></body></html>"
    with pytest.raises(StageError) as info:
        parse_bytes(page.encode(), ingest_ms=INGEST_MS)
    assert info.value.reason == "no-article"


# --- recorded topic history -----------------------------------------------------------------


def test_history_uses_each_record_time_and_survives_a_broken_line() -> None:
    def row(offset: int, value: str) -> str:
        return orjson.dumps(
            {
                "key": None,
                "value": value,
                "timestamp": 1_650_000_000_000,
                "topic": "raw",
                "partition": 0,
                "offset": offset,
            }
        ).decode()

    text = f"{row(7, f'Port to deepen channel{chr(10) * 2}{BODY}')}\n{{broken\n{row(9, '')}\n"
    result = parse_bytes(text.encode(), ingest_ms=INGEST_MS)
    assert [(a.published, a.published_estimated) for a in result.articles] == [("2022-04-15T05:20:00Z", True)]
    assert sorted((f.reason, str(f)[:24]) for f in result.failures) == [
        ("empty", "history record at offset"),
        ("malformed-json", "history line 2 is not va"),
    ]
    assert "offset 9" in str(next(f for f in result.failures if f.reason == "empty"))


@pytest.mark.parametrize(
    ("first_line", "title", "source"),
    [
        ("UPDATE 2: Port to deepen channel", "Port to deepen channel", ""),
        ("EXCLUSIVE: Port to deepen channel", "Port to deepen channel", ""),
        ("ESTUARYWIRE: Port to deepen channel", "Port to deepen channel", "Estuarywire"),
    ],
)
def test_story_tags_before_the_headline_are_not_outlets(first_line: str, title: str, source: str) -> None:
    article = only_article(f"{first_line}\n\n{BODY}\n".encode())
    assert (article.title, article.source) == (title, source)


def test_a_dash_in_the_page_title_is_not_a_site_name() -> None:
    page = f"<html><head><title>Port dredging - what we know</title></head><body><article><p>{BODY}</p></article></body></html>"
    article = only_article(page.encode())
    assert article.title == "Port dredging - what we know"
    assert article.source == ""


def test_html_entities_are_decoded_in_text_and_json() -> None:
    text = only_article(f"Dredging &amp; dumping\n\nThe port&#8217;s plan. {BODY}\n".encode())
    assert text.title == "Dredging & dumping" and text.text.startswith("The port’s plan.")
    data = orjson.dumps(
        {"title": "<b>Dredging</b> &amp; dumping", "content": f"The port&#8217;s plan. {BODY}"}
    )
    json = only_article(data)
    assert json.title == "Dredging & dumping" and json.text.startswith("The port’s plan.")


def test_captions_leave_the_body_but_pull_quotes_and_following_text_stay() -> None:
    page = f"""<html><body><article><h1>Port to deepen channel</h1>
<div class="article-body has-captions"><p>{BODY}</p>
<p>Work starts in May. <span class="credit">Photo: Rui Costa</span> Crews will dredge at night.</p>
<figure><blockquote>We waited ten years for this channel.</blockquote></figure>
<p>{SECOND}</p></div></article></body></html>"""
    article = only_article(page.encode())
    assert "Crews will dredge at night." in article.text
    assert "We waited ten years for this channel." in article.text
    assert "Rui Costa" not in article.text and article.media == ["Photo: Rui Costa"]


def test_metadata_bylines_and_titles_are_cleaned() -> None:
    data = orjson.dumps(
        {
            "title": "Port to deepen channel | Estuary Times",
            "content": BODY,
            "author": "By Ana Pereira, Ports correspondent",
            "source": {"name": "Estuary Times"},
        }
    )
    article = only_article(data)
    assert (article.title, article.byline) == ("Port to deepen channel", "Ana Pereira")


def test_blog_feed_footers_are_furniture() -> None:
    item = f"""<item><title>Port to deepen channel</title><link>https://estuary.example/a</link>
<description><![CDATA[<p>{BODY}</p><p>Continue reading &rarr;</p>
<p>The post <a href="https://estuary.example/a">Port to deepen channel</a> appeared first on <a href="https://estuary.example">Estuary Times</a>.</p>]]></description></item>"""
    article = parse_bytes(rss(item), ingest_ms=INGEST_MS).articles[0]
    assert article.text == BODY


def test_utf16_with_a_byte_order_mark_is_text_not_binary() -> None:
    article = only_article(f"Port to deepen channel\n\n{BODY}\n".encode("utf-16"))
    assert article.title == "Port to deepen channel"


def test_text_without_a_headline_keeps_its_paragraph_as_body() -> None:
    article = only_article(f"{BODY}\n\n{SECOND}\n".encode())
    assert article.title == ""
    assert [b.text for b in article.blocks] == [BODY, SECOND]


def test_a_closing_quotation_is_body_and_a_closing_outlet_name_is_the_source() -> None:
    quote = "“We have waited for this channel for ten years.”"
    article = only_article(f"Port to deepen channel\n\n{BODY}\n\n{quote}\n".encode())
    assert article.blocks[-1].text == quote and article.source == ""
    article = only_article(f"Port to deepen channel\n\n{BODY}\n\nEST “Estuary Times Online”\n".encode())
    assert article.source == "Estuary Times Online" and article.blocks[-1].text == BODY


def test_sentences_that_look_like_captions_or_date_labels_stay_body() -> None:
    first = "Updated guidance was issued on 3 March 2022 by the port."
    middle = "Police released a file photo of the missing skipper."
    article = only_article(f"Port to deepen channel\n\n{first}\n\n{BODY}\n\n{middle}\n\n{SECOND}\n".encode())
    assert article.blocks[0].text == first
    assert middle in article.text and article.media == []


def test_dateline_on_a_line_of_its_own() -> None:
    article = only_article(f"Port to deepen channel\n\nLISBON (Reuters) -\n\n{BODY}\n".encode())
    assert article.agency == "Reuters"
    assert [b.text for b in article.blocks] == [BODY]
