"""Benchmark 4, judge cost: judge calls and tokens per target query, and what a lexical pre-screen would save.

Part 1: the same campaign (1000 target queries, 50 questions, zero latency) with `judge=llm`, `lexical` and
`both`, against the local server; judge calls are counted by the server, judge tokens read from the log's
model usage (the server counts 4 characters a token). The scripted target leaks a reference identity in
~22% of its English answers and another family's in ~12% (half that in Chinese).

Part 2: on the paper's released runs (`../shared/data/paper_ice`, 4 x 1000 rows with the paper's
gpt-4o-mini loose verdicts and strict rows), how many LLM-judge calls a cheap screen in front of the judge
would skip, and how many of the paper's strict (and loose) positives it would lose. A skipped row would be
a negative without a judge call. Screens:
- `lexical loose`: the lexical judge finds a first-person claim of another family;
- `names a reference`: the answer names a reference identity (OpenAI/ChatGPT/GPT, Anthropic/Claude) at all;
- `names another family`: the answer names any known identity outside the target's family;
- `names any identity`: the answer names any known model or maker.

    python -m benchmarks.judge_cost [--budget 1000] [--data ../shared/data/paper_ice] [--skip-campaigns]
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks._common import JUDGE, REPO_ROOT, TARGET, print_header, run_ice, table
from inspect_distill.ice.judging.claims import find_identity_mentions
from inspect_distill.ice.judging.lexical import LexicalJudge
from inspect_distill.ice.paper_import import (
    default_strict_file,
    recorded_campaign_result,
)
from inspect_distill.identity import (
    Identity,
    get_identity,
    load_presets,
    resolve_references,
)
from tests.support.openai_server import (
    JudgeScript,
    MutatorScript,
    Role,
    ServerConfig,
    ServerProcess,
    TargetScript,
)

DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "paper_ice"
PAPER_TARGETS = {
    "deepseek-chat": "deepseek",
    "qwen-max-0919": "alibaba",
    "llama3.1-70b-instruct": "meta",
    "claude-3-5-sonnet-20241022": "anthropic",
}
TARGET_SCRIPT = TargetScript(base_leak=0.22, other_rate=0.12)


def campaign_costs(budget: int, log_dir: Path) -> list[list[Any]]:
    rows = []
    config = ServerConfig(roles={"target": Role(script=TARGET_SCRIPT), "mutator": Role(script=MutatorScript()),
                                 "judge": Role(script=JudgeScript())})
    with ServerProcess(config) as server:
        run_ice(server, log_dir / "warm", budget=50, judge="lexical")
        for judge in ("llm", "lexical", "both"):
            server.reset()
            run = run_ice(server, log_dir / judge, budget=budget, judge=judge)
            result = run.campaigns[0]
            stats = server.stats(JUDGE)
            usage = run.log.stats.model_usage.get(f"openai/{JUDGE}")
            tokens = (usage.input_tokens + usage.output_tokens) if usage else 0
            queries = result.queries
            answered = sum(r.status == "ok" for r in result.records)
            loose = sum(bool((v := r.verdicts.get(result.settings.primary_judge)) and v.loose) for r in result.records)
            target_calls = server.stats(TARGET).requests
            rows.append([judge, queries, answered, loose, stats.requests, stats.requests / queries, tokens,
                         tokens / queries, run.wall, target_calls + stats.requests])
    return rows


Screen = Callable[[str, str], bool]


def screens(target: Identity, references: list[Identity]) -> dict[str, Screen]:
    lexical = LexicalJudge(target, references)
    presets = load_presets()
    reference_keys = {r.key for r in references}
    others = {key for key, preset in presets.items() if not preset.same_family(target)}

    def lexical_loose(prompt: str, response: str) -> bool:
        return bool(lexical.judge(prompt, response).loose)

    def names(keys: set[str] | None) -> Screen:
        def screen(prompt: str, response: str) -> bool:
            found = set(find_identity_mentions(response, presets))
            return bool(found) if keys is None else bool(found & keys)

        return screen

    return {
        "lexical loose": lexical_loose,
        "names a reference": names(reference_keys),
        "names another family": names(others),
        "names any identity": names(None),
    }


def prescreen_rows(data: Path) -> list[list[Any]]:
    totals: dict[str, list[int]] = {}
    base = [0, 0, 0, 0]  # rows, loose, strict, judge calls without a screen
    for model, key in PAPER_TARGETS.items():
        attack = data / f"attack_{model}.jsonl"
        if not attack.is_file():
            continue
        target = get_identity(key)
        references = resolve_references(None, target)
        result = recorded_campaign_result(attack, target, references, default_strict_file(attack))
        rows = [r for r in result.records if r.status == "ok" and r.recorded_loose is not None]
        truth = [(bool(r.recorded_loose), bool(r.recorded_loose and r.recorded_strict)) for r in rows]
        base[0] += len(rows)
        base[1] += sum(loose for loose, _ in truth)
        base[2] += sum(strict for _, strict in truth)
        base[3] += len(rows) + sum(loose for loose, _ in truth)
        for name, screen in screens(target, references).items():
            tally = totals.setdefault(name, [0, 0, 0, 0])  # forwarded, calls, loose lost, strict lost
            for record, (loose, strict) in zip(rows, truth):
                forwarded = screen(result.prompt(record), record.response or "")
                tally[0] += forwarded
                tally[1] += forwarded * (1 + loose)
                tally[2] += (not forwarded) and loose
                tally[3] += (not forwarded) and strict
    out = [["no screen", base[0], base[3], "-", "0 / " + str(base[1]), "0 / " + str(base[2])]]
    for name, (forwarded, calls, loose_lost, strict_lost) in totals.items():
        out.append([name, forwarded, calls, f"{1 - calls / base[3]:.0%}", f"{loose_lost} / {base[1]}",
                    f"{strict_lost} / {base[2]}"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--budget", type=int, default=1000)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--skip-campaigns", action="store_true")
    parser.add_argument("--log-dir", type=Path, default=None)
    args = parser.parse_args()
    log_dir = args.log_dir or Path(tempfile.mkdtemp(prefix="inspect-distill-judge-"))

    print_header("ICE judge cost")
    if not args.skip_campaigns:
        print(f"## Judge calls and tokens per target query ({args.budget}-query campaign)\n")
        print(table(["judge", "target queries", "answered", "loose positives (primary judge)", "judge calls",
                     "judge calls / query", "judge tokens", "judge tokens / query", "eval wall s",
                     "model calls (target + judge)"], campaign_costs(args.budget, log_dir)))
        print()
    if args.data.is_dir():
        print(f"## Lexical pre-screen on the paper's released runs ({args.data})\n")
        print(table(["screen", "rows sent to the LLM judge", "LLM judge calls", "calls saved", "loose positives lost",
                     "strict positives lost"], prescreen_rows(args.data)))
    else:
        print(f"(paper data not found at {args.data}: pre-screen part skipped)")
    print(f"\nlogs: {log_dir}")


if __name__ == "__main__":
    main()
