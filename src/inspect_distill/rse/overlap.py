"""Cheap similarity signals that need no model: token 2-gram overlap and ROUGE-L F1.

Tokens are lower-cased runs of letters and digits; each CJK character is a token of its own (Chinese has
no spaces). Punctuation and markup are ignored. Both measures are symmetric and lie in [0, 1]; a text with
no tokens shares nothing with another, so it scores 0.
"""

from __future__ import annotations

import re
from collections import Counter

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(f"[{_CJK}]|[^\\W_{_CJK}]+")


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens of a text (CJK characters one by one)."""
    return _TOKEN.findall(text.lower())


def _ngrams(tokens: list[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def ngram_overlap(a: str, b: str, n: int = 2) -> float:
    """Token n-gram overlap (default 2-grams): matched n-grams over the mean n-gram count.

    Counts are clipped (an n-gram matches at most as often as it occurs in both texts), so this is the
    F1 of n-gram precision and recall, i.e. ROUGE-N F1 / the Dice coefficient of the n-gram multisets.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1 (got {n}).")
    grams_a, grams_b = _ngrams(tokenize(a), n), _ngrams(tokenize(b), n)
    total = sum(grams_a.values()) + sum(grams_b.values())
    if total == 0 or not grams_a or not grams_b:
        return 0.0
    matched = sum((grams_a & grams_b).values())
    return 2.0 * matched / total


def lcs_length(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence of two token lists (bit-parallel, Hyyrö 2004)."""
    if not a or not b:
        return 0
    masks: dict[str, int] = {}
    for position, token in enumerate(a):
        masks[token] = masks.get(token, 0) | (1 << position)
    full = (1 << len(a)) - 1
    v = full
    for token in b:
        u = v & masks.get(token, 0)
        v = ((v + u) | (v - u)) & full
    return len(a) - bin(v).count("1")


def rouge_l_f1(a: str, b: str) -> float:
    """ROUGE-L F1 (beta = 1) of two texts: the harmonic mean of LCS/len(a) and LCS/len(b)."""
    tokens_a, tokens_b = tokenize(a), tokenize(b)
    lcs = lcs_length(tokens_a, tokens_b)
    if lcs == 0:
        return 0.0
    return 2.0 * lcs / (len(tokens_a) + len(tokens_b))
