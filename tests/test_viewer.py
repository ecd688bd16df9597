"""What `inspect view` shows of ICE and RSE logs: the data behind each view (no browser needed).

The headline first (strict, hard, loose, then their intervals) in the metrics and the score; labelled target
calls and iteration spans titled once; readable explanations; the tested model of an import; RSE's rounded,
labelled values, a sort column that exists and the two answers side by side. The screenshots of the same views
are taken by `python -m benchmarks.viewer_screenshots` (headless Chromium, not needed here).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from inspect_ai import task_with
from inspect_ai.event import InfoEvent, SpanBeginEvent
from inspect_ai.log import resolve_sample_attachments
from inspect_ai.model import get_model

from inspect_distill.common.viewer import WORD_JOINER, column_label
from inspect_distill.ice.records import CAMPAIGN_STORE_KEY
from inspect_distill.ice.task import ice, ice_import
from inspect_distill.ice.viewer import ICE_COLUMNS, ICE_SCORER, QUERY_SPAN_TYPE, ice_viewer
from inspect_distill.rse.task import rse
from inspect_distill.rse.viewer import RSE_SCORER, rse_viewer
from tests.conftest import ARENA_HARD, PAPER_ICE, run_eval
from tests.report.logs import (
    ICE_BUDGET,
    identity_judge,
    mutator,
    similarity_judge,
    write_data,
)

MODEL = "gpt-3.5-turbo-0125"


def _score_keys(columns: list[str], scorer: str) -> list[str]:
    prefix = f"score__{scorer}__"
    return [c.removeprefix(prefix) for c in columns if c.startswith(prefix)]


def test_column_labels_are_widened_invisibly() -> None:
    label = column_label("strict")
    assert label.replace(WORD_JOINER, "") == "strict" and len(label) >= 8
    assert ice_viewer().task_samples_view.score_labels["strict_paper"].startswith("strict paper")  # type: ignore[union-attr]


def test_ice_log_shows_columns_spans_records_and_settings(tmp_path: Path) -> None:
    write_data(tmp_path)
    task = task_with(ice(questions=str(tmp_path / "questions.jsonl"), budget=ICE_BUDGET, mutators="rephrase",
                         judge="both", cache=False, seed=7, lag=0), viewer=ice_viewer())  # strict rounds
    roles = {"mutator": get_model("mockllm/model", custom_outputs=mutator),
             "grader": get_model("mockllm/model", custom_outputs=identity_judge)}
    log = run_eval(task, f"replay/{tmp_path / f'{MODEL}.jsonl'}", tmp_path / "logs", model_roles=roles)
    assert log.status == "success", log.error

    # the header: strict, hard, loose, then their intervals; no reducer name under them
    (evaluated,) = log.results.scores
    assert list(evaluated.metrics)[:5] == ["strict", "hard", "loose", "strict_ci_low", "strict_ci_high"]
    assert evaluated.reducer is None
    assert {"agree_lexical_loose", "agree_lexical_strict"} <= set(evaluated.metrics)

    # the samples view: the campaign (epoch) first, then strict, each column a key the score really has
    view = log.eval.viewer.task_samples_view
    columns = [c.id for c in view.columns if c.visible]
    assert columns[:2] == ["epoch", f"score__{ICE_SCORER}__strict"]
    sample = resolve_sample_attachments(log.samples[0])
    score = sample.scores[ICE_SCORER]
    keys = _score_keys(columns, ICE_SCORER)
    assert keys == list(ICE_COLUMNS) and set(keys) - {"strict_zh"} <= set(score.value)
    assert view.sort[0].column == f"score__{ICE_SCORER}__strict" and view.sort[0].dir == "desc"
    assert {key: label.replace("\u2060", "") for key, label in view.score_labels.items()}["hard_paper"] == "hard paper"
    # the sample's score panel: the same order
    assert list(score.value)[:5] == ["strict", "hard", "loose", "strict_ci_low", "strict_ci_high"]

    # each iteration is a span titled once; each target query a span named by its ids, ending with its verdict
    spans = [e for e in sample.events if isinstance(e, SpanBeginEvent)]
    iterations = [e.name for e in spans if e.type == "campaign"]
    # iteration 2 goes back to the first mutant (3 of 4 leaked); its mutation comes back identical and is
    # dropped, so iteration 2 spends nothing and still has its span
    assert iterations == ["iteration 1", "iteration 2", "iteration 3"]
    queries = [e for e in spans if e.type == QUERY_SPAN_TYPE]
    assert [e.name for e in queries][:2] == ["query 0: team-en via m1-0", "query 1: geo-en via m1-0"]
    assert len(queries) == ICE_BUDGET
    notes = [e.data for e in sample.events if isinstance(e, InfoEvent) and isinstance(e.data, str)]
    verdicts = [n for n in notes if n.startswith("Query ")]
    assert len(verdicts) == ICE_BUDGET
    first = next(n for n in verdicts if n.startswith("Query 0 "))
    assert first.startswith("Query 0 (question `team-en`, template `m1-0`): llm: **")
    assert "lexical: **hard**; claims anthropic" in first
    reports = [n for n in notes if n.startswith("**Iteration")]
    assert len(reports) == 3 and "```text\nmutant   mutator" in reports[0]
    assert "4 queries: 4 judged by llm (" in reports[0] and "0 unjudged" in reports[0]

    # the store holds every query's record; the explanation tables and lists the evidence
    records = sample.store[CAMPAIGN_STORE_KEY]["records"]
    assert len(records) == ICE_BUDGET and {"response", "verdicts", "template_id"} <= set(records[0])
    assert "llm (headline)" in score.explanation and "agreement, rows both judged" in score.explanation
    assert "strict positives** of 8 judged queries" in score.explanation
    assert score.answer.startswith("campaign 1 (seed 7): strict ")
    assert "agreement with lexical: loose " in score.answer

    # the settings are in the log's metadata
    settings = log.eval.metadata["ice_settings"]
    assert settings["seed"] == 7 and settings["budget"] == ICE_BUDGET and settings["judge"] == "both"
    assert settings["selection"] == "mcts_explore" and settings["mutators"] == ["rephrase"]


def test_an_import_names_the_tested_model() -> None:
    task = ice_import(file=str(PAPER_ICE / "attack_deepseek-chat.jsonl"), identity="deepseek")
    assert str(task.model) == "none/deepseek-chat"  # Inspect's no-model provider: nothing calls it
    assert task.metadata["tested_model"] == "deepseek-chat"


def test_rse_log_shows_rounded_labelled_values_and_both_answers(tmp_path: Path) -> None:
    write_data(tmp_path)
    task = task_with(rse(datasets="arena_hard", dataset_path=str(ARENA_HARD), per_dataset=2,
                         reference_answers=str(tmp_path / "gpt-4-0314.jsonl")), viewer=rse_viewer())
    log = run_eval(task, f"replay/{tmp_path / f'{MODEL}.jsonl'}", tmp_path / "logs",
                   model_roles={"grader": get_model("mockllm/model", custom_outputs=similarity_judge)})
    assert log.status == "success", log.error
    view = log.eval.viewer.task_samples_view
    columns = [c.id for c in view.columns]
    assert columns[1] == f"score__{RSE_SCORER}__overall"
    assert view.sort[0].column == f"score__{RSE_SCORER}__overall"
    assert view.score_labels["rouge_l"].startswith("ROUGE-L")
    keys = _score_keys(columns, RSE_SCORER)
    for sample in log.samples:
        score = sample.scores[RSE_SCORER]
        assert set(keys) == set(score.value)
        assert all(round(score.value[key], 3) == score.value[key] for key in ("ngram", "rouge_l"))
        explanation = score.explanation
        assert explanation.startswith("overall (1-5) **") and f"ROUGE-L F1 **{score.value['rouge_l']:.3f}**" in explanation
        assert f"| reference answer (gpt-4-0314) | \u2800 | tested answer (replay/{MODEL}) |" in explanation
        first_line = sample.output.completion.strip().splitlines()[0].strip()
        assert first_line[:40] in explanation


def test_rse_without_a_judge_sorts_by_a_column_it_has() -> None:
    view = rse_viewer(judge=False).task_samples_view
    assert view is not None and not isinstance(view, list)
    columns = _score_keys([c.id for c in view.columns or []], RSE_SCORER)
    assert columns == ["ngram", "rouge_l"]
    assert view.sort is not None and view.sort[0].column == f"score__{RSE_SCORER}__rouge_l"
    task = rse(datasets="arena_hard", dataset_path=str(ARENA_HARD / "question.jsonl"), per_dataset=1, judge=False,
               reference_answers=str(ARENA_HARD / "answer_gpt-4-0314.jsonl"))
    assert task.viewer is not None and task.viewer.task_samples_view == view


def test_the_screenshot_script_skips_without_chromium(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks.viewer_screenshots import main

    (tmp_path / "logs").mkdir()
    assert main([str(tmp_path / "out"), "--logs", str(tmp_path / "logs"), "--chromium", str(tmp_path / "none")]) == 0
    printed = capsys.readouterr().out
    assert "SKIPPED the screenshots: no Chromium binary" in printed
