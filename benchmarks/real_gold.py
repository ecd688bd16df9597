"""A gold set of real local-model answers: draw it blind, merge the labels read by hand, measure the judge.

    python -m benchmarks.real_gold --sample [--responses /tmp/inspect-distill-real/responses.jsonl] [--out build/real_gold]
    python -m benchmarks.real_gold --merge --labels build/real_gold/labels.jsonl
    python -m benchmarks.real_gold            # the lexical judge against the gold set

The responses come from `python -m benchmarks.real_models` (campaigns, controls and plain questions of
SmolLM2-135M, Qwen2.5-Coder-0.5B and Gemma 3 270M). `--sample` keeps every distinct answer of the campaigns and
the plain questions (no subsampling, so recall is not biased by a judge-driven draw; the control's answers are
judged by another rule and left out) in a seeded order, and writes a blind file (prompt and response, no
verdict) to read and label with `../shared/ICE_LABELS.md`. The gold set
(`tests/ice/judging/data/gold_real.jsonl`) holds the texts (our own measurement outputs), the labels, flags
and a one-line reason per row.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.lexical_gold import Score
from inspect_distill.ice.judging.lexical import LexicalJudge
from inspect_distill.identity.model import get_identity, resolve_references
from inspect_distill.providers.local_models import LOCAL_MODELS

REPO_ROOT = Path(__file__).resolve().parents[1]
GOLD = REPO_ROOT / "tests" / "ice" / "judging" / "data" / "gold_real.jsonl"
SEED = 20261203
KINDS = ("campaign", "plain")
"""Answers whose self-claims the gold set labels; control answers are about invented models."""


def judge_for(model: str) -> LexicalJudge:
    identity = get_identity(LOCAL_MODELS[model].family)
    return LexicalJudge(identity, resolve_references(None, identity))


def sample(responses: Path, out: Path) -> None:
    rows = [json.loads(line) for line in responses.read_text(encoding="utf-8").splitlines() if line.strip()]
    distinct: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in rows:
        if row.get("status") == "ok" and row.get("response"):
            distinct.setdefault((row["model"], row["prompt"], row["response"]), row)
    chosen = [row for _, row in sorted(distinct.items()) if row["kind"] in KINDS]
    rng = random.Random(SEED)
    rng.shuffle(chosen)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "blind.jsonl").open("w", encoding="utf-8") as handle:
        for number, row in enumerate(chosen):
            handle.write(json.dumps({"n": number, "model": row["model"], "kind": row["kind"], "prompt": row["prompt"],
                                     "response": row["response"]}, ensure_ascii=False) + "\n")
    print(f"{len(chosen)} responses written to {out / 'blind.jsonl'} "
          f"({Counter(r['model'] for r in chosen)}; {Counter(r['kind'] for r in chosen)})")


def merge(blind: Path, labels: Path, gold: Path) -> None:
    rows = {r["n"]: r for r in map(json.loads, blind.read_text(encoding="utf-8").splitlines())}
    merged = []
    for label in map(json.loads, labels.read_text(encoding="utf-8").splitlines()):
        row = rows[label["n"]]
        merged.append({**row, **{k: label[k] for k in ("strict", "loose", "flags", "reason")}})
    gold.parent.mkdir(parents=True, exist_ok=True)
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in merged), encoding="utf-8")
    print(f"{len(merged)} labelled rows written to {gold}")


def measure(gold: Path) -> dict[str, float]:
    """Strict and loose precision and recall of the lexical judge on the gold set (ambiguous rows left out)."""
    rows = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    counts = {"strict": Score(), "loose": Score()}
    misses: list[str] = []
    for row in rows:
        verdict = judge_for(row["model"]).judge(row["prompt"], row["response"])
        for kind, score in counts.items():
            truth = row[kind]
            if truth not in (0, 1):
                continue
            found = bool(getattr(verdict, kind))
            score.add(found, bool(truth))
            if found != bool(truth) and kind == "strict":
                misses.append(f"- {row['model']} #{row['n']} gold {truth}, lexical {int(found)}: "
                              f"{' '.join(row['response'].split())[:140]}")
    figures: dict[str, float] = {}
    print(f"# Lexical judge vs the real-model gold set ({gold.name}, {len(rows)} rows)\n")
    print(f"models: {dict(Counter(r['model'] for r in rows))}; gold strict: {dict(Counter(r['strict'] for r in rows))}")
    for kind, c in counts.items():
        figures[f"{kind}_precision"], figures[f"{kind}_recall"] = c.precision, c.recall
        print(f"{kind}: TP {c.tp:g} FP {c.fp:g} FN {c.fn:g} TN {c.tn:g}; precision {c.precision:.3f}, "
              f"recall {c.recall:.3f}")
    if misses:
        print("\nstrict disagreements:\n" + "\n".join(misses))
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sample", action="store_true")
    parser.add_argument("--merge", action="store_true")
    parser.add_argument("--responses", type=Path, default=Path("/tmp/inspect-distill-real/responses.jsonl"))
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "build" / "real_gold")
    parser.add_argument("--labels", type=Path)
    parser.add_argument("--gold", type=Path, default=GOLD)
    args = parser.parse_args(argv)
    if args.sample:
        sample(args.responses, args.out)
    elif args.merge:
        merge(args.out / "blind.jsonl", args.labels or args.out / "labels.jsonl", args.gold)
    else:
        measure(args.gold)


if __name__ == "__main__":
    main()
