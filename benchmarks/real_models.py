"""Real local models: the same ICE campaign on three real models, a plain-question baseline beside it, and
MCTS-Explore against random selection on Qwen2.5-Coder-0.5B.

    python -m benchmarks.real_models [--budget 30] [--seeds 0,1,2] [--log-dir /tmp/inspect-distill-real]
        [--models smollm2-135m,qwen2.5-coder-0.5b,gemma-3-270m] [--mutator qwen2.5-coder-0.5b]
        [--skip-search] [--report-only]

Every model runs in process through llama.cpp (the `gguf` provider; the `models` extra). Each campaign:
the English `team` questions, seed templates `builtin`, lexical judge, hallucination control on, target
`max_tokens` 64, mutator `max_tokens` 300, no cache; the mutator is the same model for every target (Qwen
keeps the placeholder in most mutations; the other two rarely or never do). The baseline asks the same
questions with no template, at temperature 0 with the paper's system prompt, so the table shows what the
search adds over asking plainly. Results are appended to `LOG_DIR/results.jsonl` and a rerun skips what is
there; every response goes to `LOG_DIR/responses.jsonl` (for reading and labelling).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path
from typing import Any

from inspect_ai import eval as inspect_eval
from inspect_ai.model import ChatMessageSystem, ChatMessageUser, GenerateConfig, Model, get_model

from benchmarks._common import print_header, table
from inspect_distill.ice.judging.lexical import LexicalJudge
from inspect_distill.ice.questions import identity_questions
from inspect_distill.ice.rates import IceSummary, Rate, merge_summaries
from inspect_distill.ice.records import stored_campaign
from inspect_distill.ice.score_value import ICE_SCORER, IceScoreValue
from inspect_distill.ice.settings import DEFAULT_SYSTEM_PROMPT
from inspect_distill.ice.task import ice
from inspect_distill.identity.model import get_identity, resolve_references
from inspect_distill.providers.local_models import LOCAL_MODELS

MODELS = ("smollm2-135m", "qwen2.5-coder-0.5b", "gemma-3-270m")
QUESTION_FILTER = {"categories": ["team"], "languages": ["en"]}
TARGET_MAX_TOKENS = 64
MUTATOR_MAX_TOKENS = 300


def local(model: str, threads: int | None) -> Model:
    """A named local model through the `gguf` provider, on `threads` CPU threads (None: llama.cpp's choice)."""
    return get_model(f"gguf/{model}", **({"n_threads": threads} if threads else {}))


def campaign(model: str, mutator: str, seed: int, budget: int, selection: str, log_dir: Path,
             threads: int | None) -> dict[str, Any]:
    """One ICE campaign; its summary, dropped mutants, control attributions, wall time and responses."""
    started = time.perf_counter()
    log = inspect_eval(
        ice(judge="lexical", control=True, budget=budget, seed=seed, selection=selection, cache=False,
            max_tokens=TARGET_MAX_TOKENS, mutator_max_tokens=MUTATOR_MAX_TOKENS, **QUESTION_FILTER),
        model=local(model, threads), model_roles={"mutator": local(mutator, threads)}, log_dir=str(log_dir / "logs"),
        display="none",
    )[0]
    wall = time.perf_counter() - started
    if log.status != "success" or not log.samples:
        raise RuntimeError(f"{model} seed {seed}: the eval failed: {log.error}")
    sample = log.samples[0]
    result = stored_campaign(sample.store)
    assert result is not None and sample.scores is not None
    value = IceScoreValue.from_score(sample.scores.get(ICE_SCORER))
    assert value is not None, f"{model} seed {seed}: the campaign was not scored"
    summary = value.summary
    responses = [
        {"model": model, "seed": seed, "selection": selection, "kind": "control" if r.control else "campaign",
         "template_id": r.template_id, "question_id": r.question_id, "prompt": result.prompt(r),
         "response": r.response, "status": r.status,
         "lexical_strict": (v.strict if (v := r.verdicts.get("lexical")) else None)}
        for r in result.records
    ]
    return {"model": model, "seed": seed, "selection": selection, "budget": budget, "wall": wall,
            "summary": summary.model_dump(mode="json"), "responses": responses,
            "identity_source": result.identity_source}


async def _plain_answers(model: str, threads: int | None) -> list[dict[str, Any]]:
    target = local(model, threads)
    identity = get_identity(LOCAL_MODELS[model].family)
    judge = LexicalJudge(identity, resolve_references(None, identity))
    config = GenerateConfig(temperature=0.0, max_tokens=TARGET_MAX_TOKENS, seed=0)
    rows = []
    for question in identity_questions(None, **QUESTION_FILTER):
        output = await target.generate(
            [ChatMessageSystem(content=DEFAULT_SYSTEM_PROMPT), ChatMessageUser(content=question.text)], config=config
        )
        verdict = judge.judge(question.text, output.completion)
        rows.append({"model": model, "seed": None, "selection": None, "kind": "plain", "template_id": None,
                     "question_id": question.id, "prompt": question.text, "response": output.completion,
                     "status": "ok", "lexical_strict": verdict.strict, "lexical_loose": verdict.loose})
    return rows


def baseline(model: str, threads: int | None) -> dict[str, Any]:
    """The questions asked plainly (no template), judged by the lexical judge."""
    started = time.perf_counter()
    rows = asyncio.run(_plain_answers(model, threads))
    loose, strict = Rate(), Rate()
    for row in rows:
        loose.add(row["lexical_loose"])
        strict.add(row["lexical_strict"])
    return {"model": model, "baseline": True, "wall": time.perf_counter() - started, "responses": rows,
            "questions": len(rows), "loose": loose.model_dump(), "strict": strict.model_dump()}


def _cell(rate: Rate) -> str:
    low, high = rate.interval
    if not rate.valid:
        return "n/a (0 valid)"
    return f"{rate.rate:.1%} [{low:.1%}, {high:.1%}] ({rate.positives}/{rate.valid})"


def report(results: list[dict[str, Any]], models: list[str], seeds: list[int]) -> None:
    campaigns = [r for r in results if not r.get("baseline")]
    rows = []
    for model in models:
        runs = [r for r in campaigns if r["model"] == model and r["selection"] == "mcts_explore" and r["seed"] in seeds]
        base = next((r for r in results if r.get("baseline") and r["model"] == model), None)
        if runs:
            pooled = merge_summaries([IceSummary.model_validate(r["summary"]) for r in runs])
            control = pooled.control
            rows.append([
                model, len(runs), pooled.overall.queries, _cell(pooled.overall.loose), _cell(pooled.overall.strict),
                _cell(pooled.overall.hard), pooled.overall.refusals, pooled.overall.errors,
                f"{control.attributed}/{control.answered}" if control else "-", pooled.dropped_mutants,
                f"{sum(r['wall'] for r in runs) / len(runs) / 60:.1f}",
            ])
        if base:
            rows.append([f"{model}, plain questions", "-", base["questions"], _cell(Rate(**base["loose"])),
                         _cell(Rate(**base["strict"])), "-", "-", "-", "-", "-", f"{base['wall'] / 60:.1f}"])
    print("## ICE campaigns on real models (lexical judge), pooled over the seeds, and the plain baseline\n")
    print(table(["model", "campaigns", "queries", "loose", "strict", "hard", "refusals", "errors",
                 "control attributed/answered", "dropped mutants", "wall per campaign (min)"], rows))
    search = []
    for selection in ("mcts_explore", "random"):
        runs = [r for r in campaigns if r["model"] == "qwen2.5-coder-0.5b" and r["selection"] == selection]
        if runs:
            pooled = merge_summaries([IceSummary.model_validate(r["summary"]) for r in runs])
            per_seed = ", ".join(f"{IceSummary.model_validate(r['summary']).overall.strict.positives}"
                                 for r in sorted(runs, key=lambda r: r["seed"]))
            search.append([selection, len(runs), pooled.overall.queries, _cell(pooled.overall.strict), per_seed])
    if search:
        print("\n## MCTS-Explore against random selection on qwen2.5-coder-0.5b, equal budget and seeds\n")
        print(table(["selection", "campaigns", "queries", "strict (pooled)", "strict positives per seed"], search))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--budget", type=int, default=30)
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--mutator", default="qwen2.5-coder-0.5b")
    parser.add_argument("--log-dir", type=Path, default=Path("/tmp/inspect-distill-real"))
    parser.add_argument("--skip-search", action="store_true", help="no random-selection runs")
    parser.add_argument("--threads", type=int, default=None, help="llama.cpp CPU threads per model")
    parser.add_argument("--report-only", action="store_true")
    args = parser.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    models = [m.strip() for m in args.models.split(",") if m.strip()]
    args.log_dir.mkdir(parents=True, exist_ok=True)
    results_file, responses_file = args.log_dir / "results.jsonl", args.log_dir / "responses.jsonl"
    results = [json.loads(line) for line in results_file.read_text().splitlines()] if results_file.is_file() else []
    print_header("Real local models")

    def done(**key: Any) -> bool:
        return any(all(r.get(k) == v for k, v in key.items()) for r in results)

    def keep(result: dict[str, Any]) -> None:
        results.append(result)
        with results_file.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({k: v for k, v in result.items() if k != "responses"}) + "\n")
        with responses_file.open("a", encoding="utf-8") as handle:
            for row in result["responses"]:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")

    if not args.report_only:
        jobs = [(model, seed, "mcts_explore") for seed in seeds for model in models]
        if not args.skip_search:
            jobs += [("qwen2.5-coder-0.5b", seed, "random") for seed in seeds]
        for model in models:
            if not done(model=model, baseline=True):
                keep(baseline(model, args.threads))
        for model, seed, selection in jobs:
            if not done(model=model, seed=seed, selection=selection, budget=args.budget):
                keep(campaign(model, args.mutator, seed, args.budget, selection, args.log_dir, args.threads))
                print(f"done: {model} seed {seed} {selection}", flush=True)
    report([r for r in results if r.get("baseline") or r.get("budget") == args.budget], models, seeds)


if __name__ == "__main__":
    main()
