"""Behaviour snapshot: the records, scores and metrics of seeded runs, written as normalised JSON.

Run it before and after a change that should not change behaviour (a move of modules, a refactor), then
compare the two directories with `--compare`. Every model call goes through Inspect's real `openai`
provider to the local test server, so the snapshot needs no network and no API key. Tasks are named by
their registry names, so the script works on any layout of the package.

    python -m benchmarks.behaviour_snapshot --out /tmp/before
    python -m benchmarks.behaviour_snapshot --out /tmp/after --compare /tmp/before

The runs: an ICE campaign with both judges and the hallucination control, an ICE campaign with UCB and
strict rewards over two epochs, the paper's deepseek-chat run imported and judged lexically, and an RSE run
(live reference with ceiling, swap, scripted judge) on ten ArenaHard prompts. What is kept: each sample's
store, scores (value, answer, explanation, metadata), the metrics, and the task's metadata and arguments.
Timestamps, ids, events and model usage are left out.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from inspect_ai import eval as inspect_eval
from inspect_ai.log import EvalLog

from tests.support.campaign_inputs import write_campaign_files
from tests.support.openai_server import OpenAIServer

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("INSPECT_DISTILL_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))
def _plain(value: Any) -> Any:
    """JSON-ready, NaN written as the string "nan" (so two NaNs compare equal)."""
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "model_dump"):
        return _plain(value.model_dump(mode="json"))
    return value


def snapshot(log: EvalLog) -> dict[str, Any]:
    """What a behaviour-preserving change must keep: stores, scores, metrics, task metadata and arguments."""
    assert log.status == "success", log.error
    samples = []
    for sample in log.samples or []:
        samples.append({
            "id": sample.id,
            "epoch": sample.epoch,
            "output": sample.output.completion if sample.output else None,
            "store": sample.store,
            "scores": {
                name: {"value": s.value, "answer": s.answer, "explanation": s.explanation, "metadata": s.metadata}
                for name, s in (sample.scores or {}).items()
            },
        })
    metrics = {
        score.name: {name: m.value for name, m in score.metrics.items()} for score in (log.results.scores if log.results else [])
    }
    return _plain({
        "task_args": log.eval.task_args,
        "task_metadata": log.eval.metadata,
        "samples": samples,
        "metrics": metrics,
    })


INPUTS = Path(tempfile.gettempdir()) / "inspect_distill_snapshot_inputs"
"""A fixed place for the input files: their paths are recorded in the logs, so they must not vary."""


def runs(server: OpenAIServer, work: Path) -> Iterator[tuple[str, EvalLog]]:
    INPUTS.mkdir(exist_ok=True)
    files = write_campaign_files(INPUTS)
    roles = {"mutator": server.model("gpt-local-mutator"), "grader": server.model("gpt-local-judge")}
    target = server.model("gpt-local-target")
    common = {"model": target, "log_dir": str(work / "logs"), "display": "none"}
    yield "ice_both_control", inspect_eval(
        "inspect_distill/ice", task_args={"identity": "deepseek", "budget": 40, "judge": "both", "control": True,
                                          "cache": False, "seed": 3, **files},
        model_roles=roles, **common)[0]
    yield "ice_ucb_strict_epochs", inspect_eval(
        "inspect_distill/ice", task_args={"identity": "alibaba", "budget": 25, "judge": "llm", "selection": "ucb",
                                          "reward_on": "strict", "cache": False, "seed": 7, **files},
        model_roles=roles, epochs=2, **common)[0]
    attack = SHARED / "paper_ice" / "attack_deepseek-chat.jsonl"
    yield "ice_import_deepseek", inspect_eval(
        "inspect_distill/ice_import", task_args={"file": str(attack), "identity": "deepseek",
                                                 "questions": str(SHARED / "paper_identity_questions.csv")},
        **common)[0]
    rse_roles = {"reference": server.model("gpt-local-reference"), "grader": server.model("gpt-local-judge")}
    yield "rse_ceiling_swap", inspect_eval(
        "inspect_distill/rse", task_args={"datasets": "arena_hard", "dataset_path": str(SHARED / "arena_hard_v0.1"),
                                          "per_dataset": 10, "swap": True, "ceiling": True, "reference_cache": False},
        model_roles=rse_roles, **common)[0]


def compare(before: Path, after: Path) -> int:
    """Print every difference between two snapshot directories; the number of differing runs."""
    differing = 0
    for old in sorted(before.glob("*.json")):
        new = after / old.name
        a = json.loads(old.read_text())
        b = json.loads(new.read_text()) if new.is_file() else None
        differences = list(_diff(a, b, old.stem))
        if differences:
            differing += 1
            added = sum(": added = " in line for line in differences)
            removed = sum(line.endswith(": removed") for line in differences)
            print(f"{old.stem}: {len(differences)} difference(s): {added} added, {removed} removed, "
                  f"{len(differences) - added - removed} changed")
            for line in sorted(differences, key=lambda line: ": added = " in line)[:40]:
                print("  " + line)
        else:
            print(f"{old.stem}: identical")
    return differing


def _diff(a: Any, b: Any, path: str) -> Iterator[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in b:
                yield f"{path}.{key}: removed"
            elif key not in a:
                yield f"{path}.{key}: added = {json.dumps(b[key])[:120]}"
            else:
                yield from _diff(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for index, (x, y) in enumerate(zip(a, b)):
            yield from _diff(x, y, f"{path}[{index}]")
    elif a != b:
        yield f"{path}: {json.dumps(a)[:120]} -> {json.dumps(b)[:120]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, required=True, help="directory for the snapshot (one JSON per run)")
    parser.add_argument("--compare", type=Path, help="an earlier snapshot directory to compare with")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    with tempfile.TemporaryDirectory() as work, OpenAIServer() as server:
        os.environ["INSPECT_CACHE_DIR"] = str(Path(work) / "cache")
        for name, log in runs(server, Path(work)):
            (args.out / f"{name}.json").write_text(json.dumps(snapshot(log), indent=1, ensure_ascii=False,
                                                              sort_keys=True))
            print(f"{name}: written")
    return compare(args.compare, args.out) if args.compare else 0


if __name__ == "__main__":
    sys.exit(main())
