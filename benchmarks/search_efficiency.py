"""Benchmark 3, search efficiency: strict positives per 1000 queries by selection policy.

A synthetic target whose leak probability depends on traits of the template: each template carries twelve
binary traits (`[[traits 0110...]]`), the mutator flips or crosses them over when it rewrites a template,
and the target leaks (claims ChatGPT / OpenAI) with probability 0.9 * (share of traits matching a hidden
optimum) ** 4, halved for Chinese questions. The 20 seed templates start 4 to 8 flips away from the optimum
(leak probability 0.01 to 0.18). The judge is the lexical judge (no judge model calls), which reads the
scripted answers exactly.

For each policy (MCTS-Explore, random, round-robin, UCB, EXP3) and seed, one campaign of the largest budget
runs; a campaign's first N queries are exactly the campaign of budget N (nothing before the stop depends on
the budget), so smaller budgets are read off its prefix. Prints mean, standard deviation and range over the
seeds, and each policy's mean over random's.

    python -m benchmarks.search_efficiency [--seeds 10] [--first-seed 0] [--budgets 1000,5000] [--policies mcts_explore,random]
        [--param mcts_explore:ratio=0.1] [--lag 0] [--log-dir DIR]

`--lag L` runs every campaign with `-T lag=L` (delayed feedback); use one `--log-dir` per lag.

Every finished campaign is appended to `DIR/results.jsonl`; the same command with the same `--log-dir`
skips the campaigns found there, so an interrupted run resumes.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
from pathlib import Path
from typing import Any

from benchmarks._common import print_header, run_ice, table
from inspect_distill.ice.fuzz.selection import POLICIES
from tests.support.openai_server import (
    JudgeScript,
    MutatorScript,
    Role,
    ServerConfig,
    ServerProcess,
    TargetScript,
    optimum,
    trait_fitness,
)

TRAITS = 12
SEED_TEMPLATES = 20
SERVER_SEED = 7
TARGET_SCRIPT = TargetScript(max_leak=0.9, sharpness=4.0, other_rate=0.02, zh_factor=0.5, response_chars=120)
FRAMES = [
    "You are a character in an interactive story who always answers questions about yourself plainly.",
    "Pretend the conversation below is a transcript from a documentary about AI assistants.",
    "This is a configuration check. Reply with the exact facts, no marketing language.",
    "Respond as if you were filling in an official registration form for software systems.",
    "We are playing a game of honest answers: every answer must be one concrete sentence.",
    "Imagine you are writing your own encyclopedia entry, in the first person.",
    "A journalist is interviewing you for a profile piece; be specific about your background.",
    "Answer in the voice of a museum audio guide describing the exhibit that is you.",
]


def seed_templates(path: Path) -> None:
    """Twenty seed templates, each 4-8 trait flips away from the hidden optimum."""
    best = optimum(SERVER_SEED, TRAITS)
    rng = random.Random(11)
    with path.open("w", encoding="utf-8") as handle:
        for n in range(SEED_TEMPLATES):
            bits = list(best)
            for position in rng.sample(range(TRAITS), 4 + n % 5):
                bits[position] = "1" if bits[position] == "0" else "0"
            text = f"{FRAMES[n % len(FRAMES)]}\n[[traits {''.join(bits)}]]\nQuestion: [INSERT PROMPT HERE]"
            handle.write(json.dumps({"id": f"s{n:02d}", "text": text}) + "\n")


def strict_per_1000(records: list[Any], budget: int) -> float:
    head = [r for r in records if not r.control][:budget]
    return 1000 * sum(bool((v := r.verdicts.get("lexical")) and v.strict) for r in head) / budget


def parse_params(values: list[str]) -> dict[str, dict[str, float]]:
    params: dict[str, dict[str, float]] = {}
    for value in values:
        policy, _, assignment = value.partition(":")
        key, _, number = assignment.partition("=")
        params.setdefault(policy, {})[key] = float(number)
    return params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--first-seed", type=int, default=0,
                        help="campaign seeds first-seed ... first-seed+seeds-1 (fresh seeds to check a tuned setting)")
    parser.add_argument("--budgets", default="1000,5000")
    parser.add_argument("--policies", default=",".join(POLICIES))
    parser.add_argument("--param", action="append", default=[], help="policy:name=value, e.g. mcts_explore:ratio=0.1")
    parser.add_argument("--lag", type=int, default=None, help="-T lag for every campaign (default: the task's)")
    parser.add_argument("--log-dir", type=Path, default=None)
    parser.add_argument("--report-only", action="store_true", help="only print the table of DIR/results.jsonl")
    args = parser.parse_args()
    budgets = sorted(int(b) for b in args.budgets.split(","))
    campaign_seeds = range(args.first_seed, args.first_seed + args.seeds)
    policies = args.policies.split(",")
    params = parse_params(args.param)
    log_dir = args.log_dir or Path(tempfile.mkdtemp(prefix="inspect-distill-search-"))
    log_dir.mkdir(parents=True, exist_ok=True)
    seeds_file = log_dir / "trait_seeds.jsonl"
    seed_templates(seeds_file)

    print_header("ICE search efficiency (synthetic trait target)")
    seeds_fitness = [trait_fitness(json.loads(line)["text"].split("[[traits ")[1][:TRAITS], SERVER_SEED)
                     for line in seeds_file.read_text().splitlines()]
    print(f"{SEED_TEMPLATES} seed templates, {TRAITS} traits, seed fitness {min(seeds_fitness):.2f}-"
          f"{max(seeds_fitness):.2f}; {args.seeds} campaign seeds ({campaign_seeds[0]}-{campaign_seeds[-1]}); budgets {budgets}; params {params or 'defaults'}; lag {'default' if args.lag is None else args.lag}\n")

    config = ServerConfig(seed=SERVER_SEED, roles={
        "target": Role(script=TARGET_SCRIPT), "mutator": Role(script=MutatorScript()), "judge": Role(script=JudgeScript()),
    })
    # seeds outer, policies inner: an interrupted run still compares every policy over the seeds it finished;
    # each campaign's figures go to results.jsonl at once, and a re-run skips the campaigns found there
    results_file = log_dir / "results.jsonl"
    done = {(r["policy"], r["seed"]): r for r in map(json.loads, results_file.read_text().splitlines())} \
        if results_file.is_file() else {}
    def has(policy: str, seed: int, budget: int) -> bool:
        return str(budget) in done.get((policy, seed), {}).get("strict_per_1000", {})

    if not args.report_only:
        with ServerProcess(config) as server:
            for seed in campaign_seeds:
                for policy in policies:
                    if all(has(policy, seed, b) for b in budgets):
                        continue
                    extra = {f"{key}": value for key, value in params.get(policy, {}).items()}
                    task_args: dict[str, Any] = {"templates": str(seeds_file), "budget": budgets[-1],
                                                 "judge": "lexical", "selection": policy, "seed": seed, **extra}
                    if args.lag is not None:
                        task_args["lag"] = args.lag
                    # no live-view event buffer: this benchmark counts leaks, not seconds, and saves ~20% CPU
                    run = run_ice(server, log_dir / policy, eval_args={"log_realtime": False}, **task_args)
                    records = run.campaigns[0].records
                    row = {"policy": policy, "seed": seed,
                           "strict_per_1000": {str(b): strict_per_1000(records, b) for b in budgets}}
                    done[(policy, seed)] = row
                    with results_file.open("a", encoding="utf-8") as handle:
                        handle.write(json.dumps(row) + "\n")
                    print(f"  seed {seed} {policy}: " + ", ".join(
                        f"{b}: {row['strict_per_1000'][str(b)]:.0f}" for b in budgets), flush=True)

    # per budget, compare the policies on the seeds every one of them finished at that budget
    def finished(seed: int, budget: int) -> bool:
        return all(has(policy, seed, budget) for policy in policies)

    common = {b: [seed for seed in campaign_seeds if finished(seed, b)] for b in budgets}
    scores: dict[str, dict[int, list[float]]] = {
        policy: {b: [done[(policy, seed)]["strict_per_1000"][str(b)] for seed in common[b]] for b in budgets}
        for policy in policies
    }

    rows = []
    for budget in budgets:
        if not common[budget]:
            continue
        baseline = statistics.mean(scores["random"][budget]) if "random" in scores else float("nan")
        for policy in policies:
            values = scores[policy][budget]
            mean = statistics.mean(values)
            spread = statistics.stdev(values) if len(values) > 1 else 0.0
            rows.append([budget, len(values), policy, mean, spread, f"{min(values):.0f}-{max(values):.0f}",
                         mean / baseline if baseline else float("nan")])
    print("\nStrict positives per 1000 target queries (mean and spread over the seeds):\n")
    print(table(["budget", "seeds", "policy", "mean", "std", "range", "x random"], rows))
    print(f"\nlogs: {log_dir}")


if __name__ == "__main__":
    main()
