"""`inspect_distill/rse`: response similarity (RSE). How closely do the tested model's answers resemble a
reference model's?

```
inspect eval inspect_distill/rse --model <tested> \\
    --model-role reference=openai/gpt-4o-2024-08-06 --model-role grader=<judge>
```

Roles: the tested model is `--model`; `reference` defaults to the paper's openai/gpt-4o-2024-08-06 (or
`-T reference_answers=` recorded answers); `grader` (the judge) defaults to openai/gpt-4o-mini, the
paper's ICE judge (the paper does not name its RSE judge). Every default is a named constant of
`rse.settings`; every check runs there, before any model call.
"""

from __future__ import annotations

from collections.abc import Sequence

from inspect_ai import Task, task
from inspect_ai.solver import generate

from inspect_distill.common.models import GRADER_ROLE, REFERENCE_ROLE, check_roles
from inspect_distill.common.validation import build_settings, task_arguments
from inspect_distill.rse.metrics import rse_metrics
from inspect_distill.rse.prompt_sets import (
    DEFAULT_SEED,
    RSE_DATASETS,
    SharegptTurns,
    rse_dataset,
)
from inspect_distill.rse.reference import reference_answer
from inspect_distill.rse.scorer import rse_similarity
from inspect_distill.rse.settings import (
    DEFAULT_CEILING_TEMPERATURE,
    DEFAULT_JUDGE_MAX_TOKENS,
    DEFAULT_JUDGE_RETRIES,
    JudgeSettings,
    ReferenceSettings,
    RseSettings,
)
from inspect_distill.rse.viewer import rse_headline, rse_viewer

TASK_VERSION = "1-C"
"""Inspect Evals convention: comparability number - interface letter (see CHANGELOG.md)."""


@task
def rse(
    datasets: str | Sequence[str] = ",".join(RSE_DATASETS),
    dataset_path: str | Sequence[str] | None = None,
    per_dataset: int | None = None,
    seed: int = DEFAULT_SEED,
    sharegpt_turns: SharegptTurns = "first",
    reference_answers: str | None = None,
    reference_cache: bool = True,
    reference_max_tokens: int | None = None,
    swap: bool = False,
    ceiling: bool = False,
    ceiling_temperature: float = DEFAULT_CEILING_TEMPERATURE,
    judge_max_tokens: int = DEFAULT_JUDGE_MAX_TOKENS,
    judge_retries: int = DEFAULT_JUDGE_RETRIES,
    judge_schema: bool = False,
    judge: bool = True,
) -> Task:
    """Response similarity of the tested model to a reference model, rated by a judge model.

    Args:
        datasets: Prompt sets, comma separated (any name of `PROMPT_SETS`); default arena_hard (500), numina
            (1000 sampled), sharegpt (1000 sampled).
        dataset_path: Local files instead of the Hugging Face Hub: a directory (searched by file name),
            `name=path` pairs, e.g. `arena_hard=/data/question.jsonl,numina=/data/numina.parquet`, or one
            file when one dataset is selected.
        per_dataset: Prompts per set (sampled with `seed`; default: 500 / 1000 / 1000).
        seed: Seed of the sample.
        sharegpt_turns: `first` human turn only, or `all`: the conversation up to its last human turn.
        reference_answers: Recorded reference answers (JSONL file or directory) instead of the `reference` role.
        reference_cache: Cache reference answers on disk (Inspect's generate cache, no expiry).
        reference_max_tokens: Token limit of reference answers (default: the provider's).
        swap: Judge both orders (reference first, tested first) and average; report their gap.
        ceiling: Also compare the reference with a fresh sample of itself: the noise ceiling, and RSE
            normalised to it.
        ceiling_temperature: Temperature of that fresh sample.
        judge_max_tokens: Token limit of each judge reply.
        judge_retries: Correction requests after an unreadable judge reply (0-5).
        judge_schema: Constrain judge replies to the rating's JSON schema (structured output), for
            providers that support it; small local judges then always return a readable rating.
        judge: False: no judge and no grader role, only the cheap signals (2-gram overlap, ROUGE-L): a
            screen of many models for the price of their answers.
    """
    with task_arguments():  # a mistake stops here, before the run, as one message
        settings = build_settings(
            RseSettings,
            datasets=datasets, dataset_path=dataset_path, per_dataset=per_dataset, seed=seed,
            sharegpt_turns=sharegpt_turns,
            reference=build_settings(ReferenceSettings, reference_answers=reference_answers,
                                     reference_cache=reference_cache, reference_max_tokens=reference_max_tokens,
                                     ceiling=ceiling, ceiling_temperature=ceiling_temperature),
            judge=build_settings(JudgeSettings, judge=judge, swap=swap, ceiling=ceiling,
                                 judge_retries=judge_retries, judge_max_tokens=judge_max_tokens,
                                 judge_schema=judge_schema),
        )
        reference, rating = settings.reference, settings.judge
        check_roles(*([] if reference.reference_answers else [REFERENCE_ROLE]), *([GRADER_ROLE] if rating.judge else []))
        dataset = rse_dataset(settings.datasets, dataset_path=settings.dataset_path,
                              per_dataset=settings.per_dataset, seed=settings.seed,
                              sharegpt_turns=settings.sharegpt_turns)
    return Task(
        dataset=dataset,
        solver=[
            reference_answer(reference_answers=reference.reference_answers, cache=reference.reference_cache,
                             max_tokens=reference.reference_max_tokens, ceiling=reference.ceiling,
                             ceiling_temperature=reference.ceiling_temperature),
            generate(),
        ],
        scorer=rse_similarity(swap=rating.swap, ceiling=rating.ceiling, retries=rating.judge_retries,
                              judge_max_tokens=rating.judge_max_tokens, judge_schema=rating.judge_schema,
                              judge=rating.judge),
        metrics=rse_metrics(settings.datasets, swap=rating.swap, ceiling=rating.ceiling, judge=rating.judge),
        version=TASK_VERSION,
        viewer=rse_viewer(judge=rating.judge, swap=rating.swap, ceiling=rating.ceiling),
        headline_metric=rse_headline(judge=rating.judge),
    )
