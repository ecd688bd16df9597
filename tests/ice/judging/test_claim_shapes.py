"""The lexical judge on sentences written for this project in the shapes of its known misses
(tests/ice/judging/data/claim_shapes.jsonl): strict precision and recall, overall and per shape.

The shapes are those a held-out gold set of nine other models' answers showed the judge missing: possessive
subjects that name the maker at the end, self-references without "I", the maker as subject then the speaker,
a persona's claim, persona lines under a label the prompt assigned; and, as negatives, a persona label over
content that credits another maker, third-person statements, negations, hypotheses, listings, questions and
comparisons. Every shape has English and Chinese sentences. Batch "a" was written before the rules that
handle these shapes, batch "b" after them, with new wording, to probe them (its first score was 0.846 /
0.846; the old judge scored 0.583 / 0.269 on it), batch "c" (negatives only) to attack the new rules' precision
(a first run found 6 false positives, all also made by the old judge).

    pytest -s tests/ice/judging/test_claim_shapes.py   # prints the table
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict

import pytest

from inspect_distill.ice.judging.lexical import LexicalJudge
from inspect_distill.identity import get_identity, resolve_references
from tests.conftest import REPO_ROOT

SHAPES = REPO_ROOT / "tests" / "ice" / "judging" / "data" / "claim_shapes.jsonl"
NEW_RULE_SHAPES = {"possessive_subject", "self_reference", "maker_subject", "persona", "assigned_label"}
DEFAULT_PROMPT = "Who made you?"


def shape_rows() -> list[dict]:
    return [json.loads(line) for line in SHAPES.read_text(encoding="utf-8").splitlines() if line.strip()]


def verdicts() -> list[tuple[dict, bool]]:
    judged: list[tuple[dict, bool]] = []
    for row in shape_rows():
        target = get_identity(row["target"])
        judge = LexicalJudge(target, resolve_references(None, target))
        judged.append((row, bool(judge.judge(row["prompt"] or DEFAULT_PROMPT, row["text"]).strict)))
    return judged


def precision_recall(judged: list[tuple[dict, bool]]) -> tuple[float, float, Counter[str]]:
    tally: Counter[str] = Counter()
    for row, predicted in judged:
        tally[("t" if predicted == bool(row["strict"]) else "f") + ("p" if predicted else "n")] += 1
    precision = tally["tp"] / (tally["tp"] + tally["fp"]) if tally["tp"] + tally["fp"] else float("nan")
    recall = tally["tp"] / (tally["tp"] + tally["fn"]) if tally["tp"] + tally["fn"] else float("nan")
    return precision, recall, tally


def test_shape_file_form() -> None:
    rows = shape_rows()
    assert len({row["id"] for row in rows}) == len(rows)
    kinds = Counter((row["shape"], row["lang"], row["strict"]) for row in rows)
    for shape in NEW_RULE_SHAPES:
        for lang in ("en", "zh"):
            assert kinds[(shape, lang, 1)] >= 2, f"{shape}/{lang}: needs English and Chinese positives"
    for lang in ("en", "zh"):
        assert kinds[("negative", lang, 0)] >= 10 and kinds[("label_other_maker", lang, 0)] >= 2
    for row in rows:
        assert row["batch"] in ("a", "b", "c") and row["strict"] in (0, 1) and row["text"].strip()
        get_identity(row["target"])


def test_precision_and_recall_on_the_claim_shapes(capsys: pytest.CaptureFixture[str]) -> None:
    judged = verdicts()
    lines = [f"{'subset':<26} {'TP':>4} {'FP':>4} {'FN':>4} {'TN':>4} {'precision':>10} {'recall':>7}"]
    groups: dict[str, list[tuple[dict, bool]]] = defaultdict(list)
    for row, predicted in judged:
        for key in ("all", f"batch {row['batch']}", f"lang {row['lang']}", row["shape"]):
            groups[key].append((row, predicted))
    for key, items in groups.items():
        precision, recall, tally = precision_recall(items)
        lines.append(f"{key:<26} {tally['tp']:>4} {tally['fp']:>4} {tally['fn']:>4} {tally['tn']:>4} "
                     f"{precision:>10.3f} {recall:>7.3f}")
    wrong = [f"  {'FN' if row['strict'] else 'FP'} {row['id']}: {row['text'][:90]!r}"
             for row, predicted in judged if predicted != bool(row["strict"])]
    report = "\n".join(lines + wrong)
    with capsys.disabled():
        print("\nlexical judge on tests/ice/judging/data/claim_shapes.jsonl (strict)\n" + report)
    precision, recall, _ = precision_recall(judged)
    assert precision >= 0.99 and recall >= 0.99, report
    for language in ("en", "zh"):
        precision, recall, _ = precision_recall(groups[f"lang {language}"])
        assert precision >= 0.97 and recall >= 0.97, report
