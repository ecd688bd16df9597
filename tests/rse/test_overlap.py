"""Token 2-gram overlap and ROUGE-L F1, against hand-computed values and a plain LCS."""

from __future__ import annotations

import json
import random

import pytest

from inspect_distill.rse.overlap import lcs_length, ngram_overlap, rouge_l_f1, tokenize
from tests.conftest import ARENA_HARD


def _dp_lcs(a: list[str], b: list[str]) -> int:
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a, 1):
        for j, y in enumerate(b, 1):
            table[i][j] = table[i - 1][j - 1] + 1 if x == y else max(table[i - 1][j], table[i][j - 1])
    return table[-1][-1]


def test_tokens_are_lowercased_words_and_cjk_characters() -> None:
    assert tokenize("The CAT, the cat's hat!") == ["the", "cat", "the", "cat", "s", "hat"]
    assert tokenize("我是ChatGPT 4o") == ["我", "是", "chatgpt", "4o"]
    assert tokenize("** --- ``` ") == []


def test_bigram_overlap_hand_computed() -> None:
    # bigrams: {the cat, cat sat, sat on, on the, the mat} vs {the cat, cat sat, sat on, on a, a mat}: 3 shared
    assert ngram_overlap("The cat sat on the mat.", "the cat sat on a mat") == pytest.approx(2 * 3 / 10)
    # counts are clipped: (a a) twice vs once -> one match over 2 + 1 bigrams
    assert ngram_overlap("a a a", "a a") == pytest.approx(2 * 1 / 3)
    assert ngram_overlap("same words here", "Same, words; here!") == 1.0
    assert ngram_overlap("alpha beta", "gamma delta") == 0.0
    assert ngram_overlap("", "anything at all") == 0.0
    assert ngram_overlap("one", "one") == 0.0  # no bigram at all
    assert ngram_overlap("one", "one", n=1) == 1.0


def test_rouge_l_hand_computed() -> None:
    # LCS("the cat sat on the mat", "the cat on the mat") = 5 -> F1 = 2*5 / (6+5)
    assert rouge_l_f1("the cat sat on the mat", "the cat on the mat") == pytest.approx(10 / 11)
    assert rouge_l_f1("a b c d", "d c b a") == pytest.approx(2 * 1 / 8)
    assert rouge_l_f1("x", "") == 0.0


def test_bit_parallel_lcs_matches_dynamic_programming() -> None:
    rng = random.Random(4)
    for _ in range(300):
        a = [rng.choice("abcde") for _ in range(rng.randint(0, 40))]
        b = [rng.choice("abcdef") for _ in range(rng.randint(0, 40))]
        assert lcs_length(a, b) == _dp_lcs(a, b)


def test_real_answers_are_symmetric_and_in_range() -> None:
    def answers(name: str) -> list[str]:
        lines = (ARENA_HARD / name).read_text().splitlines()[:20]
        return [json.loads(line)["messages"][-1]["content"]["answer"] for line in lines]

    for a, b in zip(answers("answer_gpt-4-0314.jsonl"), answers("answer_gpt-4-0613.jsonl")):
        assert 0.0 < ngram_overlap(a, b) < 1.0
        assert 0.0 < rouge_l_f1(a, b) < 1.0
        assert ngram_overlap(a, b) == pytest.approx(ngram_overlap(b, a))
        assert rouge_l_f1(a, b) == pytest.approx(rouge_l_f1(b, a))
