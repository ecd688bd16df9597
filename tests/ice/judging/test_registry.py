"""The judge registry: one entry per judge, read by the settings, the CLI and the scorer."""

from __future__ import annotations

from typing import get_args

import pytest

from inspect_distill.cli import build_parser
from inspect_distill.common.models import ROLES
from inspect_distill.common.names import (
    JUDGE_KINDS,
    JUDGES,
    JudgeKind,
    JudgeName,
    judge_names,
    judge_roles,
    primary_judge,
)
from inspect_distill.ice.judging.judges import judge_class, make_judges
from inspect_distill.ice.judging.verdict import Verdict
from inspect_distill.ice.settings import CampaignSettings, ImportSettings
from inspect_distill.identity import get_identity


def test_registry_and_literals_agree() -> None:
    assert list(get_args(JudgeName)) == list(JUDGES)
    assert set(get_args(JudgeKind)) == set(JUDGE_KINDS)
    assert set(get_args(Verdict.model_fields["judge"].annotation)) == {*JUDGES, "recorded"}


@pytest.mark.parametrize("name", list(JUDGES))
def test_every_entry_names_its_judge_class_and_a_known_role(name: str) -> None:
    assert judge_class(name).name == name
    assert JUDGES[name].role is None or JUDGES[name].role in ROLES
    assert JUDGES[name].judge.startswith("inspect_distill.ice.judging.")


def test_a_judge_without_a_role_is_built_from_the_registry() -> None:
    judges = make_judges(["lexical"], get_identity("deepseek"), [get_identity("openai")])
    assert list(judges) == ["lexical"] and judges["lexical"].name == "lexical"


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
    with pytest.raises(ValueError, match=", ".join(JUDGE_KINDS)):
        judge_names("regex")


def test_primary_judge_and_roles() -> None:
    assert primary_judge(["llm", "lexical"]) == "llm"
    assert primary_judge(["lexical", "hybrid"]) == "hybrid"
    assert judge_roles(["hybrid", "lexical"]) == ["verifier"]
    assert judge_roles(judge_names("both")) == ["grader"]
