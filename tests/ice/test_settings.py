"""The ICE settings: one place for every default and every check."""

from __future__ import annotations

import pytest

from inspect_distill.common.names import MCTSExploreParams, policy_params
from inspect_distill.common.validation import SettingsError, build_settings
from inspect_distill.ice.settings import (
    DEFAULT_BUDGET,
    CampaignSettings,
    IceSettings,
    ImportSettings,
    check_budget,
)


def test_defaults_are_the_named_constants() -> None:
    settings = CampaignSettings()
    assert settings.budget == DEFAULT_BUDGET == 1000
    assert settings.judges == ["llm"] and settings.primary_judge == "llm"
    assert CampaignSettings(judge="both").judges == ["llm", "lexical"]
    assert CampaignSettings(judge="both").primary_judge == "llm"
    assert CampaignSettings(judge="lexical").primary_judge == "lexical"


def test_policy_parameters_are_filled_and_checked() -> None:
    assert policy_params("mcts_explore", {}) == MCTSExploreParams().model_dump()
    assert policy_params("UCB", {"exploration": 0.5}) == {"exploration": 0.5}
    with pytest.raises(SettingsError, match="Unknown parameter.*ucb.*gamma"):
        build_settings(CampaignSettings, selection="ucb", selection_params={"gamma": 0.1})


def test_the_settings_check_the_policy_and_its_parameters_once() -> None:
    given = CampaignSettings(selection="MCTS_Explore", selection_params={"ratio": 1.0})
    assert given.selection == "mcts_explore"
    assert given.selection_params == {"ratio": 1.0, "alpha": 0.1, "beta": 0.2, "level_penalty": 0.1}
    assert CampaignSettings(selection="ucb").selection_params == {}  # left out (a recorded run): the defaults
    for selection, params, message in [
        ("greedy", {}, "mcts_explore, random, round_robin, ucb, exp3"),
        ("mcts_explore", {"gamma": 0.1}, "Unknown parameter.*'mcts_explore': gamma.*known: alpha, beta"),
        ("random", {"ratio": 0.5}, "'random'.*known: none"),
        ("mcts_explore", {"alpha": 1.5}, "alpha must be in \\[0, 1\\]"),
        ("exp3", {"gamma": 0.0}, "gamma must be in \\(0, 1\\]"),
    ]:
        with pytest.raises(SettingsError, match=message):
            build_settings(CampaignSettings, selection=selection, selection_params=params)


def test_mutators_are_checked_by_name() -> None:
    assert CampaignSettings(mutators="shorten, expand").mutators == ["shorten", "expand"]
    with pytest.raises(SettingsError, match="Unknown mutator.*swap.*known: generate_similar, crossover"):
        build_settings(CampaignSettings, mutators=["shorten", "swap"])
    with pytest.raises(SettingsError, match="No mutators"):
        build_settings(CampaignSettings, mutators=[])


@pytest.mark.parametrize("value, expected", [("none", None), ("", None), ("NONE", None), ("Be brief.", "Be brief.")])
def test_system_prompt_none_means_no_system_prompt(value: str, expected: str | None) -> None:
    assert CampaignSettings(target_system_prompt=value).target_system_prompt == expected


def test_mutators_come_as_a_comma_list_and_are_checked() -> None:
    assert CampaignSettings(mutators="rephrase, expand").mutators == ["rephrase", "expand"]
    assert CampaignSettings(mutators=None).mutators is None
    with pytest.raises(SettingsError, match="No mutators given"):
        build_settings(CampaignSettings, mutators=" , ")


def test_identity_and_identity_file_exclude_each_other() -> None:
    with pytest.raises(SettingsError, match="both given"):
        build_settings(IceSettings, identity="meta", identity_file="me.yaml", campaign=CampaignSettings())
    with pytest.raises(SettingsError, match="needs the target's identity"):
        build_settings(ImportSettings, file="attack_x.jsonl")


def test_lists_and_errors_name_the_argument() -> None:
    settings = IceSettings(references="openai, anthropic", languages=["en"], campaign=CampaignSettings())
    assert settings.references == ["openai", "anthropic"] and settings.languages == ["en"]
    with pytest.raises(SettingsError, match=r"campaign\.budget|budget: "):
        build_settings(CampaignSettings, budget=0)


def test_budget_must_afford_one_iteration() -> None:
    check_budget(10, 10)
    with pytest.raises(ValueError, match="smaller than one iteration"):
        check_budget(9, 10)
