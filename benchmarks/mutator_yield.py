"""Yield of the ICE mutators with a real mutator model: how many mutants come back valid, and how fast.

For each mutator, mutates the N shortest built-in templates (crossover's partner: the next template in
that order) with `mutate()` and a fixed seed, and prints the valid rate, mean attempts, mean seconds per
mutate() and the drop reasons. A valid mutant is one `mutate()` accepts: placeholder kept, a real change,
no refusal (expand: a placeholder-free addition in front of the unchanged template).

    python -m benchmarks.mutator_yield [--model gguf/smollm2-135m] [--n 6] [--temperature 0.7]
        [--max-tokens 400] [--attempts 3] [--seed 0] [--mutators shorten,rephrase] [--dump out.jsonl]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from inspect_ai.model import GenerateConfig, Model, get_model

from inspect_distill.common.names import mutator_names
from inspect_distill.ice.fuzz.mutators import (
    MUTATORS,
    MutationResult,
    make_mutators,
    mutate,
)
from inspect_distill.ice.fuzz.pool import TemplateNode
from inspect_distill.ice.fuzz.sources import load_templates


@dataclass
class Row:
    valid: int = 0
    total: int = 0
    attempts: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    drops: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)

    def add(self, result: MutationResult, seconds: float) -> None:
        self.total += 1
        self.valid += result.text is not None
        self.attempts.append(result.attempts)
        self.seconds.append(seconds)
        self.failures.update(result.failures)
        if result.dropped_reason:
            self.drops[result.dropped_reason] += 1


def shortest_templates(n: int) -> list[TemplateNode]:
    return sorted(load_templates("builtin"), key=lambda t: (len(t.text), t.id))[:n]


async def run(args: argparse.Namespace) -> dict[str, Row]:
    model: Model = get_model(args.model)
    templates = shortest_templates(args.n)
    mutators = make_mutators(mutator_names(args.mutators.split(",")) if args.mutators else None)
    config = GenerateConfig(temperature=args.temperature, max_tokens=args.max_tokens, seed=args.seed)
    rows: dict[str, Row] = {}
    dump = open(args.dump, "w", encoding="utf-8") if args.dump else None  # noqa: SIM115
    try:
        for mutator in mutators:
            row = rows.setdefault(mutator.name, Row())
            for i, template in enumerate(templates):
                partner = templates[(i + 1) % len(templates)].text if mutator.needs_partner else None
                start = time.perf_counter()
                result = await mutate(
                    mutator, template.text, model, partner=partner, config=config, max_attempts=args.attempts
                )
                seconds = time.perf_counter() - start
                row.add(result, seconds)
                mark = "ok  " if result.text is not None else "drop"
                print(f"  {mutator.name:16} {template.id:24} {mark} attempts={result.attempts} "
                      f"{seconds:5.1f}s {result.dropped_reason or ''}", file=sys.stderr, flush=True)
                if dump:
                    dump.write(json.dumps({"mutator": mutator.name, "template_id": template.id,
                                           "seconds": round(seconds, 2), **result.model_dump()}) + "\n")
    finally:
        if dump:
            dump.close()
    return rows


def report(args: argparse.Namespace, rows: dict[str, Row], wall: float) -> None:
    templates = shortest_templates(args.n)
    print(f"model={args.model} temperature={args.temperature} max_tokens={args.max_tokens} "
          f"max_attempts={args.attempts} seed={args.seed} n={args.n}")
    print(f"templates: {', '.join(t.id for t in templates)}")
    print()
    print("| mutator | valid | mean attempts | mean s / mutate | drop reasons | failed attempts |")
    print("|---|---|---|---|---|---|")
    all_valid = all_total = 0
    for name, row in rows.items():
        all_valid += row.valid
        all_total += row.total
        drops = "; ".join(f"{reason} x{count}" for reason, count in row.drops.most_common()) or "-"
        fails = "; ".join(f"{reason} x{count}" for reason, count in row.failures.most_common()) or "-"
        print(f"| {name} | {row.valid}/{row.total} ({row.valid / row.total:.0%}) | "
              f"{statistics.mean(row.attempts):.2f} | {statistics.mean(row.seconds):.1f} | {drops} | {fails} |")
    print(f"| all | {all_valid}/{all_total} ({all_valid / max(all_total, 1):.0%}) | | | | |")
    print(f"\nwall time: {wall:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="gguf/smollm2-135m")
    parser.add_argument("--n", type=int, default=6, help="number of (shortest) built-in templates")
    parser.add_argument("--temperature", type=float, default=0.7)
    parser.add_argument("--max-tokens", type=int, default=400)
    parser.add_argument("--attempts", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--mutators", default=None, help=f"comma-separated subset of {', '.join(MUTATORS)}")
    parser.add_argument("--dump", type=Path, default=None, help="write every MutationResult to this JSONL file")
    args = parser.parse_args()
    start = time.perf_counter()
    rows = asyncio.run(run(args))
    report(args, rows, time.perf_counter() - start)


if __name__ == "__main__":
    main()
