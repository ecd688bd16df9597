"""The one rule for model roles and calls: roles, the cache policy, safe_generate and how errors are written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from inspect_ai.model import CachePolicy, GenerateConfig, Model, ModelOutput, ModelUsage, get_model
from inspect_ai.util import LimitExceededError
from tenacity import RetryError, Retrying, stop_after_attempt

from inspect_distill.common.models import (
    GRADER_ROLE,
    MUTATOR_ROLE,
    REFERENCE_ROLE,
    ROLES,
    VERIFIER_ROLE,
    ErrorKind,
    MissingModelRole,
    RoleSpec,
    cache_policy,
    error_text,
    role_model,
    safe_generate,
)


def test_plain_error_is_type_and_message() -> None:
    assert error_text(ValueError("bad request")) == "ValueError: bad request"


def test_exhausted_retries_name_the_last_attempt() -> None:
    attempts = iter([TimeoutError("first"), ConnectionError("second")])

    def call() -> None:
        raise next(attempts)

    try:
        Retrying(stop=stop_after_attempt(2))(call)
    except RetryError as ex:
        assert error_text(ex) == "ConnectionError: second (retries exhausted)"
    else:  # pragma: no cover
        raise AssertionError("the retries should have run out")


# --- safe_generate: one rule for every role call ----------------------------------------------------------


def _model(behaviour: Callable[[], ModelOutput]) -> Model:
    """A mockllm model whose every call does `behaviour` (return an output or raise)."""

    def output(input: Any, tools: Any, tool_choice: Any, config: GenerateConfig) -> ModelOutput:
        return behaviour()

    return get_model("mockllm/model", custom_outputs=output, memoize=False)


def _answer(text: str, stop_reason: Any = "stop", error: str | None = None) -> Callable[[], ModelOutput]:
    def make() -> ModelOutput:
        out = ModelOutput.from_content(model="model", content=text, stop_reason=stop_reason)
        out.usage = ModelUsage(input_tokens=1, output_tokens=1, total_tokens=2)
        out.error = error
        return out

    return make


async def test_an_answer_comes_back_with_no_error() -> None:
    generated = await safe_generate(_model(_answer("I am a model.")), "Who are you?")
    assert generated.error is None and generated.text == "I am a model."


@pytest.mark.parametrize(
    "behaviour, error, kind, has_output",
    [
        (_answer("   "), "empty response", ErrorKind.EMPTY_RESPONSE, True),
        (_answer("", stop_reason="content_filter"), "refused by the provider's content filter",
         ErrorKind.CONTENT_FILTER, True),
        (_answer("partial", error="upstream overloaded"), "upstream overloaded", ErrorKind.MODEL_ERROR, True),
    ],
)
async def test_errors_filters_and_empty_answers_are_recorded_alike(
    behaviour: Callable[[], ModelOutput], error: str, kind: ErrorKind, has_output: bool
) -> None:
    generated = await safe_generate(_model(behaviour), "Who are you?")
    assert generated.error == error and generated.kind is kind and (generated.output is not None) == has_output


async def test_a_raised_model_error_is_recorded_not_raised() -> None:
    def fail() -> ModelOutput:
        raise RuntimeError("connection reset")

    generated = await safe_generate(_model(fail), "Who are you?")
    assert generated.output is None and generated.error == "RuntimeError: connection reset"
    assert generated.kind is ErrorKind.MODEL_ERROR


async def test_a_sample_limit_is_raised() -> None:
    def over() -> ModelOutput:
        raise LimitExceededError("token", value=10, limit=5)

    with pytest.raises(LimitExceededError):
        await safe_generate(_model(over), "Who are you?")


# --- roles and the cache policy --------------------------------------------------------------------------


def test_every_role_has_a_default_and_a_purpose() -> None:
    assert set(ROLES) == {MUTATOR_ROLE, GRADER_ROLE, REFERENCE_ROLE, VERIFIER_ROLE}
    assert all(spec.default and spec.purpose for spec in ROLES.values())
    assert ROLES[GRADER_ROLE].config.temperature == 0.0


def test_a_role_without_default_names_the_flag_to_pass() -> None:
    with pytest.raises(MissingModelRole, match="--model-role critic="):
        role_model(RoleSpec(name="critic", purpose="critic", default=None))


def test_cache_policy() -> None:
    assert cache_policy(False) is False
    policy = cache_policy(True)
    assert isinstance(policy, CachePolicy) and policy.expiry is None and policy.per_epoch
    shared = cache_policy(True, per_epoch=False, scope="ceiling")
    assert isinstance(shared, CachePolicy) and not shared.per_epoch and shared.scopes == {"rse": "ceiling"}
