"""The parse stage on the seeds and on bad input."""

import pytest

from wirewatch.agents.parse import parse_bytes
from wirewatch.streams.records import StageError

INGEST_MS = 1_800_000_000_000


def parse_one(data: bytes):
    result = parse_bytes(data, ingest_ms=INGEST_MS)
    assert len(result.articles) == 1
    return result.articles[0]


def test_first_seed_fields(seed_bytes: list[bytes]) -> None:
    article = parse_one(seed_bytes[0])
    assert article.title == "Kremlin fears ‘instability’ after U.S. withdrawal from Iraq"
    assert article.source == "RussiaLink"
    assert article.agency == "Interfax"
    assert (article.published, article.published_precision) == ("2021-07-27T00:00:00Z", "day")
    assert article.published_estimated is False
    assert article.blocks[-1].text.endswith("Chepa said.")  # the trailing "Comment" is furniture
    assert not any(b.text == "Comment" for b in article.blocks)
    assert any("file photo" in m for m in article.media)
    assert not any("file photo" in b.text for b in article.blocks)


def test_second_seed_fields(seed_bytes: list[bytes]) -> None:
    article = parse_one(seed_bytes[1])
    assert article.title.startswith("Peskov: US decision to end combat mission in Iraq")
    assert article.source == "Russia - Islamic World"
    assert article.agency == "TASS"
    assert article.published == "2021-07-27T00:00:00Z"
    headings = [b.text for b in article.blocks if b.kind == "h"]
    assert headings == ["End of mission"]
    assert any(m.startswith("Photo:") for m in article.media)
    assert "Based on materials" not in article.text


def test_same_bytes_same_id(seed_bytes: list[bytes]) -> None:
    assert parse_one(seed_bytes[0]).id == parse_one(seed_bytes[0]).id
    assert parse_one(seed_bytes[0]).id != parse_one(seed_bytes[1]).id


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        (b'{"title": "broken', "malformed-json"),
        (b'{"id": 3, "lang": "en"}', "missing-field"),
        (b"<rss><channel><item><title>cut", "malformed-xml"),
    ],
)
def test_bad_input_is_a_stage_error_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(StageError) as info:
        parse_bytes(data, ingest_ms=INGEST_MS)
    assert info.value.reason == reason
    assert str(info.value)


def test_over_the_size_cap() -> None:
    with pytest.raises(StageError) as info:
        parse_bytes(b"Title\n\n" + b"word " * 1000, ingest_ms=INGEST_MS, max_bytes=1000)
    assert info.value.reason == "too-large"
    assert "1,000-byte cap" in str(info.value)


def test_windows_1251_text_is_decoded_not_rejected() -> None:
    text = "Новости дня\n\nМинистр заявил, что переговоры продолжатся в понедельник в Москве.\n"
    article = parse_one(text.encode("cp1251"))
    assert article.title == "Новости дня"
    assert "переговоры" in article.text
    assert article.language == "ru"


def test_missing_date_becomes_ingest_time_flagged() -> None:
    article = parse_one(b"A headline\n\nA body paragraph with enough words to be an article.\n")
    assert article.published_estimated is True
    assert article.published == "2027-01-15T08:00:00Z"
