"""Build the identity judges a campaign or a re-score asks for (`llm`, `lexical` or `both`)."""

from __future__ import annotations

from inspect_ai.model import CachePolicy, GenerateConfig, Model, get_model

from inspect_distill.identity.model import Identity, load_presets
from inspect_distill.ice.judging.llm import LLMJudge
from inspect_distill.ice.judging.lexical.judge import LexicalJudge
from inspect_distill.ice.judging.verdict import IdentityJudge

JUDGE_KINDS = ("llm", "lexical", "both")
DEFAULT_GRADER = "openai/gpt-4o-mini"
"""The `grader` role's documented default: the paper's judge (used only when an LLM judge is asked for)."""


def judge_names(kind: str) -> list[str]:
    """The judges behind a `-T judge=` value; an unknown value is an error naming the choices."""
    if kind not in JUDGE_KINDS:
        raise ValueError(f"Unknown judge '{kind}': choose one of {', '.join(JUDGE_KINDS)}.")
    return ["llm", "lexical"] if kind == "both" else [kind]


def grader_model() -> Model:
    """The `grader` role, or its documented default; never the target."""
    return get_model(role="grader", default=DEFAULT_GRADER, config=GenerateConfig(temperature=0.0))


def make_judges(
    names: list[str], identity: Identity, references: list[Identity], cache: bool | CachePolicy = False
) -> dict[str, IdentityJudge]:
    """The named judges (`llm`, `lexical`), keyed by name; an LLM judge resolves the grader role here."""
    judges: dict[str, IdentityJudge] = {}
    for name in names:
        if name == "lexical":
            judges[name] = LexicalJudge(identity, references, load_presets())
        else:
            judges[name] = LLMJudge(identity, references, grader_model(), cache=cache)
    return judges
