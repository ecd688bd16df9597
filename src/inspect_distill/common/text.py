"""Text rules shared by the evals: whitespace normalisation, comma lists, excerpts."""

from __future__ import annotations

from collections.abc import Sequence


def normalize_whitespace(text: str) -> str:
    """The text's words separated by single spaces (the matching key of prompts and answers)."""
    return " ".join(text.split())


def comma_list(value: str | Sequence[str] | None) -> list[str] | None:
    """A `-T` list value as a clean list: Inspect gives a list (it splits on commas) or one string.

    Items are stripped and empty items dropped; None or nothing left gives None.
    """
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else [str(item) for item in value]
    cleaned = [item.strip() for item in items if item.strip()]
    return cleaned or None


IRREGULAR_PLURALS = {"query": "queries", "reply": "replies", "body": "bodies"}
"""Plurals that are not the word + "s"."""


def plural(words: str, count: int) -> str:
    """`words` in the number `count` asks for, the last word inflected: "judged query" for 1, "judged queries"
    for 0 or 2, "mutants" for 2."""
    if count == 1:
        return words
    head, _, last = words.rpartition(" ")
    return f"{head} {IRREGULAR_PLURALS.get(last, last + 's')}".lstrip()


def counted(count: int, words: str) -> str:
    """`count` and `words` in the number it asks for: "1 query", "3 queries", "1 mutant", "0 mutants"."""
    return f"{count} {plural(words, count)}"
