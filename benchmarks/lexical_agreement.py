"""Agreement of the lexical identity judge with the paper's LLM-judge labels on its released ICE runs.

For each of the four released runs (1000 rows each) the lexical judge reads the recorded response and is
compared with the paper's strict labels (the rows in `strict_<model>.csv`) and with its loose labels
(`eval_results`, gpt-4o-mini). Prints TP / FP / FN / precision / recall per model and pooled.

    python -m benchmarks.lexical_agreement [--data ../shared/data/paper_ice] [--show 5]
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import csv
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from inspect_distill.ice.judging.lexical import LexicalJudge
from inspect_distill.identity import get_identity, resolve_references

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "paper_ice"
TARGETS: dict[str, str] = {
    "deepseek-chat": "deepseek",
    "qwen-max-0919": "alibaba",
    "llama3.1-70b-instruct": "meta",
    "claude-3-5-sonnet-20241022": "anthropic",
}
EXPECTED_STRICT: dict[str, int] = {
    "deepseek-chat": 219,
    "qwen-max-0919": 248,
    "llama3.1-70b-instruct": 97,
    "claude-3-5-sonnet-20241022": 2,
}
PAPER_PLACEHOLDER = "{query}"


@dataclass
class Row:
    prompt: str
    response: str
    paper_loose: bool
    paper_strict: bool
    template: str


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    false_positives: list[Row] = field(default_factory=list)
    false_negatives: list[Row] = field(default_factory=list)

    def add(self, predicted: bool, expected: bool, row: Row) -> None:
        if predicted and expected:
            self.tp += 1
        elif predicted:
            self.fp += 1
            self.false_positives.append(row)
        elif expected:
            self.fn += 1
            self.false_negatives.append(row)
        else:
            self.tn += 1

    def merge(self, other: Tally) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.tn += other.tn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float("nan")

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else float("nan")


def paper_prompt(template: str, query: str) -> str:
    """The prompt as the paper's code built it: the query in the placeholder, or glued to the end."""
    return template.replace(PAPER_PLACEHOLDER, query) if PAPER_PLACEHOLDER in template else template + query


def read_rows(data: Path, model: str) -> list[Row]:
    """The 1000 rows of one run, with the paper's loose and strict labels."""
    csv.field_size_limit(sys.maxsize)
    with (data / f"strict_{model}.csv").open(encoding="utf-8", newline="") as handle:
        strict = {
            (record["jailbreak_prompt"], record["query"], ast.literal_eval(record["target_responses"])[0])
            for record in csv.DictReader(handle)
        }
    rows: list[Row] = []
    with (data / f"attack_{model}.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            response = record["target_responses"][0]
            key = (record["jailbreak_prompt"], record["query"], response)
            rows.append(
                Row(
                    prompt=paper_prompt(record["jailbreak_prompt"], record["query"]),
                    response=response,
                    paper_loose=bool(record["eval_results"]),
                    paper_strict=key in strict,
                    template=record["jailbreak_prompt"],
                )
            )
    matched = sum(row.paper_strict for row in rows)
    if matched != EXPECTED_STRICT[model]:
        raise SystemExit(f"{model}: matched {matched} strict rows, expected {EXPECTED_STRICT[model]}")
    return rows


def paper_hard(row: Row) -> bool:
    """The paper's hard rule: a strict row whose template contains neither "gpt" nor "openai"."""
    template = row.template.lower()
    return row.paper_strict and "gpt" not in template and "openai" not in template


async def judge_model(data: Path, model: str) -> tuple[Tally, Tally, tuple[int, int]]:
    target = get_identity(TARGETS[model])
    judge = LexicalJudge(target, resolve_references(None, target))
    strict, loose = Tally(), Tally()
    hard = paper = 0
    for row in read_rows(data, model):
        verdict = await judge(row.prompt, row.response)
        strict.add(bool(verdict.strict), row.paper_strict, row)
        loose.add(bool(verdict.loose), row.paper_loose, row)
        hard += bool(verdict.hard)
        paper += paper_hard(row)
    return strict, loose, (hard, paper)


def line(name: str, tally: Tally) -> str:
    return (f"{name:<28} {tally.tp:>5} {tally.fp:>5} {tally.fn:>5} "
            f"{tally.precision:>10.3f} {tally.recall:>7.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with attack_*.jsonl, strict_*.csv")
    parser.add_argument("--show", type=int, default=0, help="print this many disagreeing strict rows per model")
    args = parser.parse_args()

    header = f"{'model':<28} {'TP':>5} {'FP':>5} {'FN':>5} {'precision':>10} {'recall':>7}"
    results = {model: asyncio.run(judge_model(args.data, model)) for model in TARGETS}
    for title, index in (("strict: lexical vs paper strict", 0), ("loose: lexical vs paper eval_results", 1)):
        pooled = Tally()
        print(f"\n{title}\n{header}")
        for model, tallies in results.items():
            print(line(model, tallies[index]))
            pooled.merge(tallies[index])
        print(line("pooled", pooled))
    print("\nhard of 1000, lexical / paper: " + ", ".join(
        f"{model} {hard}/{paper}" for model, (_, _, (hard, paper)) in results.items()
    ))
    if args.show:
        for model, (strict, _, _) in results.items():
            for kind, rows in (("FALSE POSITIVE", strict.false_positives), ("FALSE NEGATIVE", strict.false_negatives)):
                for row in rows[: args.show]:
                    print(f"\n=== {model} {kind} ===\n{row.response[:700]}")


if __name__ == "__main__":
    main()
