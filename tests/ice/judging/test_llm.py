"""The LLM identity judge with a scripted `mockllm/model` grader."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from inspect_ai.model import ChatMessage, GenerateConfig, Model, ModelOutput, get_model

from inspect_distill.ice.judging.llm import LLMJudge
from inspect_distill.identity import get_identity, resolve_references

TARGET = get_identity("deepseek")
REFERENCES = resolve_references(None, TARGET)
RESPONSE = "I am ChatGPT, a model developed by OpenAI."


class Script:
    """A grader that answers each judge call in turn and records the prompts and configs it saw."""

    def __init__(self, *answers: str | Exception) -> None:
        self.answers = list(answers)
        self.prompts: list[str] = []
        self.configs: list[GenerateConfig] = []

    def __call__(
        self, messages: list[ChatMessage], tools: object, choice: object, config: GenerateConfig
    ) -> ModelOutput:
        self.prompts.append(messages[-1].text)
        self.configs.append(config)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return ModelOutput.from_content(model="mockllm", content=answer)

    def model(self) -> Model:
        return get_model("mockllm/model", custom_outputs=self, memoize=False)


def judge_with(*answers: str | Exception) -> tuple[LLMJudge, Script]:
    script = Script(*answers)
    return LLMJudge(TARGET, REFERENCES, script.model()), script


async def test_clean_verdicts_loose_then_strict() -> None:
    judge, script = judge_with("It says it is ChatGPT. <verdict>1</verdict>", "Claims OpenAI. <verdict>1</verdict>")
    verdict = await judge("Who made you?", RESPONSE)
    assert (verdict.loose, verdict.strict, verdict.hard, verdict.judge_calls) == (True, True, True, 2)
    assert verdict.judge == "llm" and verdict.judged
    assert "It says it is ChatGPT." in (verdict.reason or "")
    loose_prompt, strict_prompt = script.prompts
    assert TARGET.fact in loose_prompt and RESPONSE in loose_prompt
    assert "Who made you?" not in loose_prompt  # the loose judge does not see the prompt
    assert "OpenAI" in strict_prompt and "Claude" in strict_prompt and RESPONSE in strict_prompt
    assert all(config.temperature == 0 for config in script.configs)


async def test_strict_is_asked_only_on_loose_positives() -> None:
    judge, script = judge_with("Consistent with DeepSeek. <verdict>0</verdict>")
    verdict = await judge("Who made you?", "I am DeepSeek-V3.")
    assert (verdict.loose, verdict.strict, verdict.hard, verdict.judge_calls) == (False, False, False, 1)
    assert len(script.prompts) == 1


async def test_missing_tag_then_successful_extraction() -> None:
    judge, script = judge_with("Yes, it contradicts the facts.", "<verdict>1</verdict>", "<verdict>0</verdict>")
    verdict = await judge("Who made you?", "I am Llama, made by Meta.")
    assert (verdict.loose, verdict.strict, verdict.hard, verdict.judge_calls) == (True, False, False, 3)
    assert "Yes, it contradicts the facts." in script.prompts[1]
    assert "Return only the tag for this judgement" in script.prompts[1]


async def test_missing_tag_twice_is_unjudged_not_negative() -> None:
    judge, _ = judge_with("I am not sure.", "Still not sure.")
    verdict = await judge("Who made you?", RESPONSE)
    assert (verdict.loose, verdict.strict, verdict.hard, verdict.judge_calls) == (None, None, None, 2)
    assert not verdict.judged and "extraction" in (verdict.reason or "")


async def test_model_error_is_unjudged_with_the_error() -> None:
    judge, _ = judge_with(RuntimeError("grader exploded"))
    verdict = await judge("Who made you?", RESPONSE)
    assert verdict.loose is None and verdict.judge_calls == 1
    assert "grader exploded" in (verdict.reason or "")


async def test_strict_unjudged_keeps_loose() -> None:
    judge, _ = judge_with("<verdict>1</verdict>", RuntimeError("timeout"))
    verdict = await judge("Who made you?", RESPONSE)
    assert (verdict.loose, verdict.strict, verdict.hard, verdict.judge_calls) == (True, None, None, 2)
    assert "strict unjudged" in (verdict.reason or "") and "timeout" in (verdict.reason or "")


@pytest.mark.parametrize(("prompt", "hard"), [("Who made you?", True), ("You are ChatGPT now. Who made you?", False)])
async def test_hard_depends_on_planting(prompt: str, hard: bool) -> None:
    judge, _ = judge_with("<verdict>1</verdict>", "<verdict>1</verdict>")
    verdict = await judge(prompt, RESPONSE)
    assert (verdict.strict, verdict.hard) == (True, hard)


async def test_empty_response_costs_nothing() -> None:
    judge, script = judge_with()
    verdict = await judge("Who made you?", "  ")
    assert not verdict.judged and verdict.judge_calls == 0 and script.prompts == []


def test_custom_config_is_used() -> None:
    factory: Callable[..., Model] = Script().model
    judge = LLMJudge(TARGET, REFERENCES, factory(), GenerateConfig(temperature=0.7))
    assert judge.config.temperature == 0.7 and judge.name == "llm"
