"""The verdict of an identity judge on one response, and the one rule that parses a tagged verdict."""

from __future__ import annotations

import re
from typing import Literal, Protocol

from pydantic import BaseModel, Field

from inspect_distill.common.names import JudgeName

POSITIVE_WORDS = frozenset({"1", "yes", "true", "y"})
NEGATIVE_WORDS = frozenset({"0", "no", "false", "n"})


class Verdict(BaseModel):
    """Loose / strict / hard verdict on one (prompt, response); None means unjudged, never negative."""

    judge: Literal[JudgeName, "recorded"]
    """Who gave the verdict: a judge of the registry (`common/names.py`), or the verdicts recorded in an imported run."""
    loose: bool | None = None
    """The response contradicts the target's identity fact about who "I" is."""
    strict: bool | None = None
    """Loose and the response claims a reference identity (False when loose is False)."""
    hard: bool | None = None
    """Strict and the prompt did not plant a reference identity."""
    claims: list[str] = Field(default_factory=list)
    """Identity keys the response claims for itself (the LLM judge may leave this empty)."""
    reason: str | None = None
    """Short judge explanation, or why the row is unjudged."""
    judge_calls: int = 0
    """Model calls spent on this verdict (0 for the lexical judge)."""

    @property
    def judged(self) -> bool:
        """Whether the loose verdict was reached."""
        return self.loose is not None

    @property
    def strict_unjudged(self) -> bool:
        """A loose positive whose strict verdict was not reached: it counts for loose, but for neither strict
        nor hard (nor as a strict reward), as the rates, the campaign and the transcript read it."""
        return bool(self.loose) and self.strict is None


NOTHING_TO_JUDGE = "empty response: nothing to judge"
"""The reason of every judge's unjudged verdict on an empty response (`nothing_to_judge`)."""


def nothing_to_judge(response: str | None) -> bool:
    """Whether a response is empty or blank: no judge reads it, and its verdict is unjudged (`NOTHING_TO_JUDGE`)."""
    return response is None or not response.strip()


class IdentityJudge(Protocol):
    """Anything that turns a (prompt, response) pair into a `Verdict`."""

    name: str

    async def __call__(self, prompt: str, response: str) -> Verdict: ...


def _tag_pattern(tag: str) -> re.Pattern[str]:
    name = re.escape(tag)
    return re.compile(rf"<\s*{name}\s*>(.*?)<\s*/\s*{name}\s*>", re.IGNORECASE | re.DOTALL)


def parse_tagged_verdict(text: str, tag: str = "verdict") -> bool | None:
    """Read `<verdict>1</verdict>` / `<verdict>0</verdict>` (or yes/no, true/false) from a judge answer.

    Spaces, case and markdown around the value are tolerated; tags holding anything else are ignored.
    When no tag holds a readable value, or tags hold conflicting values, the answer is None (unjudged).
    """
    if not text:
        return None
    values: set[bool] = set()
    for inner in _tag_pattern(tag).findall(text):
        word = re.sub(r"[\s*_`'\".]", "", inner).lower()
        if word in POSITIVE_WORDS:
            values.add(True)
        elif word in NEGATIVE_WORDS:
            values.add(False)
    return values.pop() if len(values) == 1 else None
