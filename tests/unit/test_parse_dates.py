"""Dates in news copy: UTC, a precision, and never an invented time or year."""

import pytest

from wirewatch.agents.parse.dates import find_date, is_date_line, is_future, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("July 27, 2021", ("2021-07-27T00:00:00Z", "day")),
        ("27 July 2021", ("2021-07-27T00:00:00Z", "day")),
        ("Sept. 3, 2020", ("2020-09-03T00:00:00Z", "day")),
        ("2022-01-31", ("2022-01-31T00:00:00Z", "day")),
        # RFC 822 with an offset: converted to UTC, crossing midnight
        ("Wed, 02 Mar 2022 22:30:00 -0500", ("2022-03-03T03:30:00Z", "second")),
        ("2023-04-05T01:15:00+03:00", ("2023-04-04T22:15:00Z", "second")),
        ("5 May 2021 14:20 GMT", ("2021-05-05T14:20:00Z", "minute")),
        # other languages, from the month table in the data files
        ("4 марта 2021 г.", ("2021-03-04T00:00:00Z", "day")),
        ("9 de octubre de 2020", ("2020-10-09T00:00:00Z", "day")),
        ("14. Januar 2022", ("2022-01-14T00:00:00Z", "day")),
        ("03.11.2021", ("2021-11-03T00:00:00Z", "day")),
    ],
)
def test_dates_parse_to_utc_with_a_precision(text: str, expected: tuple[str, str]) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["October 16", "since 2019", "last Tuesday", "", "page 2021 of 3000"])
def test_no_year_or_no_date_is_no_date(text: str) -> None:
    """dateutil would fill a missing year or day from today: an invented date."""
    assert parse_date(text) is None


def test_a_day_only_date_is_never_shifted_by_a_timezone() -> None:
    assert parse_date("1 January 2020") == ("2020-01-01T00:00:00Z", "day")


def test_find_date_in_free_text_takes_the_first() -> None:
    assert find_date("Filed on 2 June 2021, updated 3 June 2021") == ("2021-06-02T00:00:00Z", "day")
    assert find_date("The programme has run since 2019.") is None


@pytest.mark.parametrize(
    ("line", "is_date"),
    [("August 9, 2022", True), ("12 ноября 2022 г.", True), ("The vote is due on August 9, 2022.", False)],
)
def test_date_lines(line: str, is_date: bool) -> None:
    assert is_date_line(line) is is_date


def test_future_dates_are_detected_with_a_day_of_slack() -> None:
    now_ms = 1_700_000_000_000  # 2023-11-14T22:13:20Z
    assert is_future("2023-11-17T00:00:00Z", now_ms)
    assert not is_future("2023-11-15T00:00:00Z", now_ms)  # time zones ahead of UTC
