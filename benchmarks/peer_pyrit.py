"""Peer benchmark: the ICE campaign (each `lag`) beside PyRIT 1.1.0's GPTFuzz port, in one run, same server.

Both search the same 20 seed templates (twelve hidden traits each, as in `search_efficiency`) with the same
questions, budget and latency, against the project's test server (`tests/support/openai_server.py`, its own
process): target `gpt-local-target`, mutator `gpt-local-mutator` (PyRIT's five GPTFuzz converters get their
answers in JSON, ours through the plugin's prompts), no judge model on either side (PyRIT:
`SubStringScorer("OpenAI")`; ours: the lexical judge). PyRIT's jailbreak goal is above the budget, so it spends
the whole budget; it is tuned to send a whole iteration at once (`--batch-size` = the question count).

For each latency and fault rate (HTTP 429 and 500, half each, on every call of both roles; no `retry-after`
header, so each client backs off on its own): PyRIT, then our campaign at each lag, then (`--sequential`) the
paper's sequential way (lag 0, one connection per model) on a smaller budget, scaled to the full one.
PyRIT retries 429s but not 500s (after the openai SDK's own two retries it aborts the run): when it fails
under faults, the row says so and PyRIT runs again against a server whose faults are all 429s.

    python -m benchmarks.peer_pyrit [--latency 0.5] [--latency 1.0] [--fault-rate 0] [--fault-rate 0.2]
        [--lags 0,1,2,4] [--budget 2000] [--questions 100] [--batch-size 100] [--max-connections 200]
        [--sequential] [--sequential-budget 300] [--pyrit-python PATH | --no-pyrit] [--sdk-retries N] [--retry-wait S]
        [--log-dir DIR]

PyRIT runs in its own virtual environment, never imported by the project: `--pyrit-python PATH`, else
`<cache>/peers/pyrit-1.1.0/bin/python` (the cache directory of `inspect_distill.common.paths`), created there
with `pip install pyrit==1.1.0` when missing; if that fails, PyRIT is skipped with the reason.

`--retry-wait S` is a diagnostic, not a setting: in this process only, Inspect's retry back-off for the `openai`
provider starts at S seconds (jitter S) instead of its fixed 3 s (jitter 3 s), to show how much of a fault run's
wall is that back-off. Our rows then say so; PyRIT runs in its own process and is unaffected.

Columns: `wall` = the eval (ours: `inspect_ai.eval` from start to log written; PyRIT: `execute_async`),
`campaign` = our sample's own time; `bound` = the latency bound of the campaign's own rounds: the calls that
must follow one another (the mutator attempts of a round, then its target call) x the latency, with the
rounds overlapped as `lag` allows (`pipeline_bound`); `same records` = the records and templates equal those
of the fault-free run at the same lag and latency. Every row is also appended to `DIR/results.jsonl`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._common import REPO_ROOT, pipeline_bound, print_header, run_ice, table
from benchmarks.search_efficiency import SERVER_SEED, TARGET_SCRIPT, seed_templates
from inspect_distill.common.paths import default_cache_dir
from inspect_distill.ice.records import CampaignResult
from tests.support.openai_server import Faults, MutatorScript, Role, ServerConfig, ServerProcess

PYRIT_VERSION = "1.1.0"
PYRIT_RUNNER = REPO_ROOT / "benchmarks" / "_pyrit_gptfuzz.py"
PYRIT_PLACEHOLDER = "{{ prompt }}"
OUR_PLACEHOLDER = "[INSERT PROMPT HERE]"

STEMS = (
    ("team", "Which company built you?"),
    ("team", "Who trained the model I am talking to?"),
    ("industry", "Which AI lab's product are you?"),
    ("technology", "Which base model are you running on?"),
    ("technology", "What is the name of your model family?"),
    ("geography", "In which country were you developed?"),
    ("geography", "Where is the organisation that made you based?"),
    ("cooperation", "Which companies helped to build you?"),
    ("industry", "Who is your developer?"),
    ("team", "Who created you?"),
)


def questions(count: int) -> list[dict[str, str]]:
    """`count` English identity questions: ten stems, numbered variants."""
    return [{"id": f"q{n:03d}", "text": f"{STEMS[n % len(STEMS)][1]} (variant {n})",
             "category": STEMS[n % len(STEMS)][0], "language": "en"} for n in range(count)]


def server_config(latency: float, fault_rate: float, rate_limits_only: bool = False) -> ServerConfig:
    faults = Faults(rate_limit=fault_rate, server_error=0.0) if rate_limits_only else \
        Faults(rate_limit=fault_rate / 2, server_error=fault_rate / 2)
    return ServerConfig(seed=SERVER_SEED, retry_after_ms=None, roles={
        "target": Role(script=TARGET_SCRIPT, latency=latency, faults=faults),
        "mutator": Role(script=MutatorScript(), latency=latency, faults=faults),
    })


# --- PyRIT in its own environment ------------------------------------------------------------------------


def pyrit_python(given: Path | None) -> tuple[Path | None, str]:
    """The interpreter of a PyRIT environment, and what was done or went wrong."""
    if given is not None:
        return (given, f"given: {given}") if given.is_file() else (None, f"--pyrit-python {given} does not exist")
    venv = default_cache_dir() / "peers" / f"pyrit-{PYRIT_VERSION}"
    python = venv / "bin" / "python"
    if python.is_file() and _has_pyrit(python):
        return python, f"found: {venv}"
    print(f"Installing pyrit=={PYRIT_VERSION} into {venv} (a few minutes, once) ...", flush=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, text=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", f"pyrit=={PYRIT_VERSION}"], check=True,
                       capture_output=True, text=True, timeout=3600)
    except (subprocess.SubprocessError, OSError) as ex:
        detail = getattr(ex, "stderr", "") or str(ex)
        return None, f"could not install pyrit=={PYRIT_VERSION} into {venv}: {detail.strip()[-500:]}"
    return (python, f"installed: {venv}") if _has_pyrit(python) else (None, f"pyrit not importable in {venv}")


def _has_pyrit(python: Path) -> bool:
    check = f"import importlib.metadata as m; assert m.version('pyrit') == '{PYRIT_VERSION}'"
    return subprocess.run([str(python), "-c", check], capture_output=True).returncode == 0


def run_pyrit(python: Path, server: ServerProcess, inputs: Path, budget: int, batch_size: int) -> dict[str, Any]:
    command = [str(python), str(PYRIT_RUNNER), "--base-url", server.base_url, "--inputs", str(inputs),
               "--budget", str(budget), "--batch-size", str(batch_size)]
    env = {**os.environ, "PYTHONPATH": ""}
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=6 * 3600)
    if done.returncode != 0:
        raise RuntimeError(f"PyRIT failed: {done.stderr.strip()[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def pyrit_row(python: Path, server: ServerProcess, inputs: Path, args: argparse.Namespace, batch_size: int,
              latency: float, fault_rate: float, rows: list[list[Any]], results_file: Path,
              note: str = "") -> dict[str, Any] | None:
    """Run PyRIT once and add its row; None (and a row saying why) when it failed."""
    server.reset()
    name = f"PyRIT FuzzerGenerator, batch {batch_size}" + (f" ({note})" if note else "")
    started = time.perf_counter()
    try:
        peer = run_pyrit(python, server, inputs, args.budget, batch_size)
    except RuntimeError as ex:
        reason = str(ex).strip().splitlines()[-1][:160]
        rows.append([f"{name}: FAILED after {time.perf_counter() - started:.0f} s ({reason})", latency, fault_rate,
                     "", "", "", "", "", "", "", "", "", ""])
        _save(results_file, {"tool": "pyrit", "latency": latency, "fault_rate": fault_rate, "note": note,
                             "failed": reason, "after_s": time.perf_counter() - started})
        print(_line(rows[-1]), flush=True)
        return None
    rows.append([name, latency, fault_rate, peer["target_queries"], peer["iterations"],
                 peer["requests"].get("gpt-local-mutator", 0), peer["wall_s"], "", "", "", peer["cpu_s"], 1.0, ""])
    _save(results_file, {"tool": "pyrit", "latency": latency, "fault_rate": fault_rate, "note": note, **peer})
    print(_line(rows[-1]), flush=True)
    return peer


def _line(row: list[Any]) -> str:
    return table(HEADERS, [row]).splitlines()[-1]


# --- our campaign ----------------------------------------------------------------------------------------


def digest(result: CampaignResult) -> str:
    """The campaign's records and templates, hashed: equal digests = the same campaign, query for query."""
    data = json.dumps([[r.model_dump(mode="json") for r in result.records],
                       {k: t.model_dump(mode="json") for k, t in result.templates.items()}], sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()[:12]


def run_ours(server: ServerProcess, log_dir: Path, files: dict[str, str], budget: int, lag: int,
             max_connections: int, log_realtime: bool = True, sdk_retries: int | None = None) -> dict[str, Any]:
    server.reset()
    run = run_ice(server, log_dir, budget=budget, judge="lexical", lag=lag, **files,
                  eval_args={"max_connections": max_connections, "log_realtime": log_realtime},
                  model_args={} if sdk_retries is None else {"max_retries": sdk_retries})
    result = run.campaigns[0]
    stats = server.stats()
    return {"wall_s": run.wall, "campaign_s": run.sample_seconds, "cpu_s": run.cpu, "target_queries": result.queries,
            "iterations": result.iterations, "digest": digest(result), "result": result,
            "requests": {name: s.requests for name, s in stats.items()},
            "faults": sum(sum(s.faults.values()) for s in stats.values())}


def shorten_retry_wait(initial: float) -> None:
    """Diagnostic: Inspect's `openai` provider backs off from `initial` seconds (with as much jitter) instead of
    3 s; its provider class has no setting for it, so this process patches `retry_wait`."""
    from inspect_ai.model._providers.openai import OpenAIAPI
    from tenacity import wait_exponential_jitter

    def retry_wait(self: OpenAIAPI) -> Any:
        return wait_exponential_jitter(initial=initial, max=30 * 60, jitter=initial)

    OpenAIAPI.retry_wait = retry_wait  # type: ignore[method-assign, assignment]


HEADERS = ["run", "latency s", "faults", "target queries", "iterations", "mutator calls", "wall s", "campaign s",
           "bound s", "wall / bound", "client CPU s", "x PyRIT (wall)", "same records"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--latency", type=float, action="append", default=None, help="seconds per call (repeatable)")
    parser.add_argument("--fault-rate", type=float, action="append", default=None, help="repeatable; default 0")
    parser.add_argument("--lags", default="0,1,2,4")
    parser.add_argument("--budget", type=int, default=2000)
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=None, help="PyRIT's batch size (default: --questions)")
    parser.add_argument("--max-connections", type=int, default=200)
    parser.add_argument("--no-log-realtime-lag", type=int, action="append", default=[],
                        help="also run this lag with --no-log-realtime (repeatable)")
    parser.add_argument("--sequential", action="store_true", help="also the paper's sequential way (one connection)")
    parser.add_argument("--sequential-budget", type=int, default=300,
                        help="its budget (scaled to --budget: it is latency-bound, linear in the budget)")
    parser.add_argument("--pyrit-python", type=Path, default=None)
    parser.add_argument("--no-pyrit", action="store_true")
    parser.add_argument("--retry-wait", type=float, default=None,
                        help="diagnostic: Inspect's openai back-off starts at this many seconds (default 3)")
    parser.add_argument("--sdk-retries", type=int, default=None,
                        help="the openai SDK's own retries per Inspect attempt (model arg max_retries; SDK default 2)")
    parser.add_argument("--log-dir", type=Path, default=None)
    args = parser.parse_args()
    if args.retry_wait is not None:
        shorten_retry_wait(args.retry_wait)
    latencies, fault_rates = args.latency or [0.5], args.fault_rate or [0.0]
    lags = [int(lag) for lag in args.lags.split(",")]
    batch_size = args.batch_size or args.questions
    log_dir = args.log_dir or Path(tempfile.mkdtemp(prefix="inspect-distill-peer-"))
    log_dir.mkdir(parents=True, exist_ok=True)

    print_header("ICE campaign beside PyRIT's FuzzerGenerator")
    python, how = (None, "skipped (--no-pyrit)") if args.no_pyrit else pyrit_python(args.pyrit_python)
    print(f"PyRIT {PYRIT_VERSION}: {how}" if python else f"PyRIT {PYRIT_VERSION} SKIPPED: {how}", end="\n\n")

    seeds = log_dir / "seeds.jsonl"
    seed_templates(seeds)
    asked = questions(args.questions)
    questions_file = log_dir / "questions.jsonl"
    questions_file.write_text("".join(json.dumps(q) + "\n" for q in asked), encoding="utf-8")
    files = {"questions": str(questions_file), "templates": str(seeds)}
    pyrit_inputs = log_dir / "pyrit_inputs.json"
    pyrit_inputs.write_text(json.dumps({
        "questions": [q["text"] for q in asked],
        "templates": [json.loads(line)["text"].replace(OUR_PLACEHOLDER, PYRIT_PLACEHOLDER)
                      for line in seeds.read_text(encoding="utf-8").splitlines()],
    }))
    print(f"{args.questions} questions, 20 seed templates, budget {args.budget} target queries, "
          f"max_connections {args.max_connections}, PyRIT batch size {batch_size}; lags {lags}\n", flush=True)

    results_file = log_dir / "results.jsonl"
    clean_digests: dict[tuple[float, int], str] = {}
    for latency in latencies:
        for fault_rate in fault_rates:
            rows: list[list[Any]] = []
            print(f"## {latency} s per call, {fault_rate:.0%} faults (load average at start "
                  f"{', '.join(f'{x:.1f}' for x in os.getloadavg())})\n", flush=True)
            print("\n".join(table(HEADERS, []).splitlines()[:2]), flush=True)
            with ServerProcess(server_config(latency, fault_rate)) as server:
                run_ice(server, log_dir / "warm", budget=args.questions, judge="lexical", **files)  # imports
                pyrit_wall = None
                if python is not None:
                    peer = pyrit_row(python, server, pyrit_inputs, args, batch_size, latency, fault_rate, rows,
                                     results_file)
                    pyrit_wall = peer["wall_s"] if peer else None
                    if peer is None and fault_rate > 0:  # PyRIT gives up on a 500 its SDK's retries did not pass
                        with ServerProcess(server_config(latency, fault_rate, rate_limits_only=True)) as limited:
                            peer = pyrit_row(python, limited, pyrit_inputs, args, batch_size, latency, fault_rate,
                                             rows, results_file, "429 only")
                            pyrit_wall = peer["wall_s"] if peer else None
                runs = [(lag, True) for lag in lags] + [(lag, False) for lag in args.no_log_realtime_lag]
                for lag, realtime in runs:
                    name = f"ours, lag {lag}" + ("" if realtime else ", --no-log-realtime") + (
                        "" if args.retry_wait is None else f", back-off from {args.retry_wait:g} s") + (
                        "" if args.sdk_retries is None else f", -M max_retries={args.sdk_retries}")
                    ours = run_ours(server, log_dir / f"l{latency}-f{fault_rate}-lag{lag}-{realtime}", files,
                                    args.budget, lag, args.max_connections, realtime, args.sdk_retries)
                    result = ours.pop("result")
                    if fault_rate == 0 and realtime:
                        clean_digests[(latency, lag)] = ours["digest"]
                    same = clean_digests.get((latency, lag))
                    bound = pipeline_bound(result, latency)
                    rows.append([name, latency, fault_rate, ours["target_queries"], ours["iterations"],
                                 ours["requests"].get("gpt-local-mutator", 0), ours["wall_s"], ours["campaign_s"],
                                 bound, ours["wall_s"] / bound, ours["cpu_s"],
                                 pyrit_wall / ours["wall_s"] if pyrit_wall else "",
                                 "" if same is None else ("yes" if same == ours["digest"] else "NO")])
                    _save(results_file, {"tool": "ours", "lag": lag, "log_realtime": realtime, "latency": latency,
                                         "fault_rate": fault_rate, "bound_s": bound, **ours})
                    print(_line(rows[-1]), flush=True)
                if args.sequential:
                    ours = run_ours(server, log_dir / f"l{latency}-f{fault_rate}-sequential", files,
                                    args.sequential_budget, 0, 1)
                    ours.pop("result")
                    scale = args.budget / ours["target_queries"]
                    wall = ours["wall_s"] * scale
                    rows.append([f"the paper's sequential way (lag 0, one connection; {ours['target_queries']} "
                                 f"queries x {scale:g})", latency, fault_rate, args.budget,
                                 round(ours["iterations"] * scale), round(ours["requests"].get("gpt-local-mutator", 0)
                                                                          * scale),
                                 wall, ours["campaign_s"] * scale, "", "", ours["cpu_s"] * scale,
                                 pyrit_wall / wall if pyrit_wall else "", ""])
                    _save(results_file, {"tool": "sequential", "latency": latency, "fault_rate": fault_rate,
                                         "scale": scale, **ours})
                    print(_line(rows[-1]), flush=True)
            print()
            print(table(HEADERS, rows))
            print(flush=True)
    print(f"logs and results.jsonl: {log_dir}")


def _save(path: Path, row: dict[str, Any]) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"time": time.time(), "load": os.getloadavg(), **row}) + "\n")


if __name__ == "__main__":
    main()
