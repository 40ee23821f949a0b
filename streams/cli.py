"""The `wirewatch` command: up, worker, ingest, tail, replay, watchlist."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from .settings import Settings
from .settings import settings as env_settings

if TYPE_CHECKING:  # the stages are imported by the commands that use them, for a quick start
    from wirewatch.agents.alert import Watchlist

    from .records import RawRecord


def _settings(args: argparse.Namespace) -> Settings:
    config = env_settings()
    if getattr(args, "broker", None):
        config = dataclasses.replace(config, broker=args.broker)
    return config


def _fail(message: str, code: int = 2) -> int:
    print(f"wirewatch: {message}", file=sys.stderr)
    return code


# --- up / worker -----------------------------------------------------------------------------


def cmd_worker(args: argparse.Namespace) -> int:
    """Run one worker (every stage) against a broker; how it is deployed."""
    from .app import create_app
    from .kafka import ensure_topics, resolve_broker

    config = _settings(args)
    config = dataclasses.replace(config, broker=resolve_broker(config, args.broker))
    asyncio.run(ensure_topics(config, config.broker))
    app = create_app(config)
    from faust.worker import Worker

    worker = Worker(app, loglevel=config.log_level.upper(), quiet=True)
    worker.execute_from_commandline()
    return 0


def cmd_ner(args: argparse.Namespace) -> int:
    """Run one worker of the optional NER stage (WIREWATCH_NER=1); add more to scale it."""
    from .app import create_ner_app
    from .kafka import ensure_topics, resolve_broker

    config = _settings(args)
    if not config.ner_enabled:
        return _fail("the NER stage is off: set WIREWATCH_NER=1 for the workers and for this command")
    try:
        import spacy  # noqa: F401
    except ImportError:
        return _fail("the NER stage needs the `ner` extra: pip install 'wirewatch[ner]'")
    config = dataclasses.replace(config, broker=resolve_broker(config, args.broker))
    asyncio.run(ensure_topics(config, config.broker))
    from faust.worker import Worker

    worker = Worker(create_ner_app(config), loglevel=config.log_level.upper(), quiet=True)
    worker.execute_from_commandline()
    return 0


class _Stop(Exception):
    """Raised by the SIGINT/SIGTERM handler of `up` and `demo`."""


@contextlib.contextmanager
def running_system(
    config: Settings, watchlists_file: str | None, worker_log: Path | None = None
) -> Iterator[tuple[Settings, subprocess.Popen[bytes]]]:
    """The embedded broker (unless one is named) and a worker process, stopped in order on
    exit; SIGINT and SIGTERM end the `with` block. The watchlists file is read first, so a
    fault in it stops the command before anything starts."""
    from wirewatch.agents.alert import read_watchlists_file

    from .broker import EmbeddedBroker
    from .kafka import ensure_topics, forget_broker, remember_broker

    def stop(signum: int, frame: object) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise _Stop

    watchlists = read_watchlists_file(watchlists_file) if watchlists_file else None
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    broker: EmbeddedBroker | None = None
    worker: subprocess.Popen[bytes] | None = None
    ner_worker: subprocess.Popen[bytes] | None = None
    log_file = None
    try:
        if config.broker:
            url = config.broker
        else:
            print("wirewatch: starting the embedded broker…", file=sys.stderr)
            broker = EmbeddedBroker().start()
            url = broker.bootstrap
            remember_broker(config, url)
            print(f"wirewatch: embedded broker at {url} (pid {broker.pid})", file=sys.stderr)
        config = dataclasses.replace(config, broker=url)
        asyncio.run(ensure_topics(config, url))
        if watchlists is not None:
            asyncio.run(_publish_watchlists(config, watchlists))
            print(
                f"wirewatch: published {len(watchlists)} watchlists from {watchlists_file}", file=sys.stderr
            )
        env = {**os.environ, "WIREWATCH_BROKER": url}
        log_file = None
        if worker_log is not None:
            worker_log.parent.mkdir(parents=True, exist_ok=True)
            log_file = worker_log.open("ab")
        worker = subprocess.Popen(
            [sys.executable, "-m", "wirewatch.streams.cli", "worker"],
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT if log_file else None,
            start_new_session=True,  # stopped by us, in order, after the signal
        )
        where = f", log in {worker_log}" if worker_log else ""
        print(
            f"wirewatch: worker started (pid {worker.pid}{where}); Ctrl-C stops everything", file=sys.stderr
        )
        if config.ner_enabled:  # one worker of the optional NER stage; `wirewatch ner` adds more
            ner_worker = subprocess.Popen(
                [sys.executable, "-m", "wirewatch.streams.cli", "ner"],
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT if log_file else None,
                start_new_session=True,
            )
            print(f"wirewatch: NER worker started (pid {ner_worker.pid})", file=sys.stderr)
        yield config, worker
    except _Stop:
        print("wirewatch: stopping…", file=sys.stderr)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for process in (ner_worker, worker):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=40)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        if broker is not None:
            broker.stop()
            forget_broker(config)
        if log_file is not None:
            log_file.close()
        print("wirewatch: stopped", file=sys.stderr)


def cmd_up(args: argparse.Namespace) -> int:
    """Embedded broker (unless one is named) + one worker; Ctrl-C or SIGTERM stops both."""
    from wirewatch.agents.alert import WatchlistError

    from .broker import BrokerError

    code = 0
    try:
        with running_system(_settings(args), args.watchlists) as (_config, worker):
            while worker.poll() is None:
                time.sleep(0.2)
            print(f"wirewatch: worker exited with {worker.returncode}", file=sys.stderr)
            code = worker.returncode or 1
    except (BrokerError, WatchlistError, FileNotFoundError) as exc:
        return _fail(str(exc))
    return code


def cmd_demo(args: argparse.Namespace) -> int:
    """`make run`: the system, the example watchlists, the sample articles (and the seeds when
    a folder of them is given), and the alerts as they arrive."""
    from importlib import resources

    from .broker import BrokerError

    samples = resources.files("wirewatch.streams").joinpath("samples")
    watchlists = str(samples.joinpath("watchlists.yaml"))
    paths = [str(samples.joinpath("articles"))]
    if args.seeds and Path(args.seeds).is_dir():
        paths.append(args.seeds)
    started = time.monotonic()
    try:
        demo_settings = _settings(args)
        worker_log = Path(demo_settings.data_dir) / "worker.log"
        with running_system(demo_settings, watchlists, worker_log) as (config, _worker):
            env = {**os.environ, "WIREWATCH_BROKER": config.broker}
            subprocess.run(
                [sys.executable, "-m", "wirewatch.streams.cli", "ingest", *paths], env=env, check=False
            )
            print("wirewatch: alerts as they arrive (Ctrl-C to stop):", file=sys.stderr)
            tail = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "wirewatch.streams.cli",
                    "tail",
                    "--from-beginning",
                    *(["--count", str(args.count)] if args.count else []),
                ],
                env=env,
                stdout=subprocess.PIPE,
                start_new_session=True,
            )
            try:
                assert tail.stdout is not None
                first = True
                for line in tail.stdout:
                    if first:
                        print(
                            f"wirewatch: first alert {time.monotonic() - started:.1f}s after start",
                            file=sys.stderr,
                        )
                        first = False
                    sys.stdout.write(line.decode())
                    sys.stdout.flush()
            finally:
                if tail.poll() is None:
                    tail.terminate()
                tail.wait()
    except BrokerError as exc:
        return _fail(str(exc))
    return 0


async def _publish_watchlists(config: Settings, watchlists: list[Watchlist]) -> None:
    await _produce(
        config, config.watchlists_topic, [(w.id.encode(), orjson.dumps(w.to_dict()), []) for w in watchlists]
    )


async def _produce(
    config: Settings, topic: str, records: list[tuple[bytes | None, bytes | None, list]]
) -> None:
    from aiokafka import AIOKafkaProducer

    from .kafka import bootstrap_of

    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap_of(config.broker),
        acks="all",
        max_request_size=config.max_article_bytes + 65536,
    )
    await producer.start()
    try:
        futures = [
            await producer.send(topic, key=key, value=value, headers=headers)
            for key, value, headers in records
        ]
        for future in futures:
            await future
    finally:
        await producer.stop()


# --- ingest ----------------------------------------------------------------------------------


def cmd_ingest(args: argparse.Namespace) -> int:
    from .kafka import ensure_topics, resolve_broker
    from .replay import input_files

    config = _settings(args)
    try:
        files = input_files(args.paths)
    except FileNotFoundError as exc:
        return _fail(str(exc))
    records, refused = [], 0
    for path in files:
        size = path.stat().st_size
        if size > config.max_article_bytes:
            print(
                f"wirewatch: refused {path}: {size:,} bytes is over the {config.max_article_bytes:,}-byte "
                "cap (set WIREWATCH_MAX_ARTICLE_BYTES to change it)",
                file=sys.stderr,
            )
            refused += 1
            continue
        records.append((path.name.encode(), path.read_bytes(), [("filename", path.name.encode())]))
    config = dataclasses.replace(config, broker=resolve_broker(config, args.broker))
    asyncio.run(ensure_topics(config, config.broker))
    asyncio.run(_produce(config, config.raw_topic, records))
    print(
        f"wirewatch: ingested {len(records)} file(s) to {config.raw_topic}"
        + (f", refused {refused}" if refused else ""),
        file=sys.stderr,
    )
    return 1 if refused else 0


# --- tail ------------------------------------------------------------------------------------


def cmd_tail(args: argparse.Namespace) -> int:
    from .kafka import resolve_broker

    config = _settings(args)
    config = dataclasses.replace(config, broker=resolve_broker(config, args.broker))
    try:
        count = asyncio.run(_tail(config, args))
    except KeyboardInterrupt:
        return 0
    if args.count and count < args.count:
        print(f"wirewatch: timed out after {count} of {args.count} alerts", file=sys.stderr)
        return 1
    return 0


async def _tail(config: Settings, args: argparse.Namespace) -> int:
    from aiokafka import AIOKafkaConsumer, TopicPartition

    from .kafka import bootstrap_of, ensure_topics

    await ensure_topics(config, config.broker)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_of(config.broker), group_id=None, enable_auto_commit=False
    )
    await consumer.start()
    printed = 0
    try:
        partitions = consumer.partitions_for_topic(config.alerts_topic) or {0}
        tps = [TopicPartition(config.alerts_topic, p) for p in sorted(partitions)]
        consumer.assign(tps)
        if args.from_beginning:
            await consumer.seek_to_beginning(*tps)
        else:
            await consumer.seek_to_end(*tps)
        deadline = time.monotonic() + args.timeout if args.timeout else None
        while True:
            remaining = deadline - time.monotonic() if deadline else 1.0
            if remaining <= 0:
                break
            batches = await consumer.getmany(timeout_ms=int(min(remaining, 1.0) * 1000))
            for messages in batches.values():
                for message in messages:
                    alert = orjson.loads(message.value)
                    if args.watchlist and alert.get("watchlist") not in args.watchlist:
                        continue
                    if args.kind and alert.get("kind") != args.kind:
                        continue
                    sys.stdout.write(orjson.dumps(alert).decode() + "\n")
                    sys.stdout.flush()
                    printed += 1
                    if args.count and printed >= args.count:
                        return printed
    finally:
        await consumer.stop()
    return printed


# --- replay ----------------------------------------------------------------------------------


def cmd_replay(args: argparse.Namespace) -> int:
    from wirewatch.agents.alert import WatchlistError, WatchlistSet, read_watchlists_file

    from .replay import input_files, records_of, replay_records

    config = _settings(args)
    try:
        watchlists = WatchlistSet(read_watchlists_file(args.watchlists))
        files = input_files(args.paths)
    except (WatchlistError, FileNotFoundError) as exc:
        return _fail(str(exc))
    records = (record for path in files for record in records_of(path))
    alerts = dead = articles = 0
    for outcome in replay_records(records, watchlists, config):
        for alert in outcome.alerts:
            sys.stdout.write(orjson.dumps(alert).decode() + "\n")
            alerts += 1
        for letter in outcome.dead_letters:
            print(
                f"wirewatch: dead letter ({letter.stage}, {letter.reason}): {letter.error}", file=sys.stderr
            )
            dead += 1
        articles += len(outcome.articles)
    print(
        f"wirewatch: replayed {len(files)} file(s): {articles} article(s), {alerts} alert(s), {dead} dead letter(s)",
        file=sys.stderr,
    )
    return 0


# --- watchlist -------------------------------------------------------------------------------


def cmd_watchlist(args: argparse.Namespace) -> int:
    from wirewatch.agents.alert import WatchlistError, read_watchlists_file

    from .kafka import ensure_topics, resolve_broker

    config = _settings(args)
    if args.action == "test":
        return _watchlist_test(args)
    config = dataclasses.replace(config, broker=resolve_broker(config, args.broker))
    asyncio.run(ensure_topics(config, config.broker))
    if args.action == "add":
        try:
            watchlists = read_watchlists_file(args.file)
        except (WatchlistError, FileNotFoundError) as exc:
            return _fail(str(exc))
        asyncio.run(
            _produce(
                config,
                config.watchlists_topic,
                [(w.id.encode(), orjson.dumps(w.to_dict()), []) for w in watchlists],
            )
        )
        print(
            f"wirewatch: added {len(watchlists)} watchlist(s): {', '.join(w.id for w in watchlists)}",
            file=sys.stderr,
        )
        return 0
    if args.action == "rm":
        asyncio.run(_produce(config, config.watchlists_topic, [(i.encode(), None, []) for i in args.ids]))
        print(f"wirewatch: removed {', '.join(args.ids)}", file=sys.stderr)
        return 0
    current = asyncio.run(_read_watchlists(config))
    for watchlist in current:
        sys.stdout.write(orjson.dumps(watchlist.to_dict()).decode() + "\n")
    return 0


async def _read_watchlists(config: Settings) -> list:
    from .app import WatchlistFollower
    from .kafka import bootstrap_of

    follower = WatchlistFollower(config, bootstrap_of(config.broker))
    task = asyncio.create_task(follower.run())
    try:
        await asyncio.wait_for(follower.ready.wait(), 30)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
    return sorted(follower.watchlists, key=lambda w: w.id)


MAX_RECENT = 100_000  # records `watchlist test --recent` reads at most (they are held in memory)
TEST_PROGRESS_EVERY = 1_000  # articles between two progress lines of `watchlist test`


def _watchlist_test(args: argparse.Namespace) -> int:
    """Try watchlists against articles offline and show why each matched (or did not)."""
    from wirewatch.agents.alert import WatchlistError, match, read_watchlists_file
    from wirewatch.agents.alert.explain import why_not
    from wirewatch.agents.alert.watchlists import build_document
    from wirewatch.agents.parse import parse_record
    from wirewatch.agents.tag import Tagger

    from .replay import input_files, records_of

    if not args.paths and not args.recent:
        return _fail("watchlist test needs articles: PATH… (files or folders), or --recent N")
    if args.recent is not None and not 1 <= args.recent <= MAX_RECENT:
        return _fail(
            f"--recent takes 1 to {MAX_RECENT:,} records (a test, not a replay: see `wirewatch replay`)"
        )
    try:
        watchlists = read_watchlists_file(args.file)
        files = input_files(args.paths)
    except (WatchlistError, FileNotFoundError) as exc:
        return _fail(str(exc))
    # (where each record came from, the record): files first, then the raw topic's history
    sources: list[tuple[dict[str, str], Iterable[RawRecord]]] = [
        ({"file": str(path)}, records_of(path)) for path in files
    ]
    if args.recent:
        from .kafka import recent_records, resolve_broker

        config = _settings(args)
        config = dataclasses.replace(config, broker=resolve_broker(config, args.broker))
        try:
            history = asyncio.run(recent_records(config.broker, config.raw_topic, args.recent))
        except RuntimeError as exc:  # the raw topic does not exist (nothing was ever ingested)
            return _fail(f"{exc}: start the system with `wirewatch up`, or check WIREWATCH_TOPIC_PREFIX")
        print(f"wirewatch: {len(history)} recent record(s) of {config.raw_topic}", file=sys.stderr)
        sources += [({"record": f"{r.topic}/{r.partition}/{r.offset}"}, [r]) for r in history]
    tagger = Tagger()
    tagger.add_people(sorted({s for w in watchlists for s in w.speakers}))
    articles = matched = unreadable = 0
    for origin, records in sources:
        for record in records:
            try:
                parsed = parse_record(record)
            except Exception as exc:  # shown, and the next article is tried
                print(f"wirewatch: {next(iter(origin.values()))}: cannot parse: {exc}", file=sys.stderr)
                unreadable += 1
                continue
            for article in parsed.articles:
                tagged = tagger(article)
                document = build_document(tagged, [q for q in tagged.quotes if q.speaker])  # once
                articles += 1
                if articles % TEST_PROGRESS_EVERY == 0:
                    print(f"wirewatch: {articles:,} articles tried…", file=sys.stderr)
                for watchlist in watchlists:
                    found = match(watchlist, tagged, document)
                    matched += found is not None
                    result = {
                        "watchlist": watchlist.id,
                        "article": article.title,
                        **origin,
                        "matched": found is not None,
                        "why": found.matched if found else [],
                        "quotes": [{"speaker": q.speaker, "text": q.text} for q in found.quotes]
                        if found
                        else [],
                        "speakers_quoted": sorted({q.speaker for q in tagged.quotes if q.speaker}),
                        "why_not": [] if found else why_not(watchlist, tagged),
                    }
                    sys.stdout.write(orjson.dumps(result).decode() + "\n")
    print(
        f"wirewatch: {len(watchlists)} watchlist(s) tried on {articles} article(s): {matched} match(es)"
        + (f", {unreadable} record(s) that do not parse" if unreadable else ""),
        file=sys.stderr,
    )
    return 0


# --- subscriber ------------------------------------------------------------------------------


def cmd_subscriber(args: argparse.Namespace) -> int:
    """Webhook subscribers: add FILE | add --url …, rm ID…, ls, rotate-secret ID."""
    from wirewatch.agents.notify import SubscriberError, UnsafeWebhookURL

    from .kafka import ensure_topics, resolve_broker
    from .notify import subscriber_command

    if args.action == "add" and args.file and not Path(args.file).is_file():  # before any broker
        return _fail(f"subscribers file {args.file}: no such file")
    config = _settings(args)
    config = dataclasses.replace(config, broker=resolve_broker(config, args.broker))
    asyncio.run(ensure_topics(config, config.broker))
    try:
        return asyncio.run(subscriber_command(config, args))
    except (SubscriberError, UnsafeWebhookURL, FileNotFoundError) as exc:
        return _fail(str(exc))


# --- parser ----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wirewatch", description="Streaming news-feed processor")
    parser.add_argument(
        "--broker", help="Kafka bootstrap HOST:PORT (default: WIREWATCH_BROKER, or the embedded broker)"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    up = commands.add_parser("up", help="start the embedded broker and a worker")
    up.add_argument("--watchlists", metavar="FILE", help="YAML watchlists to publish at start")
    up.set_defaults(handler=cmd_up)

    demo = commands.add_parser("demo", help="up + sample articles + live alerts (what `make run` does)")
    demo.add_argument("--seeds", metavar="DIR", help="also ingest the articles in DIR")
    demo.add_argument("--count", type=int, default=0, help="stop after N alerts")
    demo.set_defaults(handler=cmd_demo)

    worker = commands.add_parser("worker", help="run one worker against a broker (deployment)")
    worker.set_defaults(handler=cmd_worker)
    ner = commands.add_parser("ner", help="run one worker of the optional NER stage (WIREWATCH_NER=1)")
    ner.set_defaults(handler=cmd_ner)

    ingest = commands.add_parser("ingest", help="publish raw articles, one record per file")
    ingest.add_argument("paths", nargs="+", metavar="PATH")
    ingest.set_defaults(handler=cmd_ingest)

    tail = commands.add_parser("tail", help="print alerts as they arrive, one JSON object a line")
    tail.add_argument("--watchlist", action="append", metavar="ID", help="only this watchlist (repeatable)")
    tail.add_argument("--kind", choices=["new", "update"])
    tail.add_argument(
        "--count", type=int, default=0, help="stop after N alerts (exit 1 if the timeout comes first)"
    )
    tail.add_argument("--timeout", type=float, default=0, help="stop after S seconds")
    tail.add_argument(
        "--from-beginning", action="store_true", help="start at the oldest alert, not the newest"
    )
    tail.set_defaults(handler=cmd_tail)

    replay = commands.add_parser("replay", help="run recorded input offline; alerts as JSON lines")
    replay.add_argument("paths", nargs="+", metavar="PATH")
    replay.add_argument("--watchlists", required=True, metavar="FILE")
    replay.set_defaults(handler=cmd_replay)

    watchlist = commands.add_parser("watchlist", help="manage watchlists on the running system")
    actions = watchlist.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="add or replace the watchlists in a YAML file")
    add.add_argument("file")
    rm = actions.add_parser("rm", help="remove watchlists by id")
    rm.add_argument("ids", nargs="+", metavar="ID")
    actions.add_parser("ls", help="list the watchlists, one JSON object a line")
    test = actions.add_parser(
        "test",
        help="try watchlists against articles or recent history and show why they match",
        description="Try watchlists against article files (PATH…), or against the last N records "
        "of the raw topic (--recent N, needs the broker), or both; one JSON line per watchlist "
        "and article: whether it matched, why, and why not.",
    )
    test.add_argument("file", help="YAML watchlists")
    test.add_argument("paths", nargs="*", metavar="PATH", help="article files or folders")
    test.add_argument("--recent", type=int, metavar="N", help="also try the last N records of the raw topic")
    watchlist.set_defaults(handler=cmd_watchlist)

    subscriber = commands.add_parser("subscriber", help="manage webhook subscribers")
    sub_actions = subscriber.add_subparsers(dest="action", required=True)
    sub_add = sub_actions.add_parser("add", help="add or replace subscribers (YAML FILE, or --url …)")
    sub_add.add_argument(
        "file", nargs="?", help="YAML: subscribers: [{id, url, secret?, watchlists?, kinds?}]"
    )
    sub_add.add_argument("--url", help="webhook URL (instead of FILE)")
    sub_add.add_argument("--id", help="subscriber id (default: a random one)")
    sub_add.add_argument("--secret", help="signing secret, 16+ characters (default: a random one)")
    sub_add.add_argument(
        "--watchlist", action="append", metavar="ID", help="only this watchlist (repeatable)"
    )
    sub_add.add_argument("--kind", action="append", choices=["new", "update"], help="only this kind")
    sub_rm = sub_actions.add_parser("rm", help="remove subscribers by id")
    sub_rm.add_argument("ids", nargs="+", metavar="ID")
    sub_actions.add_parser("ls", help="list subscribers, one JSON object a line (no secrets)")
    sub_rotate = sub_actions.add_parser("rotate-secret", help="give a subscriber a new secret")
    sub_rotate.add_argument("id", metavar="ID")
    sub_rotate.add_argument("--secret", help="the new secret (default: a random one)")
    sub_rotate.add_argument(
        "--grace", type=float, default=86400.0, help="seconds the old secret keeps signing (default 1 day)"
    )
    subscriber.set_defaults(handler=cmd_subscriber)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=env_settings().log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if args.command != "worker":
        logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    from aiokafka.errors import KafkaConnectionError

    try:
        return args.handler(args)
    except SystemExit:
        raise
    except KafkaConnectionError as exc:
        return _fail(f"cannot reach the Kafka broker ({exc}); is `wirewatch up` running, or --broker right?")
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (`wirewatch replay … | head`): stop quietly, as a Unix filter
        # does; stdout goes to /dev/null so the interpreter's final flush cannot fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + signal.SIGPIPE


if __name__ == "__main__":
    sys.exit(main())
