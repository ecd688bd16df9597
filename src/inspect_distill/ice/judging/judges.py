"""The judge registry: every identity judge, by name, with how to build it. Adding a judge is its module plus
one entry of `JUDGES` (and its name in `JudgeName`; a test checks the two agree).

`-T judge=` takes a judge's name or a combination (`both`: the LLM judge and the lexical judge, with their
agreement reported). Settings, the CLI and the scorer read their choices from here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, get_args

from inspect_ai.model import CachePolicy

from inspect_distill.common.models import GRADER_ROLE, VERIFIER_ROLE, role_model
from inspect_distill.common.names import JudgeKind
from inspect_distill.ice.judging.hybrid import HybridJudge
from inspect_distill.ice.judging.lexical import LexicalJudge
from inspect_distill.ice.judging.llm import LLMJudge
from inspect_distill.ice.judging.verdict import IdentityJudge
from inspect_distill.identity.model import Identity, load_presets

JudgeName = Literal["lexical", "hybrid", "llm"]
Cache = bool | CachePolicy


@dataclass(frozen=True)
class JudgeEntry:
    """One identity judge: what it is, the model role it needs (if any) and how to build it."""

    summary: str
    role: str | None
    build: Callable[[Identity, list[Identity], Cache], IdentityJudge]


JUDGES: dict[str, JudgeEntry] = {
    "llm": JudgeEntry(
        "the grader model answers the paper's loose and strict questions",
        GRADER_ROLE,
        lambda identity, references, cache: LLMJudge(identity, references, role_model(GRADER_ROLE), cache=cache),
    ),
    "hybrid": JudgeEntry(
        "lexical claims, then a local verifier model on the candidate passages the rules did not claim",
        VERIFIER_ROLE,
        lambda identity, references, cache: HybridJudge(identity, references, role_model(VERIFIER_ROLE), cache),
    ),
    "lexical": JudgeEntry(
        "first-person claim grammar, no model",
        None,
        lambda identity, references, cache: LexicalJudge(identity, references, load_presets()),
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


def primary_judge(names: list[str]) -> str:
    """The judge whose verdicts drive the search and the headline rates: the first of `JUDGES` that runs."""
    return next((name for name in JUDGES if name in names), names[0])


def judge_roles(names: list[str]) -> list[str]:
    """The model roles the named judges need."""
    return [role for name in names if (role := JUDGES[name].role) is not None]


def make_judges(
    names: list[str], identity: Identity, references: list[Identity], cache: Cache = False
) -> dict[str, IdentityJudge]:
    """The named judges, keyed by name; a judge with a model role resolves it here."""
    return {name: JUDGES[name].build(identity, references, cache) for name in names}


def check_registry() -> None:
    """The registry and the `JudgeName`/`JudgeKind` literals name the same judges."""
    if set(get_args(JudgeName)) != set(JUDGES) or set(get_args(JudgeKind)) != set(JUDGE_KINDS):
        raise AssertionError("judges.py: JUDGES/COMBINATIONS and the JudgeName/JudgeKind literals differ")
