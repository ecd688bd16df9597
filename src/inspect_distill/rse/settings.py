"""Every setting of the `rse` task: its default (a named constant) and its checks, in one place.

`RseSettings` is built once by the task. Its parts are what each builder takes: `ReferenceSettings` for the
reference solver, `JudgeSettings` for the scorer and the metrics; the builders validate their arguments
through the same models, so a check that combines settings (swap needs the judge, a ceiling needs a live
reference and a temperature above 0) is written once, here. `score_keys` gives the keys of a run's score value
(the keys themselves are `rse.keys`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Literal, get_args

from pydantic import BaseModel, Field, field_validator, model_validator

from inspect_distill.common.names import JudgeKind
from inspect_distill.common.text import comma_list
from inspect_distill.rse.keys import SCORE_KEYS, KeyGroup
from inspect_distill.rse.prompt_sets import (
    DEFAULT_SEED,
    RSE_DATASETS,
    parse_dataset_names,
)

logger = logging.getLogger(__name__)

DEFAULT_JUDGE_MAX_TOKENS = 200
DEFAULT_JUDGE_RETRIES = 1
MAX_JUDGE_RETRIES = 5
DEFAULT_CEILING_TEMPERATURE = 1.0


class JudgeSettings(BaseModel):
    """The RSE judge: on or off, both orders or one, the ceiling, and its reply limits (fields named as the
    task's arguments, so an error names the `-T` argument)."""

    judge: bool = True
    """False: no judge and no grader role, only the cheap signals (2-gram overlap, ROUGE-L)."""
    swap: bool = False
    ceiling: bool = False
    judge_retries: int = Field(default=DEFAULT_JUDGE_RETRIES, ge=0, le=MAX_JUDGE_RETRIES)
    judge_max_tokens: int = Field(default=DEFAULT_JUDGE_MAX_TOKENS, ge=1)
    judge_schema: bool = False
    """Constrain replies to the rating's JSON schema (structured output)."""

    @field_validator("judge", mode="before")
    @classmethod
    def _ice_judge_names_keep_the_judge(cls, value: Any) -> Any:
        """In an eval set `-T judge=` reaches both tasks: an ICE judge name (llm, lexical, both) is ICE's, and
        RSE keeps its judge on, with a warning."""
        if isinstance(value, str) and value.strip().lower() in get_args(JudgeKind):
            logger.warning(f"judge={value} names an ICE judge; RSE keeps its LLM judge (use judge=false to drop it).")
            return True
        return value

    @model_validator(mode="after")
    def _swap_needs_the_judge(self) -> JudgeSettings:
        if self.swap and not self.judge:
            raise ValueError("swap=true needs the judge: it judges both orders (got judge=false).")
        return self

    def score_keys(self) -> tuple[str, ...]:
        """Every key of a sample's score value, in display order (`rse.keys.SCORE_KEYS`)."""
        groups: dict[KeyGroup, bool] = {"judge": self.judge, "overlap": True, "swap": self.swap,
                                        "ceiling": self.ceiling and self.judge, "ceiling_overlap": self.ceiling}
        return tuple(name for name, key in SCORE_KEYS.items() if groups[key.group])


class ReferenceSettings(BaseModel):
    """Where reference answers come from: the `reference` role (cached) or recorded answers."""

    reference_answers: str | None = None
    """Recorded reference answers (JSONL file or directory) instead of the `reference` role."""
    reference_cache: bool = True
    reference_max_tokens: int | None = Field(default=None, ge=1)
    ceiling: bool = False
    ceiling_temperature: float = DEFAULT_CEILING_TEMPERATURE

    @model_validator(mode="after")
    def _ceiling_needs_a_live_reference(self) -> ReferenceSettings:
        if self.ceiling and self.reference_answers:
            raise ValueError("ceiling=true needs a live reference model (--model-role reference=...): recorded "
                             "answers cannot be sampled again.")
        if self.ceiling and self.ceiling_temperature <= 0:
            raise ValueError(
                f"ceiling_temperature must be above 0 to give a fresh sample (got {self.ceiling_temperature})."
            )
        return self


class RseSettings(BaseModel):
    """Every argument of the `rse` task."""

    datasets: list[str] = Field(default_factory=lambda: list(RSE_DATASETS))
    dataset_path: list[str] | None = None
    """A directory, `name=path` pairs, or one file when one dataset is selected."""
    per_dataset: int | None = Field(default=None, ge=1)
    seed: int = DEFAULT_SEED
    sharegpt_turns: Literal["first", "all"] = "first"
    reference: ReferenceSettings = Field(default_factory=ReferenceSettings)
    judge: JudgeSettings = Field(default_factory=JudgeSettings)

    @field_validator("datasets", mode="before")
    @classmethod
    def _known_datasets(cls, value: Any) -> list[str]:
        return parse_dataset_names(value if isinstance(value, str) else list(value))

    @field_validator("dataset_path", mode="before")
    @classmethod
    def _paths(cls, value: str | Sequence[str] | None) -> list[str] | None:
        return comma_list(value)

    @model_validator(mode="after")
    def _one_ceiling(self) -> RseSettings:
        if self.reference.ceiling != self.judge.ceiling:
            raise ValueError("ceiling must be the same for the reference and the judge.")
        return self
