"""What `inspect view` shows of ICE and RSE logs: the samples-view columns, spans, records, settings."""

from __future__ import annotations

from pathlib import Path

from inspect_ai import task_with
from inspect_ai.log import SpanBeginEvent
from inspect_ai.model import get_model

from inspect_distill.ice.records import CAMPAIGN_STORE_KEY
from inspect_distill.ice.task import ice
from inspect_distill.ice.viewer import ICE_SCORER, ice_viewer
from inspect_distill.rse.task import rse
from inspect_distill.rse.viewer import RSE_SCORER, rse_viewer
from tests.conftest import ARENA_HARD, run_eval
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


def test_ice_log_shows_columns_spans_records_and_settings(tmp_path: Path) -> None:
    write_data(tmp_path)
    task = task_with(ice(questions=str(tmp_path / "questions.jsonl"), budget=ICE_BUDGET, mutators="rephrase",
                         judge="both", cache=False, seed=7), viewer=ice_viewer())
    roles = {"mutator": get_model("mockllm/model", custom_outputs=mutator),
             "grader": get_model("mockllm/model", custom_outputs=identity_judge)}
    log = run_eval(task, f"replay/{tmp_path / f'{MODEL}.jsonl'}", tmp_path / "logs", model_roles=roles)
    assert log.status == "success", log.error

    # the samples view: useful score columns first, each naming a key the score really has
    view = log.eval.viewer.task_samples_view
    columns = [c.id for c in view.columns]
    assert columns[:3] == ["sampleId", "epoch", f"score__{ICE_SCORER}__strict"]
    sample = log.samples[0]
    score = sample.scores[ICE_SCORER]
    keys = _score_keys(columns, ICE_SCORER)
    assert keys and set(keys) <= set(score.value)
    assert view.sort[0].column == f"score__{ICE_SCORER}__strict" and view.sort[0].dir == "desc"

    # each iteration is a span; each query's record is in the store; strict positives are a table
    spans = [e.name for e in sample.events if isinstance(e, SpanBeginEvent) and e.type == "iteration"]
    # iteration 2 goes back to the first mutant (3 of 4 leaked); its mutation comes back identical and is
    # dropped, so iteration 2 spends nothing and still has its span
    assert spans == ["iteration 1", "iteration 2", "iteration 3"]
    records = sample.store[CAMPAIGN_STORE_KEY]["records"]
    assert len(records) == ICE_BUDGET and {"response", "verdicts", "template_id"} <= set(records[0])
    assert "| # | hard | question | template | response |" in score.explanation
    assert score.answer.startswith("loose 6/8")

    # the settings are in the log's metadata
    settings = log.eval.metadata["ice_settings"]
    assert settings["seed"] == 7 and settings["budget"] == ICE_BUDGET and settings["judge"] == "both"
    assert settings["selection"] == "mcts_explore" and settings["mutators"] == ["rephrase"]


def test_rse_log_shows_the_similarity_columns_first(tmp_path: Path) -> None:
    write_data(tmp_path)
    task = task_with(rse(datasets="arena_hard", dataset_path=str(ARENA_HARD), per_dataset=2,
                         reference_answers=str(tmp_path / "gpt-4-0314.jsonl")), viewer=rse_viewer())
    log = run_eval(task, f"replay/{tmp_path / f'{MODEL}.jsonl'}", tmp_path / "logs",
                   model_roles={"grader": get_model("mockllm/model", custom_outputs=similarity_judge)})
    assert log.status == "success", log.error
    columns = [c.id for c in log.eval.viewer.task_samples_view.columns]
    assert columns[1] == f"score__{RSE_SCORER}__overall"
    keys = _score_keys(columns, RSE_SCORER)
    for sample in log.samples:
        assert set(keys) == set(sample.scores[RSE_SCORER].value)
