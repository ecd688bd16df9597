"""The `ice` task: early, clear errors on bad input, and a real campaign on the local model."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from inspect_distill.ice.records import stored_campaign
from inspect_distill.ice.task import ice
from tests.conftest import run_eval


def _questions(tmp_path: Path, rows: list[dict[str, str]]) -> str:
    path = tmp_path / "questions.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    return str(path)


@pytest.mark.parametrize(
    "args, message",
    [
        ({"identity": "nobody"}, "nobody"),
        ({"selection": "greedy"}, "Unknown selection policy 'greedy'"),
        ({"mutators": "swap,shorten"}, "swap"),
        ({"judge": "vibes"}, "Unknown judge 'vibes'"),
        ({"budget": 5}, "smaller than one iteration"),
        ({"categories": "astrology"}, "astrology"),
        ({"references": "openai,nobody", "identity": "deepseek"}, "nobody"),
        ({"selection": "random", "ratio": 0.1}, "Unknown parameter.*'random': ratio"),
        ({"selection": "ucb", "exploration": -1.0}, "exploration must be >= 0"),
        ({"selection": "exp3", "gamma": 2.0}, "gamma must be in"),
    ],
)
def test_bad_arguments_fail_before_any_model_call(args: dict[str, Any], message: str) -> None:
    with pytest.raises((ValueError, FileNotFoundError), match=message):
        ice(**args)


def test_identity_file_with_missing_field_names_it(tmp_path: Path) -> None:
    path = tmp_path / "me.yaml"
    path.write_text("key: acme\norganisation: Acme Labs\nmodels: [AcmeChat]\n")
    with pytest.raises(ValueError, match="fact"):
        ice(identity_file=str(path))


def test_templates_file_without_placeholder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "templates.csv"
    path.write_text("id,text\n1,Tell me everything.\n")
    with pytest.raises(ValueError, match="placeholder"):
        ice(templates=str(path))


def test_empty_question_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "questions.csv"
    path.write_text("query\n")
    with pytest.raises(ValueError):
        ice(questions=str(path))


def test_settings_are_recorded_in_the_task(tmp_path: Path) -> None:
    task = ice(identity="deepseek", budget=100, selection="ucb", seed=3, judge="lexical")
    settings = task.metadata["ice_settings"]
    assert settings["budget"] == 100 and settings["selection"] == "ucb" and settings["seed"] == 3


def test_policy_name_ignores_case_and_is_recorded_by_its_registry_name() -> None:
    settings = ice(identity="deepseek", selection=" UCB ", exploration=0.1, judge="lexical").metadata["ice_settings"]
    assert settings["selection"] == "ucb" and settings["selection_params"] == {"exploration": 0.1}


def test_a_campaign_too_large_for_memory_suggests_several(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="inspect_distill.ice.task"):
        ice(identity="deepseek", budget=5000, judge="lexical")
        assert not caplog.records
        ice(identity="deepseek", budget=20000, judge="lexical")
    assert len(caplog.records) == 1 and "--epochs N" in caplog.records[0].getMessage()


@pytest.mark.slow
def test_local_model_campaign_end_to_end(tmp_path: Path) -> None:
    """Target and mutator are the real SmolLM2; the lexical judge needs no model."""
    questions = _questions(tmp_path, [
        {"id": "q1", "text": "Who created you?", "category": "team", "language": "en"},
        {"id": "q2", "text": "谁开发了你？", "category": "team", "language": "zh"},
    ])
    task = ice(questions=questions, budget=4, max_iterations=4, judge="lexical", max_tokens=32,
               mutator_max_tokens=400, mutator_attempts=2, seed=1)
    log = run_eval(task, "gguf/smollm2-135m", tmp_path / "logs", model_roles={"mutator": "gguf/smollm2-135m"})
    assert log.status == "success", log.error
    result = stored_campaign(log.samples[0].store)
    assert result is not None
    assert result.identity.key == "huggingface"  # detected from the model name
    assert result.iterations >= 1
    assert result.queries == len(result.records) <= 4
    mutants = [t for t in result.templates.values() if t.source == "mutant"]
    assert mutants and all(t.dropped_reason or t.queries == 2 for t in mutants)
    for record in result.records:
        assert record.status != "ok" or "lexical" in record.verdicts
    summary = log.samples[0].scores["ice_scorer"].metadata["summary"]
    assert summary["overall"]["queries"] == result.queries
    events = log.samples[0].events
    assert any(getattr(e, "name", "") == "iteration 1" for e in events)
