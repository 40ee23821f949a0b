"""Runs the whole benchmark suite in one invocation and writes the table.

    python -m tests.benchmarks.run --out docs/benchmarks.md          # make bench
    python -m tests.benchmarks.run --smoke --out /tmp/bench.md       # make bench-smoke

One embedded broker serves every figure, so the floors, the stage cores and the pipeline are
measured side by side on the same machine load and compared as ratios. The stage_*.py
modules beside this file add their own figures (`measure(smoke) -> dict[str, float]`); one
that fails is reported in the table, not fatal.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import importlib
import math
import os
import platform
import sys
import sysconfig
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from wirewatch.agents import compiled
from wirewatch.streams.broker import EmbeddedBroker

from . import corpus
from .floors import HOT_PATH_HOPS, consume_floor, create_topics, hop_chain, produce_all
from .pipeline import PipelineResult, StageTimes, lower_of, run_pipeline, time_stage_cores

HERE = Path(__file__).resolve().parent
GOAL_EFFICIENCY = 0.8
GOAL_THROUGHPUT = 500.0  # articles/s, one worker, 10,000 watchlists
GOAL_P99_SECONDS = 1.0
STAGES = ("parse", "tag", "dedup", "alert")


@dataclass(frozen=True, slots=True)
class Size:
    """How big each part of the run is."""

    floor_records: int
    saturation_records: int
    paced_records: int
    watchlists: int
    stage_budget_seconds: float
    floor_min_seconds: float
    timeout: float


FULL = Size(4000, 4000, 2000, 10_000, 10.0, 3.0, 900.0)
SMOKE = Size(120, 80, 40, 500, 0.3, 0.2, 60.0)
PACED_SECONDS = 30.0  # the latency run lasts about this long at half the saturation rate


@dataclass(slots=True)
class Report:
    size: Size
    smoke: bool
    records: list[corpus.BenchRecord]
    floors: dict[str, float] = field(default_factory=dict)
    stages: StageTimes | None = None
    stages_first: StageTimes | None = None  # the first of the two passes (`stages`: the lower)
    pipeline: PipelineResult | None = None
    # The same saturation run with parse and tag in the worker's second process
    # (WIREWATCH_FRONT_PROCESS=1): one worker on two cores.
    pipeline_front: PipelineResult | None = None
    extra: dict[str, dict[str, float] | str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    profile: Path | None = None
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    seconds: float = 0.0


def stage_modules() -> list[str]:
    return sorted(path.stem for path in HERE.glob("stage_*.py"))


def measure_stage_modules(smoke: bool) -> dict[str, dict[str, float] | str]:
    """Every stage_<name>.py's figures, or the error it raised."""
    figures: dict[str, dict[str, float] | str] = {}
    for name in stage_modules():
        try:
            module = importlib.import_module(f"{__package__}.{name}")
            figures[name] = {str(k): float(v) for k, v in module.measure(smoke=smoke).items()}
        except Exception as exc:  # one broken module must not sink the run
            traceback.print_exc()
            figures[name] = f"failed: {type(exc).__name__}: {exc}"
    return figures


async def measure_broker_figures(
    report: Report, ids: list[str], work_dir: Path, broker: EmbeddedBroker, profile_path: Path | None = None
) -> None:
    size = report.size
    records = report.records
    if True:  # one broker for every figure of the run
        floor_topic = f"bench-floor-{os.getpid()}-{int(time.time())}"
        await create_topics(broker.bootstrap, [floor_topic])
        floor_records = records[: size.floor_records]
        await produce_all(broker.bootstrap, floor_topic, [(r.key, r.value) for r in floor_records])
        try:
            report.floors["consume"] = await consume_floor(
                broker.bootstrap, floor_topic, len(floor_records), size.floor_min_seconds
            )
        except Exception as exc:
            report.errors.append(f"consume floor: {exc!r}")
        try:
            hop = await hop_chain(
                broker.bootstrap, floor_topic, len(floor_records), 1, size.timeout, work_dir
            )
            report.floors["hop"] = hop.rate
        except Exception as exc:
            report.errors.append(f"one-hop floor: {exc!r}")
        if HOT_PATH_HOPS == 1:
            # The hot path is one agent (raw -> alerts): the chain is the one-hop floor itself.
            if "hop" in report.floors:
                report.floors["chain"] = report.floors["hop"]
        else:
            try:
                chain = await hop_chain(
                    broker.bootstrap, floor_topic, len(floor_records), HOT_PATH_HOPS, size.timeout, work_dir
                )
                report.floors["chain"] = chain.rate
            except Exception as exc:
                report.errors.append(f"chain floor: {exc!r}")

        saturation = records[: size.saturation_records]
        paced = records[size.saturation_records :]
        watchlists = corpus.watchlists(size.watchlists)
        try:
            report.pipeline = await run_pipeline(
                broker.bootstrap,
                saturation,
                paced,
                ids,
                watchlists,
                work_dir,
                size.timeout,
                PACED_SECONDS,
                profile_path,
                idle=60.0 if not report.smoke else 20.0,
            )
        except Exception as exc:
            traceback.print_exc()
            report.errors.append(f"pipeline: {exc!r}")
        try:
            report.pipeline_front = await run_pipeline(
                broker.bootstrap,
                saturation,
                [],
                ids,
                watchlists,
                work_dir,
                size.timeout,
                idle=60.0 if not report.smoke else 20.0,
                extra_env={"WIREWATCH_FRONT_PROCESS": "1"},
            )
        except Exception as exc:
            traceback.print_exc()
            report.errors.append(f"pipeline with the front process: {exc!r}")


def interpreter_build() -> str:
    """How this interpreter was built, as far as it tells: libpython as a shared library or
    linked into the executable, and whether it was configured with profile-guided (PGO) and
    link-time (LTO) optimisation, as sysconfig records them (a distribution's packaging may
    optimise its static build in steps the flags do not show). The stages spend most of their
    time inside the interpreter (regular expressions, allocation, dicts), so the build moves
    every figure: the tag stage ran 1.17-1.20 times as fast on a statically linked distribution
    build (docs/tag.md)."""
    try:
        shared = "libpython" in Path("/proc/self/maps").read_text()
    except OSError:
        shared = bool(sysconfig.get_config_var("Py_ENABLE_SHARED"))
    configured = sysconfig.get_config_var("CONFIG_ARGS") or ""
    flags = ("--enable-optimizations", "--with-lto")
    used = [flag for flag in flags if flag in configured]
    missing = [flag for flag in flags if flag not in configured]
    return ", ".join(
        [
            "libpython a shared library" if shared else "libpython linked into the executable",
            *([f"configured with {' and '.join(used)}"] if used else []),
            *([f"its recorded configure flags without {' or '.join(missing)}"] if missing else []),
        ]
    )


def machine() -> dict[str, str]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    running = compiled.compiled()
    kernels = compiled.compiled(compiled.KERNELS)
    return {
        "cpus": str(os.cpu_count()),
        "cpu": model or "unknown",
        "memory": memory or "unknown",
        "python": f"{platform.python_version()} ({interpreter_build()})",
        "compiled": (
            f"{len(running)} of {len(compiled.COMPILED)} tag and alert modules compiled with mypyc"
            f", {len(kernels)} of {len(compiled.KERNELS)} C kernels built"
            if running
            else "plain Python (nothing compiled)"
        ),
        "system": f"{platform.system()} {platform.release()}",
    }


def fmt(value: float | None, unit: str = "", digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{value:,.{digits}f}"
    return f"{text} {unit}".strip()


def figures(report: Report) -> dict[str, float | None]:
    """The headline numbers, computed from the raw measurements of this run."""
    stages = report.stages
    pipeline = report.pipeline
    hop = report.floors.get("hop")
    out: dict[str, float | None] = {
        "consume": report.floors.get("consume"),
        "hop": hop,
        "chain": report.floors.get("chain"),
    }
    core_seconds = sum(stages.seconds.values()) if stages else None
    out["core_seconds"] = core_seconds
    throughput = pipeline.throughput if pipeline and pipeline.throughput > 0 else None
    out["throughput"] = throughput
    ideal = None
    if hop and core_seconds is not None:
        ideal = 1 / (1 / hop + core_seconds)
    out["ideal"] = ideal
    out["efficiency"] = throughput / ideal if throughput and ideal else None
    for name in ("consume", "hop", "chain"):
        floor = report.floors.get(name)
        out[f"ratio_{name}"] = throughput / floor if throughput and floor else None
    if pipeline and pipeline.latencies:
        out["p50"] = pipeline.percentile(0.50)
        out["p99"] = pipeline.percentile(0.99)
    else:
        out["p50"] = out["p99"] = None
    out["rss"] = pipeline.peak_rss_bytes / 1024 / 1024 if pipeline and pipeline.peak_rss_bytes else None
    # CPU per article in the worker, and what of it is not the stage cores (consuming, producing,
    # state writes, Faust's bookkeeping): steadier than a rate when the machine is busy.
    cpu = pipeline.cpu_per_record if pipeline else None
    out["worker_cpu_seconds"] = cpu
    out["overhead_seconds"] = cpu - core_seconds if cpu is not None and core_seconds is not None else None
    front = report.pipeline_front
    out["throughput_front"] = front.throughput if front and front.throughput > 0 else None
    out["worker_cpu_front_seconds"] = front.cpu_per_record if front else None
    return out


def ms(seconds: float | None) -> float | None:
    return seconds * 1000 if seconds is not None else None


def goal(value: float | None, target: float, higher_is_better: bool = True) -> str:
    if value is None:
        return "not measured"
    met = value >= target if higher_is_better else value < target
    return "met" if met else "missed"


def render(report: Report, command: str) -> str:
    f = figures(report)
    size = report.size
    host = machine()
    records = report.records
    mix = corpus.format_mix(records)
    stories = len({r.story for r in records})
    stages = report.stages
    pipeline = report.pipeline
    lines = [
        "# Benchmarks",
        "",
        "Ratios measured in one run on the embedded broker: the pipeline against the floors of",
        "the platform it runs on and against the cost of its own stage cores. Absolute numbers",
        "drift with the load on the machine; the ratios hold within a run.",
        "",
        f"- date: {report.started:%Y-%m-%d %H:%M} UTC{' (smoke size: not a measurement)' if report.smoke else ''}",
        f"- machine: {host['cpus']} CPUs, {host['cpu']}, {host['memory']} memory, {host['system']}",
        f"- Python {host['python']}; {host['compiled']}",
        f"- command: `{command}`",
        f"- run time: {report.seconds:.0f} s",
        "",
        "## Corpus",
        "",
        f"{len(records):,} raw records generated from seed 7 by `tests/benchmarks/corpus.py`, one article",
        f"each: formats {', '.join(f'{k} {v:.0%}' for k, v in mix.items())}; median size "
        f"{corpus.median_size(records) / 1024:.1f} KB; duplicates {corpus.duplicate_share(records):.0%} "
        f"(byte-identical resends and syndicated copies); {stories:,} stories. "
        f"{size.watchlists:,} generated watchlists (keyword queries, speaker lists and both; one "
        f"catch-all that every article matches, so most originals raise an alert the run can follow).",
        "",
        "## Results",
        "",
        "| figure | value | how it is measured |",
        "|---|---|---|",
        f"| floor: bare aiokafka consumer | {fmt(f['consume'], 'records/s')} | reads the benchmark "
        f"articles ({size.floor_records:,}) and decodes each as UTF-8, re-reading for ≥ {size.floor_min_seconds:g} s |",
        f"| floor: one bare Faust hop | {fmt(f['hop'], 'records/s')} | a worker process whose one agent "
        "forwards each record to another topic; rate from the forwarded records' timestamps |",
        f"| floor: chain of {HOT_PATH_HOPS} hop(s), as many as the hot path | {fmt(f['chain'], 'records/s')} | "
        "the hot path is ONE agent, raw → alerts, so the chain is the one-hop floor |",
    ]
    if stages:
        for name in STAGES:
            seconds = stages.seconds.get(name)
            rate = 1 / seconds if seconds else None
            extra = f", {stages.alerts_per_article:.1f} alerts per article" if name == "alert" else ""
            if name == "tag":  # copies are recognised before tagging, as in the pipeline
                extra = f", of which {stages.tagged:,} tagged (the copy check spares the copies)"
            if name == "dedup":
                extra = ", the copy check before tagging and the story grouping after it"
            first = report.stages_first.seconds.get(name) if report.stages_first else None
            if first is not None and seconds:
                extra += f"; the lower of two passes, before and after the broker runs ({first * 1000:.2f} ms in the first)"
            lines.append(
                f"| stage core: {name} | {fmt(rate, 'articles/s')} ({fmt(seconds * 1000 if seconds else None, 'ms', 2)}"
                f" per article) | CPU time of one thread, alone, {stages.articles.get(name, 0):,} articles in corpus order"
                f"{' (10,000 watchlists)' if name == 'alert' and size.watchlists == 10_000 else ''}{extra} |"
            )
        lines.append(
            f"| sum of the stage cores | {fmt(ms(f['core_seconds']), 'ms', 2)}"
            " per article | parse + tag + dedup + alert |"
        )
        generated, found, precision, recall = stages.stories
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        lines.append(
            f"| story grouping on the corpus | {found:,} stories for {generated:,} generated; "
            f"B-cubed P {precision:.3f} / R {recall:.3f} / F1 {f1:.3f} | the dedup stage's story of "
            "each article in the same pass, against the event the generator wrote it from |"
        )
    if pipeline:
        lines += [
            f"| **pipeline throughput** | **{fmt(f['throughput'], 'articles/s', 1)}** | one `wirewatch worker`, "
            f"{size.watchlists:,} watchlists; {pipeline.saturation_records:,} records published at once, rate "
            f"between the first and last article followed to its first alert ({pipeline.saturation_seconds:.1f} s) |",
            f"| ideal: 1 / (one bare hop + stage cores) | {fmt(f['ideal'], 'articles/s', 1)} | from the rows above |",
            f"| **efficiency** = throughput / ideal | **{fmt(f['efficiency'], '', 2)}** | goal ≥ {GOAL_EFFICIENCY}: "
            f"{goal(f['efficiency'], GOAL_EFFICIENCY)}"
            + (
                " (above 1: the ideal counts the hop in series with the cores, while Faust's consumer"
                " runs in a thread of its own and reads ahead on the other core as the agent computes)"
                if f["efficiency"] and f["efficiency"] > 1
                else ""
            )
            + " |",
            f"| throughput / one-hop floor | {fmt(f['ratio_hop'], '', 3)} | |",
            f"| throughput / {HOT_PATH_HOPS}-hop chain floor | {fmt(f['ratio_chain'], '', 3)} | |",
            f"| throughput / consumer floor | {fmt(f['ratio_consume'], '', 4)} | |",
            f"| **raw-to-alert latency p50 / p99** | **{fmt(ms(f['p50']), 'ms')}"
            f" / {fmt(ms(f['p99']), 'ms')}** | {len(pipeline.latencies):,} of "
            f"{pipeline.latency_expected:,} articles published at {fmt(pipeline.latency_rate, 'articles/s', 1)} "
            "(half the saturation rate); send time to the article's first alert reaching an aiokafka consumer |",
            f"| latency p50 by leg | {' · '.join(f'{k} {v * 1000:,.0f} ms' for k, v in pipeline.latency_parts.items()) or '—'} | "
            "send → the worker's alert decision (its `detected_at`) → the alert's broker timestamp → "
            "the reader |",
            f"| worker CPU per article | {fmt(ms(f['worker_cpu_seconds']), 'ms', 2)}, of which "
            f"{fmt(ms(f['overhead_seconds']), 'ms', 2)} outside the stage cores | user + system CPU of the worker "
            "process over the saturation run, divided by the records it was given |",
            f"| pipeline throughput with the front process | {fmt(f['throughput_front'], 'articles/s', 1)} | the same "
            "saturation run with `WIREWATCH_FRONT_PROCESS=1`: parse and tag in the worker's second process, "
            f"on the other core; CPU of both processes {fmt(ms(f['worker_cpu_front_seconds']), 'ms', 2)} per article |",
            f"| peak memory of the worker | {fmt(f['rss'], 'MiB')} | RSS with children, psutil every 0.2 s |",
            f"| alerts / dead letters | {pipeline.alerts:,} / {pipeline.dead_letters:,} | records on the alerts and "
            "dead-letter topics |",
        ]
    for module, values in sorted(report.extra.items()):
        if isinstance(values, str):
            lines.append(f"| {module} | {values} | tests/benchmarks/{module}.py |")
            continue
        for key, value in values.items():
            lines.append(f"| {module}: {key} | {fmt(value, '', 3)} | tests/benchmarks/{module}.py |")
    lines += [
        "",
        "## Goals",
        "",
        "| goal | measured | |",
        "|---|---|---|",
        f"| efficiency ≥ {GOAL_EFFICIENCY} | {fmt(f['efficiency'], '', 2)} | {goal(f['efficiency'], GOAL_EFFICIENCY)} |",
        f"| ≥ {GOAL_THROUGHPUT:.0f} articles/s sustained, one worker, 10,000 watchlists | "
        f"{fmt(f['throughput'], 'articles/s', 1)} | "
        f"{goal(f['throughput'], GOAL_THROUGHPUT) if size.watchlists == 10_000 else 'not measured (smoke size)'} |",
        f"| the same, with the front process (one worker, two cores) | "
        f"{fmt(f['throughput_front'], 'articles/s', 1)} | "
        f"{goal(f['throughput_front'], GOAL_THROUGHPUT) if size.watchlists == 10_000 else 'not measured (smoke size)'} |",
        f"| p99 raw-to-alert < {GOAL_P99_SECONDS:.0f} s at half the saturation rate | "
        f"{fmt(ms(f['p99']), 'ms')} | "
        f"{goal(f['p99'], GOAL_P99_SECONDS, higher_is_better=False)} |",
    ]
    if report.profile and report.profile.exists():
        lines += profile_summary(report.profile)
    notes = list(report.errors) + (pipeline.notes if pipeline else [])
    notes += [
        f"front process: {note}" for note in (report.pipeline_front.notes if report.pipeline_front else [])
    ]
    if notes:
        lines += ["", "## Problems in this run", ""] + [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"


# each part: the functions whose samples (with everything they call) are its share
PROFILED = {
    "hot-path agent (all of it)": ("create_app.<locals>.hot_path",),
    "Pipeline.process (the four stage cores)": ("Pipeline.process",),
    "parse": ("parse_record",),
    "tag": ("Tagger.__call__",),
    # the copy check before tagging, story grouping after it, or both in one call
    "dedup": ("Deduper.check", "Deduper.group", "Deduper.__call__"),
    "alert": ("AlertEngine.__call__",),
    "state table writes": ("TableStore.set",),
}


def profile_summary(path: Path) -> list[str]:
    """Where the worker's main thread spent its samples (py-spy collapsed stacks)."""
    inclusive: dict[str, int] = {}  # per part of PROFILED
    own: dict[str, int] = {}
    main_thread, other_threads = 0, 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [frame.rsplit(":", 1)[0] + ")" if ":" in frame else frame for frame in stack.split(";")]
        if not frames[0].startswith("_run_module_as_main"):
            other_threads += int(count)
            continue
        main_thread += int(count)
        names = {frame.split(" (", 1)[0] for frame in frames}
        for label, functions in PROFILED.items():
            if not names.isdisjoint(functions):
                inclusive[label] = inclusive.get(label, 0) + int(count)
        own[frames[-1]] = own.get(frames[-1], 0) + int(count)
    if not main_thread:
        return []
    lines = [
        "",
        "## Where the worker's time goes (py-spy, saturation run)",
        "",
        f"{main_thread:,} samples of the main thread (the event loop that runs the agent); "
        f"{other_threads:,} more in Faust's producer and consumer threads.",
        "",
        "| part | share of the main thread |",
        "|---|---|",
    ]
    for label in PROFILED:
        lines.append(f"| {label} | {inclusive.get(label, 0) / main_thread:.0%} |")
    hot = inclusive.get("hot-path agent (all of it)", 0)
    lines.append(f"| everything else: Faust, aiokafka, the event loop, idle | {1 - hot / main_thread:.0%} |")
    lines += ["", "| busiest functions (own time) | share |", "|---|---|"]
    for frame, count in sorted(own.items(), key=lambda item: -item[1])[:12]:
        lines.append(f"| `{frame}` | {count / main_thread:.1%} |")
    return lines


def missing_figures(report: Report) -> list[str]:
    """What the table lacks: a run that lacks any of these did not produce the table."""
    f = figures(report)
    wanted = ["consume", "hop", "chain", "core_seconds", "throughput", "efficiency", "p50", "p99", "rss"]
    # a stage module that raised is written into the table as "failed: ...", and fails the run
    broken = [name for name, result in report.extra.items() if isinstance(result, str)]
    return [name for name in wanted if f.get(name) is None] + broken


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/benchmarks.md", help="where to write the table (Markdown)")
    parser.add_argument(
        "--smoke", action="store_true", help="tiny sizes: checks the suite runs, measures nothing"
    )
    parser.add_argument(
        "--profile",
        type=Path,
        help="sample the worker with py-spy during the saturation run (collapsed stacks)",
    )
    parser.add_argument("--records", type=int, help="saturation records (default: the size's)")
    parser.add_argument("--watchlists", type=int, help="watchlists (default: the size's)")
    args = parser.parse_args(argv)
    size = SMOKE if args.smoke else FULL
    if args.records:
        size = dataclasses.replace(size, saturation_records=args.records, floor_records=args.records)
    if args.watchlists:
        size = dataclasses.replace(size, watchlists=args.watchlists)
    started = time.monotonic()
    command = "make bench-smoke" if args.smoke else "make bench"

    records = corpus.generate(size.saturation_records + size.paced_records)
    report = Report(size=size, smoke=args.smoke, records=records, profile=args.profile)
    print(f"corpus: {len(records)} records; timing the stage cores", file=sys.stderr)
    watchlists = corpus.watchlists(size.watchlists)
    report.stages = time_stage_cores(records, watchlists, size.stage_budget_seconds)
    ids = report.stages.article_ids
    print("stage modules:", ", ".join(stage_modules()) or "none", file=sys.stderr)
    report.extra = measure_stage_modules(args.smoke)
    with tempfile.TemporaryDirectory(prefix="wirewatch-bench-") as work:
        print("floors and pipeline on the embedded broker", file=sys.stderr)
        # started outside the event loop: EmbeddedBroker.start runs its own loop to wait
        with EmbeddedBroker(log_path=str(Path(work) / "broker.log")) as broker:
            asyncio.run(measure_broker_figures(report, ids, Path(work), broker, args.profile))
    # The cores again, after the broker runs: the load on a shared machine moves within the
    # minutes between the first pass and the pipeline run, and either pass alone has put the
    # ideal off by more than a tenth. Each stage's figure is the lower of the two passes (noise
    # only adds time), so the ideal is the higher and the efficiency the more conservative.
    print("timing the stage cores again", file=sys.stderr)
    report.stages_first = report.stages
    report.stages = lower_of(report.stages, time_stage_cores(records, watchlists, size.stage_budget_seconds))
    report.seconds = time.monotonic() - started
    table = render(report, command)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(table, "utf-8")
    print(table)
    missing = missing_figures(report)
    if missing:
        print(f"the table lacks: {', '.join(missing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
