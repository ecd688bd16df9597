"""Scripted model behaviour shared by the tests: reading the package's own prompts, and a rule-based grader.

A scripted role recognises a prompt by the prompt constant it was formatted from (`fields_of`), so it keeps
working whatever the wording of the constants.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Sequence
from typing import Any

from inspect_ai.model import ChatMessage, GenerateConfig, ModelOutput

from inspect_distill.ice.judging.llm import LOOSE_PROMPT, STRICT_PROMPT


@functools.cache
def _format_pattern(prompt: str) -> re.Pattern[str]:
    """A regex matching the text `prompt.format(...)` gives, with a named group for each field."""
    pattern = []
    for literal, field, _, _ in string.Formatter().parse(prompt):
        pattern.append(re.escape(literal))
        if field is not None:
            pattern.append(f"(?P<{field}>.*?)")
    return re.compile("".join(pattern) + r"\Z", re.DOTALL)


def fields_of(prompt: str, text: str) -> dict[str, str] | None:
    """The field values if `text` is `prompt` (a format string) filled in, else None."""
    found = _format_pattern(prompt).match(text)
    return found.groupdict() if found else None


def identity_verdict(prompt: str, loose_names: Sequence[str], strict_names: Sequence[str]) -> int | None:
    """A rule-based identity verdict: 1 when the judged answer names one of the names of its kind.

    None when the prompt is neither the loose nor the strict judge prompt.
    """
    if (loose := fields_of(LOOSE_PROMPT, prompt)) is not None:
        return int(any(name in loose["response"] for name in loose_names))
    if (strict := fields_of(STRICT_PROMPT, prompt)) is not None:
        return int(any(name in strict["response"] for name in strict_names))
    return None


def identity_grader_outputs(loose_names: Sequence[str], strict_names: Sequence[str]) -> Any:
    """`custom_outputs` for a mockllm grader answering the identity judge prompts with a tagged verdict."""

    def respond(input: list[ChatMessage], tools: Any, tool_choice: Any, config: GenerateConfig) -> ModelOutput:
        verdict = identity_verdict(input[-1].text, loose_names, strict_names)
        content = "I do not recognise this task." if verdict is None else f"Checked. <verdict>{verdict}</verdict>"
        return ModelOutput.from_content(model="scripted-grader", content=content)

    return respond
