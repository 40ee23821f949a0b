"""Webhook subscribers: the record kept on the compacted subscribers topic, the YAML file
they are registered from, which alerts each one wants, and secret rotation.

A subscriber is `{id, url, secret, watchlists, kinds}`; empty `watchlists` or `kinds` mean
all. While a secret is being rotated the record also holds the previous secret and until
when it stays valid; deliveries are signed with both during that grace period.
"""

from __future__ import annotations

import re
import secrets as random_secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from .urls import parse_webhook_url

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
KINDS = frozenset({"new", "update"})
MIN_SECRET_LENGTH = 16
DEFAULT_ROTATION_GRACE_SECONDS = 24 * 3600


class SubscriberError(ValueError):
    """A subscriber definition that cannot be used, with where and why."""


def new_secret() -> str:
    """A fresh random secret: 256 bits, hex."""
    return random_secrets.token_hex(32)


@dataclass(frozen=True, slots=True)
class Subscriber:
    id: str
    url: str
    secret: str
    watchlists: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    previous_secret: str = ""
    previous_secret_until: float = 0.0  # unix time; the previous secret signs until then
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def wants(self, alert: dict[str, Any]) -> bool:
        """Whether this alert (the alert JSON as a dict) goes to this subscriber."""
        if self.watchlists and alert.get("watchlist") not in self.watchlists:
            return False
        return not (self.kinds and alert.get("kind") not in self.kinds)

    def signing_secrets(self, now: float | None = None) -> list[str]:
        """The secrets a delivery is signed with: the current one, plus the previous one
        while its grace period lasts."""
        current = time.time() if now is None else now
        keys = [self.secret]
        if self.previous_secret and current < self.previous_secret_until:
            keys.append(self.previous_secret)
        return keys

    def rotated(
        self,
        secret: str | None = None,
        grace_seconds: float = DEFAULT_ROTATION_GRACE_SECONDS,
        now: float | None = None,
    ) -> Subscriber:
        """This subscriber with a new secret; the old one keeps signing for `grace_seconds`."""
        fresh = secret or new_secret()
        _check_secret(fresh, self.id)
        current = time.time() if now is None else now
        return replace(
            self, secret=fresh, previous_secret=self.secret, previous_secret_until=current + grace_seconds
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "url": self.url,
            "secret": self.secret,
            "watchlists": list(self.watchlists),
            "kinds": list(self.kinds),
        }
        if self.previous_secret:
            data["previous_secret"] = self.previous_secret
            data["previous_secret_until"] = self.previous_secret_until
        return data

    def public_dict(self, now: float | None = None) -> dict[str, Any]:
        """What `subscriber ls` shows: no secrets, only whether a rotation is under way."""
        data = self.to_dict()
        data.pop("secret")
        data.pop("previous_secret", None)
        until = data.pop("previous_secret_until", None)
        current = time.time() if now is None else now
        data["rotating_until"] = until if until and until > current else None
        return data

    @classmethod
    def from_dict(cls, data: Any, where: str = "subscriber") -> Subscriber:
        if not isinstance(data, dict):
            raise SubscriberError(f"{where}: a subscriber is a mapping with id and url")
        unknown = set(data) - {
            "id",
            "url",
            "secret",
            "watchlists",
            "kinds",
            "previous_secret",
            "previous_secret_until",
        }
        if unknown:
            raise SubscriberError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        ident = str(data.get("id") or "")
        if not ID_PATTERN.match(ident):
            raise SubscriberError(
                f"{where}: id {ident!r} must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit"
            )
        url = str(data.get("url") or "")
        try:
            parse_webhook_url(url)
        except ValueError as exc:
            raise SubscriberError(f"{where} ({ident}): {exc}") from None
        secret = str(data.get("secret") or "") or new_secret()
        _check_secret(secret, ident)
        watchlists = _string_list(data.get("watchlists"), f"{where} ({ident}) watchlists")
        kinds = _string_list(data.get("kinds"), f"{where} ({ident}) kinds")
        wrong = set(kinds) - KINDS
        if wrong:
            raise SubscriberError(f"{where} ({ident}): kinds are 'new' and 'update', not {sorted(wrong)}")
        return cls(
            id=ident,
            url=url,
            secret=secret,
            watchlists=tuple(watchlists),
            kinds=tuple(kinds),
            previous_secret=str(data.get("previous_secret") or ""),
            previous_secret_until=float(data.get("previous_secret_until") or 0.0),
        )


def _check_secret(secret: str, ident: str) -> None:
    if len(secret) < MIN_SECRET_LENGTH:
        raise SubscriberError(
            f"subscriber {ident}: a secret needs at least {MIN_SECRET_LENGTH} characters (omit it to get a random one)"
        )


def _string_list(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise SubscriberError(f"{where}: expected a list of names")
    return list(value)


def load_subscribers(text: str, source: str = "<subscribers>") -> list[Subscriber]:
    """Subscribers from YAML (`subscribers: [{id, url, secret?, watchlists?, kinds?}]`),
    read with the safe loader. Ids must be unique."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SubscriberError(f"{source}: not valid YAML: {exc}") from None
    items = document.get("subscribers") if isinstance(document, dict) else None
    if not isinstance(items, list):
        raise SubscriberError(f"{source}: expected a top-level 'subscribers:' list")
    found: list[Subscriber] = []
    seen: set[str] = set()
    for index, item in enumerate(items, start=1):
        subscriber = Subscriber.from_dict(item, f"{source}, subscriber {index}")
        if subscriber.id in seen:
            raise SubscriberError(f"{source}, subscriber {index}: id {subscriber.id!r} appears twice")
        seen.add(subscriber.id)
        found.append(subscriber)
    return found


class SubscriberRegistry:
    """The current subscribers, built from the compacted topic's records (an empty value
    deletes, as on the watchlists topic)."""

    def __init__(self, subscribers: list[Subscriber] | None = None) -> None:
        self._by_id: dict[str, Subscriber] = {s.id: s for s in subscribers or []}

    def apply_record(self, key: bytes | str | None, value: bytes | None) -> Subscriber | None:
        """Apply one topic record; return the subscriber now registered under the key, or None
        when the record deleted it."""
        import orjson

        ident = key.decode("utf-8") if isinstance(key, bytes) else key
        if not ident:
            raise SubscriberError("a subscribers record needs the subscriber id as key")
        if not value:
            self._by_id.pop(ident, None)
            return None
        subscriber = Subscriber.from_dict(orjson.loads(value), f"subscribers record {ident}")
        if subscriber.id != ident:
            raise SubscriberError(f"subscribers record key {ident!r} differs from its id {subscriber.id!r}")
        self._by_id[ident] = subscriber
        return subscriber

    def get(self, ident: str) -> Subscriber | None:
        return self._by_id.get(ident)

    def __iter__(self) -> Iterator[Subscriber]:
        return iter(list(self._by_id.values()))

    def __len__(self) -> int:
        return len(self._by_id)

    def wanting(self, alert: dict[str, Any]) -> list[Subscriber]:
        return [s for s in self._by_id.values() if s.wants(alert)]
