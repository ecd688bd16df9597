"""The real-model gold set (tests/ice/judging/data/gold_real.jsonl): every distinct answer of the campaigns and
plain questions of `python -m benchmarks.real_models` (SmolLM2-135M, Qwen2.5-Coder-0.5B, Gemma 3 270M base),
labelled blind by reading (`python -m benchmarks.real_gold --sample`, `--merge`), and the lexical judge on it.

The full report (counts, disagreements) is `python -m benchmarks.real_gold`.
"""

from __future__ import annotations

import json
from collections import Counter

from inspect_distill.ice.judging.lexical import LexicalJudge
from inspect_distill.identity import get_identity, resolve_references
from inspect_distill.providers.local_models import LOCAL_MODELS
from tests.conftest import REPO_ROOT

GOLD = REPO_ROOT / "tests" / "ice" / "judging" / "data" / "gold_real.jsonl"
FIELDS = {"n", "model", "kind", "prompt", "response", "strict", "loose", "flags", "reason"}
FLAGS = {"in_reasoning", "labeled_role", "second_person", "planted", "cut"}


def gold_rows() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def judge_for(model: str) -> LexicalJudge:
    target = get_identity(LOCAL_MODELS[model].family)
    return LexicalJudge(target, resolve_references(None, target))


def test_real_gold_set_form() -> None:
    rows = gold_rows()
    assert len(rows) >= 200
    assert sorted(row["n"] for row in rows) == list(range(len(rows)))
    assert len({(row["model"], row["prompt"], row["response"]) for row in rows}) == len(rows)
    models = Counter(row["model"] for row in rows)
    assert models["gemma-3-270m"] >= 50 and models["smollm2-135m"] >= 50 and models["qwen2.5-coder-0.5b"] >= 50
    for row in rows:
        assert set(row) == FIELDS, row["n"]
        assert row["kind"] in ("campaign", "plain")
        assert row["strict"] in (0, 1, "ambiguous") and row["loose"] in (0, 1, "ambiguous")
        assert set(row["flags"]) <= FLAGS and row["reason"].strip()
        if row["strict"] == 1:
            assert row["loose"] == 1, row["n"]
        if "ambiguous" in (row["strict"], row["loose"]):
            assert set(row["flags"]) - {"planted"}, f"{row['n']}: ambiguous without a flag that explains it"


def test_lexical_judge_strict_precision_and_recall_on_real_answers() -> None:
    tp = fp = fn = 0
    for row in (r for r in gold_rows() if r["strict"] != "ambiguous"):
        predicted = bool(judge_for(row["model"]).judge(row["prompt"], row["response"]).strict)
        tp += predicted and row["strict"] == 1
        fp += predicted and row["strict"] == 0
        fn += (not predicted) and row["strict"] == 1
    assert tp + fn >= 5, "the set needs real strict claims to measure recall"
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.9, f"strict precision {precision:.3f} (tp {tp}, fp {fp})"
    assert recall >= 0.9, f"strict recall {recall:.3f} (tp {tp}, fn {fn})"


def test_gemma_parrots_and_smollm2_answers_make_no_strict_claim() -> None:
    for row in gold_rows():
        if row["model"] != "qwen2.5-coder-0.5b":
            assert row["strict"] == 0, row["n"]
            assert not judge_for(row["model"]).judge(row["prompt"], row["response"]).strict, row["n"]
