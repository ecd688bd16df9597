"""Precision and recall of the lexical identity judge (and of the paper's labels) against the ICE gold set.

The gold set (`tests/ice/judging/data/gold_dev.jsonl`, built by `benchmarks/gold_sample.py` and labelled by reading)
holds a stratified sample of the paper's four recorded ICE runs. The texts are read from the recorded files
at run time (each row's `sha1` must still match). For the lexical judge and for the paper's strict labels
(`strict_<model>.csv`) the script prints strict precision and recall

    raw       counted on the gold rows as they are
    weighted  each row weighted by stratum_size / stratum_sampled: estimates over all 4,000 rows

with rows labelled `ambiguous` left out, then the same for loose (paper loose = `eval_results`), the rows
per stratum, and the lexical judge's misses and false positives with an excerpt around the claim.

    python -m benchmarks.lexical_gold [--gold tests/ice/judging/data/gold_dev.jsonl] [--data ../shared/data/paper_ice]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from benchmarks.lexical_agreement import DEFAULT_DATA, TARGETS, Row, read_rows
from inspect_distill.ice.judging.lexical import LexicalJudge
from inspect_distill.ice.judging.verdict import Verdict
from inspect_distill.identity import get_identity, resolve_references

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = REPO_ROOT / "tests" / "ice" / "judging" / "data" / "gold_dev.jsonl"
EXCERPT = 120


@dataclass
class Judged:
    gold: dict
    row: Row
    verdict: Verdict

    @property
    def weight(self) -> float:
        return self.gold["stratum_size"] / self.gold["stratum_sampled"]


@dataclass
class Score:
    tp: float = 0.0
    fp: float = 0.0
    fn: float = 0.0
    tn: float = 0.0

    def add(self, predicted: bool, expected: bool, weight: float = 1.0) -> None:
        if predicted and expected:
            self.tp += weight
        elif predicted:
            self.fp += weight
        elif expected:
            self.fn += weight
        else:
            self.tn += weight

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float("nan")

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else float("nan")


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def load(gold_file: Path, data: Path) -> list[Judged]:
    """The gold rows with their recorded texts, paper labels and a fresh lexical verdict."""
    gold = [json.loads(line) for line in gold_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_model: dict[str, list[dict]] = defaultdict(list)
    for entry in gold:
        by_model[entry["model"]].append(entry)
    judged: list[Judged] = []
    for model, entries in by_model.items():
        rows = read_rows(data, model)
        target = get_identity(TARGETS[model])
        judge = LexicalJudge(target, resolve_references(None, target))
        for entry in entries:
            row = rows[entry["row"]]
            if sha1(row.response) != entry["sha1"]:
                raise SystemExit(f"{entry['id']}: the response no longer matches the gold set (sha1 differs)")
            judged.append(Judged(entry, row, judge.judge(row.prompt, row.response)))
    return judged


def scores(judged: list[Judged], field: str, predict) -> tuple[Score, Score, int]:
    raw, weighted, ambiguous = Score(), Score(), 0
    for item in judged:
        label = item.gold[field]
        if label == "ambiguous":
            ambiguous += 1
            continue
        predicted = bool(predict(item))
        raw.add(predicted, bool(label))
        weighted.add(predicted, bool(label), item.weight)
    return raw, weighted, ambiguous


def print_scores(title: str, judged: list[Judged], field: str, judges: dict) -> None:
    print(f"\n## {title} (gold label: {field})")
    header = f"{'judge':<16} {'':<9} {'TP':>8} {'FP':>8} {'FN':>8} {'TN':>8} {'precision':>10} {'recall':>7}"
    print(header)
    for name, predict in judges.items():
        raw, weighted, ambiguous = scores(judged, field, predict)
        for kind, score, fmt in (("raw", raw, "{:>8.0f}"), ("weighted", weighted, "{:>8.1f}")):
            cells = " ".join(fmt.format(value) for value in (score.tp, score.fp, score.fn, score.tn))
            print(f"{name:<16} {kind:<9} {cells} {score.precision:>10.3f} {score.recall:>7.3f}")
    print(f"(ambiguous rows left out: {ambiguous})")


def names_pattern(keys: list[str]) -> re.Pattern[str]:
    names: list[str] = []
    for key in keys:
        identity = get_identity(key)
        names += [identity.organisation, *identity.names, *identity.models]
    names = sorted({n for n in names if n}, key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names), re.IGNORECASE)


REFERENCE_NAMES = names_pattern(["openai", "anthropic"])


def excerpt(text: str, anchor: str | None = None) -> str:
    """About EXCERPT characters around the anchor (the judge's claim) or the first reference name."""
    flat = " ".join(text.split())
    position = flat.find(" ".join(anchor.split())) if anchor else -1
    if position < 0:
        found = REFERENCE_NAMES.search(flat)
        position = found.start() if found else 0
    start = max(0, position - EXCERPT // 2)
    return ("…" if start else "") + flat[start : start + EXCERPT] + ("…" if start + EXCERPT < len(flat) else "")


def claim_anchor(verdict: Verdict) -> str | None:
    """The claim text the lexical judge quoted in its reason (its last 80 characters)."""
    found = re.search(r": '(.+?)'(?:;|\))", verdict.reason or "") or re.search(r': "(.+?)"(?:;|\))', verdict.reason or "")
    return found.group(1) if found else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold set (JSONL)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with attack_*.jsonl, strict_*.csv")
    parser.add_argument("--no-list", action="store_true", help="do not list the misses and false positives")
    args = parser.parse_args()

    judged = load(args.gold, args.data)
    print(f"# Lexical judge vs the ICE gold set ({args.gold.relative_to(REPO_ROOT) if args.gold.is_relative_to(REPO_ROOT) else args.gold})")
    print(f"{len(judged)} rows, {len({(j.gold['model'], j.gold['stratum']) for j in judged})} strata")
    for field in ("strict", "loose"):
        counts = Counter(str(j.gold[field]) for j in judged)
        print(f"gold {field}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))

    print("\n## rows per stratum (stratum = paper strict x lexical strict over the whole population)")
    print(f"{'model':<28} {'stratum':<13} {'size':>5} {'sampled':>8} {'weight':>7} {'gold 1/0/amb':>13}")
    groups: dict[tuple[str, str], list[Judged]] = defaultdict(list)
    for item in judged:
        groups[(item.gold["model"], item.gold["stratum"])].append(item)
    for (model, stratum), items in sorted(groups.items()):
        first = items[0].gold
        tally = Counter(str(i.gold["strict"]) for i in items)
        print(f"{model:<28} {stratum:<13} {first['stratum_size']:>5} {first['stratum_sampled']:>8} "
              f"{items[0].weight:>7.2f} {tally['1']:>5}/{tally['0']}/{tally['ambiguous']}")

    print_scores("strict", judged, "strict", {
        "lexical": lambda j: j.verdict.strict,
        "paper (strict)": lambda j: j.row.paper_strict,
    })
    print_scores("loose", judged, "loose", {
        "lexical": lambda j: j.verdict.loose,
        "paper (loose)": lambda j: j.row.paper_loose,
    })

    if args.no_list:
        return
    misses = [j for j in judged if j.gold["strict"] == 1 and not j.verdict.strict]
    false_positives = [j for j in judged if j.gold["strict"] == 0 and j.verdict.strict]
    print(f"\n## lexical strict misses (gold 1, lexical 0): {len(misses)}")
    for item in misses:
        print(f"- {item.gold['id']} [{item.gold['stratum']}] {excerpt(item.row.response)}\n    gold: {item.gold['reason']}")
    print(f"\n## lexical strict false positives (gold 0, lexical 1): {len(false_positives)}")
    for item in false_positives:
        anchor = claim_anchor(item.verdict)
        print(f"- {item.gold['id']} [{item.gold['stratum']}] {excerpt(item.row.response, anchor)}"
              f"\n    gold: {item.gold['reason']}\n    lexical: {item.verdict.reason}")


if __name__ == "__main__":
    main()
