"""One definition per task argument: the `@task` signature, its docstring and the settings model agree.

Inspect reads a task's arguments from the function's own signature, so the signature cannot be built from the
settings model; instead this test checks that the four places an argument is written agree: the signature,
the docstring's `Args:`, the keyword argument that passes it on, and the settings field (same name or the
renamed one below, same default).
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import BaseModel

from inspect_distill.common.names import POLICY_PARAMS
from inspect_distill.ice.settings import CampaignSettings, IceSettings, ImportSettings
from inspect_distill.ice.task import ice, ice_import

RENAMED = {"system_prompt": "target_system_prompt", "temperature": "target_temperature", "max_tokens": "target_max_tokens"}
"""Task arguments whose settings field says whose setting it is (the target's)."""
POLICY_ARGUMENTS = {name for params in POLICY_PARAMS.values() for name in params.model_fields}
"""Task arguments that are a policy's parameters (`selection_params`): default None, the policy's default."""

TASKS: list[tuple[Callable[..., Any], list[type[BaseModel]]]] = [
    (ice, [IceSettings, CampaignSettings]),
    (ice_import, [ImportSettings]),
]


def _function(task: Callable[..., Any]) -> Any:
    return inspect.unwrap(task)


def _documented(task: Callable[..., Any]) -> dict[str, str]:
    """The docstring's `Args:` entries, by name, in order."""
    doc = inspect.getdoc(_function(task)) or ""
    section = doc.split("Args:", 1)[1]
    entries: dict[str, str] = {}
    for line in section.splitlines():
        if (found := re.match(r"^    (\w+): (.*)", line)) is not None:
            entries[found.group(1)] = found.group(2)
        elif entries and line.startswith("        "):
            last = next(reversed(entries))
            entries[last] += " " + line.strip()
    return entries


def _passed_on(task: Callable[..., Any]) -> dict[str, str]:
    """Each argument the task body passes on, with the field (keyword or dict key) it is passed as."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(_function(task))))
    passed: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and isinstance(node.value, ast.Name) and node.arg:
            passed.setdefault(node.value.id, node.arg)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and isinstance(value, ast.Name):
                    passed.setdefault(value.id, str(key.value))
    return passed


def _field(name: str, models: list[type[BaseModel]]) -> tuple[type[BaseModel], str]:
    field = RENAMED.get(name, name)
    model = next((model for model in models if field in model.model_fields), None)
    assert model is not None, f"task argument {name!r} has no settings field {field!r}"
    return model, field


@pytest.mark.parametrize("task, models", TASKS, ids=["ice", "ice_import"])
def test_signature_and_docstring_name_the_same_arguments_in_order(
    task: Callable[..., Any], models: list[type[BaseModel]]
) -> None:
    assert list(_documented(task)) == list(inspect.signature(_function(task)).parameters)


@pytest.mark.parametrize("task, models", TASKS, ids=["ice", "ice_import"])
def test_every_argument_is_a_settings_field_with_the_same_default(
    task: Callable[..., Any], models: list[type[BaseModel]]
) -> None:
    documented = _documented(task)
    for name, parameter in inspect.signature(_function(task)).parameters.items():
        if name in POLICY_ARGUMENTS:
            assert parameter.default is None, name
            owners = [params for params in POLICY_PARAMS.values() if name in params.model_fields]
            for params in owners:  # the docstring names the policy's default where it lives
                default = params.model_fields[name].default
                assert f"`{params.__name__}`: {default:g}" in documented[name], name
            continue
        model, field = _field(name, models)
        if parameter.default is inspect.Parameter.empty:  # a required argument (ice_import's file)
            assert model.model_fields[field].is_required(), name
            continue
        default = model.model_fields[field].get_default(call_default_factory=True)
        assert parameter.default == default, (
            f"{task.__name__}({name}={parameter.default!r}) but {model.__name__}.{field} defaults to {default!r}"
        )


@pytest.mark.parametrize("task, models", TASKS, ids=["ice", "ice_import"])
def test_every_argument_is_passed_on_to_its_field(task: Callable[..., Any], models: list[type[BaseModel]]) -> None:
    passed = _passed_on(task)
    for name in inspect.signature(_function(task)).parameters:
        assert passed.get(name) == (name if name in POLICY_ARGUMENTS else _field(name, models)[1]), name


def test_settings_fields_that_are_no_task_argument_are_known() -> None:
    arguments = {RENAMED.get(name, name) for name in inspect.signature(_function(ice)).parameters}
    fields = set(IceSettings.model_fields) | set(CampaignSettings.model_fields)
    assert fields - arguments == {"campaign", "selection_params", "mutator_temperature", "max_empty_iterations"}
