"""Settings models built from task arguments: a failed check is one clear error naming each bad argument."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

Settings = TypeVar("Settings", bound=BaseModel)


class SettingsError(ValueError):
    """Task arguments that do not pass the settings' checks."""


def build_settings(model: type[Settings], **values: Any) -> Settings:
    """`model(**values)`, with a validation failure turned into a `SettingsError` listing `-T name: problem`."""
    try:
        return model(**values)
    except ValidationError as ex:
        problems = []
        for error in ex.errors():
            where = ".".join(str(part) for part in error["loc"]) or model.__name__
            message = str(error["msg"]).removeprefix("Value error, ")
            problems.append(f"{where}: {message}")
        raise SettingsError("Invalid task arguments: " + "; ".join(problems)) from None
