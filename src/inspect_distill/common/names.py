"""The names of ICE's judges, mutators and selection policies, and what the settings must know about each.

A leaf (it imports only `common`): the settings, and through them the records, the report and the CLI, name
and check a judge, a mutator or a policy without loading its implementation, and RSE reads the judge names
without importing ICE. It sits in `common/`, not `ice/`: `ice/fuzz/` and `ice/judging/` import it, and a
module of `ice/` imported by its subfolders would make a circle of folders. The registries key their entries
by these names: `ice/fuzz/mutators.py` (`MUTATORS`), `ice/fuzz/selection.py` (`POLICIES`) and, for the
judges, `JUDGES` below; `tests/common/test_names.py` checks that each registry's keys equal its Literal.

The judge registry lives here rather than beside the judges: an entry names its class by import path, and
`ice/judging/judges.py` imports the class only when it builds the judge. So a new judge is its module plus its
entry here (two files), and the settings still load no judge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from inspect_distill.common.models import GRADER_ROLE, VERIFIER_ROLE

# --- judges ---------------------------------------------------------------------------------------------

JudgeName = Literal["llm", "hybrid", "lexical"]
"""Every identity judge, in the order that picks the primary one (`primary_judge`)."""
JudgeKind = Literal[JudgeName, "both"]
"""A `-T judge=` value: a judge's name or a combination (`COMBINATIONS`)."""


@dataclass(frozen=True)
class JudgeSpec:
    """One identity judge: what it is, the model role it needs (if any) and its class.

    The class (`module:Class`) is built as `Class(identity, references)`, or with a role as
    `Class(identity, references, role_model(role), cache=cache)` (`ice/judging/judges.py`); its `__call__(prompt,
    response)` returns a `Verdict` with `judge` set to its name.
    """

    summary: str
    role: str | None
    judge: str


JUDGES: dict[str, JudgeSpec] = {
    "llm": JudgeSpec(
        "the grader model answers the paper's loose and strict questions",
        GRADER_ROLE,
        "inspect_distill.ice.judging.llm:LLMJudge",
    ),
    "hybrid": JudgeSpec(
        "lexical claims, then a local verifier model on the candidate passages the rules did not claim",
        VERIFIER_ROLE,
        "inspect_distill.ice.judging.hybrid:HybridJudge",
    ),
    "lexical": JudgeSpec(
        "first-person claim grammar, no model",
        None,
        "inspect_distill.ice.judging.lexical:LexicalJudge",
    ),
}
"""Every judge, in the order that picks the primary one (the first that runs drives search and headline)."""
COMBINATIONS: dict[str, tuple[str, ...]] = {"both": ("llm", "lexical")}
JUDGE_KINDS: tuple[str, ...] = (*JUDGES, *COMBINATIONS)


def judge_names(kind: str) -> list[str]:
    """The judges behind a `-T judge=` value; an unknown value is an error naming the choices."""
    if kind in COMBINATIONS:
        return list(COMBINATIONS[kind])
    if kind not in JUDGES:
        raise ValueError(f"Unknown judge '{kind}': choose one of {', '.join(JUDGE_KINDS)}.")
    return [kind]


def primary_judge(names: Sequence[str]) -> str:
    """The judge whose verdicts drive the search and the headline rates: the first of `JUDGES` that runs."""
    return next((name for name in JUDGES if name in names), names[0])


def judge_roles(names: Sequence[str]) -> list[str]:
    """The model roles the named judges need."""
    return [role for name in names if (role := JUDGES[name].role) is not None]


# --- mutators -------------------------------------------------------------------------------------------

MutatorName = Literal["generate_similar", "crossover", "expand", "shorten", "rephrase"]
"""Every mutator of `ice/fuzz/mutators.py`, in the order a campaign draws from."""
MUTATOR_NAMES: tuple[MutatorName, ...] = get_args(MutatorName)


def mutator_names(names: list[str] | None) -> list[MutatorName]:
    """The mutators asked for (None: all); none at all, or an unknown name, raises ValueError."""
    if names is None:
        return list(MUTATOR_NAMES)
    if not names:
        raise ValueError(f"No mutators given (known: {', '.join(MUTATOR_NAMES)}).")
    unknown = [name for name in names if name not in MUTATOR_NAMES]
    if unknown:
        raise ValueError(f"Unknown mutator(s) {', '.join(unknown)} (known: {', '.join(MUTATOR_NAMES)}).")
    return [next(known for known in MUTATOR_NAMES if known == name) for name in names]


# --- selection policies ---------------------------------------------------------------------------------

PolicyName = Literal["mcts_explore", "random", "round_robin", "ucb", "exp3"]
"""Every seed selection policy of `ice/fuzz/selection.py`."""
POLICY_NAMES: tuple[PolicyName, ...] = get_args(PolicyName)


class PolicyParams(BaseModel):
    """A policy's parameters: each field with its default and range (none for the base)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class MCTSExploreParams(PolicyParams):
    ratio: float = Field(default=0.02, ge=0, description="exploration weight (GPTFuzz and the paper: 0.5)")
    alpha: float = Field(default=0.1, ge=0, le=1, description="early-stop probability at each non-leaf")
    beta: float = Field(default=0.2, ge=0, le=1, description="reward floor of deep templates")
    level_penalty: float = Field(default=0.1, ge=0, description="reward lost per level of depth")


class UCBParams(PolicyParams):
    exploration: float = Field(default=0.03, ge=0, description="UCB1 exploration weight (textbook: 1.0)")


class EXP3Params(PolicyParams):
    gamma: float = Field(default=0.05, gt=0, le=1, description="exploration rate")


POLICY_PARAMS: dict[PolicyName, type[PolicyParams]] = {
    "mcts_explore": MCTSExploreParams,
    "random": PolicyParams,
    "round_robin": PolicyParams,
    "ucb": UCBParams,
    "exp3": EXP3Params,
}
"""Each policy's parameters, their defaults and ranges."""


def policy_name(name: str) -> PolicyName:
    """The registry name of a selection policy (case and surrounding spaces ignored).

    Raises:
        ValueError: no policy has this name.
    """
    key = name.strip().lower()
    for known in POLICY_NAMES:
        if known == key:
            return known
    raise ValueError(f"Unknown selection policy '{name}' (known: {', '.join(POLICY_NAMES)}).")


def policy_params(name: str, params: dict[str, Any]) -> dict[str, float]:
    """Every parameter of the named policy, defaults filled in and ranges checked (the one check).

    Raises:
        ValueError: unknown policy, a parameter the policy does not have, or a value out of its range.
    """
    spec = POLICY_PARAMS[policy_name(name)]
    known = list(spec.model_fields)
    unknown = sorted(set(params) - set(known))
    if unknown:
        raise ValueError(
            f"Unknown parameter(s) for selection policy '{name}': {', '.join(unknown)} "
            f"(known: {', '.join(sorted(known)) or 'none'})."
        )
    try:
        values = spec(**params)
    except ValidationError as ex:
        problems = "; ".join(_out_of_range(spec, error) for error in ex.errors())
        raise ValueError(f"Invalid parameter(s) for selection policy '{name}': {problems}.") from None
    return {key: float(value) for key, value in values.model_dump().items()}


def _out_of_range(spec: type[PolicyParams], error: Any) -> str:
    """`gamma must be in (0, 1] (got 2.0)`: the field's whole range, from its constraints."""
    field = str(error["loc"][0]) if error["loc"] else ""
    bounds: dict[str, float] = {}
    for constraint in spec.model_fields[field].metadata if field in spec.model_fields else []:
        for kind in ("ge", "gt", "le", "lt"):
            if getattr(constraint, kind, None) is not None:
                bounds[kind] = getattr(constraint, kind)
    low = f"[{bounds['ge']:g}" if "ge" in bounds else (f"({bounds['gt']:g}" if "gt" in bounds else None)
    high = f"{bounds['le']:g}]" if "le" in bounds else (f"{bounds['lt']:g})" if "lt" in bounds else None)
    if low and high:
        allowed = f"in {low}, {high}"
    elif low:
        allowed = (">= " if low[0] == "[" else "> ") + low[1:]
    elif high:
        allowed = ("<= " if high[-1] == "]" else "< ") + high[:-1]
    else:
        return f"{field}: {error['msg']}"
    return f"{field} must be {allowed} (got {error.get('input')!r})"
