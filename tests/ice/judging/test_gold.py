"""The ICE development gold set (tests/ice/judging/data/gold_dev.jsonl): its form, its link to the recorded runs, and
the lexical judge's strict precision and recall on it (a floor, so a regression shows).

The texts are not in the repository: they are read from the paper's recorded runs in ../shared/data/paper_ice.
The full report (weighted figures, misses, false positives) is `python -m benchmarks.lexical_gold`.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from inspect_distill.ice.judging.lexical import LexicalJudge
from inspect_distill.ice.paper_import import read_attack_rows
from inspect_distill.identity import get_identity, resolve_references
from tests.conftest import PAPER_ICE, REPO_ROOT

GOLD = REPO_ROOT / "tests" / "ice" / "judging" / "data" / "gold_dev.jsonl"
TARGETS = {
    "deepseek-chat": "deepseek",
    "qwen-max-0919": "alibaba",
    "llama3.1-70b-instruct": "meta",
    "claude-3-5-sonnet-20241022": "anthropic",
}
FIELDS = {"id", "model", "row", "strict", "loose", "flags", "reference", "reason", "stratum", "stratum_size",
          "stratum_sampled", "sha1", "sample"}
FLAGS = {"in_reasoning", "labeled_role", "second_person", "planted", "cut"}
STRATA = {1: {"both_pos", "both_neg", "paper_only", "lexical_only"}, 2: {"flagged", "named", "plain"}}
"""Sample 1: the rows the lexical rules were written against; sample 2: drawn and labelled after them."""


def gold_rows() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_gold_set_form() -> None:
    rows = gold_rows()
    assert len(rows) >= 840
    assert Counter(row["sample"] for row in rows)[2] >= 400
    assert len({row["id"] for row in rows}) == len(rows)
    sampled = Counter((row["sample"], row["model"], row["stratum"]) for row in rows)
    for row in rows:
        assert set(row) == FIELDS, row["id"]
        assert row["id"] == f"{row['model']}:{row['row']}"
        assert row["model"] in TARGETS and row["stratum"] in STRATA[row["sample"]]
        assert row["strict"] in (0, 1, "ambiguous") and row["loose"] in (0, 1, "ambiguous")
        assert set(row["flags"]) <= FLAGS
        assert row["reference"] in (None, "openai", "anthropic")
        assert row["reason"].strip()
        assert sampled[(row["sample"], row["model"], row["stratum"])] == row["stratum_sampled"] <= row["stratum_size"]
        if row["strict"] == 1:
            assert row["loose"] == 1 and row["reference"] is not None, row["id"]
        if "ambiguous" in (row["strict"], row["loose"]):
            assert set(row["flags"]) - {"planted"}, f"{row['id']}: ambiguous without a flag that explains it"


def test_gold_rows_match_the_recorded_runs(shared_data: Path) -> None:
    for model in TARGETS:
        recorded = read_attack_rows(PAPER_ICE / f"attack_{model}.jsonl")
        for row in (r for r in gold_rows() if r["model"] == model):
            response = recorded[row["row"]]["target_responses"][0]
            assert hashlib.sha1(response.encode("utf-8")).hexdigest()[:12] == row["sha1"], row["id"]


@pytest.mark.parametrize(("sample", "precision_floor", "recall_floor"), [(1, 0.99, 0.97), (2, 0.97, 0.72)])
def test_lexical_judge_strict_precision_and_recall_on_the_gold_set(
    shared_data: Path, sample: int, precision_floor: float, recall_floor: float
) -> None:
    """Sample 1 is where the rules were written (a fit); sample 2 was labelled after them (a measurement)."""
    tp = fp = fn = 0
    for model, preset in TARGETS.items():
        target = get_identity(preset)
        judge = LexicalJudge(target, resolve_references(None, target))
        recorded = read_attack_rows(PAPER_ICE / f"attack_{model}.jsonl")
        for row in (r for r in gold_rows() if r["model"] == model and r["strict"] != "ambiguous" and r["sample"] == sample):
            record = recorded[row["row"]]
            template, query = record["jailbreak_prompt"], record["query"]
            prompt = template.replace("{query}", query) if "{query}" in template else template + query
            predicted = bool(judge.judge(prompt, record["target_responses"][0]).strict)
            tp += predicted and row["strict"] == 1
            fp += predicted and row["strict"] == 0
            fn += (not predicted) and row["strict"] == 1
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= precision_floor, f"strict precision {precision:.3f} (tp {tp}, fp {fp})"
    assert recall >= recall_floor, f"strict recall {recall:.3f} (tp {tp}, fn {fn})"


@pytest.mark.parametrize("field", ["strict", "loose"])
def test_gold_labels_cover_both_classes(field: str) -> None:
    counts = Counter(row[field] for row in gold_rows())
    assert counts[1] >= 100 and counts[0] >= 100
