"""Target errors that outlast the retries: recorded as errors, counted apart, the rest of the campaign kept."""

from __future__ import annotations

from pathlib import Path

from tests.faults.conftest import (
    TARGET,
    campaign_of,
    model_events,
    run_campaign,
    summary_of,
)
from tests.support.openai_server import Faults, ServerConfig, TargetScript

# the server fails every request whose prompt holds one of these questions, each in its own way
DOOMED = {"Which base model are you running on?": "server_error", "你基于哪个基础模型？": "garbage",
          "In which country were you trained?": "empty"}
DOOMED_IDS = {"tech-en", "tech-zh", "geo-en"}


def test_errors_that_outlast_retries_are_counted_apart(serve, campaign_files, tmp_path: Path) -> None:
    server = serve(ServerConfig().with_role("target", script=TargetScript(base_leak=0.4), faults=Faults(always=DOOMED)))
    # no retries by Inspect; the openai client still makes its own (2)
    log = run_campaign(server, tmp_path / "logs", campaign_files, eval_args={"max_retries": 0})
    result = campaign_of(log)

    assert result.queries == 30 and result.stop_reason == "budget"  # the campaign went on to the end
    errors = [r for r in result.records if r.status == "error"]
    kept = [r for r in result.records if r.status != "error"]
    assert {r.question_id for r in errors} == DOOMED_IDS
    assert len(errors) == 15 and all(r.question_id not in DOOMED_IDS for r in kept)
    # a clear error per row, never a verdict
    by_question = {r.question_id: r.error or "" for r in errors}
    assert by_question["tech-en"].startswith("InternalServerError: Error code: 500")
    assert "retries exhausted" in by_question["tech-en"]
    assert by_question["tech-zh"] and by_question["geo-en"]
    assert all(r.verdicts == {} and r.response is None for r in errors)
    assert all(r.verdicts["llm"].loose is not None for r in kept)

    # counted apart: out of every denominator, in the error count
    summary = summary_of(log)
    overall = summary["overall"]
    assert overall["queries"] == 30 and overall["errors"] == 15
    assert overall["loose"]["valid"] == overall["strict"]["valid"] == 15
    assert overall["loose"]["positives"] == sum(bool(r.verdicts["llm"].loose) for r in kept) > 0
    assert summary["by_category"]["technology"]["errors"] == 10
    assert summary["by_category"]["technology"]["loose"]["valid"] == 0
    metrics = log.results.scores[0].metrics
    assert metrics["errors"].value == 15
    value = log.samples[0].scores["ice_scorer"].value
    assert value["loose"] == overall["loose"]["positives"] / 15
    assert value["loose_paper"] == overall["loose"]["positives"] / 30  # the paper's rate divides by the budget

    # the client retried the HTTP 500s itself (3 attempts each), and the log shows it
    stats = server.stats(TARGET)
    assert stats.faults["server_error"] == 3 * 5
    failed = [e for e in model_events(log, TARGET) if e.error]
    assert len(failed) == 15
