"""The RSE settings: the combined checks written once, the score keys, and `dataset_path` as one file."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from inspect_distill.common.validation import SettingsError, build_settings
from inspect_distill.rse.prompt_sets import RSEDatasetError, resolve_local_paths
from inspect_distill.rse.settings import JudgeSettings, ReferenceSettings, RseSettings
from inspect_distill.rse.task import rse
from tests.conftest import ARENA_HARD


def test_score_keys_follow_the_settings() -> None:
    assert JudgeSettings().score_keys() == ("overall", "style", "logic", "content", "ngram", "rouge_l")
    assert JudgeSettings(judge=False, ceiling=True).score_keys() == (
        "ngram", "rouge_l", "ceiling_ngram", "ceiling_rouge_l")
    assert "swap_gap" in JudgeSettings(swap=True).score_keys()
    assert "ceiling" in JudgeSettings(ceiling=True).score_keys()


@pytest.mark.parametrize(
    "model, values, message",
    [
        (JudgeSettings, {"judge": False, "swap": True}, "swap=true needs the judge"),
        (JudgeSettings, {"judge_retries": 6}, "judge_retries"),
        (ReferenceSettings, {"ceiling": True, "reference_answers": "a.jsonl"}, "live reference"),
        (ReferenceSettings, {"ceiling": True, "ceiling_temperature": 0.0}, "above 0"),
        (RseSettings, {"datasets": "arena_hard,mmlu"}, "Unknown RSE dataset"),
    ],
)
def test_combined_checks_are_clear_errors(model: type, values: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        build_settings(model, **values)


def test_an_ice_judge_name_keeps_the_rse_judge(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert JudgeSettings(judge="lexical").judge is True
    assert "names an ICE judge" in caplog.text


def test_dataset_path_may_be_one_file_with_one_dataset(tmp_path: Path) -> None:
    question = ARENA_HARD / "question.jsonl"
    assert resolve_local_paths(str(question), ["arena_hard"]) == {"arena_hard": question}
    task = rse(datasets="arena_hard", dataset_path=str(question), per_dataset=3)
    assert len(task.dataset) == 3
    with pytest.raises(RSEDatasetError, match="is a file, and several datasets are selected"):
        resolve_local_paths(str(question), ["arena_hard", "numina"])
