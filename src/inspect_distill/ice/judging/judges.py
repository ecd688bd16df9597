"""Build the identity judges a campaign or a re-score asks for (`llm`, `lexical` or `both`)."""

from __future__ import annotations

from typing import Literal, get_args

from inspect_ai.model import CachePolicy

from inspect_distill.common.models import GRADER_ROLE, role_model
from inspect_distill.ice.judging.lexical import LexicalJudge
from inspect_distill.ice.judging.llm import LLMJudge
from inspect_distill.ice.judging.verdict import IdentityJudge
from inspect_distill.identity.model import Identity, load_presets

JudgeKind = Literal["llm", "lexical", "both"]
JUDGE_KINDS: tuple[str, ...] = get_args(JudgeKind)


def judge_names(kind: str) -> list[str]:
    """The judges behind a `-T judge=` value; an unknown value is an error naming the choices."""
    if kind not in JUDGE_KINDS:
        raise ValueError(f"Unknown judge '{kind}': choose one of {', '.join(JUDGE_KINDS)}.")
    return ["llm", "lexical"] if kind == "both" else [kind]


def primary_judge(names: list[str]) -> str:
    """The judge whose verdicts drive the search and the headline rates: the LLM judge when it runs."""
    return "llm" if "llm" in names else names[0]


def make_judges(
    names: list[str], identity: Identity, references: list[Identity], cache: bool | CachePolicy = False
) -> dict[str, IdentityJudge]:
    """The named judges (`llm`, `lexical`), keyed by name; an LLM judge resolves the grader role here."""
    judges: dict[str, IdentityJudge] = {}
    for name in names:
        if name == "lexical":
            judges[name] = LexicalJudge(identity, references, load_presets())
        else:
            judges[name] = LLMJudge(identity, references, role_model(GRADER_ROLE), cache=cache)
    return judges
