"""`inspect eval-set` with ICE, RSE and an unrelated task over the local and a replayed model; resume; report.

The tasks are named as on the command line (`inspect_distill/ice`, `inspect_distill/rse`); the models are the
real local SmolLM2-135M and recorded gpt-4-0613 answers (real arena-hard answers, plus answers written here
for the ICE prompts and the third task). The mutator and the RSE grader are scripted.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from inspect_ai import Task, eval_set, task
from inspect_ai.dataset import Sample
from inspect_ai.model import ChatMessage, GenerateConfig, ModelOutput, get_model
from inspect_ai.scorer import includes
from inspect_ai.solver import generate

from inspect_distill.report import build_report
from tests.conftest import ARENA_HARD
from tests.report.logs import mutator, similarity_judge, write_data

REPLAYED = "gpt-4-0613"
LOCAL = "gguf/smollm2-135m"
CAPITALS = [("What is the capital of France? Answer with one word.", "Paris"),
            ("What is the capital of Japan? Answer with one word.", "Tokyo")]


@task
def capitals() -> Task:
    """An unrelated two-sample task, to run beside ICE and RSE in one eval set."""
    return Task(dataset=[Sample(input=q, target=a) for q, a in CAPITALS], solver=generate(), scorer=includes())


def _counting(respond: Any, calls: list[int]) -> Any:
    def counted(input: list[ChatMessage], tools: Any, tool_choice: Any, config: GenerateConfig) -> ModelOutput:
        calls.append(1)
        return respond(input, tools, tool_choice, config)

    return counted


def _shortest_arena_questions(out: Path, count: int) -> Path:
    questions = [json.loads(line) for line in (ARENA_HARD / "question.jsonl").read_text().splitlines()]
    (out / "arena_hard").mkdir(parents=True)
    path = out / "arena_hard" / "question.jsonl"
    path.write_text("".join(json.dumps(q) + "\n" for q in sorted(questions, key=lambda q: len(q["prompt"]))[:count]))
    return path


def _run(log_dir: Path, data: Path, calls: list[int]) -> tuple[bool, list[Any]]:
    roles = {"mutator": get_model("mockllm/model", custom_outputs=_counting(mutator, calls)),
             "grader": get_model("mockllm/model", custom_outputs=_counting(similarity_judge, calls),
                                 config=GenerateConfig(max_tokens=200))}
    return eval_set(
        tasks=["inspect_distill/ice", "inspect_distill/rse", "capitals"],  # all three by registry name
        model=[LOCAL, f"replay/{data / f'{REPLAYED}.jsonl'}"],
        model_roles=roles,
        task_args={
            # ICE (RSE ignores these)
            "questions": str(data / "questions.jsonl"), "budget": 4, "mutators": "rephrase", "judge": "lexical",
            "max_tokens": 24,
            # RSE (ICE ignores these)
            "datasets": "arena_hard", "dataset_path": f"arena_hard={data / 'arena_hard' / 'question.jsonl'}",
            "reference_answers": str(data / "gpt-4-0314.jsonl"), "judge_retries": 0,
        },
        max_tokens=32,
        log_dir=str(log_dir),
        retry_attempts=1,
        retry_wait=0.1,
        display="none",
    )


@pytest.mark.slow
def test_eval_set_runs_resumes_and_reports(tmp_path: Path, shared_data: Path) -> None:
    data, log_dir = tmp_path / "data", tmp_path / "logs"
    write_data(data)
    _shortest_arena_questions(data, 2)
    with open(data / f"{REPLAYED}.jsonl", "a", encoding="utf-8") as handle:
        for question, answer in CAPITALS:
            handle.write(json.dumps({"prompt": question, "response": answer, "model": REPLAYED}) + "\n")

    calls: list[int] = []
    success, logs = _run(log_dir, data, calls)
    assert success, [(log.eval.task, log.eval.model, log.error) for log in logs if log.status != "success"]
    assert sorted((log.eval.task.split("/")[-1], log.eval.model) for log in logs) == sorted(
        (name, model) for name in ("ice", "rse", "capitals") for model in (LOCAL, f"replay/{REPLAYED}"))
    assert calls  # the scripted mutator and grader were used
    files = {p.name: p.stat().st_mtime_ns for p in log_dir.glob("*.eval")}
    assert len(files) == 6

    # a re-run finds every task done: no model call, no new or rewritten log
    calls.clear()
    success, again = _run(log_dir, data, calls)
    assert success and len(again) == 6
    assert calls == []
    assert {p.name: p.stat().st_mtime_ns for p in log_dir.glob("*.eval")} == files

    # the report reads the eval-set directory: both models in ICE and RSE, the third task listed only
    report = build_report([log_dir], tmp_path / "report", quiet=True)
    ice_models = report.tables["ice_models"].data
    assert sorted(ice_models["model"]) == sorted([LOCAL, f"replay/{REPLAYED}"])
    assert (ice_models["queries"] == 4).all()
    replayed = ice_models[ice_models["model"] == f"replay/{REPLAYED}"].iloc[0]
    assert replayed["strict_positives"] == 1  # the recorded answers claim Claude once (team-en)
    rse_models = report.tables["rse_models"].data
    assert sorted(rse_models["model"]) == sorted([LOCAL, f"replay/{REPLAYED}"])
    assert (rse_models["reference"] == "gpt-4-0314").all()
    assert sorted(report.tables["ice_vs_rse"].data["model"]) == sorted([LOCAL, f"replay/{REPLAYED}"])
    assert "capitals" in set(report.logs.evals["task"])
    assert all(plot.path is not None for plot in report.plots if plot.name != "rse_reference_matrix")
