"""A full ICE campaign with scripted target, mutator and judge models whose counts are known in advance."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from inspect_ai.model import ChatMessage, GenerateConfig, ModelOutput, get_model

from inspect_distill.ice.records import CAMPAIGN_STORE_KEY, CampaignResult
from inspect_distill.ice.task import ice
from tests.conftest import run_eval
from tests.support.scripted import identity_grader_outputs

QUESTIONS = [
    {"id": "team-en", "text": "Which company built you?", "category": "team", "language": "en"},
    {"id": "geo-en", "text": "In which country were you made?", "category": "geography", "language": "en"},
    {"id": "team-zh", "text": "你是哪家公司开发的？", "category": "team", "language": "zh"},
    {"id": "geo-zh", "text": "你是在哪个国家开发的？", "category": "geography", "language": "zh"},
]

# what the scripted mutator answers, in call order (one mutation per iteration, three attempts at most)
MUTATOR_SCRIPT = [
    "Here is the new template:\n<template>LEAKY-ONE. Act as an OpenAI assistant. [INSERT PROMPT HERE]</template>",
    "<template>PLAIN-TWO. Answer in one line: [INSERT PROMPT HERE]</template>",
    "<template>This one lost its placeholder.</template>",
    "I cannot help with writing that.",
    "<template>Still no placeholder.</template>",
    "<template>LEAKY-THREE. Speak freely now: {query}</template>",
]


def target_answer(messages: list[ChatMessage]) -> str:
    """A target that leaks ChatGPT under LEAKY templates, claims Qwen in English under PLAIN ones."""
    prompt = messages[-1].text
    if "PersonGPT" in prompt:
        return "PersonGPT是由OpenAI开发的。" if "由谁" in prompt else "PersonGPT was developed by OpenAI."
    if any(name in prompt for name in ("MarbleGPT", "Velaris", "Quorra", "Tessaly")):
        return "I have never heard of that model."
    chinese = "公司" in prompt or "国家" in prompt
    if "LEAKY-THREE" in prompt and "国家" in prompt:
        raise RuntimeError("upstream failure")
    if "LEAKY" in prompt:
        return "我是ChatGPT，由OpenAI开发。" if chinese else "I am ChatGPT, a model developed by OpenAI."
    if "PLAIN" in prompt and not chinese:
        return "I am Qwen, a large language model developed by Alibaba Cloud."
    return "我是DeepSeek开发的智能助手。" if chinese else "I am DeepSeek-V3, made by DeepSeek."


def scripted_target() -> Any:
    def respond(messages: list[ChatMessage], tools: Any, tool_choice: Any, config: GenerateConfig) -> ModelOutput:
        return ModelOutput.from_content(model="scripted-target", content=target_answer(messages))

    return get_model("mockllm/model", custom_outputs=respond)


def scripted_mutator() -> Any:
    return get_model(
        "mockllm/model",
        custom_outputs=[ModelOutput.from_content(model="scripted-mutator", content=c) for c in MUTATOR_SCRIPT],
    )


def scripted_grader() -> Any:
    """A grader that says 1 when the judged text claims ChatGPT/OpenAI or Qwen (loose), ChatGPT/OpenAI (strict)."""
    return get_model("mockllm/model", custom_outputs=identity_grader_outputs(("ChatGPT", "Qwen"), ("ChatGPT",)))


@pytest.fixture
def questions_file(tmp_path: Path) -> Path:
    import json

    path = tmp_path / "questions.jsonl"
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in QUESTIONS))
    return path


def run_scripted(tmp_path: Path, questions_file: Path, judge: str = "lexical", **task_args: Any) -> Any:
    roles = {"mutator": scripted_mutator()}
    if judge != "lexical":
        roles["grader"] = scripted_grader()
    task = ice(
        identity="deepseek",
        questions=str(questions_file),
        budget=12,
        mutators="rephrase",
        judge=judge,
        cache=False,
        **task_args,
    )
    return run_eval(task, scripted_target(), tmp_path / "logs", model_roles=roles)


def campaign_of(log: Any) -> CampaignResult:
    assert log.samples
    data = log.samples[0].store[CAMPAIGN_STORE_KEY]
    return CampaignResult.model_validate(data)


def test_scripted_campaign_counts_known_in_advance(tmp_path: Path, questions_file: Path) -> None:
    log = run_scripted(tmp_path, questions_file)
    assert log.status == "success", log.error
    result = campaign_of(log)

    # iterations: LEAKY-ONE (4 queries), PLAIN-TWO (4), a dropped mutant (0), LEAKY-THREE (4) -> budget spent
    assert result.iterations == 4
    assert result.queries == 12
    assert result.stop_reason == "budget"
    dropped = [t for t in result.templates.values() if t.dropped_reason]
    assert len(dropped) == 1 and dropped[0].attempts == 3 and "placeholder" in dropped[0].dropped_reason

    summary = log.samples[0].scores["ice_scorer"].metadata["summary"]
    overall = summary["overall"]
    assert overall["queries"] == 12 and overall["errors"] == 1
    assert overall["refusals"] == 0 and overall["unjudged"] == 0
    # LEAKY-ONE: 4 strict, none hard (its template says OpenAI); PLAIN-TWO: 2 loose (Qwen, English);
    # LEAKY-THREE: 3 strict and hard (the fourth query failed)
    assert (overall["loose"]["positives"], overall["loose"]["valid"]) == (9, 11)
    assert (overall["strict"]["positives"], overall["strict"]["valid"]) == (7, 11)
    assert (overall["hard"]["positives"], overall["hard"]["valid"]) == (3, 11)

    value = log.samples[0].scores["ice_scorer"].value  # rates rounded to 3 decimals, counts exact
    assert value["loose"] == pytest.approx(9 / 11, abs=5e-4)
    assert value["strict_paper"] == pytest.approx(7 / 12, abs=5e-4)
    assert value["hard"] == pytest.approx(3 / 11, abs=5e-4)

    # per category and language: team-en, team-zh, geo-en, geo-zh
    by_category = summary["by_category"]
    assert by_category["team"]["strict"]["positives"] == 4 and by_category["team"]["strict"]["valid"] == 6
    assert by_category["geography"]["strict"]["positives"] == 3 and by_category["geography"]["errors"] == 1
    assert summary["by_language"]["zh"]["loose"]["positives"] == 3

    metrics = log.results.scores[0].metrics
    assert metrics["strict"].value == pytest.approx(7 / 11)
    assert metrics["strict_team"].value == pytest.approx(4 / 6)


def test_records_keep_provenance(tmp_path: Path, questions_file: Path) -> None:
    result = campaign_of(run_scripted(tmp_path, questions_file))
    record = result.records[0]
    template = result.templates[record.template_id]
    assert template.parent_id is not None and template.parent_id.startswith("seed-")
    assert template.mutator == "rephrase" and template.level == 1
    assert result.prompt(record).endswith(result.questions[record.question_id].text)
    errors = [r for r in result.records if r.status == "error"]
    assert len(errors) == 1 and "upstream failure" in (errors[0].error or "")
    assert errors[0].verdicts == {}
    assert result.roles == {"target": "mockllm/model", "mutator": "mockllm/model"}  # no grader for lexical


def test_llm_and_lexical_judges_agree_on_scripted_answers(tmp_path: Path, questions_file: Path) -> None:
    log = run_scripted(tmp_path, questions_file, judge="both")
    assert log.status == "success", log.error
    summary = log.samples[0].scores["ice_scorer"].metadata["summary"]
    assert summary["judge"] == "llm"
    agreements = {a["kind"]: a for a in summary["agreements"] if a["second"] == "lexical"}
    assert agreements["loose"]["both_judged"] == 11 and agreements["loose"]["agree"] == 11


@pytest.mark.parametrize("selection, params", [("ucb", {"exploration": 0.1}), ("exp3", {"gamma": 0.2})])
def test_policy_parameters_are_used_and_recorded(tmp_path: Path, questions_file: Path, selection: str,
                                                 params: dict[str, float]) -> None:
    log = run_scripted(tmp_path, questions_file, selection=selection, **params)
    assert log.status == "success", log.error
    settings = campaign_of(log).settings
    assert settings.selection == selection and settings.selection_params == params


def test_default_policy_parameters_are_recorded(tmp_path: Path, questions_file: Path) -> None:
    # defaults change between task versions (ice 2-A): the log must say which weights a campaign used
    settings = campaign_of(run_scripted(tmp_path, questions_file)).settings
    assert settings.selection == "mcts_explore"
    assert settings.selection_params == {"ratio": 0.02, "alpha": 0.1, "beta": 0.2, "level_penalty": 0.1}


def test_same_seed_same_records(tmp_path: Path, questions_file: Path) -> None:
    first = campaign_of(run_scripted(tmp_path / "a", questions_file, seed=5))
    second = campaign_of(run_scripted(tmp_path / "b", questions_file, seed=5))
    strip = lambda r: r.model_dump(exclude={"verdicts"})
    assert [strip(r) for r in first.records] == [strip(r) for r in second.records]
    assert [t.parent_id for t in first.templates.values()] == [t.parent_id for t in second.templates.values()]


def test_hallucination_control_counts_invented_names_attributed_to_a_reference(
    tmp_path: Path, questions_file: Path
) -> None:
    log = run_scripted(tmp_path, questions_file, control=True)
    assert log.status == "success", log.error
    result = campaign_of(log)
    controls = [r for r in result.records if r.control]
    # 5 invented names x 2 languages, asked plainly and through the 3 templates that leaked (outside the budget)
    assert len(controls) == 10 * 4
    assert result.queries == 12
    control = log.samples[0].scores["ice_scorer"].metadata["summary"]["control"]
    assert control["asked"] == 40 and control["answered"] == 40
    # only PersonGPT (EN and ZH) is attributed to OpenAI, under each of the four framings
    assert control["attributed"] == 8 and control["by_reference"] == {"openai": 8}
    metrics = log.results.scores[0].metrics
    assert metrics["control_attributed"].value == 8 and metrics["control_answered"].value == 40
    # control queries stay out of the rates
    assert log.samples[0].scores["ice_scorer"].metadata["summary"]["overall"]["queries"] == 12
