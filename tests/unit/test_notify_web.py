"""The HTTP edges of notify without a server: the SSE event id format and the bearer check
(with a stand-in request object)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from aiohttp import web

from wirewatch.streams.settings import Settings
from wirewatch.streams.web_alerts import BadEventId, format_event_id, parse_event_id
from wirewatch.streams.web_auth import check_bearer


def test_event_ids_round_trip_one_and_several_partitions() -> None:
    assert parse_event_id("0:41") == {0: 41}
    assert parse_event_id(" 0:41, 2:7 ") == {0: 41, 2: 7}
    assert format_event_id({2: 7, 0: 41}) == "0:41,2:7"
    assert parse_event_id(format_event_id({0: -1, 1: 3})) == {0: -1, 1: 3}
    assert parse_event_id(None) == {} and parse_event_id("") == {}


@pytest.mark.parametrize("text", ["41", "a:b", "0:", "0:1,x"])
def test_malformed_event_ids_are_refused(text: str) -> None:
    with pytest.raises(BadEventId):
        parse_event_id(text)


def request(remote: str, authorization: str | None = None) -> SimpleNamespace:
    headers = {"Authorization": authorization} if authorization is not None else {}
    return SimpleNamespace(remote=remote, headers=headers)


def test_with_a_token_only_the_right_bearer_passes() -> None:
    settings = Settings(api_token="tok-123")
    check_bearer(request("203.0.113.9", "Bearer tok-123"), settings)
    for header in (None, "Bearer tok-12", "Bearer tok-1234", "Basic tok-123", "tok-123"):
        with pytest.raises(web.HTTPUnauthorized):
            check_bearer(request("127.0.0.1", header), settings)


def test_without_a_token_only_loopback_clients_pass() -> None:
    settings = Settings(api_token="")
    check_bearer(request("127.0.0.1"), settings)
    check_bearer(request("::1"), settings)
    for remote in ("203.0.113.9", "10.0.0.2", None):
        with pytest.raises(web.HTTPForbidden):
            check_bearer(request(remote), settings)  # type: ignore[arg-type]
