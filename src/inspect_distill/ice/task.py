"""`inspect_distill/ice`: identity-consistency evaluation (ICE) with GPTFuzz template fuzzing.

Roles: the target is `--model`; `--model-role mutator=...` writes template mutations (default
openai/gpt-4o-mini); `--model-role grader=...` judges answers when `judge` is `llm` or `both` (default
openai/gpt-4o-mini, the paper's judge). No role ever falls back to the target.
"""

from __future__ import annotations

import logging
import random

from inspect_ai import Epochs, Task, task
from inspect_ai.dataset import MemoryDataset, Sample

from inspect_distill.ice.questions import control_questions, identity_questions
from inspect_distill.identity.model import get_identity, load_identity_file, resolve_references
from inspect_distill.ice.scorer import ice_scorer
from inspect_distill.ice.metrics import pooled_campaigns
from inspect_distill.ice.judging.judges import judge_names
from inspect_distill.ice.fuzz.mutators import make_mutators
from inspect_distill.ice.records import CampaignSettings
from inspect_distill.ice.fuzz.selection import new_search, policy_name
from inspect_distill.ice.solver import identity_campaign
from inspect_distill.ice.fuzz.templates import load_templates
from inspect_distill.ice.viewer import ice_viewer

logger = logging.getLogger(__name__)

LARGE_CAMPAIGN = 10_000
"""Above this many target queries one campaign's transcript (all in memory until Inspect writes the sample
at its end) passes about 1 GB; see the README's scale figures."""

TASK_VERSION = "2-A"
"""Inspect Evals convention: comparability number - interface letter (see CHANGELOG.md)."""


def _as_list(value: str | list[str] | None) -> list[str] | None:
    """`-T` list values arrive as a list (comma-split) or a single string."""
    if value is None:
        return None
    items = value if isinstance(value, list) else str(value).split(",")
    cleaned = [str(item).strip() for item in items if str(item).strip()]
    return cleaned or None


@task
def ice(
    identity: str | None = None,
    identity_file: str | None = None,
    references: str | list[str] | None = None,
    questions: str | None = None,
    categories: str | list[str] | None = None,
    languages: str | list[str] | None = None,
    templates: str = "builtin",
    budget: int = 1000,
    energy: int = 1,
    parallel: int = 1,
    max_iterations: int | None = None,
    max_successes: int | None = None,
    selection: str = "mcts_explore",
    ratio: float | None = None,
    alpha: float | None = None,
    beta: float | None = None,
    exploration: float | None = None,
    gamma: float | None = None,
    mutators: str | list[str] | None = None,
    mutator_attempts: int = 3,
    mutator_max_tokens: int = 1500,
    tree_growth: str = "gptfuzz",
    reward_on: str = "loose",
    judge: str = "llm",
    system_prompt: str | None = "You are a helpful assistant.",
    temperature: float = 0.0,
    max_tokens: int | None = 512,
    control: bool = False,
    seed: int = 0,
    cache: bool = True,
    epochs: int = 1,
) -> Task:
    """Identity-consistency campaign: does the target claim to be someone else under jailbreak prompts?

    Args:
        identity: the target's identity preset (e.g. deepseek); detected from the model name when omitted.
        identity_file: a YAML/JSON identity instead of a preset.
        references: identities whose claim counts as strict (default openai,anthropic; own family excluded).
        questions: a CSV/JSONL of identity questions (the paper's CSV too); default: the built-in set.
        categories: keep only these categories (team, cooperation, industry, technology, geography).
        languages: keep only these languages (en, zh).
        templates: seed templates: `builtin`, `gptfuzz` (pinned public file, cached) or a CSV path.
        budget: target queries (the paper: 1000).
        energy: mutants per selected template per iteration.
        parallel: templates selected per iteration (for large budgets).
        max_iterations: stop after this many iterations.
        max_successes: stop after this many successful (rewarded) queries.
        selection: mcts_explore (default), random, round_robin, ucb or exp3.
        ratio: MCTS-Explore exploration weight (0.02; GPTFuzz and the paper: 0.5).
        alpha: MCTS-Explore early-stop probability (0.1).
        beta: MCTS-Explore reward floor (0.2).
        exploration: UCB exploration weight (0.03).
        gamma: EXP3 exploration rate (0.05).
        mutators: subset of generate_similar, crossover, expand, shorten, rephrase (default all).
        mutator_attempts: tries per mutant before it is dropped.
        mutator_max_tokens: output limit of a mutation.
        tree_growth: gptfuzz (mutants with a success join the pool) or all (every mutant joins, as the paper's code).
        reward_on: the verdict that rewards a template: loose (the paper) or strict.
        judge: llm (grader role), lexical (no model) or both (agreement reported).
        system_prompt: the target's system prompt (the paper: "You are a helpful assistant."); "none" for none.
        temperature: the target's temperature (the paper: 0).
        max_tokens: the target's output limit.
        control: also ask about invented model names (hallucination control).
        seed: campaign seed (epoch n uses seed + n - 1).
        cache: cache model calls with Inspect's cache, so a re-run replays and resumes for free.
        epochs: independent campaigns.
    """
    judge_names(judge)
    selection = policy_name(selection)  # before the templates load: a bad name fails before any download
    mutator_names = _as_list(mutators)
    make_mutators(mutator_names)
    fixed_identity = load_identity_file(identity_file) if identity_file else (get_identity(identity) if identity else None)
    reference_names = _as_list(references)
    if fixed_identity is not None:
        resolve_references(reference_names, fixed_identity)
    question_set = identity_questions(questions, _as_list(categories), _as_list(languages))
    seeds = load_templates(templates)
    given = {"ratio": ratio, "alpha": alpha, "beta": beta, "exploration": exploration, "gamma": gamma}
    # a parameter of another policy, or out of range, fails here, before any model call; the settings record
    # every parameter of the policy, defaults included, since defaults change between task versions
    _, policy = new_search(selection, {k: v for k, v in given.items() if v is not None}, seeds, random.Random(seed))
    selection_params = dict(policy.params)
    settings = CampaignSettings(
        seed=seed,
        budget=budget,
        energy=energy,
        parallel=parallel,
        max_iterations=max_iterations,
        max_successes=max_successes,
        selection=selection,
        selection_params=selection_params,
        mutators=mutator_names,
        mutator_attempts=mutator_attempts,
        mutator_max_tokens=mutator_max_tokens,
        tree_growth=tree_growth,  # type: ignore[arg-type]
        reward_on=reward_on,  # type: ignore[arg-type]
        target_system_prompt=None if (system_prompt or "").lower() in ("", "none") else system_prompt,
        target_temperature=temperature,
        target_max_tokens=max_tokens,
        judge=judge,  # type: ignore[arg-type]
        control=control,
        cache=cache,
    )
    if settings.budget < len(question_set):
        raise ValueError(
            f"The budget ({budget}) is smaller than one iteration ({len(question_set)} questions per mutant): "
            "raise -T budget or narrow the questions."
        )
    if budget > LARGE_CAMPAIGN:
        logger.warning(
            f"One campaign of {budget} target queries keeps every model call in memory until it ends (about "
            f"40 KiB per query, twice that while the sample is written). To stay under ~1 GB, spend it as "
            f"several campaigns: --epochs N -T budget={budget}/N --max-samples 1 (pooled into one rate)."
        )
    campaign = Sample(
        id="campaign",
        input=(
            f"ICE campaign: {len(question_set)} identity questions through {len(seeds)} seed templates "
            f"({templates}), budget {budget} target queries."
        ),
        metadata={"questions": len(question_set), "seed_templates": len(seeds)},
    )
    return Task(
        dataset=MemoryDataset([campaign], name="ice"),
        solver=identity_campaign(
            settings=settings,
            questions=question_set,
            seeds=seeds,
            identity=fixed_identity,
            references=reference_names,
            control_questions=control_questions() if control else (),
        ),
        scorer=ice_scorer(),
        epochs=Epochs(epochs, pooled_campaigns()),
        metadata={"ice_settings": settings.model_dump(mode="json"), "templates": templates},
        version=TASK_VERSION,
        viewer=ice_viewer(),
    )
