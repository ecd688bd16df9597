"""Choose the rows of the ICE development gold set: a stratified sample of the paper's four recorded runs.

Each of the 4,000 rows (four models x 1000) falls in one cell of (paper strict label, lexical strict verdict):

    both_pos      paper strict and lexical strict agree: positive
    both_neg      agree: negative
    paper_only    the row is in strict_<model>.csv, the lexical judge says no
    lexical_only  the lexical judge says strict, the row is not in strict_<model>.csv

Every disagreeing row is taken; each agreement cell of each model is sampled at random with a fixed seed
(at least `--per-cell` rows where the cell has that many, more when needed to reach `--min-total`). The
sizes give the weights (stratum_size / stratum_sampled) for precision and recall over the whole population.

Three files are written, so that labelling can be done blind:

    blind.jsonl      id, model, row, template_id, query, response  (shuffled; no verdict, no stratum)
    templates.jsonl  template_id, model, text                      (the 20 templates of each run)
    strata.jsonl     id, model, row, stratum, stratum_size, stratum_sampled, sha1  (read only after labelling)

    python -m benchmarks.gold_sample [--data ../shared/data/paper_ice] [--out build/gold_sample]

After labelling (labels written to <out>/labels.jsonl: id, strict, loose, flags, reference, reason), join
the labels with the strata into the gold set, without showing either:

    python -m benchmarks.gold_sample --merge [--gold tests/ice/judging/data/gold_dev.jsonl]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from collections import Counter
from pathlib import Path

from benchmarks.lexical_agreement import DEFAULT_DATA, TARGETS, read_rows
from inspect_distill.ice.judging.lexical import LexicalJudge
from inspect_distill.ice.paper_import import read_attack_rows
from inspect_distill.identity import get_identity, resolve_references

REPO_ROOT = Path(__file__).resolve().parents[1]
STRATA = ("both_pos", "both_neg", "paper_only", "lexical_only")
AGREEMENT = ("both_pos", "both_neg")
DEFAULT_OUT = REPO_ROOT / "build" / "gold_sample"
DEFAULT_GOLD = REPO_ROOT / "tests" / "ice" / "judging" / "data" / "gold_dev.jsonl"
GOLD_FIELDS = ("id", "model", "row", "strict", "loose", "flags", "reference", "reason",
               "stratum", "stratum_size", "stratum_sampled", "sha1")


def sha1(text: str) -> str:
    """Short fingerprint of a response, stored in the gold set to check the row still matches the file."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def cell(paper: bool, lexical: bool) -> str:
    if paper and lexical:
        return "both_pos"
    if paper:
        return "paper_only"
    if lexical:
        return "lexical_only"
    return "both_neg"


def classify(data: Path) -> dict[str, list[dict]]:
    """Per model, every row with its template index and (paper strict, lexical strict) cell.

    The paper labels and responses come from `lexical_agreement.read_rows` (which also checks the strict
    counts); the raw query from `recorded.read_attack_rows`, since read_rows keeps only the filled prompt.
    """
    out: dict[str, list[dict]] = {}
    for model, preset in TARGETS.items():
        target = get_identity(preset)
        judge = LexicalJudge(target, resolve_references(None, target))
        templates: dict[str, int] = {}
        rows = []
        raw_rows = read_attack_rows(data / f"attack_{model}.jsonl")
        for index, (row, raw) in enumerate(zip(read_rows(data, model), raw_rows, strict=True)):
            verdict = judge.judge(row.prompt, row.response)
            tid = templates.setdefault(row.template, len(templates))
            rows.append({
                "id": f"{model}:{index}", "model": model, "row": index, "template": row.template,
                "template_id": f"{model}:t{tid}", "query": str(raw["query"]),
                "response": row.response, "stratum": cell(row.paper_strict, bool(verdict.strict)),
            })
        out[model] = rows
    return out


def choose(population: dict[str, list[dict]], per_cell: int, min_total: int, seed: int) -> list[dict]:
    """Every disagreeing row, plus the same number k >= per_cell of each agreement cell (fewer if smaller)."""
    rng = random.Random(seed)
    cells = {(m, s): [r for r in rows if r["stratum"] == s] for m, rows in population.items() for s in STRATA}
    disagree = sum(len(v) for (m, s), v in cells.items() if s not in AGREEMENT)
    k = per_cell
    while disagree + sum(min(k, len(v)) for (m, s), v in cells.items() if s in AGREEMENT) < min_total:
        k += 1
    # one shuffle per cell (in a fixed order), so a larger k extends a smaller one's sample
    chosen: list[dict] = []
    for (_, stratum), members in sorted(cells.items()):
        order = list(members)
        rng.shuffle(order)
        picked = order if stratum not in AGREEMENT else order[:k]
        for row in picked:
            chosen.append({**row, "stratum_size": len(members), "stratum_sampled": len(picked)})
    return chosen


def merge(out: Path, gold: Path) -> None:
    """Join <out>/labels.jsonl with <out>/strata.jsonl into the gold file (rows sorted by model, row)."""
    strata = {r["id"]: r for r in map(json.loads, (out / "strata.jsonl").read_text(encoding="utf-8").splitlines())}
    labels = {r["id"]: r for r in map(json.loads, (out / "labels.jsonl").read_text(encoding="utf-8").splitlines())}
    missing = sorted(set(strata) - set(labels))
    unknown = sorted(set(labels) - set(strata))
    if unknown:
        raise SystemExit(f"labels for rows not in the sample: {unknown[:5]}")
    gold.parent.mkdir(parents=True, exist_ok=True)
    with gold.open("w", encoding="utf-8") as handle:
        for id_, stratum in sorted(strata.items(), key=lambda item: (item[1]["model"], item[1]["row"])):
            if id_ in labels:
                row = {**stratum, **labels[id_]}
                handle.write(json.dumps({k: row[k] for k in GOLD_FIELDS}, ensure_ascii=False) + "\n")
    print(f"wrote {gold}: {len(labels)} labelled rows" + (f", {len(missing)} still unlabelled" if missing else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with attack_*.jsonl, strict_*.csv")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for blind/templates/strata files")
    parser.add_argument("--per-cell", type=int, default=25, help="least rows per (model, agreement cell)")
    parser.add_argument("--min-total", type=int, default=420, help="least rows in all")
    parser.add_argument("--seed", type=int, default=20250119)
    parser.add_argument("--merge", action="store_true", help="join <out>/labels.jsonl and strata into --gold")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold file written by --merge")
    args = parser.parse_args()
    if args.merge:
        merge(args.out, args.gold)
        return

    population = classify(args.data)
    chosen = choose(population, args.per_cell, args.min_total, args.seed)

    args.out.mkdir(parents=True, exist_ok=True)
    shuffled = sorted(chosen, key=lambda r: hashlib.sha1(f"{args.seed}:{r['id']}".encode()).hexdigest())
    with (args.out / "blind.jsonl").open("w", encoding="utf-8") as handle:
        for r in shuffled:
            handle.write(json.dumps({k: r[k] for k in ("id", "model", "row", "template_id", "query", "response")},
                                    ensure_ascii=False) + "\n")
    with (args.out / "templates.jsonl").open("w", encoding="utf-8") as handle:
        seen: set[str] = set()
        for rows in population.values():
            for r in rows:
                if r["template_id"] not in seen:
                    seen.add(r["template_id"])
                    handle.write(json.dumps({"template_id": r["template_id"], "model": r["model"],
                                             "text": r["template"]}, ensure_ascii=False) + "\n")
    with (args.out / "strata.jsonl").open("w", encoding="utf-8") as handle:
        for r in sorted(chosen, key=lambda r: (r["model"], r["row"])):
            handle.write(json.dumps({"id": r["id"], "model": r["model"], "row": r["row"], "stratum": r["stratum"],
                                     "stratum_size": r["stratum_size"], "stratum_sampled": r["stratum_sampled"],
                                     "sha1": sha1(r["response"])}) + "\n")

    sizes = Counter((r["model"], r["stratum"]) for rows in population.values() for r in rows)
    sampled = Counter((r["model"], r["stratum"]) for r in chosen)
    print(f"{'model':<28} " + " ".join(f"{s:>17}" for s in STRATA))
    for model in TARGETS:
        print(f"{model:<28} " + " ".join(f"{sampled[(model, s)]:>7} of {sizes[(model, s)]:>6}" for s in STRATA))
    print(f"\n{len(chosen)} rows chosen; wrote {args.out}/blind.jsonl, templates.jsonl, strata.jsonl")


if __name__ == "__main__":
    main()
