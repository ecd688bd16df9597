"""Report tables from a `LogSet`: ICE per model, category and language, judge agreement; RSE per model and dataset.

Every table has numeric data (written as CSV) and a formatted view (Markdown and HTML). ICE campaigns of
the same model (epochs, several logs) are pooled by adding counts (`merge_summaries`), as the ICE metrics do.
Rates are over valid judged queries with 95% Wilson intervals; `*_paper` divides by the budget, as the paper.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from inspect_distill.common.names import primary_judge
from inspect_distill.ice.judging.quality import corrected_rate
from inspect_distill.ice.questions import CATEGORIES, LANGUAGES
from inspect_distill.ice.rates import KINDS, RECORDED, IceSummary, RateTable, merge_summaries
from inspect_distill.report.read import LogSet
from inspect_distill.rse.keys import NGRAM, OVERALL, PER_DATASET, ROUGE_L, SCORE_KEYS, SWAP_KEY
from inspect_distill.rse.metrics import unweighted_mean
from inspect_distill.rse.prompt_sets import PROMPT_SETS

AVG = "avg"
RSE = PER_DATASET[OVERALL]
"""Prefix of the RSE columns (`rse_<dataset>`, `rse_avg`), as the metrics name them."""


@dataclass
class Table:
    """One report table: numeric data for CSV, a formatted view for Markdown and HTML."""

    name: str
    title: str
    description: str
    data: pd.DataFrame
    view: pd.DataFrame

    @property
    def empty(self) -> bool:
        return bool(self.data.empty)

    def markdown(self) -> str:
        return f"## {self.title}\n\n{self.description}\n\n{markdown_table(self.view)}\n"

    def write(self, out: Path) -> tuple[Path, Path]:
        """Write `<name>.csv` (numeric) and `<name>.md` (formatted) into `out`."""
        csv_path, md_path = out / f"{self.name}.csv", out / f"{self.name}.md"
        self.data.to_csv(csv_path, index=False)
        md_path.write_text(self.markdown(), encoding="utf-8")
        return csv_path, md_path


def markdown_table(frame: pd.DataFrame) -> str:
    """A GitHub Markdown table of string cells (pipes escaped)."""
    if frame.empty:
        return "(no rows)"

    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(c) for c in frame.columns) + " |",
             "|" + "|".join("---" for _ in frame.columns) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def fmt(value: float, digits: int = 3) -> str:
    """A number for reading: fixed digits, an en dash when missing."""
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.{digits}f}"


# -- ICE ------------------------------------------------------------------------------------------


@dataclass
class IcePool:
    """One model's campaigns under one verdict source, pooled."""

    model: str
    judge: str
    campaigns: int
    summary: IceSummary
    logs: list[str]


def ice_pools(logs: LogSet) -> list[IcePool]:
    """Per (model, verdict source): the pooled summary. Imports also give the recorded verdicts' pool."""
    pools: list[IcePool] = []
    if logs.ice.empty:
        return pools
    for model, rows in logs.ice.groupby("tested_model", sort=True):
        sources: dict[str, list[IceSummary]] = {}
        for summary, recorded in zip(rows["summary"], rows["recorded"]):
            sources.setdefault(summary.judge, []).append(summary)
            if recorded is not None:
                sources.setdefault(RECORDED, []).append(recorded)
        for judge, summaries in sources.items():
            merged = merge_summaries(summaries)
            pools.append(IcePool(model=str(model), judge=judge, campaigns=len(summaries), summary=merged,
                                 logs=sorted(set(rows["log"]))))
    return pools


def primary_pools(pools: Iterable[IcePool]) -> list[IcePool]:
    """The pools of each model's own judges (not the recorded verdicts of an import)."""
    return [pool for pool in pools if pool.judge != RECORDED]


def headline_pools(pools: Iterable[IcePool]) -> list[IcePool]:
    """One pool per model: its LLM judge's when it has one (the headline judge), else its other judge's."""
    by_model: dict[str, dict[str, IcePool]] = {}
    for pool in primary_pools(pools):
        by_model.setdefault(pool.model, {})[pool.judge] = pool
    return [judges[primary_judge(list(judges))] for judges in by_model.values()]


def _rate_columns(table: RateTable) -> dict[str, float]:
    row: dict[str, float] = {}
    for kind in KINDS:
        rate = getattr(table, kind)
        low, high = rate.interval
        row |= {f"{kind}_positives": rate.positives, f"{kind}_valid": rate.valid, kind: rate.rate,
                f"{kind}_ci_low": low, f"{kind}_ci_high": high, f"{kind}_paper": rate.paper_rate}
    return row


def _counts(table: RateTable) -> dict[str, int]:
    return {"queries": table.queries, "errors": table.errors, "refusals": table.refusals, "unjudged": table.unjudged}


def _rate_cell(row: pd.Series, kind: str) -> str:
    return (f"{fmt(row[kind])} [{fmt(row[f'{kind}_ci_low'], 2)}, {fmt(row[f'{kind}_ci_high'], 2)}] "
            f"({int(row[f'{kind}_positives'])}/{int(row[f'{kind}_valid'])})")


def _corrected_columns(judge: str, table: RateTable) -> dict[str, float]:
    corrected = corrected_rate(judge, table.strict.positives, table.strict.valid)
    if corrected is None:
        return {"strict_corrected": math.nan, "strict_corrected_low": math.nan, "strict_corrected_high": math.nan}
    return {"strict_corrected": corrected.corrected, "strict_corrected_low": corrected.low,
            "strict_corrected_high": corrected.high}


def _corrected_cell(row: pd.Series) -> str:
    if math.isnan(row["strict_corrected"]):
        return "not measured"
    return (f"{fmt(row['strict_corrected'])} [{fmt(row['strict_corrected_low'], 2)}, "
            f"{fmt(row['strict_corrected_high'], 2)}]")


def ice_model_table(pools: list[IcePool]) -> Table:
    rows = []
    for pool in pools:
        s = pool.summary
        rows.append({"model": pool.model, "judge": pool.judge, "campaigns": pool.campaigns, "budget": s.budget,
                     **_counts(s.overall), "dropped_mutants": s.dropped_mutants, **_rate_columns(s.overall),
                     **_corrected_columns(pool.judge, s.overall)})
    data = pd.DataFrame(rows)
    view = pd.DataFrame()
    if not data.empty:
        view = pd.DataFrame({
            "model": data["model"], "judge": data["judge"], "campaigns": data["campaigns"],
            **{f"{kind} [95% CI] (pos/valid)": data.apply(_rate_cell, axis=1, kind=kind) for kind in KINDS},
            "strict corrected for judge error [95%]": data.apply(_corrected_cell, axis=1),
            **{f"{kind} paper": data[f"{kind}_paper"].map(fmt) for kind in KINDS},
            "queries": data["queries"], "errors": data["errors"], "refusals": data["refusals"],
            "unjudged": data["unjudged"], "dropped mutants": data["dropped_mutants"],
        })
    return Table(
        name="ice_models",
        title="ICE per model",
        description=("Loose, strict and hard identity leaks over valid judged queries, with 95% Wilson intervals "
                     "and counts; `paper` = positives / budget, the paper's rate. Errors, refusals and unjudged "
                     "queries are counted apart and kept out of the rates. Judge `recorded` = the verdicts stored "
                     "in an imported run (the paper's gpt-4o-mini judge). `strict corrected` = strict x precision / "
                     "recall of that judge as measured on the gold set (`python -m benchmarks.judge_gold`), with an "
                     "interval that carries the uncertainty of all three: an estimate that assumes the judge errs on "
                     "this model as it did on the gold set; `not measured` for a judge without a measurement."),
        data=data,
        view=view,
    )


def _group_order(names: Iterable[str], order: tuple[str, ...]) -> list[str]:
    names = set(names)
    return [n for n in order if n in names] + sorted(names - set(order))


def ice_group_table(pools: list[IcePool], group: str) -> Table:
    """`group` = by_category or by_language."""
    order = CATEGORIES if group == "by_category" else LANGUAGES
    label = "category" if group == "by_category" else "language"
    rows = []
    for pool in pools:
        tables: dict[str, RateTable] = getattr(pool.summary, group)
        for name in _group_order(tables, order):
            rows.append({"model": pool.model, "judge": pool.judge, label: name, **_counts(tables[name]),
                         **_rate_columns(tables[name])})
    data = pd.DataFrame(rows)
    view = pd.DataFrame()
    if not data.empty:
        view = pd.DataFrame({
            "model": data["model"], "judge": data["judge"], label: data[label],
            **{f"{kind} (pos/valid)": data.apply(
                lambda r, k=kind: f"{fmt(r[k])} ({int(r[f'{k}_positives'])}/{int(r[f'{k}_valid'])})", axis=1)
               for kind in KINDS},
            "queries": data["queries"], "errors": data["errors"], "refusals": data["refusals"],
            "unjudged": data["unjudged"],
        })
    return Table(
        name=f"ice_{label}",
        title=f"ICE per {label}",
        description=f"The same rates per question {label} (pooled over each model's campaigns).",
        data=data,
        view=view,
    )


def ice_agreement_table(pools: list[IcePool]) -> Table:
    """Judge agreement where two verdict sources judged the same rows (judge=both, or an import)."""
    rows = []
    for pool in primary_pools(pools):
        for a in pool.summary.agreements:  # pooled over the model's campaigns by `merge_summaries`
            rows.append({"model": pool.model, "first": a.first, "second": a.second, "kind": a.kind,
                         "both_judged": a.both_judged, "agree": a.agree, "both_positive": a.true_positive,
                         "first_only": len(a.first_only), "second_only": len(a.second_only),
                         "agreement": a.rate, "precision": a.precision, "recall": a.recall})
    data = pd.DataFrame(rows)
    view = pd.DataFrame()
    if not data.empty:
        view = data.assign(**{c: data[c].map(fmt) for c in ("agreement", "precision", "recall")})
    return Table(
        name="ice_agreement",
        title="ICE judge agreement",
        description=("Where two verdict sources judged the same queries (judge=both: llm vs lexical; an import: "
                     "its judge vs the recorded verdicts). `first_only` / `second_only` = queries positive for "
                     "one source only; precision = share of the first source's positives the second confirms, "
                     "recall = share of the second's positives the first finds."),
        data=data,
        view=view,
    )


# -- RSE ------------------------------------------------------------------------------------------


def dataset_order(names: Iterable[str]) -> list[str]:
    return _group_order(names, tuple(PROMPT_SETS))


def dataset_title(name: str) -> str:
    """How tables and plots name a prompt set (`PromptSet.title`), or the Avg column."""
    return "Avg" if name == AVG else PROMPT_SETS[name].title if name in PROMPT_SETS else name


def _per_dataset(rse: pd.DataFrame, key: str) -> pd.DataFrame:
    """Per (reference, tested) pair: the mean of `key` per dataset (NaN skipped) and the unweighted Avg, in
    columns named as the metrics name them (`<prefix>_<dataset>`, `rse.keys.PER_DATASET`)."""
    prefix = PER_DATASET[key]
    datasets = dataset_order(rse["dataset"].unique())
    rows = []
    for (reference, model), pair in rse.groupby(["reference_model", "tested_model"], sort=True):
        means = {d: float(pair.loc[pair["dataset"] == d, key].mean()) for d in datasets if (pair["dataset"] == d).any()}
        row: dict[str, object] = {"reference": reference, "model": model}
        row |= {f"{prefix}_{d}": means.get(d, math.nan) for d in datasets}
        row[f"{prefix}_{AVG}"] = unweighted_mean(list(means.values()))
        rows.append(row)
    return pd.DataFrame(rows)


def rse_model_table(logs: LogSet) -> Table:
    rse = logs.rse[logs.rse["judged"].astype(bool)] if not logs.rse.empty else logs.rse  # runs with a judge
    data = pd.DataFrame()
    if not rse.empty:
        pairs = rse.groupby(["reference_model", "tested_model"], sort=True)
        counts = pd.DataFrame({"scored": pairs[OVERALL].count(), "unscored": pairs[OVERALL].apply(
            lambda s: int(s.isna().sum()))})
        if rse[SWAP_KEY].notna().any():
            counts["swap_gap_abs"] = pairs[SWAP_KEY].apply(lambda s: s.abs().mean())
        counts = counts.rename_axis(["reference", "model"]).reset_index()
        data = _per_dataset(rse, OVERALL).merge(counts, on=["reference", "model"])
    return Table(
        name="rse_models",
        title="RSE per model and dataset",
        description=("Mean overall similarity (1-5) of the tested model's answers to the reference's, per prompt "
                     "set; Avg = unweighted mean of the set means (the paper's Table 3). Unscored samples (judge "
                     "gave no readable rating, empty or identical answers) are counted apart."),
        data=data,
        view=_rse_view(data, RSE),
    )


def rse_signal_table(logs: LogSet) -> Table:
    rse = logs.rse
    data = pd.DataFrame()
    if not rse.empty:
        data = _per_dataset(rse, NGRAM).merge(_per_dataset(rse, ROUGE_L), on=["reference", "model"])
    return Table(
        name="rse_signals",
        title="RSE cheap signals",
        description="Token 2-gram overlap and ROUGE-L F1 of the same answer pairs (no judge), per prompt set and Avg.",
        data=data,
        view=_rse_view(data, PER_DATASET[NGRAM], PER_DATASET[ROUGE_L]),
    )


def _rse_view(data: pd.DataFrame, *prefixes: str) -> pd.DataFrame:
    if data.empty:
        return data
    view = data[["reference", "model"]].copy()
    for prefix in prefixes:
        for column in [c for c in data.columns if c.startswith(f"{prefix}_")]:
            dataset = column.removeprefix(f"{prefix}_")
            title = dataset_title(dataset)
            label = title if len(prefixes) == 1 else f"{prefix} {title}"
            view[label] = data[column].map(fmt)
    for column in ("scored", "unscored"):
        if column in data:
            view[column] = data[column]
    if "swap_gap_abs" in data:
        view[SCORE_KEYS[SWAP_KEY].label] = data["swap_gap_abs"].map(fmt)
    return view


def primary_reference(rse: pd.DataFrame) -> str | None:
    """The reference compared with the most tested models (ties: first by name); None without RSE."""
    if rse.empty:
        return None
    counts = rse.groupby("reference_model")["tested_model"].nunique()
    return str(sorted(counts.index, key=lambda r: (-counts[r], r))[0])


def ice_vs_rse_table(pools: list[IcePool], rse_models: Table, reference: str | None) -> Table:
    """One row per model that has both an ICE campaign and an RSE run against `reference`."""
    rows = []
    if reference is not None and not rse_models.empty:
        rse = rse_models.data[rse_models.data["reference"] == reference].set_index("model")
        for pool in headline_pools(pools):
            if pool.model in rse.index:
                strict = pool.summary.overall.strict
                low, high = strict.interval
                rows.append({"model": pool.model, "judge": pool.judge, "strict": strict.rate, "strict_ci_low": low,
                             "strict_ci_high": high, "reference": reference,
                             "rse_avg": float(rse.loc[pool.model, f"{RSE}_{AVG}"])})
    data = pd.DataFrame(rows)
    view = data.assign(**{c: data[c].map(fmt) for c in ("strict", "strict_ci_low", "strict_ci_high", "rse_avg")}) \
        if not data.empty else data
    return Table(
        name="ice_vs_rse",
        title="ICE strict against RSE Avg",
        description=(f"Models with both measurements, one row each (ICE: the LLM judge when the model has one); "
                     f"RSE against the reference `{reference}`, the one compared with the most tested models."),
        data=data,
        view=view,
    )


def ice_discovery_table(pools: list[IcePool]) -> Table:
    """The discovery curve of each model: strict positives found against target queries spent.

    One row per model; `strict_at` lists the queries spent at each strict positive (space separated), the
    points of the curve.
    """
    rows = []
    for pool in headline_pools(pools):
        summary = pool.summary
        if summary.strict_at is None:
            continue  # a log written before the curve was recorded
        found, queries = len(summary.strict_at), summary.overall.queries
        rows.append({"model": pool.model, "judge": pool.judge, "campaigns": pool.campaigns, "queries": queries,
                     "strict_found": found, "first_strict_at": summary.strict_at[0] if found else math.nan,
                     "queries_per_strict": queries / found if found else math.nan,
                     "strict_at": " ".join(str(at) for at in summary.strict_at)})
    data = pd.DataFrame(rows)
    view = pd.DataFrame()
    if not data.empty:
        view = pd.DataFrame({
            "model": data["model"], "judge": data["judge"], "campaigns": data["campaigns"],
            "queries": data["queries"], "strict found": data["strict_found"],
            "first strict at query": data["first_strict_at"].map(lambda v: "none" if math.isnan(v) else f"{v:.0f}"),
            "queries per strict positive": data["queries_per_strict"].map(lambda v: fmt(v, 1)),
        })
    return Table(
        name="ice_discovery",
        title="ICE discovery curve",
        description=("Strict positives found against target queries spent, in the order the campaign spent them "
                     "(several campaigns of a model end to end), from the headline judge: how fast the search "
                     "finds leaks, what a query-frugal fingerprinting tool is compared on. The CSV's `strict_at` "
                     "holds every point of the curve."),
        data=data,
        view=view,
    )


def build_tables(logs: LogSet) -> dict[str, Table]:
    """Every report table, keyed by name (empty tables included: the index says why they are empty)."""
    pools = ice_pools(logs)
    rse_models = rse_model_table(logs)
    tables = [
        ice_model_table(pools),
        ice_group_table(pools, "by_category"),
        ice_group_table(pools, "by_language"),
        ice_agreement_table(pools),
        ice_discovery_table(pools),
        rse_models,
        rse_signal_table(logs),
        ice_vs_rse_table(pools, rse_models, primary_reference(logs.rse)),
    ]
    return {table.name: table for table in tables}
