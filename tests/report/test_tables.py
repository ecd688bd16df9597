"""The report's tables against the logs they were read from, and against the paper's own files."""

from __future__ import annotations

import csv
import json
import math
import sys
from typing import Any

import pandas as pd
import pytest
from inspect_ai.log import read_eval_log

from inspect_distill.report import Report
from inspect_distill.report.read import LogSet
from inspect_distill.report.tables import AVG, dataset_order, dataset_title, rse_signal_table
from inspect_distill.rse.keys import PER_DATASET
from inspect_distill.rse.prompt_sets import PROMPT_SETS
from tests.conftest import PAPER_ICE
from tests.report.logs import ICE_MODELS, PAPER_MODELS, RSE_PAIRS, ReportLogs


def _logs_by_model(report: Report, task: str) -> dict[str, Any]:
    evals = report.logs.evals
    rows = evals[evals["task"] == task]
    return {row.tested_model: read_eval_log(row.log) for row in rows.itertuples()}


def _row(table: pd.DataFrame, **where: str) -> pd.Series:
    mask = pd.Series(True, index=table.index)
    for key, value in where.items():
        mask &= table[key] == value
    assert mask.sum() == 1, where
    return table[mask].iloc[0]


def _paper_counts(model: str, rows: int) -> tuple[int, int, int]:
    """Loose / strict / hard of the first `rows` rows, read straight from the paper's files."""
    with open(PAPER_ICE / f"attack_{model}.jsonl", encoding="utf-8") as handle:
        records = [json.loads(line) for _, line in zip(range(rows), handle)]
    csv.field_size_limit(sys.maxsize)
    with open(PAPER_ICE / f"strict_{model}.csv", newline="", encoding="utf-8") as handle:
        strict_keys = {(r["jailbreak_prompt"], r["query"]) for r in csv.DictReader(handle)}
    loose = [r for r in records if r["eval_results"]]
    strict = [r for r in loose if (r["jailbreak_prompt"], r["query"]) in strict_keys]
    hard = [r for r in strict if not any(k in r["jailbreak_prompt"].lower() for k in ("gpt", "openai"))]
    return len(loose), len(strict), len(hard)


def test_ice_model_table_equals_the_log_metrics(report: Report) -> None:
    table = report.tables["ice_models"].data
    for model, log in {**_logs_by_model(report, "ice_import"), **_logs_by_model(report, "ice")}.items():
        metrics = {name: m.value for name, m in log.results.scores[0].metrics.items()}
        summary = log.samples[0].scores["ice_scorer"].metadata["summary"]
        row = _row(table, model=model, judge=summary["judge"])
        for kind in ("loose", "strict", "hard"):
            for suffix in ("", "_ci_low", "_ci_high", "_paper"):
                assert row[kind + suffix] == pytest.approx(metrics[kind + suffix], nan_ok=True)
            assert row[f"{kind}_positives"] == summary["overall"][kind]["positives"]
            assert row[f"{kind}_valid"] == summary["overall"][kind]["valid"]
        for key in ("queries", "errors", "refusals", "unjudged", "dropped_mutants"):
            assert row[key] == metrics[key]


def test_ice_model_table_gives_the_rate_corrected_for_the_judges_error(report: Report) -> None:
    from inspect_distill.ice.judging.quality import corrected_rate

    table = report.tables["ice_models"]
    column = "strict corrected for judge error [95%]"
    assert column in table.view.columns
    for _, row in table.data.iterrows():
        expected = corrected_rate(row["judge"], int(row["strict_positives"]), int(row["strict_valid"]))
        if expected is None:
            assert math.isnan(row["strict_corrected"])
        else:
            assert row["strict_corrected"] == pytest.approx(expected.corrected)
            assert row["strict_corrected_low"] <= row["strict_corrected"] <= row["strict_corrected_high"]
    assert set(table.data["judge"]) & {"lexical"}, "the fixture has a lexical pool, which has a measurement"
    assert (table.view[column] == "not measured").sum() == table.data["strict_corrected"].isna().sum()


def test_recorded_rows_reproduce_the_paper_files(report: Report, report_logs: ReportLogs) -> None:
    table = report.tables["ice_models"].data
    for model in PAPER_MODELS:
        row = _row(table, model=model, judge="recorded")
        loose, strict, hard = _paper_counts(model, report_logs.paper_rows)
        assert (row["loose_positives"], row["strict_positives"], row["hard_positives"]) == (loose, strict, hard)
        assert row["strict_paper"] == pytest.approx(strict / report_logs.paper_rows)


def test_scripted_campaigns_give_the_known_counts(report: Report) -> None:
    table = report.tables["ice_models"].data
    first = _row(table, model=f"replay/{ICE_MODELS[0]}", judge="llm")
    second = _row(table, model=f"replay/{ICE_MODELS[1]}", judge="llm")
    # two mutants x four questions; the first model claims Claude on both team questions, the second on one,
    # and the LLM grader also flags "United States" (loose only)
    assert (first["loose_positives"], first["strict_positives"], first["hard_positives"]) == (6, 4, 4)
    assert (second["loose_positives"], second["strict_positives"], second["hard_positives"]) == (2, 2, 2)
    assert first["strict_valid"] == 8 and first["campaigns"] == 1

    agreement = report.tables["ice_agreement"].data
    loose = _row(agreement, model=f"replay/{ICE_MODELS[0]}", first="llm", second="lexical", kind="loose")
    assert (loose["both_judged"], loose["agree"], loose["first_only"], loose["second_only"]) == (8, 6, 2, 0)
    assert loose["precision"] == pytest.approx(4 / 6) and loose["recall"] == 1.0


def test_category_and_language_tables_add_up(report: Report) -> None:
    models = report.tables["ice_models"].data
    for name, label in (("ice_category", "category"), ("ice_language", "language")):
        groups = report.tables[name].data
        sums = groups.groupby(["model", "judge"])[["queries", "strict_positives", "loose_valid"]].sum()
        for row in models.itertuples():
            assert sums.loc[(row.model, row.judge), "queries"] == row.queries, (name, row.model)
            assert sums.loc[(row.model, row.judge), "strict_positives"] == row.strict_positives
        campaign = _row(groups, model=f"replay/{ICE_MODELS[0]}", judge="llm", **{label: "team" if label == "category"
                                                                                  else "zh"})
        assert campaign["strict_positives"] == (4 if label == "category" else 2)


def test_rse_table_equals_the_log_metrics(report: Report) -> None:
    table = report.tables["rse_models"].data
    signals = report.tables["rse_signals"].data
    for row in report.logs.evals[report.logs.evals["task"] == "rse"].itertuples():
        log = read_eval_log(row.log)
        metrics = {name: m.value for name, m in log.results.scores[0].metrics.items()}
        reference = log.samples[0].metadata["reference_model"]
        mine = _row(table, model=row.tested_model, reference=reference)
        for name in ("rse_arena_hard", "rse_numina", "rse_sharegpt", "rse_avg"):
            assert mine[name] == pytest.approx(metrics[name]), name
        assert (mine["scored"], mine["unscored"]) == (metrics["scored"], metrics["unscored"]) == (8, 1)
        cheap = _row(signals, model=row.tested_model, reference=reference)
        for name in ("ngram_arena_hard", "ngram_avg", "rouge_l_sharegpt", "rouge_l_avg"):
            assert cheap[name] == pytest.approx(metrics[name]), name
    assert len(table) == len(RSE_PAIRS)


def test_ice_against_rse_has_one_point_per_model_with_both(report: Report) -> None:
    table = report.tables["ice_vs_rse"].data
    assert sorted(table["model"]) == sorted(f"replay/{m}" for m in ICE_MODELS)
    assert set(table["reference"]) == {"gpt-4-0314"}  # the reference compared with most tested models
    rse = report.tables["rse_models"].data
    for row in table.itertuples():
        assert row.rse_avg == _row(rse, model=row.model, reference="gpt-4-0314")["rse_avg"]
        assert row.strict_ci_low <= row.strict <= row.strict_ci_high


def test_files_are_written_as_csv_and_markdown(report: Report) -> None:
    for name, table in report.tables.items():
        data = pd.read_csv(report.out / f"{name}.csv")
        assert len(data) == len(table.data) > 0, name
        markdown = (report.out / f"{name}.md").read_text()
        assert markdown.startswith(f"## {table.title}") and markdown.count("\n|") == len(table.data) + 2
    rates = (report.out / "ice_models.md").read_text()
    assert "0.500 [0.22, 0.78] (4/8)" in rates  # the first campaign's strict rate, interval and counts
    assert not any(math.isnan(v) for v in report.tables["rse_models"].data["rse_avg"])


def test_run_without_judge_gives_signals_but_no_judge_row(tmp_path: Any) -> None:
    from inspect_distill.report import build_report
    from inspect_distill.rse.task import rse
    from tests.conftest import ARENA_HARD, run_eval

    task = rse(datasets="arena_hard", dataset_path=str(ARENA_HARD), per_dataset=4,
               reference_answers=str(ARENA_HARD / "answer_gpt-4-0314.jsonl"), judge=False)
    log = run_eval(task, f"replay/{ARENA_HARD / 'answer_gpt-4-0613.jsonl'}", tmp_path / "logs")
    assert log.status == "success", log.error
    report = build_report([tmp_path / "logs"], tmp_path / "out", quiet=True)
    # not 4 "unscored" samples: a run without judge has no judge row at all
    assert report.tables["rse_models"].data.empty
    signals = report.tables["rse_signals"].data
    assert len(signals) == 1 and signals.iloc[0]["ngram_arena_hard"] > 0


def test_discovery_curve_counts_every_strict_positive_in_query_order(report: Report) -> None:
    curves = report.tables["ice_discovery"].data
    models = report.tables["ice_models"].data
    assert not curves.empty
    for row in curves.itertuples():
        found_at = [int(at) for at in str(row.strict_at).split()] if isinstance(row.strict_at, str) else []
        assert found_at == sorted(found_at) and len(found_at) == row.strict_found
        totals = models[(models["model"] == row.model) & (models["judge"] == row.judge)].iloc[0]
        assert row.strict_found == totals["strict_positives"] and row.queries == totals["queries"]
        assert all(0 < at <= row.queries for at in found_at)


def test_the_report_names_prompt_sets_by_the_registry() -> None:
    assert [dataset_title(name) for name in PROMPT_SETS] == [entry.title for entry in PROMPT_SETS.values()]
    assert dataset_title(AVG) == "Avg" and dataset_title("other") == "other"
    assert dataset_order(["other", *reversed(PROMPT_SETS)]) == [*PROMPT_SETS, "other"]
    rows = pd.DataFrame({"reference_model": "r", "tested_model": "m", "dataset": list(PROMPT_SETS), "ngram": 0.5,
                         "rouge_l": 0.25})
    view = rse_signal_table(LogSet(evals=pd.DataFrame(), ice=pd.DataFrame(), rse=rows)).view
    assert list(view.columns) == ["reference", "model", *[f"{PER_DATASET[key]} {dataset_title(name)}"
                                                          for key in ("ngram", "rouge_l")
                                                          for name in [*PROMPT_SETS, AVG]]]
