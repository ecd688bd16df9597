"""Every setting of the `rse` task: its default (a named constant) and its checks, in one place.

`RseSettings` is built once by the task. Its parts are what each builder takes: `ReferenceSettings` for the
reference solver, `JudgeSettings` for the scorer and the metrics; the builders validate their arguments
through the same models, so a check that combines settings (swap needs the judge, a ceiling needs a live
reference and a temperature above 0) is written once, here. `score_keys` names every key of the score value.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from inspect_distill.common.text import comma_list
from inspect_distill.ice.judging.judges import JUDGE_KINDS
from inspect_distill.rse.prompt_sets import (
    DEFAULT_SEED,
    RSE_DATASETS,
    parse_dataset_names,
)
from inspect_distill.rse.rating import CRITERIA

logger = logging.getLogger(__name__)

DEFAULT_JUDGE_MAX_TOKENS = 200
DEFAULT_JUDGE_RETRIES = 1
MAX_JUDGE_RETRIES = 5
DEFAULT_CEILING_TEMPERATURE = 1.0

OVERALL = "overall"
JUDGE_KEYS: tuple[str, ...] = (OVERALL, *(key for key in CRITERIA if key != OVERALL))
"""The judge's score keys, overall first (the criteria and their ranges are `rating.CRITERIA`)."""
OVERLAP_KEYS = ("ngram", "rouge_l")
SWAP_KEY = "swap_gap"
CEILING_JUDGE_KEY = "ceiling"
CEILING_OVERLAP_KEYS = ("ceiling_ngram", "ceiling_rouge_l")


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
        if isinstance(value, str) and value.strip().lower() in JUDGE_KINDS:
            logger.warning(f"judge={value} names an ICE judge; RSE keeps its LLM judge (use judge=false to drop it).")
            return True
        return value

    @model_validator(mode="after")
    def _swap_needs_the_judge(self) -> JudgeSettings:
        if self.swap and not self.judge:
            raise ValueError("swap=true needs the judge: it judges both orders (got judge=false).")
        return self

    def score_keys(self) -> tuple[str, ...]:
        """Every key of a sample's score value, in display order."""
        keys: list[str] = [*(JUDGE_KEYS if self.judge else ()), *OVERLAP_KEYS]
        if self.swap:
            keys.append(SWAP_KEY)
        if self.ceiling:
            keys += [*([CEILING_JUDGE_KEY] if self.judge else []), *CEILING_OVERLAP_KEYS]
        return tuple(keys)


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
