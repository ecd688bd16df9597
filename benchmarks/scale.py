"""Benchmark 2, scale: a 20,000-query ICE campaign (400 iterations of 50 questions) at zero latency.

Prints peak memory of the eval process (target < 1 GB) with its growth along the campaign, the size of the
log, and the time to open it with `inspect_ai.log.read_eval_log` (full, and header only) and to read the
campaign back (`inspect-distill rows`' reader). The server runs in its own process.

`--epochs N` spends the same budget as N independent campaigns of budget/N (`--epochs N -T budget=...`),
each its own sample that Inspect writes and frees when it ends; `--max-samples` caps how many run at once.

    python -m benchmarks.scale [--budget 20000] [--epochs 1] [--max-samples N] [--judge llm] [--log-dir DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks._common import TARGET, print_header, run_ice, table
from tests.support.openai_server import ServerConfig, ServerProcess


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class MemoryWatch(threading.Thread):
    """Samples this process's resident memory and the server's target-call count once a second."""

    def __init__(self, server: ServerProcess) -> None:
        super().__init__(daemon=True)
        self.server = server
        self.samples: list[tuple[float, int, float]] = []  # (seconds, target calls, RSS MiB)
        self.stopped = threading.Event()
        self.started_at = time.perf_counter()

    def run(self) -> None:
        while not self.stopped.wait(1.0):
            try:
                calls = self.server.stats(TARGET).requests
            except OSError:
                continue
            self.samples.append((time.perf_counter() - self.started_at, calls, rss_mib()))


def growth_rows(samples: list[tuple[float, int, float]], budget: int) -> list[list[Any]]:
    rows = []
    for share in (0.1, 0.25, 0.5, 0.75, 1.0):
        reached = [s for s in samples if s[1] >= share * budget]
        if reached:
            seconds, calls, rss = reached[0]
            rows.append([f"{share:.0%}", calls, round(seconds), rss])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--budget", type=int, default=20000)
    parser.add_argument("--judge", default="llm", choices=("llm", "lexical", "both"))
    parser.add_argument("--epochs", type=int, default=1, help="split the budget into this many campaigns")
    parser.add_argument("--max-samples", type=int, default=None, help="campaigns running at once (Inspect's)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per model call")
    parser.add_argument("--bounded", action="store_true",
                        help="set INSPECT_TRANSCRIPT_BOUNDED=1: Inspect keeps only the latest events of the sample in "
                        "memory (the rest in its buffer database)")
    parser.add_argument("--log-dir", type=Path, default=None)
    args = parser.parse_args()
    if args.bounded:
        os.environ["INSPECT_TRANSCRIPT_BOUNDED"] = "1"
    log_dir = args.log_dir or Path(tempfile.mkdtemp(prefix="inspect-distill-scale-"))

    print_header(f"ICE at scale: {args.budget} target queries, {args.latency} s per call")
    print(f"campaigns (epochs): {args.epochs} of {args.budget // args.epochs} queries; "
          f"max samples at once: {args.max_samples or 'Inspect default'}")
    print(f"INSPECT_TRANSCRIPT_BOUNDED={os.environ.get('INSPECT_TRANSCRIPT_BOUNDED', '(unset)')}\n")
    with ServerProcess(ServerConfig(roles={name: role.model_copy(update={"latency": args.latency})
                                           for name, role in ServerConfig().roles.items()})) as server:
        run_ice(server, log_dir / "warm", budget=50)
        server.reset()
        before = rss_mib()
        watch = MemoryWatch(server)
        watch.start()
        eval_args = {"max_samples": args.max_samples} if args.max_samples else None
        run = run_ice(server, log_dir / "campaign", budget=args.budget // args.epochs, epochs=args.epochs,
                      judge=args.judge, eval_args=eval_args)
        watch.stopped.set()
        stats = server.stats()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # the eval only: nothing read back yet
    campaigns = run.campaigns
    queries = sum(c.queries for c in campaigns)
    calls = sum(s.requests for s in stats.values())
    print(table(
        ["target queries", "iterations", "model calls", "eval wall s", "client CPU s", "client CPU ms / call",
         "RSS before MiB", "peak RSS of the eval MiB"],
        [[queries, sum(c.iterations for c in campaigns), calls, run.wall, run.cpu, 1000 * run.cpu / calls, before, peak]],
    ))
    print("\nMemory along the campaign (resident set of the eval process):\n")
    print(table(["campaign", "target calls", "seconds", "RSS MiB"], growth_rows(watch.samples, args.budget)))

    del run, campaigns
    from inspect_ai.log import list_eval_logs, read_eval_log

    from inspect_distill.cli import campaigns_of_log

    path = Path(list_eval_logs(str(log_dir / "campaign"))[0].name.removeprefix("file://"))
    timings = []
    for name, read in (
        ("read_eval_log (header only)", lambda: read_eval_log(str(path), header_only=True)),
        ("read_eval_log (full)", lambda: read_eval_log(str(path))),
        ("campaign records (inspect-distill rows reader)", lambda: list(campaigns_of_log(path))),
    ):
        started = time.perf_counter()
        read()
        timings.append([name, time.perf_counter() - started])
    print(f"\nLog: {path.name}, {path.stat().st_size / 2**20:.1f} MiB "
          f"({path.stat().st_size / queries / 1024:.1f} KiB per target query)\n")
    print(table(["open the log", "seconds"], timings))
    print(f"\npeak RSS after also reading the log back in the same process: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print(f"logs: {log_dir}")


if __name__ == "__main__":
    main()
