"""Quotation attribution and entity linking on the seeds (the issue's gold)."""

from collections import Counter

from wirewatch.agents.parse import parse_bytes
from wirewatch.agents.tag import Tagger


def tagged(data: bytes):
    return Tagger()(parse_bytes(data, ingest_ms=1_700_000_000_000).articles[0])


def test_first_seed_speakers(seed_bytes: list[bytes]) -> None:
    result = tagged(seed_bytes[0])
    speakers = Counter(q.speaker for q in result.quotes)
    assert speakers == {"Dmitry Peskov": 4, "Alexei Chepa": 3}
    partial = [q for q in result.quotes if q.text == "feel like victors"]
    assert len(partial) == 1 and partial[0].speaker == "Alexei Chepa"
    # the title in quotation marks is not a quotation, nor is the scare-quoted 'instability'
    assert not any("Kremlin fears" in q.text or q.text == "instability" for q in result.quotes)


def test_second_seed_all_four_quotes_are_the_spokesmans(seed_bytes: list[bytes]) -> None:
    result = tagged(seed_bytes[1])
    assert [q.speaker for q in result.quotes] == ["Dmitry Peskov"] * 4
    cues = {q.text[:20]: q.cue for q in result.quotes}
    assert cues["Certainly this is a "] == "said"  # closed by "said the Kremlin spokesman"
    assert cues["There have been earl"] == "pointed out"  # closed by "he pointed out"
    reported = {q.speaker for q in result.reported}
    assert {"Joe Biden", "Barham Salih", "Mustafa al-Kadhimi"} <= reported
    assert not any(q.speaker in {"Joe Biden", "Barham Salih"} for q in result.quotes)


def test_quote_offsets_point_into_the_body(seed_bytes: list[bytes]) -> None:
    result = tagged(seed_bytes[1])
    text = result.article.text
    for quote in result.quotes:
        assert text[quote.start : quote.end].strip() == quote.text


def test_entities_linked_with_canonical_ids(seed_bytes: list[bytes]) -> None:
    result = tagged(seed_bytes[1])
    by_id = {e.id: e for e in result.entities}
    assert "country:IQ" in by_id and by_id["country:IQ"].count >= 5
    assert "person:dmitry-peskov" in by_id
    assert "org:kremlin" in by_id
    assert "Washington" in by_id["country:US"].surfaces  # a metonym for the US government


def test_role_resolved_by_article_date() -> None:
    from wirewatch.streams.records import Article, Block

    def speaker_on(day: str) -> str:
        article = Article(
            id="x",
            title="t",
            published=f"{day}T00:00:00Z",
            blocks=[Block('"We will not move on this," the US president told reporters.')],
        )
        return Tagger()(article).quotes[0].speaker

    assert speaker_on("2019-05-01") == "Donald Trump"
    assert speaker_on("2022-05-01") == "Joe Biden"
