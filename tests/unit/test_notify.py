"""The notify core without a network: signatures, rotation, the backoff schedule, the webhook
URL check, subscriber files and the registry, and the bounded backlog."""

from __future__ import annotations

import hashlib
import hmac
import random

import orjson
import pytest

from wirewatch.agents.notify import (
    Backlog,
    BackoffPolicy,
    PendingAlert,
    SignatureError,
    Subscriber,
    SubscriberError,
    SubscriberRegistry,
    UnsafeWebhookURL,
    check_webhook_url,
    dead_letter,
    load_subscribers,
    parse_retry_after,
    parse_signature,
    sign,
    verify_signature,
)

SECRET = "a-receiver-secret-0123456789"
OTHER = "another-secret-9876543210"
BODY = b'{"id":"x1","watchlist":"w","kind":"new"}'


# --- signing ---------------------------------------------------------------------------------


def test_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    header = sign(SECRET, BODY, timestamp=1_700_000_000)
    expected = hmac.new(SECRET.encode(), b"1700000000." + BODY, hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"
    assert verify_signature(SECRET, header, BODY, now=1_700_000_010) == 1_700_000_000


def test_tampered_body_wrong_secret_and_malformed_headers_are_refused() -> None:
    header = sign(SECRET, BODY, timestamp=1_000)
    with pytest.raises(SignatureError, match="no signature matches"):
        verify_signature(SECRET, header, BODY + b" ", now=1_000)
    with pytest.raises(SignatureError, match="no signature matches"):
        verify_signature(OTHER, header, BODY, now=1_000)
    with pytest.raises(SignatureError, match="no t="):
        verify_signature(SECRET, header.split(",", 1)[1], BODY, now=1_000)
    with pytest.raises(SignatureError, match="no v1="):
        verify_signature(SECRET, "t=1000", BODY, now=1_000)
    with pytest.raises(SignatureError, match="not a whole number"):
        parse_signature("t=soon,v1=ab")


def test_stale_and_future_timestamps_are_refused_beyond_the_tolerance() -> None:
    header = sign(SECRET, BODY, timestamp=10_000)
    assert verify_signature(SECRET, header, BODY, tolerance=300, now=10_300) == 10_000
    with pytest.raises(SignatureError, match="tolerance"):
        verify_signature(SECRET, header, BODY, tolerance=300, now=10_301)
    with pytest.raises(SignatureError, match="tolerance"):
        verify_signature(SECRET, header, BODY, tolerance=300, now=9_600)


def test_rotation_signs_with_both_secrets_during_the_grace_period_only() -> None:
    subscriber = Subscriber(id="ops", url="https://hooks.example.org/x", secret=SECRET)
    rotated = subscriber.rotated(OTHER, grace_seconds=600, now=5_000)
    assert rotated.secret == OTHER and rotated.previous_secret == SECRET
    during = sign(rotated.signing_secrets(now=5_100), BODY, timestamp=5_100)
    assert during.count("v1=") == 2
    # a receiver still on the old secret, one already on the new one, and one holding both
    for keys in (SECRET, OTHER, [SECRET, OTHER]):
        assert verify_signature(keys, during, BODY, now=5_100) == 5_100
    after = sign(rotated.signing_secrets(now=5_601), BODY, timestamp=5_601)
    assert after.count("v1=") == 1
    assert verify_signature(OTHER, after, BODY, now=5_601) == 5_601
    with pytest.raises(SignatureError):
        verify_signature(SECRET, after, BODY, now=5_601)


def test_rotation_refuses_a_short_secret() -> None:
    subscriber = Subscriber(id="ops", url="https://hooks.example.org/x", secret=SECRET)
    with pytest.raises(SubscriberError, match="16"):
        subscriber.rotated("short")


# --- backoff ---------------------------------------------------------------------------------


def test_backoff_ceilings_double_up_to_the_cap() -> None:
    policy = BackoffPolicy(base_seconds=0.5, factor=2, cap_seconds=10)
    assert policy.schedule(7) == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    assert policy.ceiling(10_000) == 10.0  # no overflow however long a subscriber is down


def test_backoff_jitter_stays_within_the_ceiling_and_varies() -> None:
    policy = BackoffPolicy(base_seconds=1, factor=2, cap_seconds=60)
    rng = random.Random(7)
    delays = [policy.delay(4, rng) for _ in range(200)]
    assert all(0 <= d <= 8.0 for d in delays)
    assert len({round(d, 6) for d in delays}) > 150  # full jitter: spread, not one value
    assert BackoffPolicy(base_seconds=1, jitter=0).delay(3, rng) == 4.0


def test_retry_after_is_honoured_up_to_the_cap() -> None:
    policy = BackoffPolicy(base_seconds=0.1, cap_seconds=30, jitter=0)
    assert policy.delay(1, retry_after=5) == 5
    assert policy.delay(1, retry_after=500) == 30
    assert parse_retry_after("12") == 12.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") is None
    assert parse_retry_after("-3") is None


def test_backoff_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        BackoffPolicy(base_seconds=0)
    with pytest.raises(ValueError):
        BackoffPolicy(factor=0.5)
    with pytest.raises(ValueError):
        BackoffPolicy().ceiling(0)


# --- webhook URLs ----------------------------------------------------------------------------


def resolver_of(*addresses: str):
    return lambda host, port: list(addresses)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("172.16.5.5", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("::ffff:10.0.0.1", "private"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("100.64.0.1", "not globally routable"),
    ],
)
def test_non_public_addresses_are_refused(address: str, reason: str) -> None:
    with pytest.raises(UnsafeWebhookURL, match=reason):
        check_webhook_url("https://hooks.example.org/in", resolve=resolver_of(address))


def test_one_private_address_among_public_ones_is_enough_to_refuse() -> None:
    with pytest.raises(UnsafeWebhookURL, match=r"10\.0\.0\.7"):
        check_webhook_url("https://hooks.example.org/in", resolve=resolver_of("93.184.216.34", "10.0.0.7"))


def test_public_addresses_pass_and_the_setting_allows_private_ones() -> None:
    check_webhook_url("https://hooks.example.org/in", resolve=resolver_of("93.184.216.34", "2606:4700::1111"))
    check_webhook_url("http://127.0.0.1:8080/in", allow_private=True, resolve=resolver_of("127.0.0.1"))


def test_literal_loopback_url_is_refused_without_a_resolver_trick() -> None:
    with pytest.raises(UnsafeWebhookURL, match="loopback"):
        check_webhook_url("http://127.0.0.1:9/in")


@pytest.mark.parametrize(
    "url", ["ftp://hooks.example.org/x", "hooks.example.org/x", "https://user:pw@hooks.example.org/x"]
)
def test_malformed_urls_are_refused(url: str) -> None:
    with pytest.raises(UnsafeWebhookURL):
        check_webhook_url(url, allow_private=True)


# --- subscribers -----------------------------------------------------------------------------

SUBSCRIBERS_YAML = """
subscribers:
  - id: newsroom
    url: https://hooks.example.org/newsroom
    secret: newsroom-secret-0123456789
    watchlists: [grain-talks]
    kinds: [new]
  - id: archive
    url: https://archive.example.org/in
"""


def test_subscribers_file_loads_and_fills_a_random_secret() -> None:
    newsroom, archive = load_subscribers(SUBSCRIBERS_YAML, "subs.yaml")
    assert newsroom.watchlists == ("grain-talks",) and newsroom.kinds == ("new",)
    assert len(archive.secret) == 64 and archive.secret != newsroom.secret


def test_which_alerts_a_subscriber_wants() -> None:
    newsroom, archive = load_subscribers(SUBSCRIBERS_YAML)
    assert newsroom.wants({"watchlist": "grain-talks", "kind": "new"})
    assert not newsroom.wants({"watchlist": "grain-talks", "kind": "update"})
    assert not newsroom.wants({"watchlist": "ports", "kind": "new"})
    assert archive.wants({"watchlist": "ports", "kind": "update"})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("subscribers: [{id: 'bad id', url: 'https://h.example.org'}]", "id 'bad id'"),
        ("subscribers: [{id: a, url: 'gopher://h'}]", "http"),
        ("subscribers: [{id: a, url: 'https://h.example.org', kinds: [all]}]", "kinds"),
        ("subscribers: [{id: a, url: 'https://h.example.org', secret: short}]", "16"),
        ("subscribers: [{id: a, url: 'https://h.example.org', colour: red}]", "unknown field"),
        (
            "subscribers: [{id: a, url: 'https://h.example.org'}, {id: a, url: 'https://h.example.org'}]",
            "twice",
        ),
        ("subscribers: {id: a}", "'subscribers:' list"),
        ("subscribers: [", "not valid YAML"),
    ],
)
def test_bad_subscriber_files_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(SubscriberError, match=message):
        load_subscribers(text, "subs.yaml")


def test_registry_follows_topic_records_and_deletes_on_empty_value() -> None:
    registry = SubscriberRegistry()
    newsroom, archive = load_subscribers(SUBSCRIBERS_YAML)
    registry.apply_record(b"newsroom", orjson.dumps(newsroom.to_dict()))
    registry.apply_record(b"archive", orjson.dumps(archive.to_dict()))
    assert {s.id for s in registry.wanting({"watchlist": "grain-talks", "kind": "new"})} == {
        "newsroom",
        "archive",
    }
    assert registry.apply_record(b"newsroom", None) is None
    assert [s.id for s in registry] == ["archive"]
    with pytest.raises(SubscriberError, match="differs"):
        registry.apply_record(b"other", orjson.dumps(archive.to_dict()))


def test_round_trip_keeps_the_rotation_and_listing_hides_secrets() -> None:
    newsroom = load_subscribers(SUBSCRIBERS_YAML)[0].rotated(OTHER, grace_seconds=60, now=1_000)
    again = Subscriber.from_dict(orjson.loads(orjson.dumps(newsroom.to_dict())))
    assert again == newsroom
    shown = newsroom.public_dict(now=1_010)
    assert "secret" not in shown and "previous_secret" not in shown
    assert shown["rotating_until"] == 1_060
    assert SECRET not in orjson.dumps(shown).decode() and OTHER not in orjson.dumps(shown).decode()


# --- backlog ---------------------------------------------------------------------------------


def pending(n: int) -> PendingAlert:
    return PendingAlert(alert_id=f"a{n}", body=orjson.dumps({"id": f"a{n}"}))


def test_backlog_keeps_order_and_refuses_past_its_bound() -> None:
    backlog = Backlog(capacity=3)
    assert [backlog.offer(pending(n)) for n in range(5)] == [True, True, True, False, False]
    assert backlog.overflowed == 2
    assert backlog.head().alert_id == "a0"  # the head stays queued (and counted) until delivered
    assert backlog.done().alert_id == "a0"
    assert backlog.offer(pending(5))
    assert [p.alert_id for p in backlog.drain()] == ["a1", "a2", "a5"]
    assert len(backlog) == 0


def test_dead_letter_record_carries_the_alert_and_why() -> None:
    item = pending(1)
    item.attempts = 4
    item.last_failure = "HTTP 503"
    record = orjson.loads(dead_letter("newsroom", item, "backlog-full"))
    assert record["subscriber"] == "newsroom" and record["reason"] == "backlog-full"
    assert record["alert"] == {"id": "a1"} and record["attempts"] == 4 and record["error"] == "HTTP 503"
