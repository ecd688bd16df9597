"""Builds the judges of the registry (`common/names.py`, `JUDGES`): each judge's class is imported only here,
when a campaign or the scorer builds it, so that naming or checking a judge loads none.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import import_module
from typing import Any, cast

from inspect_ai.model import CachePolicy

from inspect_distill.common.models import role_model
from inspect_distill.common.names import JUDGES
from inspect_distill.ice.judging.verdict import IdentityJudge
from inspect_distill.identity.model import Identity

Cache = bool | CachePolicy


def judge_class(name: str) -> type[Any]:
    """The class of a registered judge, imported from its `module:Class` path."""
    module, _, attribute = JUDGES[name].judge.partition(":")
    return cast(type[Any], getattr(import_module(module), attribute))


def make_judges(
    names: Sequence[str], identity: Identity, references: list[Identity], cache: Cache = False
) -> dict[str, IdentityJudge]:
    """The named judges, keyed by name; a judge with a model role resolves it here."""
    judges: dict[str, IdentityJudge] = {}
    for name in names:
        role = JUDGES[name].role
        judge = judge_class(name)
        built = judge(identity, references) if role is None else judge(identity, references, role_model(role), cache=cache)
        judges[name] = cast(IdentityJudge, built)
    return judges
