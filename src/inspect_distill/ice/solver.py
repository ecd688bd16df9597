"""The ICE solver: one sample = one campaign against the task's model; epochs = independent campaigns."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from inspect_ai.model import Model, get_model
from inspect_ai.solver import Generate, Solver, TaskState, solver

from inspect_distill.common.models import (
    MUTATOR_ROLE,
    cache_policy,
    evaluated_model,
    role_model,
)
from inspect_distill.common.names import judge_roles
from inspect_distill.ice.campaign import Campaign
from inspect_distill.ice.fuzz.mutators import make_mutators
from inspect_distill.ice.fuzz.pool import TemplateNode
from inspect_distill.ice.fuzz.selection import new_search
from inspect_distill.ice.judging.judges import make_judges
from inspect_distill.ice.judging.verdict import IdentityJudge
from inspect_distill.ice.questions import IdentityQuestion
from inspect_distill.ice.records import CampaignResult, CampaignStore
from inspect_distill.ice.settings import CampaignSettings
from inspect_distill.identity.model import Identity, detect_identity, get_identity, resolve_references
from inspect_distill.providers.local_models import LOCAL_MODELS, gguf_identity_hint

GGUF_PROVIDER = "gguf/"


def target_identity(target: Model, identity: Identity | None) -> tuple[Identity, str]:
    """The target's identity and where it came from, in this order: the task's argument, the family of a
    named local model, the model's name, the model name written in a GGUF file's metadata."""
    if identity is not None:
        return identity, "argument"
    name = str(target)
    local = name.removeprefix(GGUF_PROVIDER) if name.startswith(GGUF_PROVIDER) else None
    if local in LOCAL_MODELS:
        return get_identity(LOCAL_MODELS[local].family), f"named local model {local}"
    try:
        return detect_identity(name), "model name"
    except ValueError:
        hint = gguf_identity_hint(local) if local is not None else None
        if hint is None:
            raise
        return detect_identity(hint.value), f"GGUF metadata {hint.source} ({hint.value})"


@dataclass(frozen=True)
class TaskTarget:
    """What the task's arguments say about the target: its identity, with the references resolved against it
    once, or (no identity given) the reference names to resolve against the identity detected at the run."""

    reference_names: list[str] | None = None
    """The references asked for (None: the default)."""
    identity: Identity | None = None
    references: list[Identity] | None = None
    """Resolved when the identity is given."""

    @classmethod
    def of(cls, identity: Identity | None, reference_names: list[str] | None) -> TaskTarget:
        """Resolve the references now when the identity is given (a mistake is an error here)."""
        if identity is None:
            return cls(reference_names)
        return cls(reference_names, identity, resolve_references(reference_names, identity))

    def resolve(self, target: Model) -> tuple[Identity, str, list[Identity]]:
        """The target's identity, where it came from (`target_identity`), and the references."""
        who, source = target_identity(target, self.identity)
        references = self.references if self.references is not None else resolve_references(self.reference_names, who)
        return who, source, references


@dataclass(frozen=True)
class CampaignModels:
    """Who the target is, what counts as a reference, the judges and the role models of a campaign."""

    identity: Identity
    identity_source: str
    references: list[Identity]
    judges: dict[str, IdentityJudge]
    mutator: Model
    roles: dict[str, str]
    """The model of every role used, by role name (`target`, `mutator`, and the judges' roles: `grader`, `verifier`)."""


def campaign_models(target: Model, given: TaskTarget, settings: CampaignSettings) -> CampaignModels:
    """Resolve the target's identity, the references, the judges and the role models; a mistake is an error here."""
    who, identity_source, refs = given.resolve(target)
    judges = make_judges(settings.judges, who, refs, cache=cache_policy(settings.cache))
    mutator = role_model(MUTATOR_ROLE)
    roles = {"target": str(target), "mutator": str(mutator)}
    for role in judge_roles(settings.judges):
        roles[role] = str(role_model(role))
    return CampaignModels(who, identity_source, refs, judges, mutator, roles)


def check_campaign_models(given: TaskTarget, settings: CampaignSettings) -> None:
    """While Inspect builds the task: `campaign_models` on the model under test, so that a mistake stops the
    eval before it starts. A task built outside an eval is checked when its run starts."""
    target = evaluated_model()
    if target is not None:
        campaign_models(target, given, settings)


@solver
def identity_campaign(
    settings: CampaignSettings,
    questions: Sequence[IdentityQuestion],
    seeds: Sequence[TemplateNode],
    target: TaskTarget | None = None,
    control_questions: Sequence[IdentityQuestion] = (),
) -> Solver:
    """Run a GPTFuzz identity campaign against the target and record it in the sample store.

    Args:
        settings: the campaign settings (budget, energy, policy, mutators, judge, ...).
        questions: identity questions asked through every mutant.
        seeds: the seed templates (level 0 of the tree).
        target: the target's identity and references from the task's arguments (default: the identity detected
            by `target_identity`, the default references, OpenAI and Anthropic; the target's family is excluded).
        control_questions: invented-name questions for the hallucination control (asked when settings.control).
    """

    mutators = make_mutators(settings.mutators)
    given = target or TaskTarget()

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        model = get_model()
        models = campaign_models(model, given, settings)
        who, identity_source, refs, roles = models.identity, models.identity_source, models.references, models.roles
        seed = settings.seed + state.epoch - 1
        epoch_settings = settings.model_copy(update={"seed": seed})
        rng = random.Random(seed)
        pool, policy = new_search(settings.selection, settings.selection_params, seeds, rng)
        result = CampaignResult(settings=epoch_settings, identity=who, identity_source=identity_source,
                                references=refs, roles=roles)
        campaign = Campaign(
            settings=epoch_settings,
            result=result,
            questions=questions,
            pool=pool,
            policy=policy,
            mutators=mutators,
            judges=models.judges,
            target=model,
            mutator_model=models.mutator,
            rng=rng,
            control_questions=control_questions if settings.control else (),
        )
        state.metadata["identity"] = who.key
        state.metadata["identity_source"] = identity_source
        state.metadata["references"] = [r.key for r in refs]
        state.metadata["roles"] = roles
        try:
            await campaign.run()
        finally:
            # written on every exit, a limit or an error included: no finished query is lost
            state.store_as(CampaignStore).campaign = result
        state.output.completion = (
            f"Campaign stopped ({result.stop_reason}) after {result.iterations} iterations and "
            f"{result.queries} target queries."
        )
        state.completed = True
        return state

    return solve
