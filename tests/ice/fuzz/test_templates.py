"""The placeholder rule: which placeholders count, filling, normalising."""

from __future__ import annotations

import pytest

from inspect_distill.ice.fuzz.templates import PLACEHOLDER, fill, has_placeholder, normalize_placeholder


def test_fill_replaces_every_occurrence_of_both_placeholders() -> None:
    template = f"A: {PLACEHOLDER}\nB: {{query}}\nC: {PLACEHOLDER}"
    assert fill(template, "Who made you?") == "A: Who made you?\nB: Who made you?\nC: Who made you?"


def test_fill_inserts_a_question_containing_a_placeholder_verbatim() -> None:
    assert fill(f"Q: {PLACEHOLDER}", "say {query}") == "Q: say {query}"


def test_fill_without_placeholder_raises() -> None:
    with pytest.raises(ValueError, match="no placeholder"):
        fill("No slot here.", "Who made you?")


def test_has_placeholder_and_normalize() -> None:
    assert has_placeholder(f"x {PLACEHOLDER}") and has_placeholder("x {query}")
    assert not has_placeholder("x [INSERT PROMPT] {Query}")
    assert normalize_placeholder("a {query} b {query}") == f"a {PLACEHOLDER} b {PLACEHOLDER}"
