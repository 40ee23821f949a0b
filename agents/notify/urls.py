"""Which webhook URLs wirewatch will POST to.

A webhook is a request the worker makes on a user's behalf, so an address inside the
network it runs in (loopback, private ranges, link-local such as cloud metadata at
169.254.169.254, multicast, reserved) is refused unless the operator allows it
(`WIREWATCH_ALLOW_PRIVATE_WEBHOOKS`). The check applies to every address a host name
resolves to, and the delivery service repeats it at connection time so a name that later
resolves elsewhere (DNS rebinding) is refused too.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeWebhookURL(ValueError):
    """A webhook URL whose host is (or resolves to) an address wirewatch refuses."""


def parse_webhook_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an http(s) URL; ValueError says what is wrong."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise ValueError(f"webhook URL {url!r} must start with http:// or https://")
    if not parts.hostname:
        raise ValueError(f"webhook URL {url!r} has no host")
    if parts.username or parts.password:
        raise ValueError("webhook URL must not carry credentials; use the signing secret")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise ValueError(f"webhook URL {url!r} has an invalid port") from None
    return parts.scheme, parts.hostname, port


def forbidden_reason(address: IPAddress) -> str | None:
    """Why an address is not a public internet address, or None when it is."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:10.0.0.1 is 10.0.0.1
    checks = [
        ("loopback", address.is_loopback),
        ("unspecified", address.is_unspecified),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
        ("not globally routable", not address.is_global),
    ]
    for reason, hit in checks:
        if hit:
            return reason
    return None


def refuse_unsafe_addresses(host: str, addresses: Iterable[str], allow_private: bool = False) -> None:
    """Raise UnsafeWebhookURL if any address `host` resolved to is not public."""
    if allow_private:
        return
    resolved = list(addresses)
    if not resolved:
        raise UnsafeWebhookURL(f"webhook host {host!r} resolves to no address")
    for text in resolved:
        address = ipaddress.ip_address(text.split("%", 1)[0])
        reason = forbidden_reason(address)
        if reason:
            raise UnsafeWebhookURL(
                f"webhook host {host!r} resolves to {address} ({reason}); refused unless "
                "WIREWATCH_ALLOW_PRIVATE_WEBHOOKS is set"
            )


Resolver = Callable[[str, int], list[str]]


def resolve_host(host: str, port: int) -> list[str]:
    """Every address a host name resolves to (an IP literal resolves to itself)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def check_webhook_url(url: str, allow_private: bool = False, resolve: Resolver = resolve_host) -> None:
    """Refuse a URL that is malformed or whose host resolves to a non-public address."""
    try:
        _scheme, host, port = parse_webhook_url(url)
    except ValueError as exc:
        raise UnsafeWebhookURL(str(exc)) from None
    if allow_private:
        return
    try:
        addresses = resolve(host, port)
    except OSError as exc:
        raise UnsafeWebhookURL(f"webhook host {host!r} does not resolve: {exc}") from None
    refuse_unsafe_addresses(host, addresses, allow_private)
