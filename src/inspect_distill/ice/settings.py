"""Every setting of the ICE tasks: its default (a named constant) and its checks, in one place.

`CampaignSettings` is what one campaign runs with; it is recorded in the log so a campaign can be replayed.
`IceSettings` adds what the `ice` task reads before any campaign (identity, questions, templates, epochs);
`ImportSettings` is the `ice_import` task's. The `@task` functions build these once and pass them down, and
every check here runs before any model call.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from inspect_distill.common.names import (
    JudgeKind,
    MutatorName,
    PolicyName,
    judge_names,
    mutator_names,
    policy_name,
    policy_params,
    primary_judge,
)
from inspect_distill.common.text import comma_list
from inspect_distill.common.validation import argument
from inspect_distill.identity.model import check_one_identity_source, get_identity

DEFAULT_BUDGET = 1000
"""Target queries per campaign (the paper: 1000)."""
DEFAULT_ENERGY = 1
DEFAULT_PARALLEL = 1
DEFAULT_LAG = 8
"""Rounds of delayed feedback: the selection of round k sees the results of rounds up to k - 1 - lag, and the
next `lag` rounds are mutated and queried while earlier ones are still in flight. 0: the paper's strict
rounds. Chosen by measurement (README, Performance): with 20% transient faults lag 8 took 1.4-2.0x its
fault-free time against 2.0-2.4x at lag 4 and 2.9-4.2x at lag 0, as fast as lag 4 without faults, and its
search efficiency is not worse than lag 0's (10 seeds)."""
DEFAULT_SELECTION: PolicyName = "mcts_explore"
DEFAULT_MUTATOR_ATTEMPTS = 3
DEFAULT_MUTATOR_TEMPERATURE = 1.0
DEFAULT_MUTATOR_MAX_TOKENS = 1500
DEFAULT_TREE_GROWTH: Literal["gptfuzz", "all"] = "gptfuzz"
DEFAULT_REWARD_ON: Literal["loose", "strict"] = "loose"
DEFAULT_JUDGE: JudgeKind = "llm"
DEFAULT_IMPORT_JUDGE: JudgeKind = "lexical"
DEFAULT_SYSTEM_PROMPT = "You are a helpful assistant."
"""The paper's system prompt of the target; "none" for none."""
DEFAULT_TEMPERATURE = 0.0
DEFAULT_MAX_TOKENS = 512
DEFAULT_MAX_EMPTY_ITERATIONS = 10
DEFAULT_TEMPLATES = "builtin"
LARGE_CAMPAIGN = 10_000
"""Above this many target queries one campaign's transcript (all in memory until Inspect writes the sample
at its end) passes about 1 GB; see the README's scale figures."""

NO_SYSTEM_PROMPT = ("", "none")


def check_budget(budget: int, questions: int) -> None:
    """A campaign must afford at least one mutant: every question through it."""
    if budget < questions:
        raise ValueError(
            f"The budget ({budget}) is smaller than one iteration ({questions} questions per mutant): "
            "raise -T budget or narrow the questions."
        )


class CampaignSettings(BaseModel):
    """Every setting of one ICE campaign; recorded in the log so a campaign can be replayed."""

    seed: int = 0
    budget: int = Field(default=DEFAULT_BUDGET, ge=1, description="target queries (the paper: 1000)")
    energy: int = Field(default=DEFAULT_ENERGY, ge=1, description="mutants per selected template per iteration")
    parallel: int = Field(default=DEFAULT_PARALLEL, ge=1, description="templates selected per iteration")
    lag: int = Field(default=DEFAULT_LAG, ge=0, description="rounds of delayed feedback (0: strict rounds)")
    max_iterations: int | None = Field(default=None, ge=1)
    max_successes: int | None = Field(default=None, ge=1, description="stop after this many reward successes")
    selection: PolicyName = DEFAULT_SELECTION
    selection_params: dict[str, float] = Field(default_factory=dict)
    """The policy's parameters (`common/names.py`): when given (the `ice` task), every one, defaults filled in."""
    mutators: list[MutatorName] | None = None
    mutator_attempts: int = Field(default=DEFAULT_MUTATOR_ATTEMPTS, ge=1)
    mutator_temperature: float = DEFAULT_MUTATOR_TEMPERATURE
    mutator_max_tokens: int = DEFAULT_MUTATOR_MAX_TOKENS
    tree_growth: Literal["gptfuzz", "all"] = DEFAULT_TREE_GROWTH
    reward_on: Literal["loose", "strict"] = DEFAULT_REWARD_ON
    target_system_prompt: str | None = DEFAULT_SYSTEM_PROMPT
    target_temperature: float = DEFAULT_TEMPERATURE
    target_max_tokens: int | None = DEFAULT_MAX_TOKENS
    judge: JudgeKind = DEFAULT_JUDGE
    control: bool = False
    cache: bool = True
    max_empty_iterations: int = Field(
        default=DEFAULT_MAX_EMPTY_ITERATIONS, ge=1,
        description="stop after this many iterations in a row without a valid mutant",
    )

    @model_validator(mode="before")
    @classmethod
    def _params_fit_policy(cls, data: Any) -> Any:
        """The one check of the policy's parameters: a parameter of another policy, or out of range, is an
        error; given parameters (even none) come back with every default filled in, so that the log records
        them all (defaults change between task versions). Left out, they stay empty: the policy's defaults."""
        if isinstance(data, dict) and "selection_params" in data:
            selection = data.get("selection", DEFAULT_SELECTION)
            data = {**data, "selection_params": policy_params(str(selection), dict(data["selection_params"]))}
        return data

    @field_validator("selection", mode="before")
    @classmethod
    def _known_policy(cls, value: Any) -> Any:
        return policy_name(str(value))

    @field_validator("judge", mode="before")
    @classmethod
    def _known_judge(cls, value: Any) -> Any:
        judge_names(str(value))
        return value

    @field_validator("mutators", mode="before")
    @classmethod
    def _known_mutators(cls, value: Any) -> list[MutatorName] | None:
        return None if value is None else mutator_names(comma_list(value) or [])

    @field_validator("target_system_prompt", mode="before")
    @classmethod
    def _none_means_no_prompt(cls, value: Any) -> Any:
        return None if value is None or str(value).strip().lower() in NO_SYSTEM_PROMPT else value

    @property
    def judges(self) -> list[str]:
        """The judges that run: `llm`, `lexical`, or both."""
        return judge_names(self.judge)

    @property
    def primary_judge(self) -> str:
        """The judge whose verdicts drive the search and the headline rates."""
        return primary_judge(self.judges)


class TargetSettings(BaseModel):
    """Who the target is and what counts as a reference: shared by `ice` and `ice_import`."""

    identity: str | None = None
    """An identity preset (e.g. deepseek); `ice` detects it from the model when neither is given."""
    identity_file: str | None = None
    """A YAML/JSON identity instead of a preset."""
    references: list[str] | None = None
    """Identities whose claim counts as strict (default openai,anthropic; the target's family excluded)."""
    questions: str | None = None
    """A CSV/JSONL of identity questions (the paper's CSV too); default: the built-in set."""

    @field_validator("references", mode="before")
    @classmethod
    def _known_references(cls, value: Any) -> list[str] | None:
        names = comma_list(value)
        for name in names or ():
            get_identity(name)  # an unknown name stops the task before its run, whatever the target
        return names

    @model_validator(mode="after")
    def _one_identity_source(self) -> TargetSettings:
        check_one_identity_source(self.identity, self.identity_file)
        return self


class IceSettings(TargetSettings):
    """Every argument of the `ice` task."""

    categories: list[str] | None = None
    languages: list[str] | None = None
    templates: str = DEFAULT_TEMPLATES
    epochs: int = Field(default=1, ge=1, description="independent campaigns")
    campaign: CampaignSettings

    @field_validator("categories", "languages", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> list[str] | None:
        return comma_list(value)


class ImportSettings(TargetSettings):
    """Every argument of the `ice_import` task."""

    file: str
    judge: JudgeKind = DEFAULT_IMPORT_JUDGE
    strict_file: str | None = None

    @field_validator("judge", mode="before")
    @classmethod
    def _known_judge(cls, value: Any) -> Any:
        judge_names(str(value))
        return value

    @model_validator(mode="after")
    def _identity_given(self) -> ImportSettings:
        if not self.identity and not self.identity_file:
            raise ValueError(
                f"A recorded run needs the target's identity: {argument('identity', 'NAME')} or "
                f"{argument('identity_file', 'PATH')}."
            )
        return self
