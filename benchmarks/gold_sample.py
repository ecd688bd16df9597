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

`--extend` draws a second sample (`sample: 2` in the gold set) from the rows not yet in the gold set, in
strata that reach the rows no current judge flags, where hidden misses live:

    flagged   the paper's strict label or the lexical judge says strict
    named     neither flags it, but the response names a reference family or model (OpenAI, GPT, Claude, ...)
    plain     neither flags it and it names no reference

    python -m benchmarks.gold_sample --extend [--out build/gold_sample2] [--per-model 105]
    python -m benchmarks.gold_sample --merge --out build/gold_sample2 --append
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from collections import Counter
from pathlib import Path

from benchmarks.lexical_agreement import DEFAULT_DATA, TARGETS, read_rows
from benchmarks.lexical_gold import REFERENCE_NAMES
from inspect_distill.ice.judging.lexical import LexicalJudge
from inspect_distill.ice.paper_import import read_attack_rows
from inspect_distill.identity import get_identity, resolve_references

REPO_ROOT = Path(__file__).resolve().parents[1]
STRATA = ("both_pos", "both_neg", "paper_only", "lexical_only")
AGREEMENT = ("both_pos", "both_neg")
DEFAULT_OUT = REPO_ROOT / "build" / "gold_sample"
DEFAULT_GOLD = REPO_ROOT / "tests" / "ice" / "judging" / "data" / "gold_dev.jsonl"
GOLD_FIELDS = ("id", "model", "row", "strict", "loose", "flags", "reference", "reason",
               "stratum", "stratum_size", "stratum_sampled", "sha1", "sample")
EXTENSION_STRATA = ("flagged", "named", "plain")
EXTENSION_SHARE = {"flagged": 0.3, "named": 0.5, "plain": 0.2}
"""Share of each model's extension rows per stratum; a stratum too small gives its rest to `named`."""


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
                "cell2": extension_cell(row.paper_strict, bool(verdict.strict), row.response),
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


def extension_cell(paper: bool, lexical: bool, response: str) -> str:
    if paper or lexical:
        return "flagged"
    return "named" if REFERENCE_NAMES.search(response) else "plain"


def choose_extension(population: dict[str, list[dict]], taken: set[str], per_model: int, seed: int) -> list[dict]:
    """Per model, `per_model` rows not yet in the gold set, split over the extension strata by EXTENSION_SHARE."""
    rng = random.Random(seed)
    chosen: list[dict] = []
    for _model, rows in sorted(population.items()):
        cells = {s: [r for r in rows if r["cell2"] == s and r["id"] not in taken] for s in EXTENSION_STRATA}
        quota = {s: min(len(cells[s]), round(per_model * EXTENSION_SHARE[s])) for s in EXTENSION_STRATA}
        spare = per_model - sum(quota.values())
        for stratum in ("named", "plain", "flagged"):
            extra = min(spare, len(cells[stratum]) - quota[stratum])
            quota[stratum] += extra
            spare -= extra
        for stratum in EXTENSION_STRATA:
            order = list(cells[stratum])
            rng.shuffle(order)
            for row in order[: quota[stratum]]:
                chosen.append({**row, "stratum": stratum, "stratum_size": len(cells[stratum]),
                               "stratum_sampled": quota[stratum]})
    return chosen


def merge(out: Path, gold: Path, append: bool = False) -> None:
    """Join <out>/labels.jsonl with <out>/strata.jsonl into the gold file (rows sorted by model, row).

    With `append` the rows are added to the gold file's rows (an id already there is an error).
    """
    strata = {r["id"]: r for r in map(json.loads, (out / "strata.jsonl").read_text(encoding="utf-8").splitlines())}
    labels = {r["id"]: r for r in map(json.loads, (out / "labels.jsonl").read_text(encoding="utf-8").splitlines())}
    missing = sorted(set(strata) - set(labels))
    unknown = sorted(set(labels) - set(strata))
    if unknown:
        raise SystemExit(f"labels for rows not in the sample: {unknown[:5]}")
    existing = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines()] if append else []
    clash = sorted({r["id"] for r in existing} & set(labels))
    if clash:
        raise SystemExit(f"rows already in {gold}: {clash[:5]}")
    merged = [{"sample": 1, **r} for r in existing]
    for id_, stratum in strata.items():
        if id_ in labels:
            merged.append({"sample": 1, **stratum, **labels[id_]})
    merged.sort(key=lambda r: (r["model"], r["row"]))
    gold.parent.mkdir(parents=True, exist_ok=True)
    with gold.open("w", encoding="utf-8") as handle:
        for row in merged:
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
    parser.add_argument("--extend", action="store_true", help="a second sample from rows not yet in --gold")
    parser.add_argument("--per-model", type=int, default=105, help="rows per model with --extend")
    parser.add_argument("--append", action="store_true", help="with --merge: add to the rows already in --gold")
    args = parser.parse_args()
    if args.merge:
        merge(args.out, args.gold, append=args.append)
        return

    population = classify(args.data)
    if args.extend:
        taken = {json.loads(line)["id"] for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()}
        chosen = choose_extension(population, taken, args.per_model, args.seed + 2)
        for row in chosen:
            row["sample"] = 2
    else:
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
                                     "sha1": sha1(r["response"]), "sample": r.get("sample", 1)}) + "\n")

    strata = EXTENSION_STRATA if args.extend else STRATA
    sizes = Counter((r["model"], r["stratum_size"], r["stratum"]) for r in chosen)
    sampled = Counter((r["model"], r["stratum"]) for r in chosen)
    size_of = {(m, s): n for (m, n, s) in sizes}
    print(f"{'model':<28} " + " ".join(f"{s:>17}" for s in strata))
    for model in TARGETS:
        print(f"{model:<28} " + " ".join(f"{sampled[(model, s)]:>7} of {size_of.get((model, s), 0):>6}"
                                         for s in strata))
    print(f"\n{len(chosen)} rows chosen; wrote {args.out}/blind.jsonl, templates.jsonl, strata.jsonl")


if __name__ == "__main__":
    main()
