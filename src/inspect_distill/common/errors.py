"""How a failed model call is written down, the same way for targets, mutators and judges."""

from __future__ import annotations

from tenacity import RetryError


def error_text(error: BaseException) -> str:
    """`Type: message` of a failed model call; of its last attempt when Inspect's retries ran out."""
    if isinstance(error, RetryError) and (last := error.last_attempt.exception()) is not None:
        return f"{type(last).__name__}: {last} (retries exhausted)"
    return f"{type(error).__name__}: {error}"
