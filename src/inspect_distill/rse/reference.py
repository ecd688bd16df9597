"""Reference answers for RSE: from the `reference` model role (cached on disk) or from recorded answers.

The reference model answers each prompt once at temperature 0; the answer goes to Inspect's on-disk
generate cache (`INSPECT_CACHE_DIR`, no expiry, shared by epochs), so comparing ten tested models costs
one reference run. With `ceiling`, the reference also answers a second time at a temperature above 0 (also
cached): that fresh sample of itself gives the noise ceiling of the similarity scale.
"""

from __future__ import annotations

from inspect_ai.model import GenerateConfig, get_model, model_roles
from inspect_ai.solver import Generate, Solver, TaskState, solver
from inspect_ai.util import StoreModel
from pydantic import Field

from inspect_distill.common.models import (
    REFERENCE_ROLE,
    cache_policy,
    role_model,
    safe_generate,
)
from inspect_distill.common.validation import build_settings
from inspect_distill.providers.replay import RecordedAnswers
from inspect_distill.rse.settings import DEFAULT_CEILING_TEMPERATURE, ReferenceSettings


class SelfComparisonError(ValueError):
    """The tested model is the reference model: the similarity would be that of identical text."""


class ReferenceAnswers(StoreModel):
    """What the solver leaves for the scorer, per sample."""

    reference: str = Field(default="")
    reference_model: str = Field(default="")
    resample: str | None = Field(default=None)
    """A second, independent answer of the reference model (only with `ceiling`)."""
    error: str | None = Field(default=None)
    """Why the reference model gave no answer (its call failed, or it answered nothing)."""


def refuse_self_comparison(tested: str, reference: str) -> None:
    """Raise when the tested model and the reference model have the same name."""
    if tested and reference and tested.split("/")[-1] == reference.split("/")[-1]:
        raise SelfComparisonError(
            f"The tested model '{tested}' is the reference model '{reference}': comparing a model with its "
            f"own answers only measures identical text (the paper's 5.000). Use -T ceiling=true to compare "
            f"the reference with a fresh sample of itself."
        )


@solver
def reference_answer(
    reference_answers: str | None = None,
    cache: bool = True,
    max_tokens: int | None = None,
    ceiling: bool = False,
    ceiling_temperature: float = DEFAULT_CEILING_TEMPERATURE,
) -> Solver:
    """Put the reference answer (and, with `ceiling`, a fresh resample) in the sample's store.

    Args:
        reference_answers: Recorded answers (arena-hard `model_answer` or `{"prompt","response"}` JSONL,
            a file or directory) to use instead of calling the `reference` role.
        cache: Keep reference answers in Inspect's on-disk generate cache (no expiry).
        max_tokens: Token limit of the reference answers (None: the provider's default).
        ceiling: Also draw a second answer of the reference model at `ceiling_temperature`.
        ceiling_temperature: Temperature of the resample (must be above 0).
    """
    build_settings(ReferenceSettings, reference_answers=reference_answers, reference_cache=cache,
                   reference_max_tokens=max_tokens, ceiling=ceiling, ceiling_temperature=ceiling_temperature)
    recorded = RecordedAnswers(reference_answers) if reference_answers else None
    policy = cache_policy(cache, per_epoch=False)
    resample_policy = cache_policy(cache, per_epoch=False, scope="ceiling")
    answer_config = GenerateConfig(temperature=0.0, max_tokens=max_tokens)
    resample_config = GenerateConfig(temperature=ceiling_temperature, max_tokens=max_tokens)

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        answers = state.store_as(ReferenceAnswers)
        tested = get_model().name
        if recorded is not None:
            if REFERENCE_ROLE in model_roles():
                raise ValueError("Give either -T reference_answers=... or --model-role reference=..., not both.")
            found = recorded.answer(state.input_text)
            answers.reference_model = found.model or recorded.path
            refuse_self_comparison(tested, found.model or "")
            answers.reference = found.response
        else:
            model = role_model(REFERENCE_ROLE)
            refuse_self_comparison(tested, model.name)
            answers.reference_model = str(model)
            answer = await safe_generate(model, state.input, answer_config, policy)
            answers.reference, answers.error = answer.text, answer.error
            if ceiling:
                resample = await safe_generate(model, state.input, resample_config, resample_policy)
                answers.resample = resample.text
        state.metadata["reference_model"] = answers.reference_model
        return state

    return solve
