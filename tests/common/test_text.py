"""Text rules shared by the evals: whitespace normalisation and comma lists."""

from __future__ import annotations

from inspect_distill.common.text import comma_list, normalize_whitespace


def test_normalize_whitespace() -> None:
    assert normalize_whitespace("  Who\tbuilt\n\nyou? ") == "Who built you?"


def test_comma_list_takes_strings_and_lists() -> None:
    assert comma_list("openai, anthropic,,") == ["openai", "anthropic"]
    assert comma_list(["openai ", " anthropic"]) == ["openai", "anthropic"]
    assert comma_list(None) is None and comma_list(" , ") is None
