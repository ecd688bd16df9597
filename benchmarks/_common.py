"""Shared parts of the performance benchmarks: the machine, the local server, one ICE campaign run, tables.

Every benchmark talks to the local OpenAI-compatible server of `tests/support/openai_server.py`, run as a
separate process (so its CPU time is not counted as the plugin's), through Inspect's real `openai` provider.
"""

from __future__ import annotations

import os
import platform
import shlex
import sys
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from inspect_ai import eval as inspect_eval
from inspect_ai.log import EvalLog

from inspect_distill.ice.records import CampaignResult, stored_campaign
from tests.support.openai_server import ServerProcess

REPO_ROOT = Path(__file__).resolve().parents[1]

TARGET = "gpt-local-target"
MUTATOR = "gpt-local-mutator"
JUDGE = "gpt-local-judge"
REFERENCE = "gpt-local-reference"
PAPER_QUESTIONS = REPO_ROOT.parent / "shared" / "data" / "paper_identity_questions.csv"
"""The paper's 50 identity questions (25 English, 25 Chinese); the built-in English 50 when absent."""


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return {
        "cpus (nproc)": str(os.cpu_count()),
        "RAM": memory,
        "python": platform.python_version(),
        "inspect-ai": version("inspect-ai"),
        "openai": version("openai"),
        "platform": platform.platform(),
        "load average at start (1, 5, 15 min)": load,
    }


def command() -> str:
    module = "benchmarks." + Path(sys.argv[0]).stem
    return "python -m " + " ".join(shlex.quote(arg) for arg in [module, *sys.argv[1:]])


def print_header(title: str) -> None:
    print(f"# {title}\n")
    print(f"command: `{command()}`\n")
    print(table(["machine", ""], list(machine().items())))
    print()


def table(headers: list[str], rows: list[Any]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for row in rows:
        lines.append("| " + " | ".join(_cell(value) for value in row) + " |")
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 100 else f"{value:,.0f}"
    return str(value)


def question_args() -> dict[str, Any]:
    """The paper's 50 questions when the shared data is here, else the built-in English 50."""
    return {"questions": str(PAPER_QUESTIONS)} if PAPER_QUESTIONS.is_file() else {"languages": "en"}


@dataclass
class Run:
    """One eval: its log, wall-clock and CPU seconds of this process (the plugin and Inspect)."""

    log: EvalLog
    wall: float
    cpu: float

    @property
    def campaigns(self) -> list[CampaignResult]:
        assert self.log.samples, self.log.error
        return [
            result
            for sample in self.log.samples
            if (result := stored_campaign(sample.store)) is not None
        ]

    @property
    def sample_seconds(self) -> float:
        """Wall-clock seconds of the longest sample (the campaign itself, without eval start-up)."""
        assert self.log.samples
        return max(sample.total_time or 0.0 for sample in self.log.samples)


def run_ice(server: ServerProcess, log_dir: Path, *, eval_args: dict[str, Any] | None = None,
            judge_model: str = JUDGE, model_args: dict[str, Any] | None = None, **task_args: Any) -> Run:
    """One ICE eval against the server (target, mutator and grader roles on the real `openai` provider, each
    with `model_args`, e.g. the openai SDK's `max_retries`)."""
    from inspect_distill.ice.task import ice

    args: dict[str, Any] = {"identity": "deepseek", "cache": False, **question_args(), **task_args}
    model_args = model_args or {}
    roles = {"mutator": server.model(MUTATOR, **model_args), "grader": server.model(judge_model, **model_args)}
    started, cpu = time.perf_counter(), time.process_time()
    logs = inspect_eval(ice(**args), model=server.model(TARGET, **model_args), model_roles=roles, log_dir=str(log_dir),
                        display="none", **(eval_args or {}))
    run = Run(logs[0], time.perf_counter() - started, time.process_time() - cpu)
    if run.log.status != "success":
        raise RuntimeError(f"The eval failed: {run.log.error}")
    return run


def iteration_chains(result: CampaignResult) -> tuple[dict[int, int], dict[int, int]]:
    """Per iteration, the model calls that must follow one another: its mutator attempts (the most of one
    mutant), and on its answers one target call plus the longest chain of judge calls (control left out)."""
    attempts: dict[int, int] = {}
    for template in result.templates.values():
        if template.source == "mutant":
            attempts[template.iteration] = max(attempts.get(template.iteration, 0), template.attempts)
    answers: dict[int, int] = {}
    for record in result.records:
        if not record.control:
            calls = 1 + sum(v.judge_calls for v in record.verdicts.values())
            answers[record.iteration] = max(answers.get(record.iteration, 0), calls)
    return attempts, answers


def sequential_calls(result: CampaignResult) -> int:
    """The campaign's critical path in model calls: per iteration, the mutator attempts (one after the
    other), then one target call, then the longest chain of judge calls on one answer."""
    attempts, answers = iteration_chains(result)
    return sum(attempts.values()) + sum(answers.values())


def pipeline_bound(result: CampaignResult, latency: float) -> float:
    """The campaign's latency bound in seconds, its rounds overlapped as its `lag` allows: round k opens when
    round k-1-lag is taken in; its mutator attempts follow one another, it pays for its mutants after round
    k-1 has, then one target call and the longest judge chain on one answer; rounds are taken in in order.
    With lag 0 this is `sequential_calls(result) * latency`."""
    lag = result.settings.lag
    attempts, answers = iteration_chains(result)
    paid = [0.0]
    finished = [0.0]  # finished[k]: round k taken in
    for k in range(1, result.iterations + 1):
        opened = finished[max(0, k - 1 - lag)]
        paid.append(max(paid[k - 1], opened + attempts.get(k, 0)))
        finished.append(max(finished[k - 1], paid[k] + answers.get(k, 0)))
    return finished[-1] * latency
