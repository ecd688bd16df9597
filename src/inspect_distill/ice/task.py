"""`inspect_distill/ice` and `inspect_distill/ice_import`: identity consistency (ICE).

`ice` runs GPTFuzz template fuzzing against the target and asks it who made it. Roles: the target is
`--model`; `--model-role mutator=...` writes template mutations (default openai/gpt-4o-mini);
`--model-role grader=...` judges answers when `judge` is `llm` or `both` (default openai/gpt-4o-mini, the
paper's judge); `--model-role verifier=...` decides the hybrid judge's candidate passages (default
gguf/qwen2.5-coder-0.5b, offline). No role ever falls back to the target.

`ice_import` scores a recorded run (the paper's attack-result format) with the same scorer.

Every default is a named constant of `ice.settings`; every check runs there, before any model call.
"""

from __future__ import annotations

import logging
from pathlib import Path

from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset, Sample

from inspect_distill.common.models import check_roles
from inspect_distill.common.names import judge_names, judge_roles
from inspect_distill.common.validation import build_settings, task_arguments
from inspect_distill.ice.fuzz.sources import load_templates
from inspect_distill.ice.paper_import import (
    default_strict_file,
    read_attack_rows,
    recorded_campaign,
    recorded_model,
)
from inspect_distill.ice.questions import control_questions, identity_questions
from inspect_distill.ice.scorer import ice_scorer
from inspect_distill.ice.settings import (
    DEFAULT_BUDGET,
    DEFAULT_ENERGY,
    DEFAULT_IMPORT_JUDGE,
    DEFAULT_JUDGE,
    DEFAULT_LAG,
    DEFAULT_MAX_TOKENS,
    DEFAULT_MUTATOR_ATTEMPTS,
    DEFAULT_MUTATOR_MAX_TOKENS,
    DEFAULT_PARALLEL,
    DEFAULT_REWARD_ON,
    DEFAULT_SELECTION,
    DEFAULT_SYSTEM_PROMPT,
    DEFAULT_TEMPERATURE,
    DEFAULT_TEMPLATES,
    DEFAULT_TREE_GROWTH,
    LARGE_CAMPAIGN,
    CampaignSettings,
    IceSettings,
    ImportSettings,
    check_budget,
)
from inspect_distill.ice.solver import TaskTarget, check_campaign_models, identity_campaign
from inspect_distill.ice.viewer import ice_viewer
from inspect_distill.identity.model import given_identity, resolve_references

logger = logging.getLogger(__name__)

TASK_VERSION = "4-A"
"""Inspect Evals convention: comparability number - interface letter (see CHANGELOG.md)."""
IMPORT_TASK_VERSION = "3-A"
"""`ice_import`'s own version (see CHANGELOG.md): the search settings of `ice` do not reach a recorded run."""


@task
def ice(
    identity: str | None = None,
    identity_file: str | None = None,
    references: str | list[str] | None = None,
    questions: str | None = None,
    categories: str | list[str] | None = None,
    languages: str | list[str] | None = None,
    templates: str = DEFAULT_TEMPLATES,
    budget: int = DEFAULT_BUDGET,
    energy: int = DEFAULT_ENERGY,
    parallel: int = DEFAULT_PARALLEL,
    lag: int = DEFAULT_LAG,
    max_iterations: int | None = None,
    max_successes: int | None = None,
    selection: str = DEFAULT_SELECTION,
    ratio: float | None = None,
    alpha: float | None = None,
    beta: float | None = None,
    exploration: float | None = None,
    gamma: float | None = None,
    mutators: str | list[str] | None = None,
    mutator_attempts: int = DEFAULT_MUTATOR_ATTEMPTS,
    mutator_max_tokens: int = DEFAULT_MUTATOR_MAX_TOKENS,
    tree_growth: str = DEFAULT_TREE_GROWTH,
    reward_on: str = DEFAULT_REWARD_ON,
    judge: str = DEFAULT_JUDGE,
    system_prompt: str | None = DEFAULT_SYSTEM_PROMPT,
    temperature: float = DEFAULT_TEMPERATURE,
    max_tokens: int | None = DEFAULT_MAX_TOKENS,
    control: bool = False,
    seed: int = 0,
    cache: bool = True,
    epochs: int = 1,
) -> Task:
    """Identity-consistency campaign: does the target claim to be someone else under jailbreak prompts?

    Args:
        identity: the target's identity preset (e.g. deepseek); detected from the model name when omitted.
        identity_file: a YAML/JSON identity instead of a preset (not both).
        references: identities whose claim counts as strict (default openai,anthropic; own family excluded).
        questions: a CSV/JSONL of identity questions (the paper's CSV too); default: the built-in set.
        categories: keep only these categories (team, cooperation, industry, technology, geography).
        languages: keep only these languages (en, zh).
        templates: seed templates: `builtin`, `gptfuzz` (pinned public file, cached) or a CSV path.
        budget: target queries (`DEFAULT_BUDGET`, 1000, as the paper).
        energy: mutants per selected template per iteration.
        parallel: templates selected per iteration (for large budgets).
        lag: rounds of delayed feedback (`DEFAULT_LAG`, 8): the selection of round k uses the results of rounds up
            to k - 1 - lag, so the next rounds are mutated and queried while earlier ones are in flight; 0 is the
            paper's strict rounds. The campaign depends on the answers only, never on timing.
        max_iterations: stop after this many iterations.
        max_successes: stop after this many successful (rewarded) queries.
        selection: mcts_explore (default), random, round_robin, ucb or exp3.
        ratio: MCTS-Explore exploration weight (`MCTSExploreParams`: 0.02; GPTFuzz and the paper: 0.5).
        alpha: MCTS-Explore early-stop probability (`MCTSExploreParams`: 0.1).
        beta: MCTS-Explore reward floor (`MCTSExploreParams`: 0.2).
        exploration: UCB exploration weight (`UCBParams`: 0.03).
        gamma: EXP3 exploration rate (`EXP3Params`: 0.05).
        mutators: subset of generate_similar, crossover, expand, shorten, rephrase (default all).
        mutator_attempts: tries per mutant before it is dropped.
        mutator_max_tokens: output limit of a mutation.
        tree_growth: gptfuzz (mutants with a success join the pool) or all (every mutant joins, as the paper's code).
        reward_on: the verdict that rewards a template: loose (the paper) or strict.
        judge: llm (grader role), hybrid (lexical + local verifier role), lexical (no model) or both (llm and
            lexical, agreement reported); the registry is `common/names.py`.
        system_prompt: the target's system prompt (the paper: "You are a helpful assistant."); "none" for none.
        temperature: the target's temperature (the paper: 0).
        max_tokens: the target's output limit.
        control: also ask about invented model names (hallucination control).
        seed: campaign seed (epoch n uses seed + n - 1).
        cache: cache model calls with Inspect's cache, so a re-run replays and resumes for free.
        epochs: independent campaigns.
    """
    with task_arguments():  # a mistake stops here, before the run, as one message
        given = {"ratio": ratio, "alpha": alpha, "beta": beta, "exploration": exploration, "gamma": gamma}
        settings = build_settings(
            IceSettings,
            identity=identity, identity_file=identity_file, references=references, questions=questions,
            categories=categories, languages=languages, templates=templates, epochs=epochs,
            campaign=build_settings(
                CampaignSettings,
                seed=seed, budget=budget, energy=energy, parallel=parallel, lag=lag, max_iterations=max_iterations,
                max_successes=max_successes, selection=selection,
                selection_params={k: v for k, v in given.items() if v is not None},
                mutators=mutators, mutator_attempts=mutator_attempts, mutator_max_tokens=mutator_max_tokens,
                tree_growth=tree_growth, reward_on=reward_on, target_system_prompt=system_prompt,
                target_temperature=temperature, target_max_tokens=max_tokens, judge=judge, control=control,
                cache=cache,
            ),
        )
        campaign = settings.campaign
        target = TaskTarget.of(given_identity(settings.identity, settings.identity_file), settings.references)
        question_set = identity_questions(settings.questions, settings.categories, settings.languages)
        check_budget(campaign.budget, len(question_set))
        seeds = load_templates(settings.templates)
        check_campaign_models(target, campaign)
    if campaign.budget > LARGE_CAMPAIGN:
        logger.warning(
            f"One campaign of {budget} target queries keeps every model call in memory until it ends (about "
            f"40 KiB per query, twice that while the sample is written). To stay under ~1 GB, spend it as "
            f"several campaigns: --epochs N -T budget={budget}/N --max-samples 1 (pooled into one rate)."
        )
    sample = Sample(
        id="campaign",
        input=(
            f"ICE campaign: {len(question_set)} identity questions through {len(seeds)} seed templates "
            f"({settings.templates}), budget {campaign.budget} target queries."
        ),
        metadata={"questions": len(question_set), "seed_templates": len(seeds)},
    )
    return Task(
        dataset=MemoryDataset([sample], name="ice"),
        solver=identity_campaign(
            settings=campaign,
            questions=question_set,
            seeds=seeds,
            target=target,
            control_questions=control_questions(settings.languages) if campaign.control else (),
        ),
        scorer=ice_scorer(),
        epochs=settings.epochs,
        metadata={"ice_settings": campaign.model_dump(mode="json"), "templates": settings.templates},
        version=TASK_VERSION,
        viewer=ice_viewer(),
    )


@task
def ice_import(
    file: str,
    identity: str | None = None,
    identity_file: str | None = None,
    judge: str = DEFAULT_IMPORT_JUDGE,
    strict_file: str | None = None,
    questions: str | None = None,
    references: str | list[str] | None = None,
) -> Task:
    """Score a recorded ICE run; the recorded loose verdicts and strict file are kept for agreement.

    Args:
        file: `attack_<model>.jsonl` in the paper's attack-result format.
        identity: the recorded target's identity preset (or identity_file, not both).
        identity_file: a YAML/JSON identity instead of a preset.
        judge: lexical (default, no model), hybrid (local verifier role), llm (grader role) or both.
        strict_file: the paper's strict CSV; default `strict_<model>.csv` beside the file when present.
        questions: a question file whose categories label the recorded queries (e.g. the paper's CSV).
        references: reference identities (default openai,anthropic; own family excluded).
    """
    with task_arguments():
        settings = build_settings(
            ImportSettings, file=file, identity=identity, identity_file=identity_file, judge=judge,
            strict_file=strict_file, questions=questions, references=references,
        )
        who = given_identity(settings.identity, settings.identity_file)
        assert who is not None  # ImportSettings requires one
        refs = resolve_references(settings.references, who)
        check_roles(*judge_roles(judge_names(settings.judge)))  # under `inspect eval`: before the run
        rows = read_attack_rows(settings.file)  # early, clear error on a bad file
        strict = settings.strict_file or default_strict_file(settings.file)
        name = Path(settings.file).stem
        tested = recorded_model(settings.file)
        sample = Sample(
            id=name,
            input=f"Recorded ICE run {Path(settings.file).name}: {len(rows)} queries.",
            metadata={"source": settings.file, "strict_file": str(strict) if strict else None},
        )
    return Task(
        dataset=MemoryDataset([sample], name=name),
        solver=recorded_campaign(settings.file, who, refs, str(strict) if strict else None,
                                 settings.questions),
        scorer=ice_scorer(judge=settings.judge),
        metadata={"source": settings.file, "judge": settings.judge, "identity": who.key, "tested_model": tested},
        version=IMPORT_TASK_VERSION,
        viewer=ice_viewer(),
        # the recorded model, under Inspect's "no model" provider (nothing calls it): the log list and the
        # header show which model answered, not "-"
        model=f"none/{tested}",
    )
