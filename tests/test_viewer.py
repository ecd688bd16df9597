"""What `inspect view` shows of ICE and RSE logs: the data behind each view (no browser needed).

The headline first (strict, hard, loose, then their intervals) in the metrics and the score; every sample list
shows only its declared columns (the built-in ones it does not show are declared hidden; a score value holds
only the keys its view shows, the whole ICE value is in the score's metadata); counts are integers; the answer
line and the headline name the identity tested, where it came from, the references and the control; labelled
target and control calls, each with its verdict line, iteration spans titled once, the control closed by a
summary; the evidence before the details, hard positives first and one per template before repeats; the tested
model of an import; RSE's rounded, labelled values, a sort column that exists, a headline that is a rating (or
ROUGE-L) and the two answers in two independent columns. The screenshots of the same views are taken by
`python -m benchmarks.viewer_screenshots` (headless Chromium, not needed here), which also counts the columns
each sample list really shows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from inspect_ai import task_with
from inspect_ai.event import InfoEvent, SpanBeginEvent
from inspect_ai.log import EvalLog, resolve_sample_attachments
from inspect_ai.model import ChatMessage, GenerateConfig, ModelOutput, get_model

from inspect_distill.common.viewer import BUILT_IN_COLUMNS, WORD_JOINER, column_label
from inspect_distill.ice.display import CONTROL_SPAN_TYPE, QUERY_SPAN_TYPE
from inspect_distill.ice.records import CAMPAIGN_STORE_KEY
from inspect_distill.ice.score_value import ICE_SCORER, VALUES_KEY
from inspect_distill.ice.task import ice, ice_import
from inspect_distill.ice.viewer import ICE_COLUMNS, ice_viewer
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


def sample_list_columns(log: EvalLog) -> tuple[list[str], list[str]]:
    """The columns a task's sample list shows (Inspect 0.3.285), and those its view declares visible.

    The viewer shows the view's visible columns in order, then every built-in column the view does not name,
    and every key of a score value, whatever the view says (its score selector starts with all of them)."""
    view = log.eval.viewer.task_samples_view  # type: ignore[union-attr]
    declared = [c.id for c in view.columns]
    keys = [f"score__{name}__{key}" for sample in log.samples or [] for name, score in (sample.scores or {}).items()
            if isinstance(score.value, dict) for key in score.value]
    present = list(dict.fromkeys(keys))
    visible = [c.id for c in view.columns if c.visible and (not c.id.startswith("score__") or c.id in present)]
    shown = [*visible, *(c for c in BUILT_IN_COLUMNS if c not in declared), *(k for k in present if k not in visible)]
    return shown, visible


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
    # the log list's Score column (the headline) is strict, a rate (Inspect stores every metric as a float, so
    # the counts among the metrics read 8.0: the score value below keeps none of them)
    assert log.results.headline is not None and log.results.headline.metric == "strict"
    assert evaluated.metrics["queries"].value == ICE_BUDGET

    # the samples view: the campaign (epoch) first, then strict, each column a key the score really has
    view = log.eval.viewer.task_samples_view
    columns = [c.id for c in view.columns if c.visible]
    assert columns[:2] == ["epoch", f"score__{ICE_SCORER}__strict"]
    sample = resolve_sample_attachments(log.samples[0])
    score = sample.scores[ICE_SCORER]
    keys = _score_keys(columns, ICE_SCORER)
    assert keys == list(ICE_COLUMNS)
    assert view.sort[0].column == f"score__{ICE_SCORER}__strict" and view.sort[0].dir == "desc"
    assert {key: label.replace("\u2060", "") for key, label in view.score_labels.items()}["hard_paper"] == "hard paper"
    # only the declared columns: every other built-in one is declared hidden, and the score value holds only the
    # columns' keys (the viewer would show any other key as a column and in the score panel)
    shown, visible = sample_list_columns(log)
    assert shown == visible and len(shown) == 12
    assert [c.id for c in view.columns if not c.visible] == [c for c in BUILT_IN_COLUMNS if c not in columns]
    assert list(score.value) == [key for key in ICE_COLUMNS if key in score.value] == list(ICE_COLUMNS)
    # the whole value, counts (integers) included, is in the metadata: the metrics read it there
    values = score.metadata[VALUES_KEY]
    assert list(values)[:5] == ["strict", "hard", "loose", "strict_ci_low", "strict_ci_high"]
    assert {key: values[key] for key in score.value} == score.value
    assert values["queries"] == ICE_BUDGET and isinstance(values["queries"], int) and "strict_valid" in values

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
    # the identity tested, where it came from and the references: in the answer line and the headline
    identity = "identity openai (from the model name); references anthropic"
    assert identity in score.answer and identity in score.explanation.split("\n")[0]
    # the evidence before the details
    explanation = score.explanation
    assert explanation.index("strict positives**") < explanation.index("llm (headline)")

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
    shown, visible = sample_list_columns(log)
    assert shown == visible == ["sampleId", *(f"score__{RSE_SCORER}__{key}" for key in keys), "input", "error"]
    # the log list's Score column and the header's first row: the mean overall rating; then 2-gram and ROUGE-L
    assert log.results.headline is not None
    assert (log.results.headline.score, log.results.headline.metric) == ("overall", "mean")
    assert [s.name for s in log.results.scores if s.name != RSE_SCORER][:3] == ["overall", "ngram", "rouge_l"]
    for sample in log.samples:
        score = sample.scores[RSE_SCORER]
        assert set(keys) == set(score.value)
        assert all(round(score.value[key], 3) == score.value[key] for key in ("ngram", "rouge_l"))
        explanation = score.explanation
        assert explanation.startswith("overall (1-5) **") and f"ROUGE-L F1 **{score.value['rouge_l']:.3f}**" in explanation
        # two independent columns, each answer wrapped on its own; no answer beside the explanation (it would
        # narrow it)
        assert f"| reference answer (gpt-4-0314) | \u2800 | tested answer (replay/{MODEL}) |" in explanation
        rows = [line.split(" | \u2800 | ") for line in explanation.splitlines() if " | \u2800 | " in line][1:]
        right = " ".join(row[1].removesuffix(" |").strip() for row in rows if len(row) == 2)
        first_line = sample.output.completion.strip().splitlines()[0].strip()
        assert " ".join(first_line.split())[:40] in right and score.answer is None


def test_rse_without_a_judge_sorts_by_a_column_it_has() -> None:
    view = rse_viewer(judge=False).task_samples_view
    assert view is not None and not isinstance(view, list)
    columns = _score_keys([c.id for c in view.columns or []], RSE_SCORER)
    assert columns == ["ngram", "rouge_l"]
    assert all(not c.visible for c in view.columns or [] if c.id in BUILT_IN_COLUMNS
               and c.id not in ("sampleId", "input", "error"))
    assert view.sort is not None and view.sort[0].column == f"score__{RSE_SCORER}__rouge_l"
    task = rse(datasets="arena_hard", dataset_path=str(ARENA_HARD / "question.jsonl"), per_dataset=1, judge=False,
               reference_answers=str(ARENA_HARD / "answer_gpt-4-0314.jsonl"))
    assert task.viewer is not None and task.viewer.task_samples_view == view
    assert task.headline_metric is not None and (task.headline_metric.score, task.headline_metric.metric) == \
        ("rouge_l", "mean")
    # swap and ceiling keys are columns too, when a run has them
    swapped = rse_viewer(judge=True, swap=True, ceiling=True).task_samples_view
    assert _score_keys([c.id for c in swapped.columns or []], RSE_SCORER)[-4:] == [  # type: ignore[union-attr]
        "swap_gap", "ceiling", "ceiling_ngram", "ceiling_rouge_l"]


def test_the_screenshot_script_skips_without_chromium(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks.viewer_screenshots import main

    (tmp_path / "logs").mkdir()
    assert main([str(tmp_path / "out"), "--logs", str(tmp_path / "logs"), "--chromium", str(tmp_path / "none")]) == 0
    printed = capsys.readouterr().out
    assert "SKIPPED the screenshots: no Chromium binary" in printed


def control_target(input: list[ChatMessage], tools: Any, tool_choice: Any, config: GenerateConfig) -> ModelOutput:
    """A target that claims Claude, and attributes every other invented name than MarioGPT to OpenAI."""
    prompt = input[-1].text
    if "MarioGPT" in prompt:
        return ModelOutput.from_content(model="scripted-target", content="I do not know that model.")
    if "GPT" in prompt or "Bot" in prompt or "LM" in prompt:
        return ModelOutput.from_content(model="scripted-target", content="It was developed by OpenAI.")
    return ModelOutput.from_content(model="scripted-target", content="I am Claude, made by Anthropic.")


def test_the_control_has_spans_verdict_lines_a_summary_and_honours_languages(tmp_path: Path) -> None:
    write_data(tmp_path)
    task = ice(questions=str(tmp_path / "questions.jsonl"), identity="deepseek", languages="en", budget=4,
               mutators="rephrase", judge="lexical", control=True, cache=False, seed=1, lag=0)
    log = run_eval(task, get_model("mockllm/model", custom_outputs=control_target), tmp_path / "logs",
                   model_roles={"mutator": get_model("mockllm/model", custom_outputs=mutator)})
    assert log.status == "success", log.error
    sample = resolve_sample_attachments(log.samples[0])
    records = [r for r in sample.store[CAMPAIGN_STORE_KEY]["records"] if r["control"]]
    questions = sample.store[CAMPAIGN_STORE_KEY]["questions"]
    assert records and all(questions[r["question_id"]]["language"] == "en" for r in records)  # -T languages=en
    # one span per control query, inside the control's span, each closed by its verdict line; then a summary
    spans = [e for e in sample.events if isinstance(e, SpanBeginEvent)]
    control = next(e for e in spans if e.name == "hallucination control")
    queries = [e for e in spans if e.type == CONTROL_SPAN_TYPE]
    assert len(queries) == len(records) and all(e.parent_id == control.id for e in queries)
    assert queries[0].name == f"query {records[0]['index']}: {records[0]['question_id']} via control-plain"
    notes = [e.data for e in sample.events if isinstance(e, InfoEvent) and isinstance(e.data, str)]
    verdicts = [n for n in notes if n.startswith("Control query ")]
    assert len(verdicts) == len(records)
    assert any(n.endswith("attributes the invented name to **openai**") for n in verdicts)
    assert any(n.endswith("attributes the invented name to no reference") for n in verdicts)
    (report,) = [n for n in notes if n.startswith("**Hallucination control**")]
    attributed = sum(1 for r in records if r.get("control_attribution"))
    assert f": {attributed} of {len(records)} answers attribute the name to a reference (openai {attributed})" \
        in report
    # the control's result in the answer line and under the headline
    score = sample.scores[ICE_SCORER]
    assert f"; control: {attributed}/{len(records)} answers about invented names attribute them to a reference " \
           f"(openai {attributed}); " in score.answer
    assert score.explanation.split("\n\n")[1].startswith(f"Hallucination control: {attributed} of {len(records)} ")


def test_an_import_lists_hard_positives_first_and_says_what_loose_counts(tmp_path: Path) -> None:
    log = run_eval(ice_import(file=str(PAPER_ICE / "attack_deepseek-chat.jsonl"), identity="deepseek"), None,
                   tmp_path / "logs")
    assert log.status == "success", log.error
    sample = log.samples[0]
    score = sample.scores[ICE_SCORER]
    campaign = sample.store[CAMPAIGN_STORE_KEY]
    listed = [line for line in score.explanation.splitlines() if line.startswith("- **#")]
    kinds = [line.split(" · ")[1] for line in listed]
    assert kinds[0] == "hard" and kinds == sorted(kinds)  # "hard" < "not hard"
    # one per template before a template's second
    hard = [r for r in campaign["records"] if (v := r["verdicts"].get("lexical")) and v["hard"]]
    templates = len({r["template_id"] for r in hard})
    firsts = [line.split(" · template ")[1].split(" ")[0] for line in listed[:templates]]
    assert len(set(firsts)) == templates > 1
    # the lexical loose equals strict here: the explanation says why, beside the recorded loose
    assert "- lexical: answers with a first-person claim naming an identity other than deepseek (named claims " \
           "only" in score.explanation
    assert "- recorded (paper's judge): answers the paper's gpt-4o-mini judge read as contradicting" in score.explanation
    assert "identity deepseek (given); references openai, anthropic" in score.answer


def test_a_campaign_that_judged_nothing_keeps_its_answer(tmp_path: Path) -> None:
    def silent(input: list[ChatMessage], tools: Any, tool_choice: Any, config: GenerateConfig) -> ModelOutput:
        return ModelOutput.from_content(model="scripted-grader", content="I cannot say.")

    write_data(tmp_path)
    task = ice(questions=str(tmp_path / "questions.jsonl"), identity="deepseek", languages="en", budget=4,
               mutators="rephrase", judge="llm", cache=False, seed=1, lag=0)
    log = run_eval(task, get_model("mockllm/model", custom_outputs=control_target), tmp_path / "logs",
                   model_roles={"mutator": get_model("mockllm/model", custom_outputs=mutator),
                                "grader": get_model("mockllm/model", custom_outputs=silent)})
    assert log.status == "success", log.error
    score = log.samples[0].scores[ICE_SCORER]
    # a score value without keys would make the viewer drop the score, its answer with it: the words instead
    assert score.value == {"strict": "not judged", "hard": "not judged", "loose": "not judged"}
    assert score.answer.startswith("campaign 1 (seed 1): not judged: none of the 4 queries was judged; identity")
    assert score.metadata[VALUES_KEY]["unjudged"] == 4
    assert list(log.results.scores[0].metrics)[0] == "not_judged"  # the log list's Score column: no rate to show
