"""Reference answers: one reference run for many tested models, recorded answers, and the role rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from inspect_ai import Task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import ChatMessage, GenerateConfig, Model, ModelOutput, get_model
from inspect_ai.solver import generate

from inspect_distill.common.models import (
    DEFAULT_GRADER,
    MissingModelRole,
    RoleSpec,
    role_model,
)
from inspect_distill.rse.metrics import rse_metrics
from inspect_distill.rse.reference import (
    SelfComparisonError,
    reference_answer,
    refuse_self_comparison,
)
from inspect_distill.rse.scorer import rse_similarity
from tests.conftest import run_eval
from tests.support.openai_server import (
    TEST_API_KEY,
    OpenAIServer,
    ServerConfig,
    default_roles,
)

PROMPTS = ["Name a prime number.", "Describe rain in one line.", "What is a haiku?"]
JUDGE_REPLY = '{"style": 1, "logic": 2, "content": 1, "overall": 4, "reason": "alike"}'


class ScriptedReference:
    """A reference model that counts its calls and answers differently above temperature 0."""

    def __init__(self, resample_identical: bool = False) -> None:
        self.calls: list[float | None] = []
        self.resample_identical = resample_identical

    def __call__(self, input: list[ChatMessage], tools: Any, tool_choice: Any, config: GenerateConfig) -> ModelOutput:
        self.calls.append(config.temperature)
        prompt = input[-1].text
        if config.temperature and not self.resample_identical:
            return ModelOutput.from_content(model="reference", content=f"A fresh take on: {prompt}")
        return ModelOutput.from_content(model="reference", content=f"The reference answer to: {prompt}")


def _tested(name: str) -> Model:
    def answer(input: list[ChatMessage], tools: Any, tool_choice: Any, config: GenerateConfig) -> ModelOutput:
        return ModelOutput.from_content(model=name, content=f"{name} says something about {input[-1].text}")

    return get_model(f"mockllm/{name}", custom_outputs=answer)


def _judge() -> Model:
    def reply(input: list[ChatMessage], tools: Any, tool_choice: Any, config: GenerateConfig) -> ModelOutput:
        return ModelOutput.from_content(model="judge", content=JUDGE_REPLY)

    return get_model("mockllm/judge", custom_outputs=reply)


def _task(**solver_args: Any) -> Task:
    samples = [Sample(id=i, input=p, metadata={"dataset": "arena_hard"}) for i, p in enumerate(PROMPTS)]
    ceiling = bool(solver_args.get("ceiling"))
    return Task(dataset=MemoryDataset(samples), solver=[reference_answer(**solver_args), generate()],
                scorer=rse_similarity(ceiling=ceiling, retries=0), metrics=rse_metrics(["arena_hard"], ceiling=ceiling))


def test_second_tested_model_makes_no_reference_calls(tmp_path: Path) -> None:
    reference = ScriptedReference()
    roles = {"reference": get_model("mockllm/reference", custom_outputs=reference), "grader": _judge()}
    first = run_eval(_task(), _tested("tested-one"), tmp_path / "one", model_roles=roles)
    assert first.status == "success", first.error
    assert len(reference.calls) == len(PROMPTS)
    second = run_eval(_task(), _tested("tested-two"), tmp_path / "two", model_roles=roles)
    assert second.status == "success", second.error
    assert len(reference.calls) == len(PROMPTS)  # every reference answer came from the disk cache
    assert reference.calls == [0.0] * len(PROMPTS)
    samples = second.samples or []
    assert {s.metadata["reference_model"] for s in samples} == {"mockllm/reference"}
    assert all(s.scores and s.scores["rse_similarity"].value["overall"] == 4.0 for s in samples)  # type: ignore[index]


def test_without_cache_every_run_calls_the_reference(tmp_path: Path) -> None:
    reference = ScriptedReference()
    roles = {"reference": get_model("mockllm/reference", custom_outputs=reference), "grader": _judge()}
    for name in ("tested-one", "tested-two"):
        assert run_eval(_task(cache=False), _tested(name), tmp_path / name, model_roles=roles).status == "success"
    assert len(reference.calls) == 2 * len(PROMPTS)


def test_recorded_reference_answers(tmp_path: Path) -> None:
    recorded = tmp_path / "answers.jsonl"
    recorded.write_text("".join(json.dumps({"prompt": p, "response": f"Recorded: {p}", "model": "ref-1"}) + "\n"
                                for p in PROMPTS))
    log = run_eval(_task(reference_answers=str(recorded)), _tested("tested-one"), tmp_path / "logs",
                   model_roles={"grader": _judge()})
    assert log.status == "success", log.error
    for sample in log.samples or []:
        assert sample.metadata["reference_model"] == "ref-1"
        judge_prompt = sample.scores["rse_similarity"].metadata["judge"][0]  # type: ignore[index]
        assert judge_prompt["judgement"]["overall"] == 4


def test_recorded_answers_and_reference_role_together_are_refused(tmp_path: Path) -> None:
    recorded = tmp_path / "answers.jsonl"
    recorded.write_text("".join(json.dumps({"prompt": p, "response": "x"}) + "\n" for p in PROMPTS))
    roles = {"reference": get_model("mockllm/reference", custom_outputs=ScriptedReference()), "grader": _judge()}
    log = run_eval(_task(reference_answers=str(recorded)), _tested("tested-one"), tmp_path / "logs", model_roles=roles)
    assert log.status == "error"
    assert log.error is not None and "not both" in log.error.message


def test_grader_defaults_to_gpt_4o_mini(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the default grader goes through the real openai provider, to a local server answering as that model
    config = ServerConfig(roles={**default_roles(), DEFAULT_GRADER.split("/")[1]: default_roles()["grader"]})
    with OpenAIServer(config) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", TEST_API_KEY)
        roles = {"reference": get_model("mockllm/reference", custom_outputs=ScriptedReference())}
        log = run_eval(_task(), _tested("tested-one"), tmp_path / "logs", model_roles=roles)
        stats = server.stats("gpt-4o-mini")
    assert DEFAULT_GRADER == "openai/gpt-4o-mini"
    assert log.status == "success", log.error
    assert stats.answered == len(PROMPTS)
    assert log.samples and all(s.scores and s.scores["rse_similarity"].reason is None for s in log.samples)


def test_role_without_default_is_an_error_outside_an_eval() -> None:
    with pytest.raises(MissingModelRole, match="--model-role grader="):
        role_model(RoleSpec(name="grader", purpose="judge", default=None))


def test_tested_model_that_is_the_reference_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SelfComparisonError, match="ceiling=true"):
        refuse_self_comparison("gpt-4-0314", "gpt-4-0314")
    refuse_self_comparison("gpt-4-0613", "gpt-4-0314")
    roles = {"reference": get_model("mockllm/same", custom_outputs=ScriptedReference()), "grader": _judge()}
    log = run_eval(_task(), _tested("same"), tmp_path / "logs", model_roles=roles)
    assert log.status == "error"
    assert log.error is not None and "identical text" in log.error.message


def test_ceiling_compares_the_reference_with_a_fresh_sample(tmp_path: Path) -> None:
    reference = ScriptedReference()
    roles = {"reference": get_model("mockllm/reference", custom_outputs=reference), "grader": _judge()}
    log = run_eval(_task(ceiling=True, ceiling_temperature=0.8), _tested("tested-one"), tmp_path / "logs",
                   model_roles=roles)
    assert log.status == "success", log.error
    assert sorted(reference.calls) == [0.0] * len(PROMPTS) + [0.8] * len(PROMPTS)
    summary = {s.name: s for s in log.results.scores}["rse_similarity"].metrics  # type: ignore[union-attr]
    assert summary["ceiling_arena_hard"].value == 4.0
    assert summary["rse_norm_arena_hard"].value == pytest.approx(1.0)
    assert summary["ceiling_unscored"].value == 0.0


def test_ceiling_refuses_an_identical_resample(tmp_path: Path) -> None:
    reference = ScriptedReference(resample_identical=True)
    roles = {"reference": get_model("mockllm/reference", custom_outputs=reference), "grader": _judge()}
    log = run_eval(_task(ceiling=True), _tested("tested-one"), tmp_path / "logs", model_roles=roles)
    assert log.status == "success", log.error
    for sample in log.samples or []:
        score = sample.scores["rse_similarity"]  # type: ignore[index]
        assert score.metadata["ceiling_reason"] == "identical_to_reference"
        assert score.value["overall"] == 4.0  # the tested model is still judged
        assert "refused" in (score.explanation or "")
    summary = {s.name: s for s in log.results.scores}["rse_similarity"].metrics  # type: ignore[union-attr]
    assert summary["ceiling_unscored"].value == len(PROMPTS)


def test_ceiling_needs_a_live_reference(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="recorded"):
        reference_answer(reference_answers=str(tmp_path / "x.jsonl"), ceiling=True)
    with pytest.raises(ValueError, match="above 0"):
        reference_answer(ceiling=True, ceiling_temperature=0.0)
