"""How good each identity judge is on models it has not seen: leave-one-model-out on the gold sets.

Rows: the development gold set (`tests/ice/judging/data/gold_dev.jsonl`: the paper's four recorded runs,
texts read from `../shared/data/paper_ice` at run time) and the real local-model gold set (`gold_real.jsonl`:
three small local models). Every row was labelled by reading, blind to any judge (`../shared/ICE_LABELS.md`).

Judges:
    lexical            the claim grammar (no model). Its rules were written against sample 1 of the dev set,
                       so its figure there is a fit; sample 2 (drawn and labelled after the rules) and the
                       real-model rows measure it.
    hybrid             lexical, then the verifier model on the candidate passages the rules did not claim,
                       with the structural filter and the verifier's P(yes) threshold chosen by
                       leave-one-model-out: for each model, the pair (`candidates.FILTERS` x `THRESHOLDS`) with
                       the best recall at precision >= 0.97 on the OTHER models.
    hybrid[<filter>]   the same with one filter fixed and the shipped threshold, for comparison.
    verifier alone     every candidate passing the filter decided by the verifier, no lexical claims.
    classifier (LOMO)  the lexical judge, then a logistic regression on the candidates in place of the verifier,
                       trained (and its threshold chosen) on the other models' rows.
    paper              the paper's strict labels (dev rows only).

The verifier's decisions are read from `tests/ice/judging/data/verifier_decisions.jsonl` (keyed by the
sha1 of the question asked, with the verifier's P(yes); no text stored); `--live` decides the ones missing
with the verifier model (default gguf/qwen2.5-coder-0.5b, greedy, seeded, through Inspect's cache) and adds
them to the file. The pair chosen on all four models is the shipped default (`hybrid.DEFAULT_FILTER`,
`DEFAULT_THRESHOLD`); the script says so if they differ.
`--write-quality` writes the measured figures the rate correction uses (`ice/judging/quality.json`).

    python -m benchmarks.judge_gold [--live] [--write-quality] [--list]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import re
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from benchmarks.lexical_agreement import DEFAULT_DATA, TARGETS, read_rows
from benchmarks.lexical_gold import Score
from inspect_distill.ice.judging.candidates import FILTERS, Candidate, judge_candidates
from inspect_distill.ice.judging.hybrid import DEFAULT_FILTER, DEFAULT_THRESHOLD
from inspect_distill.ice.judging.lexical import LexicalJudge
from inspect_distill.ice.judging.quality import QUALITY_FILE, JudgeQuality, QualityTable
from inspect_distill.ice.judging.verdict import Verdict
from inspect_distill.ice.judging.verifier import Verifier, verifier_prompt
from inspect_distill.ice.rates import wilson_interval
from inspect_distill.identity import Identity, get_identity, resolve_references
from inspect_distill.providers.local_models import LOCAL_MODELS

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT / "tests" / "ice" / "judging" / "data"
DEV_GOLD = DATA_DIR / "gold_dev.jsonl"
REAL_GOLD = DATA_DIR / "gold_real.jsonl"
DECISIONS = DATA_DIR / "verifier_decisions.jsonl"
DEFAULT_VERIFIER = "gguf/qwen2.5-coder-0.5b"
PRECISION_FLOOR = 0.97
"""The precision a setting must keep on the other models to be chosen for a held-out one."""
THRESHOLDS = tuple(round(0.50 + 0.01 * step, 2) for step in range(21))
"""The verifier P(yes) thresholds tried (0.50 to 0.70)."""
Setting = tuple[str, float]
"""A structural filter and a P(yes) threshold."""


def question_sha1(prompt: str) -> str:
    """The key of a recorded decision: the sha1 of the question asked (no passage text is stored)."""
    return hashlib.sha1(prompt.encode("utf-8")).hexdigest()[:16]


@dataclass
class GoldRow:
    """One labelled response with its text, target and weight in its sample."""

    id: str
    model: str
    group: str
    """dev (the paper's four runs) or real (local models)."""
    sample: int
    """1: the rows the lexical rules were written against; 2: drawn and labelled after them; 3: real models."""
    prompt: str
    response: str
    strict: bool | None
    """The gold strict label (None: ambiguous, left out)."""
    weight: float
    target: Identity
    paper_strict: bool | None = None


@dataclass
class JudgedRow:
    row: GoldRow
    lexical: Verdict
    candidates: list[tuple[Candidate, Identity]] = field(default_factory=list)


def _label(value: object) -> bool | None:
    return None if value == "ambiguous" else bool(value)


def load_gold(data: Path) -> list[GoldRow]:
    """Both gold sets with their texts (dev texts from the paper's files, checked by sha1)."""
    rows: list[GoldRow] = []
    dev = [json.loads(line) for line in DEV_GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_model: dict[str, list[dict]] = defaultdict(list)
    for entry in dev:
        by_model[entry["model"]].append(entry)
    for model, entries in sorted(by_model.items()):
        recorded = read_rows(data, model)
        for entry in entries:
            source = recorded[entry["row"]]
            if hashlib.sha1(source.response.encode("utf-8")).hexdigest()[:12] != entry["sha1"]:
                raise SystemExit(f"{entry['id']}: the response no longer matches the gold set (sha1 differs)")
            rows.append(GoldRow(
                id=entry["id"], model=model, group="dev", sample=int(entry.get("sample", 1)),
                prompt=source.prompt, response=source.response, strict=_label(entry["strict"]),
                weight=entry["stratum_size"] / entry["stratum_sampled"], target=get_identity(TARGETS[model]),
                paper_strict=source.paper_strict,
            ))
    for entry in map(json.loads, REAL_GOLD.read_text(encoding="utf-8").splitlines()):
        rows.append(GoldRow(
            id=f"{entry['model']}:{entry['n']}", model=entry["model"], group="real", sample=3,
            prompt=entry["prompt"], response=entry["response"], strict=_label(entry["strict"]), weight=1.0,
            target=get_identity(LOCAL_MODELS[entry["model"]].family),
        ))
    return rows


class Decisions:
    """Recorded verifier P(yes), keyed by the sha1 of the question; live ones added with `--live`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.recorded: dict[str, float | None] = {}
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                entry = json.loads(line)
                self.recorded[entry["sha1"]] = entry["p_yes"]

    def get(self, candidate: Candidate, reference: Identity) -> float | None | str:
        """P(yes), None (the verifier failed), or "missing"."""
        return self.recorded.get(question_sha1(verifier_prompt(candidate, reference)), "missing")

    def save(self) -> None:
        lines = [json.dumps({"sha1": k, "p_yes": v}) for k, v in sorted(self.recorded.items())]
        self.path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def judge_rows(rows: list[GoldRow]) -> list[JudgedRow]:
    """The lexical verdict and every candidate (no filter) of each row."""
    judged: list[JudgedRow] = []
    judges: dict[str, LexicalJudge] = {}
    for row in rows:
        key = row.target.key
        if key not in judges:
            judges[key] = LexicalJudge(row.target, resolve_references(None, row.target))
        judge = judges[key]
        lexical = judge.judge(row.prompt, row.response)
        item = JudgedRow(row, lexical)
        if lexical.judged and not lexical.strict:  # as the hybrid judge: candidates only where lexical is not strict
            item.candidates = judge_candidates(judge, row.response)
        judged.append(item)
    return judged


async def decide_missing(judged: list[JudgedRow], decisions: Decisions, model_name: str) -> tuple[int, float]:
    """Ask the verifier every question not yet recorded; returns (calls, seconds)."""
    from inspect_ai.model import get_model

    from inspect_distill.common.models import cache_policy

    verifier = Verifier(get_model(model_name), cache_policy(True))
    pending = {}
    for item in judged:
        for candidate, reference in item.candidates:
            if decisions.get(candidate, reference) == "missing":
                pending[question_sha1(verifier_prompt(candidate, reference))] = (candidate, reference)
    started = time.monotonic()
    for number, (sha, (candidate, reference)) in enumerate(pending.items(), 1):
        p_yes, _problem = await verifier.yes_probability(candidate, reference)
        decisions.recorded[sha] = p_yes
        if number % 20 == 0 or number == len(pending):
            elapsed = time.monotonic() - started
            print(f"  verifier: {number}/{len(pending)} decided, {elapsed:.0f} s", flush=True)
            decisions.save()
    return len(pending), time.monotonic() - started


Predict = Callable[[JudgedRow], bool | None]


def hybrid(decisions: Decisions, structure: str, threshold: float = DEFAULT_THRESHOLD,
           use_lexical: bool = True) -> Predict:
    def predict(item: JudgedRow) -> bool | None:
        if use_lexical and item.lexical.strict:
            return True
        if not item.lexical.judged:
            return None
        answers = [decisions.get(c, r) for c, r in item.candidates if c.passes(structure)]
        if any(isinstance(answer, float) and answer >= threshold for answer in answers):
            return True
        if any(answer is None or answer == "missing" for answer in answers):
            return None
        return False
    return predict


@dataclass
class Counts(Score):
    """Strict TP/FP/FN/TN (weighted or not), with the unjudged rows counted apart."""

    unjudged: int = 0

    def add(self, predicted: bool | None, expected: bool, weight: float = 1.0) -> None:  # type: ignore[override]
        if predicted is None:
            self.unjudged += 1
        else:
            super().add(predicted, expected, weight)

    def __iadd__(self, other: Counts) -> Counts:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.tn += other.tn
        self.unjudged += other.unjudged
        return self

    def cell(self) -> str:
        def part(hits: float, total: float) -> str:
            if not total:
                return f"{'-':>22}"
            low, high = wilson_interval(round(hits), round(total))
            return f"{hits / total:>6.3f} [{low:.2f}, {high:.2f}]   "
        return (f"{self.tp:>4.0f} {self.fp:>4.0f} {self.fn:>4.0f} {self.tn:>4.0f}  "
                f"{part(self.tp, self.tp + self.fp)}{part(self.tp, self.tp + self.fn)}"
                + (f" unjudged {self.unjudged}" if self.unjudged else ""))


def count(items: list[JudgedRow], predict: Predict, weighted: bool = False) -> Counts:
    counts = Counts()
    for item in items:
        if item.row.strict is not None:
            counts.add(predict(item), item.row.strict, item.row.weight if weighted else 1.0)
    return counts


def choose_setting(training: list[JudgedRow], decisions: Decisions) -> Setting:
    """The (filter, threshold) with the best recall at precision >= PRECISION_FLOOR on the training rows, ties
    to the higher precision, then the stricter filter and threshold (else the best precision)."""
    scored = [((f, t), count(training, hybrid(decisions, f, t))) for f in FILTERS for t in THRESHOLDS]
    fit = [(c.recall, c.precision, FILTERS.index(s[0]), s[1]) for s, c in scored if c.precision >= PRECISION_FLOOR]
    if fit:
        best = max(fit)
        return FILTERS[best[2]], best[3]
    return max(scored, key=lambda pair: pair[1].precision)[0]


def leave_one_model_out(judged: list[JudgedRow], decisions: Decisions) -> tuple[dict[str, Setting], Predict]:
    """Per model the setting chosen on the other models' dev rows, and the predictor that uses it."""
    models = sorted({item.row.model for item in judged})
    chosen = {m: choose_setting([i for i in judged if i.row.model != m and i.row.group == "dev"], decisions)
              for m in models}
    predictors = {m: hybrid(decisions, f, t) for m, (f, t) in chosen.items()}
    return chosen, lambda item: predictors[item.row.model](item)


# -- the other design the issue names: a learned classifier in place of the verifier --------------------

FEATURES = 1 << 14


def _features(candidate: Candidate) -> np.ndarray:
    """Hashed word unigrams and bigrams of the passage, plus the structural flags (seeded, stable hashing)."""
    vector = np.zeros(FEATURES + 4)
    words = re.findall(r"\w+|[^\w\s]", candidate.text.lower())
    for gram in [*words, *(f"{a} {b}" for a, b in zip(words, words[1:]))]:
        vector[int(hashlib.md5(gram.encode("utf-8")).hexdigest()[:8], 16) % FEATURES] += 1.0
    vector[:FEATURES] /= max(1.0, float(np.linalg.norm(vector[:FEATURES])))
    vector[FEATURES:] = [candidate.passes("self"), candidate.label_only, candidate.passes("self+assert"), 1.0]
    return vector


def _fit(rows: np.ndarray, labels: np.ndarray, steps: int = 400, rate: float = 0.5, l2: float = 1e-3) -> np.ndarray:
    """Logistic regression by full-batch gradient descent from zero (deterministic)."""
    weights = np.zeros(rows.shape[1])
    for _ in range(steps):
        predicted = 1 / (1 + np.exp(-rows @ weights))
        weights -= rate * (rows.T @ (predicted - labels) / len(labels) + l2 * weights)
    return weights


def classifier_lomo(judged: list[JudgedRow]) -> Predict:
    """Leave-one-model-out: per held-out model, a classifier trained on the other models' candidates (each
    labelled with its row's gold strict label) and a threshold with the best recall at precision >= 0.97 on
    those rows; a row is strict when the lexical judge says so or any candidate scores above the threshold."""
    features = {id(c): _features(c) for i in judged for c, _ in i.candidates}
    predictors: dict[str, Callable[[JudgedRow], bool | None]] = {}
    for model in sorted({i.row.model for i in judged}):
        training = [i for i in judged if i.row.model != model and i.row.strict is not None]
        pairs = [(features[id(c)], float(bool(i.row.strict))) for i in training for c, _ in i.candidates]
        if not pairs:
            predictors[model] = lambda item: bool(item.lexical.strict) if item.lexical.judged else None
            continue
        weights = _fit(np.array([p for p, _ in pairs]), np.array([y for _, y in pairs]))

        def best(item: JudgedRow, weights: np.ndarray = weights) -> float:
            scores = [float(1 / (1 + np.exp(-features[id(c)] @ weights))) for c, _ in item.candidates]
            return max(scores, default=0.0)

        def rule(threshold: float, weights: np.ndarray = weights) -> Predict:
            return lambda item: (bool(item.lexical.strict) or best(item, weights) > threshold
                                 if item.lexical.judged else None)

        scored = [(t, count(training, rule(t))) for t in np.linspace(0.05, 0.95, 19)]
        fit = [(c.recall, c.precision, t) for t, c in scored if c.precision >= PRECISION_FLOOR]
        threshold = max(fit)[2] if fit else 0.95
        predictors[model] = rule(threshold)
    return lambda item: predictors[item.row.model](item)


HEADER = f"{'':<32} {'TP':>4} {'FP':>4} {'FN':>4} {'TN':>4}  {'precision [95%]':<22}{'recall [95%]':<22}"


def table(title: str, judged: list[JudgedRow], judges: dict[str, Predict], weighted: bool = False) -> dict[str, Counts]:
    print(f"\n## {title}")
    print(HEADER)
    models = sorted({item.row.model for item in judged})
    pooled: dict[str, Counts] = {}
    for name, predict in judges.items():
        total = Counts()
        for model in models:
            counts = count([i for i in judged if i.row.model == model], predict, weighted)
            total += counts
            print(f"{name + ' | ' + model:<32} {counts.cell()}")
        pooled[name] = total
        print(f"{name + ' | POOLED':<32} {total.cell()}")
    return pooled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with attack_*.jsonl, strict_*.csv")
    parser.add_argument("--live", action="store_true", help="decide missing questions with the verifier model")
    parser.add_argument("--verifier", default=DEFAULT_VERIFIER)
    parser.add_argument("--write-quality", action="store_true", help=f"write {QUALITY_FILE.name}")
    parser.add_argument("--list", action="store_true", help="list the hybrid's misses and false positives")
    args = parser.parse_args()

    rows = load_gold(args.data)
    judged = judge_rows(rows)
    decisions = Decisions(DECISIONS)
    questions = {question_sha1(verifier_prompt(c, r)) for i in judged for c, r in i.candidates}
    print(f"# Identity judges against the gold sets: {len(rows)} rows "
          f"({sum(r.group == 'dev' for r in rows)} dev, {sum(r.group == 'real' for r in rows)} real), "
          f"{len(questions)} verifier questions ({sum(q not in decisions.recorded for q in questions)} not recorded)")
    if args.live:
        calls, seconds = asyncio.run(decide_missing(judged, decisions, args.verifier))
        decisions.save()
        if calls:
            print(f"verifier: {calls} calls in {seconds:.0f} s ({seconds / calls:.2f} s per call)")

    chosen, lomo = leave_one_model_out(judged, decisions)
    print("\nfilter and P(yes) threshold chosen per held-out model (on the other models' dev rows): "
          + ", ".join(f"{m} {f} {t:.2f}" for m, (f, t) in chosen.items()))
    shipped = choose_setting([i for i in judged if i.row.group == "dev"], decisions)
    same = shipped == (DEFAULT_FILTER, DEFAULT_THRESHOLD)
    print(f"chosen on all four models: {shipped[0]} {shipped[1]:.2f} "
          + ("(the shipped default)" if same else
             f"-- DIFFERS from the shipped default {DEFAULT_FILTER} {DEFAULT_THRESHOLD}: update hybrid.py"))
    judges: dict[str, Predict] = {
        "lexical": lambda i: bool(i.lexical.strict) if i.lexical.judged else None,
        "hybrid (LOMO)": lomo,
        **{f"hybrid[{f}]": hybrid(decisions, f) for f in FILTERS},
        "verifier alone[self]": hybrid(decisions, "self", use_lexical=False),
        f"hybrid[{DEFAULT_FILTER}, P(yes) 0.50]": hybrid(decisions, DEFAULT_FILTER, 0.5),
        "classifier (LOMO)": classifier_lomo(judged),
    }
    dev = [i for i in judged if i.row.group == "dev"]
    paper = {"paper": lambda i: i.row.paper_strict}
    pooled_dev = table("development gold set, leave-one-model-out (raw counts)", dev, {**judges, **paper})
    table("development gold set, sample 2 only (drawn and labelled after the lexical rules)",
          [i for i in dev if i.row.sample == 2], judges)
    table("development gold set, sample 1 only (the lexical rules were written here: a fit)",
          [i for i in dev if i.row.sample == 1], judges)
    table("real local models (every distinct answer)", [i for i in judged if i.row.group == "real"], judges)
    measured = [i for i in judged if i.row.sample >= 2]
    after = table("rows labelled after the rules (dev sample 2 + real), weighted by stratum", measured,
                  {"lexical": judges["lexical"], "hybrid (LOMO)": lomo}, weighted=True)

    calls = sum(len({(c.text, r.key) for c, r in i.candidates if c.passes(chosen[i.row.model][0])}) for i in judged)
    print(f"\nverifier questions under the chosen filters: {calls} for {len(judged)} responses "
          f"({1000 * calls / len(judged):.0f} per 1,000)")
    print(f"pooled dev LOMO: hybrid P {pooled_dev['hybrid (LOMO)'].precision:.3f} R {pooled_dev['hybrid (LOMO)'].recall:.3f}; "
          f"lexical P {pooled_dev['lexical'].precision:.3f} R {pooled_dev['lexical'].recall:.3f}")

    if args.write_quality:
        raw_after = {name: count(measured, predict) for name, predict in
                     (("lexical", judges["lexical"]), ("hybrid", lomo))}
        table_ = QualityTable(
            measured_on=f"{len(measured)} gold rows labelled after the lexical rules (dev sample 2, real models); "
                        f"hybrid filter and threshold chosen leave-one-model-out; {date.today().isoformat()}",
            command="python -m benchmarks.judge_gold --write-quality",
            judges={
                name: JudgeQuality(
                    precision=after[name if name == "lexical" else "hybrid (LOMO)"].precision,
                    recall=after[name if name == "lexical" else "hybrid (LOMO)"].recall,
                    predicted=round(raw.tp + raw.fp), positives=round(raw.tp + raw.fn),
                    tp=round(raw.tp), fp=round(raw.fp), fn=round(raw.fn),
                )
                for name, raw in raw_after.items()
            },
        )
        QUALITY_FILE.write_text(table_.model_dump_json(indent=2) + "\n", encoding="utf-8")
        print(f"wrote {QUALITY_FILE}")

    if args.list:
        for item in dev + [i for i in judged if i.row.group == "real"]:
            predicted, expected = lomo(item), item.row.strict
            if expected is None or predicted is None or predicted == expected:
                continue
            kind = "MISS" if expected else "FALSE POSITIVE"
            passages = "; ".join(c.text[-160:] for c, _ in item.candidates if c.passes(chosen[item.row.model][0]))
            print(f"- {kind} {item.row.id} (sample {item.row.sample}): {passages or item.lexical.reason}")


if __name__ == "__main__":
    main()
