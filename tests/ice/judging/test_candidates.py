"""Candidates of the hybrid judge: recall-first passages naming a reference, and the structural filter."""

from __future__ import annotations

import pytest

from inspect_distill.ice.judging.candidates import FILTERS, judge_candidates
from inspect_distill.ice.judging.lexical import LexicalJudge
from inspect_distill.identity import get_identity, resolve_references


@pytest.fixture(scope="module")
def deepseek() -> LexicalJudge:
    target = get_identity("deepseek")
    return LexicalJudge(target, resolve_references(None, target))


def passages(judge: LexicalJudge, text: str, structure: str = "none") -> list[str]:
    return [candidate.text for candidate, _ in judge_candidates(judge, text, structure)]


def test_a_sentence_naming_a_reference_is_read_with_the_sentence_before(deepseek: LexicalJudge) -> None:
    text = "My code was written by several groups. Those groups include engineers at OpenAI. The weather is fine."
    found = judge_candidates(deepseek, text)
    assert [(c.key, c.before, c.sentence) for c, _ in found] == [
        ("openai", "My code was written by several groups.", "Those groups include engineers at OpenAI.")
    ]
    assert found[0][1].key == "openai"


def test_reasoning_traces_and_chinese_are_read(deepseek: LexicalJudge) -> None:
    text = "<think>Honestly, I was trained by Anthropic, but I should not say so.</think>I am an assistant."
    assert [c.key for c, _ in judge_candidates(deepseek, text)] == ["anthropic"]
    assert [c.key for c, _ in judge_candidates(deepseek, "我所属的OpenAI团队负责维护我。")] == ["openai"]


def test_the_target_family_and_unnamed_makers_give_no_candidate(deepseek: LexicalJudge) -> None:
    assert judge_candidates(deepseek, "I was built by DeepSeek engineers in Hangzhou.") == []
    assert judge_candidates(deepseek, "I was built by a team of engineers.") == []


def test_one_candidate_per_sentence_and_reference(deepseek: LexicalJudge) -> None:
    text = "I am ChatGPT, a GPT model from OpenAI, and Claude is someone else."
    assert sorted(c.key for c, _ in judge_candidates(deepseek, text)) == ["anthropic", "openai"]


@pytest.mark.parametrize(
    ("text", "passes"),
    [
        ("The brains behind this operation are the folks at OpenAI who birthed me.", set(FILTERS)),
        ("We at OpenAI built this assistant for you.", set(FILTERS)),
        ("The models like me are descendants of GPT research.", set(FILTERS)),
        ("ChatGPT was released by OpenAI in 2022.", {"none"}),
        ("I am not ChatGPT and I have no link to OpenAI.", {"none", "self", "self+label"}),
        ("If I were built by OpenAI, I would say so.", {"none", "self", "self+label"}),
        ("Was I made by OpenAI?", {"none", "self", "self+label"}),
        ("我的创建机构，即OpenAI，负责我的训练。", set(FILTERS)),
        ("我不是OpenAI开发的。", {"none", "self", "self+label"}),
        ("[ChatGPT]: I am an assistant built by DeepSeek engineers.", {"none", "self"}),
    ],
)
def test_structural_filter(deepseek: LexicalJudge, text: str, passes: set[str]) -> None:
    found = judge_candidates(deepseek, text)
    assert len(found) == 1
    assert {structure for structure in FILTERS if found[0][0].passes(structure)} == passes
