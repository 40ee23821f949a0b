"""The notify stage's pure core: webhook signing, subscribers, retry backoff, per-subscriber
backlog bookkeeping and the webhook URL safety check. Never imports faust; the delivery
service that uses it is streams/notify.py."""

from .backlog import Backlog, PendingAlert, dead_letter
from .backoff import BackoffPolicy, parse_retry_after
from .signing import (
    ALERT_ID_HEADER,
    DEFAULT_TOLERANCE_SECONDS,
    SIGNATURE_HEADER,
    SignatureError,
    parse_signature,
    sign,
    verify_signature,
)
from .subscribers import (
    DEFAULT_ROTATION_GRACE_SECONDS,
    Subscriber,
    SubscriberError,
    SubscriberRegistry,
    load_subscribers,
    new_secret,
)
from .urls import (
    UnsafeWebhookURL,
    check_webhook_url,
    forbidden_reason,
    parse_webhook_url,
    refuse_unsafe_addresses,
)

__all__ = [
    "ALERT_ID_HEADER",
    "DEFAULT_ROTATION_GRACE_SECONDS",
    "DEFAULT_TOLERANCE_SECONDS",
    "SIGNATURE_HEADER",
    "Backlog",
    "BackoffPolicy",
    "PendingAlert",
    "SignatureError",
    "Subscriber",
    "SubscriberError",
    "SubscriberRegistry",
    "UnsafeWebhookURL",
    "check_webhook_url",
    "dead_letter",
    "forbidden_reason",
    "load_subscribers",
    "new_secret",
    "parse_retry_after",
    "parse_signature",
    "parse_webhook_url",
    "refuse_unsafe_addresses",
    "sign",
    "verify_signature",
]
