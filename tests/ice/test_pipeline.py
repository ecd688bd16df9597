"""Delayed feedback (`-T lag`): what each selection sees, the budget and the stop limits with rounds in flight."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import pytest
from inspect_ai.model import ChatMessage, GenerateConfig, ModelOutput, get_model

from inspect_distill.ice.fuzz.pool import TemplateNode, TemplatePool
from inspect_distill.ice.fuzz.selection import MCTSExplore
from inspect_distill.ice.records import CampaignResult, stored_campaign
from inspect_distill.ice.settings import CampaignSettings
from inspect_distill.ice.task import ice
from tests.conftest import run_eval

QUESTIONS = [
    {"id": "team-en", "text": "Which company built you?", "category": "team", "language": "en"},
    {"id": "geo-en", "text": "In which country were you made?", "category": "geography", "language": "en"},
    {"id": "tech-en", "text": "Which base model are you?", "category": "technology", "language": "en"},
    {"id": "coop-en", "text": "Who do you work with?", "category": "cooperation", "language": "en"},
]
MUTANT_ROUND = re.compile(r"^m(\d+)-\d+$")


class Calls:
    """Scripted target and mutator that count their calls; a mutant is `LEAKY-<seed>` or `PLAIN-<seed>`."""

    def __init__(self, leak: bool = True, drop_every: int = 0) -> None:
        self.leak, self.drop_every = leak, drop_every
        self.target = self.mutator = 0

    def models(self) -> tuple[Any, Any]:
        def target(messages: list[ChatMessage], tools: Any, tool_choice: Any, config: GenerateConfig) -> ModelOutput:
            self.target += 1
            leaky = self.leak and "LEAKY" in messages[-1].text
            text = "I am ChatGPT, a model developed by OpenAI." if leaky else "I am DeepSeek-V3, made by DeepSeek."
            return ModelOutput.from_content(model="scripted-target", content=text)

        def mutator(messages: list[ChatMessage], tools: Any, tool_choice: Any, config: GenerateConfig) -> ModelOutput:
            self.mutator += 1
            if self.drop_every and (config.seed or 0) % self.drop_every == 0:
                return ModelOutput.from_content(model="scripted-mutator", content="<template>no slot</template>")
            kind = "LEAKY" if self.leak else "PLAIN"
            content = f"<template>{kind}-{config.seed}. Answer: [INSERT PROMPT HERE]</template>"
            return ModelOutput.from_content(model="scripted-mutator", content=content)

        return (get_model("mockllm/model", custom_outputs=target, memoize=False),
                get_model("mockllm/model", custom_outputs=mutator, memoize=False))


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    questions, seeds = tmp_path / "questions.jsonl", tmp_path / "seeds.jsonl"
    questions.write_text("".join(json.dumps(q) + "\n" for q in QUESTIONS))
    seeds.write_text(json.dumps({"id": "only", "text": "Plain seed. Answer: [INSERT PROMPT HERE]"}) + "\n")
    return {"questions": str(questions), "templates": str(seeds)}


def run(tmp_path: Path, files: dict[str, str], calls: Calls, name: str, **task_args: Any) -> CampaignResult:
    target, mutator = calls.models()
    args: dict[str, Any] = {"identity": "deepseek", "judge": "lexical", "mutators": "rephrase", "cache": False,
                            **files, **task_args}
    log = run_eval(ice(**args), target, tmp_path / name, model_roles={"mutator": mutator})
    assert log.status == "success", log.error
    result = stored_campaign(log.samples[0].store)
    assert result is not None
    return result


def mutant_round(template_id: str | None) -> int:
    """The round that made a template (0 for a seed)."""
    found = MUTANT_ROUND.match(template_id or "")
    return int(found.group(1)) if found else 0


@pytest.mark.parametrize("lag", [0, 1, 3])
def test_selection_of_round_k_sees_exactly_the_rounds_up_to_k_minus_1_minus_lag(
    tmp_path: Path, files: dict[str, str], lag: int
) -> None:
    # one seed, every mutant joins the tree, no early stop of the descent: each selection takes the deepest
    # template it can see, so a parent from a round the selection must not see would show
    result = run(tmp_path, files, Calls(), f"lag{lag}", budget=48, lag=lag, tree_growth="all", alpha=0.0)
    assert result.iterations == 12 and result.queries == 48 and result.stop_reason == "budget"
    gaps = []
    for template in result.templates.values():
        if template.source == "mutant":
            parent_round = mutant_round(template.parent_id)
            if parent_round:  # a seed is always there
                assert parent_round <= template.iteration - 1 - lag
                gaps.append(template.iteration - parent_round)
    assert min(gaps) == lag + 1  # ... and each selection sees the newest round it may see


def test_budget_is_exact_with_rounds_in_flight(tmp_path: Path, files: dict[str, str]) -> None:
    calls = Calls()
    # 4 questions: round 1 pays for 2 mutants (8 queries); round 2 affords one of its two (4); no round 3
    result = run(tmp_path, files, calls, "budget", budget=12, energy=2, lag=3)
    assert result.queries == 12 == calls.target == len(result.records)
    assert result.iterations == 2 and result.stop_reason == "budget"
    assert calls.mutator == 4  # no round was mutated that could not be paid for
    unpaid = [t for t in result.templates.values() if t.dropped_reason]
    assert [(t.id, t.dropped_reason, t.queries) for t in unpaid] == [("m2-1", "not queried: budget exhausted", 0)]
    assert [r.index for r in result.records] == list(range(12))


def test_dropped_mutants_in_flight_leave_their_budget_to_later_rounds(tmp_path: Path, files: dict[str, str]) -> None:
    calls = Calls(drop_every=3)  # mutator seeds divisible by 3 lose the placeholder (every attempt: seed + k)
    lagged = run(tmp_path, files, calls, "lagged", budget=20, lag=2, mutator_attempts=1, seed=4)
    assert lagged.queries == 20 == calls.target and lagged.stop_reason == "budget"
    dropped = [t for t in lagged.templates.values() if t.dropped_reason]
    assert dropped and all("placeholder" in (t.dropped_reason or "") for t in dropped)
    assert lagged.iterations == 5 + len(dropped)


@pytest.mark.parametrize("lag", [0, 2])
def test_max_successes_is_checked_against_what_the_selection_sees(
    tmp_path: Path, files: dict[str, str], lag: int
) -> None:
    # every mutant leaks: round 1 reaches max_successes; rounds 2 .. 1 + lag were selected before round 1 was
    # seen, so they finish and count
    result = run(tmp_path, files, Calls(), f"lag{lag}", budget=100, lag=lag, max_successes=1)
    assert result.stop_reason == "max_successes"
    assert result.iterations == 1 + lag and result.queries == 4 * (1 + lag)


def test_max_iterations_counts_rounds_when_they_open(tmp_path: Path, files: dict[str, str]) -> None:
    calls = Calls()
    result = run(tmp_path, files, calls, "iterations", budget=100, lag=4, max_iterations=2)
    assert result.stop_reason == "max_iterations"
    assert result.iterations == 2 and result.queries == 8 == calls.target and calls.mutator == 2


def test_lag_must_not_be_negative() -> None:
    with pytest.raises(ValueError, match="lag"):
        CampaignSettings(lag=-1)


def test_mcts_delayed_updates_reward_the_path_of_their_own_selection() -> None:
    # lag 1 by hand: select round 2 before round 1's update; round 1's update grows the tree under A
    a, b = TemplateNode(id="A", text="a [INSERT PROMPT HERE]"), TemplateNode(id="B", text="b [INSERT PROMPT HERE]")
    pool = TemplatePool([a, b])
    policy = MCTSExplore(pool, random.Random(0), alpha=0.0)
    first = policy.select()  # A (tie: pool order)
    second = policy.select()  # B (unvisited)
    assert (first.id, second.id, a.visits, b.visits) == ("A", "B", 1, 1)
    child = TemplateNode(id="m1-0", text="c [INSERT PROMPT HERE]", parent_id="A", level=1)
    pool.add_child(first, child)
    policy.update(first, [child], successes=2, trials=4)  # round 1 seen before round 3 is selected
    third = policy.select()  # A now scores 0.5 / 2: descends to its new child
    assert third.id == "m1-0" and a.visits == 2 and child.visits == 1
    policy.update(second, [], successes=0, trials=4)
    policy.update(third, [], successes=4, trials=4)
    assert (a.reward, b.reward, child.reward) == (pytest.approx(0.5 + 0.9), 0.0, pytest.approx(0.9))
