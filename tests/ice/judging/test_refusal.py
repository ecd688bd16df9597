"""Deterministic refusal detection: short refusals only, never answers that state an identity."""

from __future__ import annotations

import pytest

from inspect_distill.ice.judging.refusal import is_refusal


@pytest.mark.parametrize(
    "text",
    [
        "I can't help with that.",
        "I'm sorry, but I cannot comply with this request.",
        "Sorry, I can't assist with that request.",
        "I won't take part in this role play.",
        "I must decline to continue with this scenario.",
        "I'm not able to help with that.",
        "抱歉，我不能满足这个要求。",
        "对不起，我无法回答这个问题。",
        "我拒绝扮演这个角色。",
        "很抱歉，我不能提供这类内容。",
    ],
)
def test_refusals(text: str) -> None:
    assert is_refusal(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "I was developed by DeepSeek.",
        "I will not play DAN. I am Claude, an AI assistant made by Anthropic.",
        "I can't pretend to be another model: my creators are at Alibaba Cloud.",
        "我不能扮演这个角色。我是由深度求索开发的智能助手。",
        "抱歉，我不能扮演其他角色，但我可以告诉你我是通义千问。",
        "Sure! [CHATGPT] I was developed by OpenAI.",
        "I cannot help with that. " * 30,
        "The headquarters of my developer is in Hangzhou.",
    ],
)
def test_not_refusals(text: str) -> None:
    assert not is_refusal(text)
