"""The RSE task end to end on real arena-hard answers: replay target, recorded reference, scripted or local judge."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from inspect_ai.log import EvalLog
from inspect_ai.model import ChatMessage, GenerateConfig, ModelOutput, get_model

from inspect_distill.rse.task import rse
from tests.conftest import ARENA_HARD, REPO_ROOT, run_eval

GPT4_0314 = ARENA_HARD / "answer_gpt-4-0314.jsonl"
GPT4_0613 = ARENA_HARD / "answer_gpt-4-0613.jsonl"
KEYS = {"overall", "style", "logic", "content", "ngram", "rouge_l"}


def _summary(log: EvalLog) -> dict[str, float]:
    assert log.results is not None
    scores = {s.name: s for s in log.results.scores}
    return {name: metric.value for name, metric in scores["rse_similarity"].metrics.items()}


def _scores(log: EvalLog) -> list[Any]:
    return [sample.scores["rse_similarity"] for sample in log.samples or []]  # type: ignore[index]


def test_replay_target_recorded_reference_scripted_judge(tmp_path: Path) -> None:
    replies = ['{"style": 2, "logic": 1, "content": 1, "overall": 4, "reason": "Both use numbered steps."}',
               "I cannot decide.", "Still cannot.",  # one unreadable sample (1 retry)
               '```json\n{"style": 1, "logic": 1, "content": 0, "overall": 2, "reason": "Different code."}\n```']
    calls: list[str] = []

    def judge(input: list[ChatMessage], tools: Any, tool_choice: Any, config: GenerateConfig) -> ModelOutput:
        calls.append(input[0].text)
        return ModelOutput.from_content(model="judge", content=replies[(len(calls) - 1) % len(replies)])

    task = rse(datasets="arena_hard", dataset_path=str(ARENA_HARD), per_dataset=5, reference_answers=str(GPT4_0314))
    log = run_eval(task, f"replay/{GPT4_0613}", tmp_path, max_samples=1,
                   model_roles={"grader": get_model("mockllm/judge", custom_outputs=judge)})
    assert log.status == "success", log.error
    scores = _scores(log)
    assert len(scores) == 5
    for sample, score in zip(log.samples or [], scores):
        assert set(score.value) == KEYS
        assert 0 < score.value["ngram"] < 1 and 0 < score.value["rouge_l"] < 1  # present for every sample
        assert sample.metadata["dataset"] == "arena_hard" and sample.metadata["reference_model"] == "gpt-4-0314"
        assert str(sample.id).startswith("arena_hard-")
        if math.isnan(score.value["overall"]):
            assert score.reason == "grader_failed" and "unscored" in score.explanation
        else:
            assert score.reason is None and "reference as A" in score.explanation
    # the judge saw the real question, the recorded reference as A and the replayed answer as B
    sample = (log.samples or [])[0]
    reference = {json.loads(line)["messages"][0]["content"]: json.loads(line)["messages"][1]["content"]["answer"]
                 for line in GPT4_0314.read_text().splitlines()}[sample.input]  # type: ignore[index]
    assert f"<answer_a>\n{reference}\n</answer_a>" in calls[0]
    assert f"<answer_b>\n{sample.output.completion}\n</answer_b>" in calls[0]
    summary = _summary(log)
    overalls = [s.value["overall"] for s in scores if not math.isnan(s.value["overall"])]
    assert summary["scored"] == len(overalls) and summary["unscored"] == 5 - len(overalls) >= 1
    assert summary["rse_arena_hard"] == pytest.approx(sum(overalls) / len(overalls))
    assert summary["rse_avg"] == summary["rse_arena_hard"]
    assert summary["ngram_arena_hard"] == pytest.approx(sum(s.value["ngram"] for s in scores) / 5)


def test_swap_reports_the_gap(tmp_path: Path) -> None:
    def judge(input: list[ChatMessage], tools: Any, tool_choice: Any, config: GenerateConfig) -> ModelOutput:
        text = input[0].text
        a = text.split("<answer_a>\n", 1)[1]
        overall = 5 if a.startswith(reference_starts) else 3
        reply = f'{{"style": 1, "logic": 1, "content": 1, "overall": {overall}}}'
        return ModelOutput.from_content(model="judge", content=reply)

    rows = [json.loads(line) for line in GPT4_0314.read_text().splitlines()]
    reference_starts = tuple(row["messages"][1]["content"]["answer"][:200] for row in rows)
    task = rse(datasets="arena_hard", dataset_path=str(ARENA_HARD), per_dataset=3, reference_answers=str(GPT4_0314),
               swap=True)
    log = run_eval(task, f"replay/{GPT4_0613}", tmp_path,
                   model_roles={"grader": get_model("mockllm/judge", custom_outputs=judge)})
    assert log.status == "success", log.error
    for score in _scores(log):
        assert score.value["overall"] == 4.0 and score.value["swap_gap"] == 2.0
    summary = _summary(log)
    assert summary["swap_gap_abs"] == 2.0 and summary["rse_avg"] == 4.0


def test_identical_answers_are_refused_per_sample(tmp_path: Path) -> None:
    def judge(input: list[ChatMessage], tools: Any, tool_choice: Any, config: GenerateConfig) -> ModelOutput:
        raise AssertionError("the judge must not be asked about identical text")

    recorded = tmp_path / "copy.jsonl"
    recorded.write_text("".join(json.dumps({**json.loads(line), "model": "a-copy"}) + "\n"
                                for line in GPT4_0314.read_text().splitlines()))
    task = rse(datasets="arena_hard", dataset_path=str(ARENA_HARD), per_dataset=2, reference_answers=str(recorded))
    log = run_eval(task, f"replay/{GPT4_0314}", tmp_path / "logs",
                   model_roles={"grader": get_model("mockllm/judge", custom_outputs=judge)})
    assert log.status == "success", log.error
    for score in _scores(log):
        assert score.reason == "identical_to_reference" and math.isnan(score.value["overall"])
        assert score.value["rouge_l"] == 1.0
    assert _summary(log)["unscored"] == 2


def test_without_judge_only_the_cheap_signals_and_no_grader(tmp_path: Path) -> None:
    # no grader role bound and none resolved: the default (an OpenAI model) would fail offline
    task = rse(datasets="arena_hard", dataset_path=str(ARENA_HARD), per_dataset=6, reference_answers=str(GPT4_0314),
               judge=False)
    log = run_eval(task, f"replay/{GPT4_0613}", tmp_path)
    assert log.status == "success", log.error
    scores = _scores(log)
    assert len(scores) == 6
    for score in scores:
        assert set(score.value) == {"ngram", "rouge_l"} and score.reason is None
        assert "judge=false" in score.explanation
    summary = _summary(log)
    assert "scored" not in summary and "rse_avg" not in summary and "overall" not in str(log.results.scores)
    assert summary["ngram_arena_hard"] == pytest.approx(sum(s.value["ngram"] for s in scores) / 6)
    assert summary["rouge_l_avg"] == pytest.approx(sum(s.value["rouge_l"] for s in scores) / 6)
    assert log.stats.model_usage.keys() <= {f"replay/{GPT4_0613}", "replay/gpt-4-0613"}


def test_replaying_the_reference_itself_is_refused(tmp_path: Path) -> None:
    task = rse(datasets="arena_hard", dataset_path=str(ARENA_HARD), per_dataset=1, reference_answers=str(GPT4_0314))
    log = run_eval(task, f"replay/{GPT4_0314}", tmp_path, model_roles={"grader": "mockllm/judge"})
    assert log.status == "error"
    assert log.error is not None and "5.000" in log.error.message


@pytest.mark.parametrize("args, message", [({"judge_retries": 9}, "judge_retries"),
                                           ({"judge_max_tokens": 0}, "judge_max_tokens"),
                                           ({"datasets": "mmlu"}, "Unknown RSE dataset"),
                                           ({"sharegpt_turns": "last"}, "sharegpt_turns"),
                                           ({"judge": False, "swap": True}, "swap=true needs the judge")])
def test_bad_parameters_fail_early(args: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rse(**{"dataset_path": str(ARENA_HARD), "datasets": "arena_hard", **args})


def test_cli_with_comma_list_parameters(tmp_path: Path) -> None:
    """`inspect eval` parses `-T a=x,y` into a list: the task accepts it (the default mockllm judge is unreadable)."""
    # the Inspect CLI in a child process, with mockllm's token counting kept offline (as in conftest)
    cli = ("import sys; from inspect_ai.model import ModelAPI\n"
           "async def count(self, text): return max(1, len(text.split()))\n"
           "ModelAPI.count_text_tokens = count\n"
           "from inspect_ai._cli.main import main; sys.argv[0] = 'inspect'; main()")
    command = [sys.executable, "-c", cli, "eval", str(REPO_ROOT / "src/inspect_distill/rse/task.py@rse"),
               "--model", f"replay/{GPT4_0613}", "--model-role", "grader=mockllm/model",
               "-T", "datasets=arena_hard", "-T", f"dataset_path=arena_hard={ARENA_HARD / 'question.jsonl'},numina=x",
               "-T", f"reference_answers={GPT4_0314}", "-T", "per_dataset=2", "-T", "judge_retries=0",
               "--log-dir", str(tmp_path), "--display", "none"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    from inspect_ai.log import list_eval_logs, read_eval_log

    log = read_eval_log(list_eval_logs(str(tmp_path))[0])
    assert log.status == "success" and len(log.samples or []) == 2
    assert _summary(log)["unscored"] == 2
    for score in _scores(log):
        assert score.reason == "grader_failed" and "no rating found" in score.explanation


@pytest.mark.slow
def test_real_local_judge_on_two_prompts(tmp_path: Path) -> None:
    """SmolLM2-135M as the judge on the two shortest arena-hard items: each is scored or unscored with a reason."""
    pytest.importorskip("llama_cpp")
    questions = [json.loads(line) for line in (ARENA_HARD / "question.jsonl").read_text().splitlines()]
    answers = {json.loads(line)["uid"]: json.loads(line)["messages"][-1]["content"]["answer"]
               for line in GPT4_0314.read_text().splitlines()}
    shortest = sorted(questions, key=lambda q: len(q["prompt"]) + len(answers[q["uid"]]))[:2]
    (tmp_path / "question.jsonl").write_text("".join(json.dumps(q) + "\n" for q in shortest))
    task = rse(datasets="arena_hard", dataset_path=str(tmp_path), reference_answers=str(GPT4_0314),
               judge_max_tokens=48, judge_retries=0)
    log = run_eval(task, f"replay/{GPT4_0613}", tmp_path / "logs", model_roles={"grader": "gguf/smollm2-135m"})
    assert log.status == "success", log.error
    scores = _scores(log)
    assert len(scores) == 2
    for score in scores:
        assert set(score.value) == KEYS and 0 < score.value["ngram"] <= 1
        replies = score.metadata["judge"][0]["replies"]
        assert len(replies) == 1  # judge_retries=0: exactly one call
        if math.isnan(score.value["overall"]):
            assert score.reason == "grader_failed" and score.metadata["judge"][0]["error"]
        else:
            assert 1 <= score.value["overall"] <= 5
    summary = _summary(log)
    assert summary["scored"] + summary["unscored"] == 2
