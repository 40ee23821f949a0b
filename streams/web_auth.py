"""The one access check of the worker's HTTP API (watchlists, alert stream).

With `WIREWATCH_API_TOKEN` set, a request must carry `Authorization: Bearer <token>`,
compared in constant time. Without a token the API serves loopback clients only, so an
unconfigured worker never exposes it to the network by accident.
"""

from __future__ import annotations

import hmac
import ipaddress
from typing import Any

from aiohttp import web

from .settings import Settings


def _is_loopback(peer: str | None) -> bool:
    if not peer:
        return False
    try:
        return ipaddress.ip_address(peer.split("%", 1)[0]).is_loopback
    except ValueError:
        return False  # a unix socket peer or something unknown: not trusted without a token


def check_bearer(request: Any, settings: Settings) -> None:
    """Raise 401 (wrong or missing token) or 403 (no token configured, non-loopback client);
    return None when the request may proceed."""
    expected = settings.api_token
    if not expected:
        if _is_loopback(request.remote):
            return
        raise web.HTTPForbidden(
            text="the HTTP API serves loopback clients only until WIREWATCH_API_TOKEN is set\n"
        )
    header = request.headers.get("Authorization", "")
    scheme, _, presented = header.partition(" ")
    # compare_digest on bytes of any length: the token's length is not leaked by early exit
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        presented.strip().encode("utf-8"), expected.encode("utf-8")
    ):
        raise web.HTTPUnauthorized(
            text="missing or wrong bearer token\n", headers={"WWW-Authenticate": 'Bearer realm="wirewatch"'}
        )
