"""The worker refuses to serve the HTTP API beyond this machine without a token."""

from __future__ import annotations

import pytest

from wirewatch.streams.app import create_app
from wirewatch.streams.settings import Settings
from wirewatch.streams.web_watchlists import is_loopback_host, refuse_open_api_without_token


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("10.0.0.5", False),
        ("worker-1.example", False),
    ],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


def test_a_worker_on_a_public_address_without_a_token_refuses_to_start() -> None:
    with pytest.raises(SystemExit) as info:
        create_app(Settings(broker="127.0.0.1:9", web_host="0.0.0.0", web_port=1))
    message = str(info.value)
    assert "WIREWATCH_WEB_HOST=0.0.0.0" in message and "WIREWATCH_API_TOKEN" in message


def test_a_token_a_loopback_address_or_no_web_server_is_accepted() -> None:
    refuse_open_api_without_token(Settings(web_host="0.0.0.0", api_token="secret"))
    refuse_open_api_without_token(Settings(web_host="127.0.0.1"))
    refuse_open_api_without_token(Settings(web_host="0.0.0.0", web_enabled=False))
