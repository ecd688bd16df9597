"""The placeholder rule of jailbreak templates: which placeholders count, and how a question fills them.

A template is a text with a placeholder where the identity question goes. Two placeholders are accepted
everywhere: the canonical `[INSERT PROMPT HERE]` (GPTFuzz) and `{query}` (the paper's code).
"""

from __future__ import annotations

import re

PLACEHOLDER = "[INSERT PROMPT HERE]"
"""The canonical placeholder."""

PLACEHOLDERS = (PLACEHOLDER, "{query}")
"""Every placeholder accepted in a template."""

_PLACEHOLDER_RE = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS))

def has_placeholder(text: str) -> bool:
    """True if the text contains at least one accepted placeholder."""
    return _PLACEHOLDER_RE.search(text) is not None


def fill(template: str, question: str) -> str:
    """Put the question in place of every placeholder of the template (the one filling rule).

    Both placeholders are replaced in a single pass, so a question that itself contains a
    placeholder string is inserted verbatim.
    """
    if not has_placeholder(template):
        raise ValueError(f"Template has no placeholder ({' or '.join(PLACEHOLDERS)}): {template[:80]!r}...")
    return _PLACEHOLDER_RE.sub(lambda _: question, template)


def normalize_placeholder(text: str) -> str:
    """Return the text with every accepted placeholder written as the canonical `PLACEHOLDER`."""
    return _PLACEHOLDER_RE.sub(lambda _: PLACEHOLDER, text)
