"""RSE on ArenaHard v0.1 with real recorded answers, offline: tested models vs gpt-4-0314, local judge.

Runs the `rse` task once per tested model (`replay/answer_<model>.jsonl`), with the reference answers of
gpt-4-0314 as recorded answers and SmolLM2-135M as the judge, then prints per model: samples, scored,
unscored (by reason), mean overall (stderr), mean token 2-gram overlap and ROUGE-L F1, and run time.
`--from-logs DIR` only summarises logs already written (e.g. by the equivalent `inspect eval` commands,
which are printed too).

    python -m benchmarks.rse_arena_hard [--data ../shared/data/arena_hard_v0.1] [--limit 500]
        [--models gpt-4-0613,gpt-3.5-turbo-0125] [--grader gguf/smollm2-135m] [--judge-max-tokens 200]
        [--judge-retries 1] [--no-judge-schema] [--no-judge] [--log-dir logs/rse_arena_hard] [--from-logs DIR]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from inspect_ai import eval as inspect_eval
from inspect_ai.log import EvalLog, list_eval_logs, read_eval_log

from inspect_distill.rse.task import rse

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "arena_hard_v0.1"
REFERENCE = "gpt-4-0314"


@dataclass
class Row:
    model: str
    samples: int
    scored: int
    unscored: Counter[str]
    overall: float
    overall_stderr: float
    ngram: float
    rouge_l: float
    seconds: float | None


def summarise(log: EvalLog) -> Row:
    """The numbers of one RSE log, read from its samples and its metrics."""
    if log.status != "success" or log.results is None:
        raise SystemExit(f"{log.location}: status {log.status}: {log.error.message if log.error else ''}")
    scores = {s.name: s for s in log.results.scores}
    samples = log.samples or []
    reasons: Counter[str] = Counter()
    for sample in samples:
        score = (sample.scores or {}).get("rse_similarity")
        if score is None or not isinstance(score.value, dict):
            reasons["no score"] += 1
        elif "overall" not in score.value:
            reasons["no judge (judge=false)"] += 1
        elif math.isnan(float(score.value["overall"])):
            reasons[score.reason or "unknown"] += 1
    seconds = None
    if log.stats.started_at and log.stats.completed_at:
        from datetime import datetime

        seconds = (datetime.fromisoformat(log.stats.completed_at)
                   - datetime.fromisoformat(log.stats.started_at)).total_seconds()
    judged = scores.get("overall")  # none with judge=false
    return Row(
        model=log.eval.model,
        samples=len(samples),
        scored=(judged.scored_samples or 0) if judged else 0,
        unscored=reasons,
        overall=judged.metrics["mean"].value if judged else math.nan,
        overall_stderr=judged.metrics["stderr"].value if judged else math.nan,
        ngram=scores["ngram"].metrics["mean"].value,
        rouge_l=scores["rouge_l"].metrics["mean"].value,
        seconds=seconds,
    )


def print_table(rows: list[Row]) -> None:
    print(f"\nRSE ArenaHard v0.1, reference {REFERENCE} (recorded), judge in the logs")
    print(f"{'model':<28} {'samples':>7} {'scored':>6} {'unscored':>8} {'overall':>15} {'ngram':>6} "
          f"{'rouge_l':>7} {'time':>8}")
    for r in rows:
        overall = "nan" if math.isnan(r.overall) else f"{r.overall:.3f} ± {r.overall_stderr:.3f}"
        seconds = f"{r.seconds / 60:.1f}m" if r.seconds is not None else "-"
        print(f"{r.model:<28} {r.samples:>7} {r.scored:>6} {sum(r.unscored.values()):>8} {overall:>15} "
              f"{r.ngram:>6.3f} {r.rouge_l:>7.3f} {seconds:>8}")
        for reason, count in r.unscored.most_common():
            print(f"{'':<28}   unscored {reason}: {count}")


def cli_command(data: Path, model: str, args: argparse.Namespace) -> str:
    judge = (f"--model-role grader={args.grader} -T judge_max_tokens={args.judge_max_tokens} "
             f"-T judge_retries={args.judge_retries} -T judge_schema={str(args.judge_schema).lower()}"
             if args.judge else "-T judge=false")
    return (f"inspect eval inspect_distill/rse --model replay/{data}/answer_{model}.jsonl {judge} "
            f"-T datasets=arena_hard -T dataset_path={data} -T reference_answers={data}/answer_{REFERENCE}.jsonl"
            + (f" -T per_dataset={args.limit}" if args.limit else "") + f" --log-dir {args.log_dir}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--models", default="gpt-4-0613,gpt-3.5-turbo-0125")
    parser.add_argument("--grader", default="gguf/smollm2-135m")
    parser.add_argument("--limit", type=int, default=None, help="prompts (seeded sample; default all 500)")
    parser.add_argument("--judge-max-tokens", type=int, default=200)
    parser.add_argument("--judge-retries", type=int, default=1)
    parser.add_argument("--no-judge-schema", dest="judge_schema", action="store_false",
                        help="let the judge write free text (default: structured output, a llama.cpp grammar)")
    parser.add_argument("--no-judge", dest="judge", action="store_false",
                        help="cheap signals only (-T judge=false): no grader, seconds per model")
    parser.add_argument("--log-dir", default="logs/rse_arena_hard")
    parser.add_argument("--from-logs", type=Path, default=None, help="only summarise the logs in this directory")
    args = parser.parse_args()

    if args.from_logs is not None:
        logs = [read_eval_log(info) for info in list_eval_logs(str(args.from_logs))]
        rows = [summarise(log) for log in logs if log.eval.task.endswith("rse")]
        if not rows:
            sys.exit(f"No rse logs in {args.from_logs}.")
        print_table(sorted(rows, key=lambda r: r.model))
        return

    rows = []
    for model in [m.strip() for m in args.models.split(",") if m.strip()]:
        print(f"\n# {model}\n$ {cli_command(args.data, model, args)}", flush=True)
        task = rse(datasets="arena_hard", dataset_path=str(args.data), per_dataset=args.limit,
                   reference_answers=str(args.data / f"answer_{REFERENCE}.jsonl"),
                   judge_max_tokens=args.judge_max_tokens, judge_retries=args.judge_retries,
                   judge_schema=args.judge_schema, judge=args.judge)
        started = time.monotonic()
        log = inspect_eval(task, model=f"replay/{args.data}/answer_{model}.jsonl",
                           model_roles={"grader": args.grader} if args.judge else None, log_dir=args.log_dir,
                           display="none")[0]
        row = summarise(log)
        row.seconds = time.monotonic() - started
        rows.append(row)
        print_table([row])
    print_table(rows)


if __name__ == "__main__":
    main()
