"""The judge registry: one entry per judge, read by the settings, the CLI and the scorer."""

from __future__ import annotations

from typing import get_args

import pytest

from inspect_distill.cli import build_parser
from inspect_distill.ice.judging.judges import (
    JUDGE_KINDS,
    JUDGES,
    JudgeKind,
    JudgeName,
    check_registry,
    judge_names,
    judge_roles,
    primary_judge,
)
from inspect_distill.ice.settings import CampaignSettings, ImportSettings


def test_registry_and_literals_agree() -> None:
    check_registry()
    assert set(get_args(JudgeName)) == set(JUDGES)
    assert set(get_args(JudgeKind)) == set(JUDGE_KINDS)


def test_settings_and_cli_take_every_registered_judge() -> None:
    for kind in JUDGE_KINDS:
        assert CampaignSettings(judge=kind).judges == judge_names(kind)
        assert ImportSettings(file="x.jsonl", identity="deepseek", judge=kind).judge == kind
    import_command = next(
        action for action in build_parser()._subparsers._group_actions[0].choices["import-ice"]._actions  # type: ignore[union-attr]
        if action.dest == "judge"
    )
    assert tuple(import_command.choices) == JUDGE_KINDS


def test_unknown_judge_names_the_choices() -> None:
    with pytest.raises(ValueError, match="llm, hybrid, lexical, both"):
        judge_names("regex")


def test_primary_judge_and_roles() -> None:
    assert primary_judge(["llm", "lexical"]) == "llm"
    assert primary_judge(["lexical", "hybrid"]) == "hybrid"
    assert judge_roles(["hybrid", "lexical"]) == ["verifier"]
    assert judge_roles(judge_names("both")) == ["grader"]
