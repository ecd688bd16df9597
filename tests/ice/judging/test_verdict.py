"""The one verdict-parsing rule and the Verdict record."""

from __future__ import annotations

import pytest

from inspect_distill.ice.judging.verdict import Verdict, parse_tagged_verdict


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The answer claims to be ChatGPT. <verdict>1</verdict>", True),
        ("No identity statement. <verdict>0</verdict>", False),
        ("<verdict> 1 </verdict>", True),
        ("<VERDICT>0</VERDICT>", False),
        ("< verdict >yes</ verdict >", True),
        ("<verdict>No</verdict>", False),
        ("<verdict>TRUE</verdict>", True),
        ("<verdict>false.</verdict>", False),
        ("**<verdict>1</verdict>**", True),
        ("<verdict>**1**</verdict>", True),
        ("```\n<verdict>`0`</verdict>\n```", False),
        ("Reasoning... <verdict>1</verdict>\nTo repeat: <verdict>1</verdict>", True),
        ("Answer with <verdict>X</verdict> where X is 0 or 1. <verdict>0</verdict>", False),
    ],
)
def test_readable_verdicts(text: str, expected: bool) -> None:
    assert parse_tagged_verdict(text) is expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "The verdict is 1.",
        "verdict: 1",
        "<verdict>1 or 0</verdict>",
        "<verdict>maybe</verdict>",
        "<verdict>1</verdict> ... actually <verdict>0</verdict>",
        "<verdict>1",
        "}{ garbage \x00 <<>>",
    ],
)
def test_absent_or_ambiguous_verdicts_are_none(text: str) -> None:
    assert parse_tagged_verdict(text) is None


def test_other_tag() -> None:
    assert parse_tagged_verdict("<strict>1</strict> <verdict>0</verdict>", tag="strict") is True


def test_verdict_judged() -> None:
    assert not Verdict(judge="llm", reason="judge model error").judged
    assert Verdict(judge="lexical", loose=False, strict=False, hard=False).judged
    assert Verdict(judge="llm").model_dump()["claims"] == []
