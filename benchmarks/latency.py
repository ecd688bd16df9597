"""Benchmark 1, latency bound: how close an ICE campaign (and an RSE run) gets to its critical path.

A paper-size ICE campaign (1000 target queries, 50 questions, energy 1: 20 iterations) against the local
OpenAI-compatible server at a fixed latency per call, through Inspect's real `openai` provider:

- bound = sum over iterations of the calls that must follow one another (mutator attempts, one target call,
  the longest judge chain on one answer) x latency; ratio = wall / bound (target <= 1.25);
- the same campaign with one connection per model (`max_connections=1`, the paper's sequential way): speed-up;
- client CPU seconds (Inspect + the plugin, this process) and server CPU seconds, so a CPU-bound run shows;
- plugin CPU per query: the share of this process's CPU spent in `inspect_distill` code, measured with
  cProfile on a zero-latency campaign (model calls excluded), times the unprofiled CPU per query;
- RSE over 1000 prompts (written here, synthetic) at 50 connections against its bound: 3 calls per prompt
  (reference, tested, judge) x latency x 1000 / 50;
- `--cpu`: client CPU per model call of a zero-latency 2000-query campaign (100 questions, lexical judge, lag
  2, 200 connections), with and without the campaign's garbage-collector threshold (`INSPECT_DISTILL_GC_YOUNG`)
  and `--no-log-realtime`, each `--cpu-repeats` times, CPU time in the collector counted apart; and the cost of
  a fresh system message and config per call against reused ones (a micro-benchmark).

    python -m benchmarks.latency [--latency 0.1] [--also-latency 1.0] [--budget 1000] [--skip-sequential]
        [--skip-rse] [--skip-profile] [--cpu [--cpu-only] [--cpu-repeats 2]] [--log-dir /tmp/inspect-distill-bench]

At 100 ms per call on a small machine the client's own CPU per model call (Inspect, the openai SDK, httpx)
times 50 calls in flight exceeds the latency: the run is CPU-bound, not latency-bound. The table therefore
also shows `--no-log-realtime` (no per-event writes to the live-view buffer) and, with `--also-latency`,
realistic API latencies.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._common import (
    JUDGE,
    REFERENCE,
    TARGET,
    print_header,
    run_ice,
    sequential_calls,
    table,
)
from tests.support.openai_server import (
    JudgeScript,
    MutatorScript,
    Role,
    ServerConfig,
    ServerProcess,
    TargetScript,
)

RSE_PROMPTS = 1000
RSE_CONNECTIONS = 50


def server_config(latency: float) -> ServerConfig:
    return ServerConfig(roles={
        "target": Role(script=TargetScript(), latency=latency),
        "reference": Role(script=TargetScript(variant=1), latency=latency),
        "mutator": Role(script=MutatorScript(), latency=latency),
        "judge": Role(script=JudgeScript(), latency=latency),
    })


def ice_row(name: str, latency: float, server: ServerProcess, log_dir: Path, budget: int,
            eval_args: dict[str, Any] | None = None, **task_args: Any) -> list[Any]:
    server.reset()
    server_cpu = server.cpu_seconds()
    run = run_ice(server, log_dir, budget=budget, eval_args=eval_args, **task_args)
    server_cpu = server.cpu_seconds() - server_cpu
    result = run.campaigns[0]
    calls = sequential_calls(result)
    bound = calls * latency
    stats = server.stats()
    total_calls = sum(s.requests for s in stats.values())
    peak = max(s.peak_in_flight for s in stats.values())
    return [name, latency, result.iterations, result.queries, calls, bound, run.sample_seconds,
            run.sample_seconds / bound if bound else float("nan"), run.wall, run.cpu, server_cpu,
            1000 * run.cpu / total_calls, peak]


ICE_HEADERS = ["run", "latency s", "iterations", "target queries", "sequential calls", "bound s",
               "campaign wall s", "wall / bound", "eval wall s", "client CPU s", "server CPU s",
               "client CPU ms / call", "peak in flight"]


def plugin_cpu(budget: int, log_dir: Path) -> list[Any]:
    """Profile a zero-latency campaign; the plugin's CPU = its own functions plus what they call directly,
    except the model calls (Inspect's)."""
    with ServerProcess(server_config(0.0)) as server:
        run_ice(server, log_dir / "warm", budget=50)  # imports and first-call set-up out of the way
        plain = run_ice(server, log_dir / "plain", budget=budget)
        profiler = cProfile.Profile()
        profiler.enable()
        run_ice(server, log_dir / "profiled", budget=budget)
        profiler.disable()
    stats: dict[Any, Any] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    plugin = {key for key in stats if "/inspect_distill/" in key[0]}

    def model_call(key: tuple[str, int, str]) -> bool:
        return key[0].endswith("inspect_ai/model/_model.py") and key[2] == "generate"

    own = sum(stats[key][2] for key in plugin)
    for key, (_, _, _, _, callers) in stats.items():
        if key in plugin or model_call(key):
            continue
        own += sum(timing[3] for caller, timing in callers.items() if caller in plugin)
    total = sum(value[2] for value in stats.values())
    share = own / total if total else float("nan")
    queries = plain.campaigns[0].queries
    return [budget, queries, plain.cpu, share, 1000 * share * plain.cpu / queries, 1000 * plain.cpu / queries]


CPU_VARIANTS = [("Python's GC thresholds", "0", True), ("campaign GC threshold (default)", None, True),
                ("Python's GC thresholds, --no-log-realtime", "0", False),
                ("campaign GC threshold, --no-log-realtime", None, False)]


def cpu_rows(log_dir: Path, repeats: int, budget: int = 2000, questions: int = 100) -> list[list[Any]]:
    """Client CPU per model call of one zero-latency campaign in each variant (mean of `repeats`, interleaved)."""
    import gc
    import os

    from benchmarks.peer_pyrit import questions as make_questions
    from benchmarks.peer_pyrit import server_config as peer_config
    from benchmarks.search_efficiency import seed_templates
    from inspect_distill.common.gc_tuning import GC_YOUNG_ENV

    seeds, asked = log_dir / "cpu_seeds.jsonl", log_dir / "cpu_questions.jsonl"
    seed_templates(seeds)
    asked.write_text("".join(json.dumps(q) + "\n" for q in make_questions(questions)), encoding="utf-8")
    files = {"templates": str(seeds), "questions": str(asked)}
    in_gc = [0.0, 0.0]  # CPU seconds in the collector, start of the current collection

    def count(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            in_gc[1] = time.process_time()
        else:
            in_gc[0] += time.process_time() - in_gc[1]

    figures: dict[str, list[tuple[float, float, int]]] = {name: [] for name, _, _ in CPU_VARIANTS}
    gc.callbacks.append(count)
    try:
        with ServerProcess(peer_config(0.0, 0.0)) as server:
            run_ice(server, log_dir / "cpu-warm", budget=questions, judge="lexical", **files)
            for _ in range(repeats):
                for name, young, realtime in CPU_VARIANTS:
                    previous = os.environ.pop(GC_YOUNG_ENV, None)
                    if young is not None:
                        os.environ[GC_YOUNG_ENV] = young
                    server.reset()
                    in_gc[0] = 0.0
                    try:
                        run = run_ice(server, log_dir / "cpu", budget=budget, judge="lexical", lag=2, **files,
                                      eval_args={"max_connections": 200, "log_realtime": realtime})
                    finally:
                        os.environ.pop(GC_YOUNG_ENV, None)
                        if previous is not None:
                            os.environ[GC_YOUNG_ENV] = previous
                    calls = sum(s.requests for s in server.stats().values())
                    figures[name].append((run.cpu, in_gc[0], calls))
    finally:
        gc.callbacks.remove(count)
    rows = []
    for name, _, _ in CPU_VARIANTS:
        cpu = sum(f[0] for f in figures[name]) / repeats
        collector = sum(f[1] for f in figures[name]) / repeats
        calls = figures[name][0][2]
        rows.append([name, calls, cpu, 1000 * cpu / calls, 1000 * collector / calls,
                     " / ".join(f"{1000 * f[0] / f[2]:.1f}" for f in figures[name])])
    return rows


def reuse_micro_us(repeats: int = 20_000) -> list[list[Any]]:
    """Microseconds per call: a fresh system message and config (as before) against reused ones, including
    Inspect's snapshot of the message for the transcript."""
    import timeit

    from inspect_ai.model import ChatMessageSystem, GenerateConfig
    from inspect_ai.model._model import _snapshot_message

    kept: list[Any] = []

    def fresh() -> None:
        message = ChatMessageSystem(content="You are a helpful assistant.")
        kept.append(message)  # the transcript keeps it alive
        _snapshot_message(message)
        GenerateConfig(temperature=0.0, max_tokens=512, seed=0)

    reused = ChatMessageSystem(content="You are a helpful assistant.")
    per_call = [timeit.timeit(fresh, number=repeats) / repeats,
                timeit.timeit(lambda: _snapshot_message(reused), number=repeats) / repeats]
    return [["fresh system message and config per call", 1e6 * per_call[0]],
            ["one system message and config per campaign", 1e6 * per_call[1]]]


def write_rse_prompts(path: Path, count: int) -> None:
    topics = ["photosynthesis", "binary search", "the French Revolution", "compound interest", "plate tectonics",
              "recursion", "supply and demand", "the water cycle", "public-key cryptography", "vaccination"]
    asks = ["Explain {t} to a beginner.", "Give three common misconceptions about {t}.",
            "Write a short summary of {t} with one example.", "Compare two ways of teaching {t}."]
    with path.open("w", encoding="utf-8") as handle:
        for n in range(count):
            prompt = asks[n % len(asks)].format(t=topics[(n // len(asks)) % len(topics)]) + f" (variant {n})"
            handle.write(json.dumps({"uid": f"p{n:04d}", "category": "synthetic", "cluster": "bench",
                                     "prompt": prompt}) + "\n")


def rse_row(latency: float, log_dir: Path, log_realtime: bool = True) -> list[Any]:
    from inspect_ai import eval as inspect_eval

    from inspect_distill.rse.task import rse

    prompts = log_dir / "rse_prompts.jsonl"
    write_rse_prompts(prompts, RSE_PROMPTS)
    with ServerProcess(server_config(latency)) as server:
        task = rse(datasets="arena_hard", dataset_path=f"arena_hard={prompts}", per_dataset=RSE_PROMPTS,
                   reference_cache=False)
        roles = {"reference": server.model(REFERENCE), "grader": server.model(JUDGE)}
        started, cpu = time.perf_counter(), time.process_time()
        log = inspect_eval(task, model=server.model(TARGET), model_roles=roles, log_dir=str(log_dir / "rse"),
                           display="none", max_connections=RSE_CONNECTIONS, log_realtime=log_realtime)[0]
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        stats = server.stats()
    if log.status != "success":
        raise RuntimeError(f"RSE eval failed: {log.error}")
    calls = sum(s.requests for s in stats.values())
    bound = 3 * latency * RSE_PROMPTS / RSE_CONNECTIONS
    peak = max(s.peak_in_flight for s in stats.values())
    return [RSE_PROMPTS, RSE_CONNECTIONS, latency, log_realtime, calls, bound, wall, wall / bound, cpu,
            1000 * cpu / calls, peak]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--also-latency", type=float, action="append", default=[],
                        help="also run the parallel campaign at this latency (repeatable)")
    parser.add_argument("--budget", type=int, default=1000)
    parser.add_argument("--skip-sequential", action="store_true")
    parser.add_argument("--skip-rse", action="store_true")
    parser.add_argument("--skip-profile", action="store_true")
    parser.add_argument("--cpu", action="store_true", help="also the client CPU per call, GC and realtime variants")
    parser.add_argument("--cpu-only", action="store_true", help="only the client CPU section")
    parser.add_argument("--cpu-repeats", type=int, default=2)
    parser.add_argument("--log-dir", type=Path, default=None)
    args = parser.parse_args()
    log_dir = args.log_dir or Path(tempfile.mkdtemp(prefix="inspect-distill-latency-"))
    log_dir.mkdir(parents=True, exist_ok=True)

    if args.cpu or args.cpu_only:
        print_header("ICE client CPU per model call")
        print("## Zero latency, 2000 target queries, 100 questions, lexical judge, lag 2, 200 connections\n")
        print(table(["variant", "model calls", "client CPU s", "client CPU ms / call", "of which GC ms / call",
                     "each run ms / call"], cpu_rows(log_dir, args.cpu_repeats)))
        print()
        print(table(["per call", "microseconds"], reuse_micro_us()))
        print(flush=True)
        if args.cpu_only:
            return

    print_header("ICE latency bound")
    rows = []
    for latency in [args.latency, *args.also_latency]:
        with ServerProcess(server_config(latency)) as server:
            run_ice(server, log_dir / "warm", budget=50)  # imports and first-call set-up out of the way
            rows.append(ice_row("parallel, judge llm", latency, server, log_dir / f"llm-{latency}", args.budget))
            if latency == args.latency:
                rows.append(ice_row("parallel, judge lexical", latency, server, log_dir / f"lexical-{latency}",
                                    args.budget, judge="lexical"))
                rows.append(ice_row("parallel, judge llm, --no-log-realtime", latency, server,
                                    log_dir / f"llm-norealtime-{latency}", args.budget,
                                    eval_args={"log_realtime": False}))
                if not args.skip_sequential:
                    rows.append(ice_row("one connection, judge llm", latency, server, log_dir / f"seq-{latency}",
                                        args.budget, eval_args={"max_connections": 1}))
        print(table(ICE_HEADERS, rows[-4:] if latency == args.latency else rows[-1:]), flush=True)
        print()
    parallel = next(r for r in rows if r[0] == "parallel, judge llm" and r[1] == args.latency)
    sequential = next((r for r in rows if r[0].startswith("one connection")), None)
    if sequential:
        print(f"speed-up of the parallel campaign over one connection: {sequential[6] / parallel[6]:.1f}x "
              f"(campaign wall {sequential[6]:.1f} s -> {parallel[6]:.1f} s)\n")

    if not args.skip_profile:
        print("## Plugin CPU per query (cProfile, latency 0)\n")
        print(table(["budget", "target queries", "client CPU s (unprofiled)", "plugin share of CPU",
                     "plugin CPU ms / query", "client CPU ms / query (all)"], [plugin_cpu(args.budget, log_dir)]))
        print()

    if not args.skip_rse:
        print(f"## RSE, {RSE_PROMPTS} prompts, {RSE_CONNECTIONS} connections\n")
        rse_rows = [rse_row(args.latency, log_dir), rse_row(args.latency, log_dir, log_realtime=False)]
        rse_rows += [rse_row(latency, log_dir) for latency in args.also_latency]
        print(table(["prompts", "max_connections", "latency s", "log realtime", "model calls", "bound s", "wall s",
                     "wall / bound", "client CPU s", "client CPU ms / call", "peak in flight"], rse_rows))
        print()
    print(f"logs: {log_dir}")


if __name__ == "__main__":
    main()
