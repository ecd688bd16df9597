"""The names of judges, mutators and policies: each registry's keys are its Literal's values."""

from __future__ import annotations

from typing import get_args

from inspect_distill.common.names import (
    JUDGES,
    POLICY_PARAMS,
    JudgeName,
    MutatorName,
    PolicyName,
    mutator_names,
    policy_name,
)
from inspect_distill.ice.fuzz.mutators import MUTATORS
from inspect_distill.ice.fuzz.selection import POLICIES
from inspect_distill.ice.settings import CampaignSettings


def test_every_registry_holds_exactly_its_names() -> None:
    assert list(JUDGES) == list(get_args(JudgeName))
    assert list(MUTATORS) == list(get_args(MutatorName))
    assert list(POLICIES) == list(get_args(PolicyName)) == list(POLICY_PARAMS)


def test_each_entry_answers_to_its_key() -> None:
    assert all(mutator.name == name for name, mutator in MUTATORS.items())
    assert all(policy.name == name for name, policy in POLICIES.items())


def test_the_settings_fields_are_typed_by_the_names() -> None:
    fields = CampaignSettings.model_fields
    assert fields["selection"].annotation == PolicyName
    assert fields["mutators"].annotation == list[MutatorName] | None
    assert mutator_names(None) == list(MUTATORS)
    assert policy_name(" UCB ") == "ucb"
