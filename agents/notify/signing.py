"""Webhook signatures: `X-Wirewatch-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "t.body">`.

The timestamp is part of what is signed, so a captured request cannot be replayed later than
the receiver's tolerance. During a secret rotation the sender signs with the new secret and
with the previous one (one `v1=` each), so a receiver still configured with the old secret
keeps verifying until it switches; `verify_signature` accepts any of the secrets it is given.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Iterable

SIGNATURE_HEADER = "X-Wirewatch-Signature"
ALERT_ID_HEADER = "X-Wirewatch-Alert-Id"
DEFAULT_TOLERANCE_SECONDS = 300


class SignatureError(ValueError):
    """Why a signature did not verify: malformed header, stale timestamp, or no match."""


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def sign(secrets: str | Iterable[str], body: bytes, timestamp: int | None = None) -> str:
    """The signature header value for `body`, one `v1=` per secret (current secret first)."""
    keys = [secrets] if isinstance(secrets, str) else list(secrets)
    if not keys:
        raise ValueError("signing needs at least one secret")
    when = int(time.time()) if timestamp is None else int(timestamp)
    return ",".join([f"t={when}", *(f"v1={_digest(key, when, body)}" for key in keys)])


def parse_signature(header: str) -> tuple[int, list[str]]:
    """(timestamp, [v1 signatures]) of a header; unknown schemes are ignored (forward
    compatible), a missing timestamp or missing v1 is an error."""
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        name, sep, value = part.strip().partition("=")
        if not sep:
            continue
        if name == "t":
            try:
                timestamp = int(value)
            except ValueError:
                raise SignatureError(f"the timestamp {value!r} is not a whole number") from None
        elif name == "v1":
            signatures.append(value.strip().lower())
    if timestamp is None:
        raise SignatureError("the signature header has no t=<unix time>")
    if not signatures:
        raise SignatureError("the signature header has no v1=<signature>")
    return timestamp, signatures


def verify_signature(
    secrets: str | Iterable[str],
    header: str,
    body: bytes,
    tolerance: float = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> int:
    """Check a webhook request; return its timestamp, or raise SignatureError.

    `secrets`: the subscriber's secret, or several while rotating (any one may match).
    `tolerance`: how far (seconds) the timestamp may be from now, either way.
    """
    keys = [secrets] if isinstance(secrets, str) else [key for key in secrets if key]
    if not keys:
        raise SignatureError("no secret to verify with")
    timestamp, signatures = parse_signature(header)
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise SignatureError(
            f"the timestamp is {current - timestamp:+.0f}s away from now, over the {tolerance:.0f}s tolerance"
        )
    for key in keys:
        expected = _digest(key, timestamp, body)
        # every comparison in constant time; no early exit on a partial match
        if any(hmac.compare_digest(expected, candidate) for candidate in signatures):
            return timestamp
    raise SignatureError("no signature matches any of the secrets")
