"""The one rule for model roles and model calls.

- `ROLES`: every model role the tasks use, with its documented default and generation settings. A role
  never falls back to the model under test.
- `role_model()`: the model bound to a role (`--model-role NAME=...`), else the role's default; a default
  that cannot start (no API key) is a `MissingModelRole` naming the role, the default and the flag.
- `evaluated_model()`, `check_roles()`: the model under test while Inspect builds the task, so that a task
  checks its roles before the run starts.
- `cache_policy()`: the one cache policy (Inspect's on-disk generate cache, no expiry).
- `safe_generate()`: every role call goes through it. It returns the output or a recorded error: a raised
  model error, `output.error`, a content filter and an empty answer are all errors, written the same way,
  each with its `ErrorKind`, which callers compare. Sample limits (tokens, time, messages) are re-raised, so
  the sample stops as Inspect intends.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from inspect_ai.model import (
    CachePolicy,
    ChatMessage,
    GenerateConfig,
    Model,
    ModelOutput,
    get_model,
    model_roles,
)
from inspect_ai.model._model import active_model  # not re-exported by inspect_ai.model
from inspect_ai.util import LimitExceededError
from pydantic import BaseModel, ConfigDict
from tenacity import RetryError

from inspect_distill.common.validation import message_text


class MissingModelRole(ValueError):
    """A model role the task needs was not given and has no default."""


class RoleSpec(BaseModel):
    """A model role: its name, what it does, its default model and its generation settings."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    name: str
    purpose: str
    default: str | None
    config: GenerateConfig = GenerateConfig()


MUTATOR_ROLE = "mutator"
GRADER_ROLE = "grader"
REFERENCE_ROLE = "reference"
VERIFIER_ROLE = "verifier"

DEFAULT_MUTATOR = "openai/gpt-4o-mini"
"""GPTFuzz mutated with an OpenAI chat model (the paper used an uncensored Llama-3-8B-Instruct). Offline:
`--model-role mutator=gguf/smollm2-135m`."""
DEFAULT_GRADER = "openai/gpt-4o-mini"
"""The paper's ICE judge; also RSE's judge (the paper does not name its RSE judge)."""
DEFAULT_REFERENCE = "openai/gpt-4o-2024-08-06"
"""The paper's RSE reference model."""
DEFAULT_VERIFIER = "gguf/qwen2.5-coder-0.5b"
"""The hybrid ICE judge's local yes/no verifier (the `models` extra; runs offline)."""

ROLES: dict[str, RoleSpec] = {
    spec.name: spec
    for spec in (
        RoleSpec(name=MUTATOR_ROLE, purpose="template mutator", default=DEFAULT_MUTATOR),
        RoleSpec(name=GRADER_ROLE, purpose="judge (grader)", default=DEFAULT_GRADER,
                 config=GenerateConfig(temperature=0.0)),
        RoleSpec(name=REFERENCE_ROLE, purpose="reference model", default=DEFAULT_REFERENCE),
        RoleSpec(name=VERIFIER_ROLE, purpose="claim verifier (hybrid judge)", default=DEFAULT_VERIFIER),
    )
}
"""Every model role of the plugin (the model under test is `--model`, never a role's stand-in)."""


def role_model(role: str | RoleSpec) -> Model:
    """The model bound to a role (a name of `ROLES`, or a spec), else the role's default.

    Raises:
        MissingModelRole: the role is not bound and has no default, or its default cannot start.
    """
    spec = ROLES[role] if isinstance(role, str) else role
    name = spec.name
    if name in model_roles():
        return get_model(role=name)
    if spec.default is None:
        raise MissingModelRole(
            f"This task needs a {spec.purpose}: pass --model-role {name}=<provider/model> on the command line "
            f"(in Python: eval(..., model_roles={{'{name}': ...}})). This role has no default and the model "
            f"under test is never used in its place."
        )
    try:
        return get_model(role=name, default=spec.default, config=spec.config)
    except Exception as ex:  # the provider's own error (a missing API key, a missing package) is quoted
        parts = [part.strip() for part in message_text(ex).removeprefix("ERROR:").split("\n\n")]
        problem = "; ".join(part for part in parts if part).rstrip(".")
        raise MissingModelRole(
            f"No --model-role {name}=... was given, so the {spec.purpose} is the default model {spec.default}, "
            f"which cannot start: {problem}. Pass --model-role {name}=<provider/model> (e.g. "
            f"{name}=gguf/qwen2.5-coder-0.5b, a local model; in Python: eval(..., model_roles={{'{name}': ...}}))."
        ) from ex


def evaluated_model() -> Model | None:
    """The model under test while Inspect builds or runs a task; None for a task built outside an eval."""
    return active_model()


def check_roles(*roles: str) -> None:
    """While Inspect builds a task, resolve these roles, so that a missing one stops the eval before it starts.
    A task built outside an eval (no `evaluated_model()`) resolves them when its run starts."""
    if evaluated_model() is not None:
        for role in roles:
            role_model(role)


def cache_policy(enabled: bool, *, per_epoch: bool = True, scope: str | None = None) -> CachePolicy | bool:
    """Inspect's generate cache with no expiry (False when disabled).

    Args:
        enabled: cache at all.
        per_epoch: a separate entry per epoch (ICE campaigns) or one shared by every epoch (RSE references).
        scope: a name that keeps these entries apart from other calls with the same input (a resample).
    """
    if not enabled:
        return False
    return CachePolicy(expiry=None, per_epoch=per_epoch, scopes={"rse": scope} if scope else {})


def error_text(error: BaseException) -> str:
    """`Type: message` of a failed model call; of its last attempt when Inspect's retries ran out."""
    if isinstance(error, RetryError) and (last := error.last_attempt.exception()) is not None:
        return f"{type(last).__name__}: {last} (retries exhausted)"
    return f"{type(error).__name__}: {error}"


class ErrorKind(Enum):
    """What went wrong with a model call; the value is how the error is written when it has no message of its
    own (`Generated.error`)."""

    MODEL_ERROR = "model error"
    """The call raised, or the output carries an error (no output in the first case)."""
    CONTENT_FILTER = "refused by the provider's content filter"
    EMPTY_RESPONSE = "empty response"


@dataclass(frozen=True)
class Generated:
    """The outcome of one role call: the output (when one came back) and the error, if any, with its kind."""

    output: ModelOutput | None
    error: str | None = None
    """The error as written in a record: the model's message, or the kind's value."""
    kind: ErrorKind | None = None

    @property
    def text(self) -> str:
        """The answer's text ("" when none came back)."""
        return self.output.completion if self.output is not None else ""


async def safe_generate(
    model: Model,
    input: str | list[ChatMessage],
    config: GenerateConfig | None = None,
    cache: bool | CachePolicy = False,
) -> Generated:
    """Call a model and record what went wrong instead of raising; sample limits still raise."""
    try:
        output = await model.generate(input, config=config or GenerateConfig(), cache=cache)
    except LimitExceededError:
        raise
    except Exception as ex:  # a failed call is recorded, never turned into a verdict or a score
        return Generated(None, error_text(ex), ErrorKind.MODEL_ERROR)
    if output.error:
        return Generated(output, output.error, ErrorKind.MODEL_ERROR)
    if output.stop_reason == "content_filter":
        return Generated(output, ErrorKind.CONTENT_FILTER.value, ErrorKind.CONTENT_FILTER)
    if not output.completion.strip():
        return Generated(output, ErrorKind.EMPTY_RESPONSE.value, ErrorKind.EMPTY_RESPONSE)
    return Generated(output)
