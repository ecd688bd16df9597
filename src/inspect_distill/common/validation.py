"""Task arguments: how an error names them, and how a mistake stops before the run, as one clear message.

- `build_settings()`: a settings model built from task arguments; a failed check is one error naming each bad
  argument.
- `argument()`: how the user sets an argument, `-T name=value` or, under a command of its own (`inspect-distill
  import-ice`), that command's flag (`argument_flags()`). Every hint that names an argument goes through it.
- `task_arguments()`: wraps building a task; a bad argument, file or model role becomes a `TaskArgumentError`,
  which `inspect eval` prints as its message alone, without a traceback, and exits non-zero before any log is
  written. The cause stays chained and is logged with its traceback at `--log-level debug`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType
from typing import Any, TypeVar

from inspect_ai._util.error import PrerequisiteError
from pydantic import BaseModel, ValidationError
from rich.text import Text

logger = logging.getLogger(__name__)

Settings = TypeVar("Settings", bound=BaseModel)

_FLAGS: ContextVar[Mapping[str, str]] = ContextVar("inspect_distill_argument_flags", default=MappingProxyType({}))


class SettingsError(ValueError):
    """Task arguments that do not pass the settings' checks."""


class TaskArgumentError(PrerequisiteError, ValueError):
    """A mistake in a task's arguments or model roles, found while the task is built.

    Inspect's CLI prints a `PrerequisiteError` as its message without a traceback; the message is plain text
    (rich would read `[...]` as markup). A `ValueError` too, so callers of the task function catch it as before.
    """

    def __init__(self, message: str) -> None:
        super().__init__(Text(message))


def argument(name: str, value: str = "VALUE") -> str:
    """How the user sets the argument `name`: `-T name=value`, or the flag of the command in use."""
    flag = _FLAGS.get().get(name)
    return f"{flag} {value}" if flag else f"-T {name}={value}"


def argument_label(name: str) -> str:
    """The argument `name` as the user writes it: the name (of `-T`), or the flag of the command in use."""
    return _FLAGS.get().get(name, name)


@contextmanager
def argument_flags(flags: Mapping[str, str]) -> Iterator[None]:
    """Within this block, errors name task arguments by these flags (`{"identity": "--identity"}`)."""
    token = _FLAGS.set(flags)
    try:
        yield
    finally:
        _FLAGS.reset(token)


def message_text(error: BaseException) -> str:
    """An error's message as plain text (an Inspect `PrerequisiteError`'s rich markup removed)."""
    if isinstance(error, PrerequisiteError):
        message = error.message
        return message.plain if isinstance(message, Text) else Text.from_markup(str(message)).plain
    return str(error)


@contextmanager
def task_arguments() -> Iterator[None]:
    """Build a task: a `ValueError`, `OSError` or `PrerequisiteError` inside becomes a `TaskArgumentError`."""
    try:
        yield
    except TaskArgumentError:
        raise
    except (ValueError, OSError, PrerequisiteError) as ex:
        logger.debug("task arguments rejected", exc_info=True)
        raise TaskArgumentError(message_text(ex)) from ex


def build_settings(model: type[Settings], **values: Any) -> Settings:
    """`model(**values)`, with a validation failure turned into a `SettingsError` listing `name: problem`."""
    try:
        return model(**values)
    except ValidationError as ex:
        problems = []
        for error in ex.errors():
            message = str(error["msg"]).removeprefix("Value error, ")
            where = ".".join(str(part) for part in error["loc"])
            problems.append(f"{argument_label(where)}: {message}" if where else message)
        raise SettingsError("Invalid arguments: " + "; ".join(problems)) from None
